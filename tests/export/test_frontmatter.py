"""Front matter: yaml.safe_load (and archiver's own importer) read back exactly what was stored."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.export import frontmatter
from archiver.extract.frontmatter import split_post
from tests.export.conftest import HOSTILE_TITLES

MORE_HOSTILE = [
    "：", ": ", "a:", "#", "a #b", "'", "\"", "'\"", "\"'both'\"", "-", "- a", "--- x", "?", "? x",
    "!tag", "&anchor", "*alias", "|", ">", "@", "`", "%", "[", "]", "{", "}", "a, b", "1e3",
    "0x1F", "0o17", "1_000", ".inf", ".nan", "=", "<<", "true", "False", "on", "OFF", "y", "n",
    "Yes", "NULL", "2022-06-23T19:53:48+08:00", "2022-06-23 19:53", "12:30:00", "1:20", "+1",
    "-1", "3.", "\r\n", "\u2028", "\u2029", "\x85", "\ufeff开头", "\x00", "\x07响铃", "\x1b[0m",
    "\ud83d\ude00", "𠀀𠀁 扩展B", "a\\", "\\", "\\n", "\t", "\n", " \n ", "line\r\nbreak",
]


def _load(block: str) -> dict:
    assert block.startswith("---\n") and block.endswith("---\n")
    return yaml.safe_load(block[4:-4]) or {}


def test_hostile_titles_round_trip_through_safe_load():
    for title in HOSTILE_TITLES + MORE_HOSTILE:
        block = frontmatter.dump({"title": title, "tags": [title, "x"]})
        assert _load(block) == {"title": title, "tags": [title, "x"]}, block


def test_hostile_titles_round_trip_through_the_importer():
    for title in HOSTILE_TITLES + MORE_HOSTILE:
        block = frontmatter.dump({"title": title, "archiver_id": 1})
        meta = split_post(block + "\nbody\n").meta
        assert meta["title"] == title and meta["archiver_id"] == 1, block


def test_one_line_per_scalar_no_wraps():
    title = "很长的中文标题" * 40 + "：带冒号 # 和引号\"'"
    block = frontmatter.dump({"title": title})
    assert block.count("\n") == 3  # ---, title, ---


def test_dates_are_quoted_strings():
    block = frontmatter.dump({"date": "2022-06-23T19:53:48+08:00"})
    assert 'date: "2022-06-23T19:53:48+08:00"' in block
    assert _load(block)["date"] == "2022-06-23T19:53:48+08:00"  # a str, not a datetime


def test_key_order_kept_and_empty_values_left_out():
    block = frontmatter.dump({"title": "t", "date": None, "author": "", "tags": [], "url": "u",
                              "params": {"a": None}, "archiver_id": 3})
    assert [line.split(":")[0] for line in block.splitlines()[1:-1]] == ["title", "url",
                                                                          "archiver_id"]


def test_nested_lists_and_mappings():
    value = {"categories": [["新媒体", "a, b"], ["[x]"]], "params": {"source": "yes: no"}}
    assert _load(frontmatter.dump(value)) == value


def test_readable_when_safe():
    title = "多地整顿比特币挖矿，云南矿场或已关停"
    assert frontmatter.scalar(title) == title
    assert frontmatter.scalar('要"杀死" GPU') == '要"杀死" GPU'
    assert frontmatter.scalar("yes") == '"yes"'


_ANY_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=40
)


@settings(max_examples=150, deadline=None)
@given(title=_ANY_TEXT, tags=st.lists(_ANY_TEXT, max_size=3))
def test_any_string_round_trips(title: str, tags: list[str]):
    data = {"title": title, "tags": tags, "categories": [tags, ["x"]]}
    loaded = _load(frontmatter.dump(data))
    expected = {k: v for k, v in data.items() if not frontmatter.is_empty(v)}
    assert loaded == expected


_YAMLISH = st.text(alphabet=list(":#'\"-?[]{},&*!|>%@`~ \t\n\\yesnoultrfa01.+=中文：😀"),
                   min_size=1, max_size=12)


@settings(max_examples=150, deadline=None)
@given(title=_YAMLISH)
def test_yaml_syntax_soup_round_trips(title: str):
    assert _load(frontmatter.dump({"title": title})) == {"title": title}
