"""Ctrl-F recall on the shipped corpus, per query class: every article that contains the query
(after folding) is found. Truth is a plain substring scan, independent of the index."""

from __future__ import annotations

import random
import re

import pytest

from archiver.search import search
from archiver.search.segment import fold
from archiver.store import Archive

from .helpers import corpus_articles

ARTICLES = corpus_articles()
FOLDED = [(fold(a.title), fold(a.text)) for a in ARTICLES]
_rng = random.Random(1234)


def _truth(needle: str) -> set[int]:
    # Article ids are 1..300 in corpus order (a fresh archive).
    return {i for i, (t, b) in enumerate(FOLDED, 1) if needle in t or needle in b}


def _found(archive: Archive, query: str) -> set[int]:
    result = search(archive, query, limit=1000)
    assert result.total == len(result.hits)
    return {h.id for h in result.hits}


def _words() -> list[str]:
    from rjieba import Jieba

    cutter = Jieba()
    words: list[str] = []
    for a in ARTICLES:
        words.extend(w for w in cutter.cut(a.text) if re.fullmatch(r"[\u4e00-\u9fff]+", w))
    return words


WORDS = _words()


def _sample(pool: list[str], k: int) -> list[str]:
    pool = sorted(set(pool))
    return _rng.sample(pool, min(k, len(pool)))


def _cjk_strings() -> dict[str, list[str]]:
    two = _sample([w for w in WORDS if len(w) == 2], 60)
    three_four = _sample([w for w in WORDS if len(w) in (3, 4)], 60)
    # Strings that cross a jieba word boundary: the end of one word + the start of the next.
    crossing = []
    for a in ARTICLES[:120]:
        text = a.text
        for m in re.finditer(r"[\u4e00-\u9fff]{4}", text):
            crossing.append(m.group()[1:3])
            break
    # Multi-word strings typed without spaces: two adjacent words.
    multi = []
    for a in ARTICLES[:80]:
        m = re.search(r"[\u4e00-\u9fff]{6}", a.text)
        if m:
            multi.append(m.group())
    return {
        "2-char words": two,
        "3-4-char words": three_four,
        "crossing word boundaries": _sample(crossing, 60),
        "multi-word, no spaces": _sample(multi, 40),
        "single characters": _sample([w[0] for w in WORDS], 20),
    }


CLASSES = _cjk_strings()


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_chinese_classes_have_full_recall(corpus: Archive, name: str) -> None:
    missed = {}
    for query in CLASSES[name]:
        truth = _truth(fold(query))
        assert truth, query
        lost = truth - _found(corpus, query)
        if lost:
            missed[query] = sorted(lost)
    assert not missed, f"{name}: missed {missed}"


def test_latin_and_number_terms_have_full_recall(corpus: Archive) -> None:
    terms = set()
    for a in ARTICLES:
        terms.update(re.findall(r"[A-Za-z]+\d+[A-Za-z0-9]*|[A-Za-z]{3,}|\d{4,}", a.text))
    missed = {}
    for term in _sample(sorted(terms), 60):
        truth = _truth(fold(term))  # includes GPT inside ChatGPT, as Ctrl-F would
        lost = truth - _found(corpus, term)
        if lost:
            missed[term] = sorted(lost)
    assert not missed


def test_spaced_words_must_all_occur(corpus: Archive) -> None:
    for _ in range(20):
        a, b = _rng.sample(_sample([w for w in WORDS if len(w) == 2], 200), 2)
        truth = _truth(fold(a)) & _truth(fold(b))
        assert _found(corpus, f"{a} {b}") == truth


def test_traditional_forms_find_simplified_text(corpus: Archive) -> None:
    import opencc

    s2t = opencc.OpenCC("s2t")
    words = [w for w in _sample([w for w in WORDS if len(w) >= 2], 200) if s2t.convert(w) != w]
    assert len(words) > 20
    found = total = 0
    for word in words:
        truth = _truth(word)
        total += len(truth)
        found += len(truth & _found(corpus, s2t.convert(word)))
    assert found / total >= 0.95


def test_single_unit_queries_are_precise(corpus: Archive) -> None:
    """A query matched as typed finds only articles containing it (separators aside)."""
    for query in CLASSES["crossing word boundaries"][:30]:
        for hit_id in _found(corpus, f'"{query}"'):
            title, body = FOLDED[hit_id - 1]
            pattern = r"[\W_]*".join(map(re.escape, fold(query)))
            assert re.search(pattern, title) or re.search(pattern, body), (query, hit_id)


def test_strings_that_occur_nowhere_find_nothing(corpus: Archive) -> None:
    assert search(corpus, "蜻岩蒸藩").total == 0
    assert search(corpus, "制性蜻岩").total == 0
    chars = sorted({c for t, b in FOLDED for c in b if "\u4e00" <= c <= "\u9fff"})
    misses = 0
    while misses < 30:
        query = "".join(_rng.sample(chars, 4))
        if _truth(query):
            continue
        misses += 1
        assert search(corpus, f'"{query}"').total == 0, query
