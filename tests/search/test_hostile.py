"""Any string a user can type is a valid query: no exception, ever."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archiver.models import SearchResult
from archiver.search import search
from archiver.store import Archive

PIECES = ['"', "'", "*", "NEAR", "NEAR(", "AND", "OR", "NOT", "(", ")", "-", ":", "^", "+",
          "{", "}", "，", "。", "“", "”", "「", "」", "😀", "👍🏽", "\u200b", "\ue000", "\x00",
          "华为", "比特币", "MI300", "制性", " ", "\t", "\n", "title:", "body:", "\\"]

# The corpus archive is read only: sharing it across examples is safe.
SLOW_FIXTURE = [HealthCheck.function_scoped_fixture]

HOSTILE = [
    "", " ", '"', '""', '"""', "*", "**", "a*", "*a", "NEAR(华为 手机)", "华为 AND", "AND",
    "OR", "NOT", "OR OR", "- -", "-", "-华为", "(", ")", "((华为", "华为))", "：", "。", "😀",
    "🇨🇳", "title:华为", "{title}: 华为", "^华为", "华为^", '"华为', "华为\"", "“华为",
    "华为” OR", "\x00", "\ue000", "\ue000\ue000华为", "a" * 5000, "华" * 5000,
    "华为 " * 1000, '"' + "比特币" * 1700 + '"', "-" * 5000, "😀" * 5000,
]


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_queries(corpus: Archive, query: str) -> None:
    result = search(corpus, query)
    assert isinstance(result, SearchResult)
    assert result.total >= len(result.hits)


@settings(max_examples=300, deadline=None, suppress_health_check=SLOW_FIXTURE)
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=5)), max_size=20))
def test_fuzzed_queries_never_raise(corpus: Archive, parts: list[str]) -> None:
    query = "".join(parts)
    result = search(corpus, query)
    assert result.total >= len(result.hits)


@settings(max_examples=100, deadline=None, suppress_health_check=SLOW_FIXTURE)
@given(st.text(max_size=60))
def test_arbitrary_text_never_raises(corpus: Archive, query: str) -> None:
    search(corpus, query, sort="date", limit=5, offset=1)
