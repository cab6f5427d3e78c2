"""Ranking order: as typed above words only, exact word above substring, title above body,
newer first among ties."""

from __future__ import annotations

from datetime import datetime, timezone

from archiver.search import search
from archiver.store import Archive

from .helpers import article, store

FILLER = "今天天气不错，市场平稳运行，相关部门表示将继续关注。"


def _order(archive: Archive, query: str) -> list[int]:
    return [h.id for h in search(archive, query).hits]


def test_exact_word_ranks_above_substring_inside_another_word(archive: Archive) -> None:
    inside, exact = store(archive, [
        article("新闻一", f"{FILLER}中华为人民服务的精神。{FILLER}"),
        article("新闻二", f"{FILLER}华为手机销量上涨。{FILLER}"),
    ])
    assert _order(archive, "华为") == [exact, inside]


def test_as_typed_ranks_above_words_only(archive: Archive) -> None:
    scattered, typed = store(archive, [
        # All three words, far apart, several times (higher BM25 on its own).
        article("云南 矿场 关停 传闻", "云南的矿场很多。" * 3 + "工厂关停了。" * 3),
        article("新闻", f"{FILLER}据报道，云南矿场关停一事引发关注。"),
    ])
    assert _order(archive, "云南矿场关停") == [typed, scattered]


def test_title_ranks_above_body(archive: Archive) -> None:
    body, title = store(archive, [
        article("地方新闻", f"{FILLER}光伏产业发展迅速。{FILLER}"),
        article("光伏产业发展迅速", f"{FILLER}{FILLER}光伏。"),
    ])
    assert _order(archive, "光伏") == [title, body]


def test_newer_first_among_ties(archive: Archive) -> None:
    older, newer, undated = store(archive, [
        article("同题", "同样的内容：储能电站并网。",
                published=datetime(2023, 1, 1, tzinfo=timezone.utc)),
        article("同题", "同样的内容：储能电站并网。",
                published=datetime(2024, 1, 1, tzinfo=timezone.utc)),
        article("同题", "同样的内容：储能电站并网。"),
    ])
    assert _order(archive, "储能") == [newer, older, undated]


def test_sort_by_date(archive: Archive) -> None:
    ids = store(archive, [
        article("储能电站并网储能", "储能储能储能",
                published=datetime(2022, 1, 1, tzinfo=timezone.utc)),
        article("新闻", "储能", published=datetime(2024, 6, 1, tzinfo=timezone.utc)),
        article("新闻", "储能", published=datetime(2023, 6, 1, tzinfo=timezone.utc)),
    ])
    assert [h.id for h in search(archive, "储能", sort="date").hits] == [ids[1], ids[2], ids[0]]


def test_more_occurrences_rank_higher(archive: Archive) -> None:
    once, often = store(archive, [
        article("新闻", f"{FILLER}提到一次芯片。{FILLER}"),
        article("新闻", f"{FILLER}芯片，芯片，还是芯片。{FILLER}"),
    ])
    assert _order(archive, "芯片") == [often, once]
