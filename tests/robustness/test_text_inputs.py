"""Hostile dates, front matter and JSON Lines records: a value, None, or one error line."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from archiver.errors import ArchiverError
from archiver.extract.dates import parse_date
from archiver.extract.frontmatter import split_post
from archiver.extract.posts import parse_post
from archiver.store.archive import utc_iso

T = datetime(2024, 1, 1, tzinfo=timezone.utc)
BODY = "\n\n" + "这是一段很长的中文新闻正文，用于测试解析器是否稳健。" * 12 + "\n"

DATE_PIECES = st.sampled_from([
    "2021", "-", "13", "45", "年", "月", "日", " ", ":", "T", "+99:99", "-23:59", "Z", "GMT",
    "999个月前", "999周前", "昨天", "周五", "刚刚", "12-31 23:59",
    "Sat, 01 Jan 0001 00:00:00 +1400",
    "Fri, 31 Dec 9999 23:59:59 -1200", "0000-00-00", "1999999999", "下午", "PM", "Jun", "\x00",
])
REFERENCES = st.one_of(
    st.none(),
    st.datetimes(timezones=st.just(timezone.utc)),
    st.datetimes(),  # naive
    st.sampled_from([datetime(1, 1, 1, tzinfo=timezone.utc),
                     datetime.max.replace(tzinfo=timezone.utc),
                     datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=-12)))]),
)


def _check_date(raw: str, reference: datetime | None) -> None:
    value = parse_date(raw, reference=reference)
    if value is not None:
        assert value.tzinfo is not None
        utc_iso(value)  # storable


@settings(max_examples=200, deadline=None)
@given(st.lists(DATE_PIECES, max_size=8).map("".join) | st.text(max_size=40), REFERENCES)
@example("Sat, 01 Jan 0001 00:00:00 +14001999999999", None)  # offset overflows a C int
def test_parse_date_never_raises(raw, reference):
    _check_date(raw, reference)


@pytest.mark.parametrize("raw", [
    "2021-06-12T12:18:00+99:99", "999个月前", "Mon, 01 Jan 0001 00:00:00 +1400",
    "Fri, 31 Dec 9999 23:59:59 -1200", "0000-00-00", "99999999999", "2021年2月30日",
])
@pytest.mark.parametrize("reference", [T, datetime(1, 1, 1, tzinfo=timezone.utc),
                                       datetime(9999, 12, 31, 23, 59, tzinfo=timezone.utc), None])
def test_parse_date_table(raw, reference):
    _check_date(raw, reference)


_BOMB = "\n".join(
    [
        'a: &a ["x","x","x","x","x","x","x","x","x"]',
        *(f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]" for p, n in zip("abcdef", "bcdefg")),
        "title: *g", "categories: *g", "tags: *g", "author: *g",
    ]
)

FRONT_MATTERS = {
    "alias bomb": _BOMB,
    "tabs": "title:\t标题\n\tdate: 2021-01-01",
    "python tag": "title: !!python/object/apply:os.system ['echo hi']",
    "list": "- a\n- b",
    "scalar": "just a string",
    "huge key": "k" * 100_000 + ": v\ntitle: t",
    "date zero": "title: t\ndate: 0000-00-00",
    "date number": "title: t\ndate: 99999999999",
    "date negative": "title: t\ndate: -99999999999",
    "date float": "title: t\ndate: 1e300",
    "date nan": "title: t\ndate: .nan",
    "date impossible": "title: t\ndate: 2021-02-30",
    "date list": "title: t\ndate: [2021]",
    "categories mapping": "title: t\ncategories: {a: 1, b: [2]}",
    "title list": "title: [a, b]",
    "title number": "title: 5",
    "title mapping": "title: {a: b}",
    "title null": "title: ~",
    "title bool": "title: yes",
    "deep flow": "title: " + "[" * 1_200,
    "deep closed": "title: t\nx: " + "[" * 500 + "]" * 500,
    "url invalid": "title: t\nurl: http://[::1",
    "headimg number": "title: t\nheadimg: 5",
    "tags nested": "title: t\ntags: [[a, [b]], {c: d}]\ncategories: 3.5",
}


@pytest.mark.parametrize("front", FRONT_MATTERS.values(), ids=list(FRONT_MATTERS))
def test_hostile_front_matter(front):
    text = f"---\n{front}\n---{BODY}"
    try:
        split_post(text)
        article = parse_post(text, fetched_at=T)
    except ArchiverError as exc:
        assert "\n" not in str(exc)
        return
    assert isinstance(article.title, str) and article.title
    assert all(isinstance(c, str) for c in article.categories + article.tags)
    assert len(article.categories) < 1000 and len(article.tags) < 1000
    if article.published is not None:
        utc_iso(article.published)


RECORDS = [
    {"title": 5, "text": "正文" * 100},
    {"title": "t", "text": ["a"]},
    {"title": "t", "text": "正文" * 100, "published": {}},
    {"title": "t", "text": "正文" * 100, "categories": "a,b"},
    {"title": "t", "text": "正文" * 100, "published": 10**30},
    {"title": "t", "text": "正文" * 100, "published": -(10**30)},
    {"title": "t", "text": "正文" * 100, "published": 1e308},
    {"title": "t", "text": "正文" * 100, "published": True},
    {"title": {"a": 1}, "text": {"b": 2}},
    {"title": "t", "html": 5},
    {"title": "t", "text": "正文" * 100, "url": "http://[::1"},
    {"title": "t", "text": "正文" * 100, "url": 5},
    {"title": "t", "text": "正文" * 100, "url": "javascript:alert(1)"},
    {"title": "t", "text": "正文" * 100, "tags": [1, [2], {"a": 3}, None]},
    {"title": "t", "text": "正文" * 100, "author": ["a", "b"], "source": 7, "site": True},
    {"title": "t", "text": "正文" * 100, "date": "0000-00-00", "id": [1]},
    {"title": "t", "text": "正文" * 100, "nested": [[[[[[{"a": [1]}]]]]]]},
    {},
    [1, 2],
    "a string",
]


def _jsonl_lines() -> list[str]:
    lines = [json.dumps(r, ensure_ascii=False) for r in RECORDS]
    lines.append('{"title": "\\ud800标题", "text": "正文\\udfff' + "正文" * 100 + '"}')
    lines.append('{"title": "t", "text": "x", "url": "http://a.com/\\ud800"}')
    lines.append('{"title": "t", "text": ' + "[" * 100_000 + "]" * 100_000 + "}")
    lines.append('{"title": "t", "text": "' + "正文" * 100 + '", "published": 1' + "0" * 5000 + "}")
    lines.append("not json")
    return lines


def test_hostile_jsonl_records_each_give_a_result(tmp_path, archive):
    from archiver.pipeline import import_paths

    path = tmp_path / "hostile.jsonl"
    path.write_text("\n".join(_jsonl_lines()) + "\n", encoding="utf-8")
    results = []
    summary = import_paths(archive, [path], on_result=results.append)
    for result in results:
        if result.message:
            assert "\n" not in result.message
            assert "cannot parse (" not in result.message, result.message  # a parser bug
    assert len(results) == len(_jsonl_lines())
    for stored in archive.iter_articles():
        assert isinstance(stored.article.title, str) and stored.article.text
    assert summary.failed  # some of these must be refused
    assert archive.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.parametrize(("front", "title"), [
    ("title: yes", "yes"), ("title: 1.10", "1.10"), ("title: [转载] 标题", "[转载] 标题"),
    ("title: [a, b]", "[a, b]"), ("title: 2021-06-12", "2021-06-12"), ("title: off # x", "off"),
])
def test_unquoted_titles_are_taken_as_written(front, title):
    assert parse_post(f"---\n{front}\n---{BODY}", fetched_at=T).title == title


@pytest.mark.parametrize("front", ["title:\n  - a\n  - b", "title:\n  a: b", "title: ~"])
def test_titles_that_are_no_text_are_refused(front):
    with pytest.raises(ArchiverError):
        parse_post(f"---\n{front}\n---{BODY}", fetched_at=T)


def test_fields_that_are_mappings_are_not_stringified():
    article = parse_post(f"---\ntitle: t\nauthor: {{name: x}}\ncategories: {{a: 1}}\n"
                         f"tags: [a, {{b: 1}}, null, [c]]\n---{BODY}", fetched_at=T)
    assert article.site is None and article.categories == () and article.tags == ("a", "c")


@pytest.mark.parametrize("record", [{"title": {"a": 1}, "text": "x" * 100},
                                    {"title": "t", "text": ["a"]}, {"title": "t", "html": {}}])
def test_records_with_containers_for_text_are_refused(record):
    from archiver.extract.records import parse_record

    with pytest.raises(ArchiverError) as info:
        parse_record(record, fetched_at=T)
    assert "not text" in str(info.value)
