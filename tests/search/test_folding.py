"""Traditional/simplified, full-width/half-width and case fold at both ends."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from archiver.search import search
from archiver.search.segment import fold
from archiver.store import Archive

from .helpers import article, store


def test_traditional_query_finds_simplified_text(archive: Archive) -> None:
    [doc] = store(archive, [article("币圈", "比特币价格再创新高。")])
    assert [h.id for h in search(archive, "比特幣").hits] == [doc]


def test_simplified_query_finds_traditional_text(archive: Archive) -> None:
    [doc] = store(archive, [article("幣圈", "比特幣價格再創新高。")])
    assert [h.id for h in search(archive, "比特币价格").hits] == [doc]


def test_width_and_case(archive: Archive) -> None:
    full, half = store(archive, [
        article("系统", "微软发布ＷＩＮ11更新。"),
        article("系统", "微软发布Win11更新。"),
    ])
    for query in ("ＷＩＮ11", "win11", "Win11", "WIN１１"):
        assert {h.id for h in search(archive, query).hits} == {full, half}, query


def test_latin_term_finds_longer_runs_it_starts(archive: Archive) -> None:
    [doc] = store(archive, [article("芯片", "AMD发布MI300X加速卡。")])
    assert [h.id for h in search(archive, "mi300").hits] == [doc]


def test_latin_term_inside_a_longer_word_is_found(archive: Archive) -> None:
    [doc] = store(archive, [article("AI", "Salesforce推出EinsteinGPT。")])
    assert [h.id for h in search(archive, "gpt").hits] == [doc]
    assert [h.id for h in search(archive, "force").hits] == [doc]


def test_fold_examples() -> None:
    assert fold("比特幣") == "比特币"
    assert fold("ＡＢＣ１２３") == "abc123"
    assert fold("頭髮") == "头发"


@given(st.text(max_size=200))
def test_fold_keeps_length(text: str) -> None:
    assert len(fold(text)) == len(text)


@given(st.text(max_size=50), st.text(max_size=50), st.text(max_size=50))
def test_fold_keeps_substrings(a: str, b: str, c: str) -> None:
    assert fold(b) in fold(a + b + c)
