"""Snippets come from the original text; highlight offsets point at the matches."""

from __future__ import annotations

from archiver.search import search
from archiver.search.query import make_snippet
from archiver.search.segment import fold
from archiver.store import Archive

from .helpers import article, store

TEXT = ("😀前言：（据报道）ＷＩＮ11用户激增🚀！比特幣价格“再创新高”，"
        "华为手机🇨🇳销量上涨——市场人士表示，比特币仍有波动。\n第二段：无关内容。")


def _marked(snippet: str, marks: tuple[tuple[int, int], ...]) -> list[str]:
    return [snippet[s:e] for s, e in marks]


def test_offsets_with_full_width_punctuation_and_emoji(archive: Archive) -> None:
    [doc] = store(archive, [article("比特币行情", TEXT)])
    [hit] = search(archive, "比特币 win11").hits
    assert hit.id == doc
    marked = _marked(hit.snippet, hit.highlights)
    assert marked == ["ＷＩＮ11", "比特幣", "比特币"]
    assert hit.snippet.replace("…", "") in TEXT.replace("\n", " ")
    assert _marked(hit.title, hit.title_highlights) == ["比特币"]


def test_snippet_is_original_text_not_tokens(archive: Archive) -> None:
    store(archive, [article("标题", TEXT)])
    [hit] = search(archive, "华为手机").hits
    assert "华为手机🇨🇳销量" in hit.snippet
    assert [fold(m) for m in _marked(hit.snippet, hit.highlights)] == ["华为手机"]


def test_long_text_cut_around_densest_hits() -> None:
    text = "无关。" * 200 + "光伏产业，光伏组件，光伏电站。" + "无关。" * 200
    snippet, marks = make_snippet(text, [("光", "伏")], width=60)
    assert snippet.startswith("…") and snippet.endswith("…")
    assert len(marks) == 3
    assert all(snippet[s:e] == "光伏" for s, e in marks)


def test_no_hit_in_body_gives_the_opening() -> None:
    snippet, marks = make_snippet("第一句。第二句。", [("光", "伏")])
    assert snippet == "第一句。第二句。" and marks == ()


def test_phrase_highlight_spans_punctuation() -> None:
    snippet, marks = make_snippet("国务院，总理出席。", [("国", "务", "院", "\ue000", "总", "理")])
    assert [snippet[s:e] for s, e in marks] == ["国务院，总理"]
