"""Every filter, paging, and the errors bad filters raise."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from archiver.errors import QueryError
from archiver.search import search
from archiver.store import Archive

from .helpers import article, store

BJ = timezone(timedelta(hours=8))


@pytest.fixture
def docs(archive: Archive) -> list[int]:
    return store(archive, [
        article("央行降准", "央行宣布降准。", source="新华社", site="xinhuanet.com",
                author="张三", categories=("财经", "宏观"),
                published=datetime(2024, 5, 1, 9, 0, tzinfo=BJ)),
        article("降准落地", "降准今日落地。", source="人民日报", site="people.com.cn",
                author="李四", categories=("财经",),
                published=datetime(2024, 5, 31, 23, 30, tzinfo=BJ)),
        article("降准解读", "专家解读降准。", source="新华社客户端", site="xinhuanet.com",
                author="张三、王五", categories=("评论",),
                published=datetime(2024, 6, 1, 0, 30, tzinfo=BJ)),
        article("降准旧闻", "多年前的降准。"),  # no date, no source
    ])


def _ids(archive: Archive, **filters: object) -> list[int]:
    return sorted(h.id for h in search(archive, "降准", **filters).hits)  # type: ignore[arg-type]


def test_no_filter(archive: Archive, docs: list[int]) -> None:
    assert _ids(archive) == sorted(docs)


def test_source(archive: Archive, docs: list[int]) -> None:
    assert _ids(archive, source="新华社") == [docs[0], docs[2]]
    assert _ids(archive, source="人民日报") == [docs[1]]


def test_site(archive: Archive, docs: list[int]) -> None:
    assert _ids(archive, site="people.com.cn") == [docs[1]]


def test_author(archive: Archive, docs: list[int]) -> None:
    assert _ids(archive, author="张三") == [docs[0], docs[2]]


def test_category(archive: Archive, docs: list[int]) -> None:
    assert _ids(archive, category="财经") == [docs[0], docs[1]]
    assert _ids(archive, category="财") == []  # categories match whole


def test_since_until_are_beijing_days(archive: Archive, docs: list[int]) -> None:
    assert _ids(archive, since="2024-05-31") == [docs[1], docs[2]]
    assert _ids(archive, until="2024-05-31") == [docs[0], docs[1]]
    assert _ids(archive, since="2024-05", until="2024-05") == [docs[0], docs[1]]
    assert _ids(archive, since=date(2024, 6, 1)) == [docs[2]]
    assert _ids(archive, until="2023") == []


def test_limit_offset_and_total(archive: Archive, docs: list[int]) -> None:
    first = search(archive, "降准", limit=2)
    rest = search(archive, "降准", limit=2, offset=2)
    assert first.total == rest.total == 4
    assert len(first.hits) == len(rest.hits) == 2
    assert {h.id for h in first.hits + rest.hits} == set(docs)


def test_date_sort_puts_undated_last(archive: Archive, docs: list[int]) -> None:
    assert [h.id for h in search(archive, "降准", sort="date").hits] == [
        docs[2], docs[1], docs[0], docs[3]]


@pytest.mark.parametrize("bad", [{"since": "yesterday"}, {"until": "2024-13-01"},
                                 {"sort": "best"}, {"limit": -1}])
def test_bad_filters_raise_query_error(archive: Archive, docs: list[int], bad: dict) -> None:
    with pytest.raises(QueryError):
        search(archive, "降准", **bad)


def test_operators(archive: Archive, docs: list[int]) -> None:
    assert sorted(h.id for h in search(archive, "降准 -解读").hits) == [docs[0], docs[1], docs[3]]
    assert sorted(h.id for h in search(archive, "解读 OR 落地").hits) == [docs[1], docs[2]]
    assert [h.id for h in search(archive, '"今日落地"').hits] == [docs[1]]
