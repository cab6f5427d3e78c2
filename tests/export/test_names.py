"""File names: safe on Linux, macOS and Windows, deterministic, never outside the folder."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.export.names import (
    MAX_BYTES,
    NameAllocator,
    article_stem,
    safe_component,
    slugify,
)

WHEN = datetime(2021, 6, 12, 12, 18, tzinfo=timezone(timedelta(hours=8)))
WINDOWS_ILLEGAL = set('<>:"/\\|?*') | {chr(c) for c in range(32)}
RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
            *(f"LPT{i}" for i in range(1, 10))}


def _assert_safe(name: str) -> None:
    assert name and name not in (".", "..")
    assert not WINDOWS_ILLEGAL.intersection(name), name
    assert not name.endswith((".", " ")), name
    assert len(name.encode("utf-8")) <= MAX_BYTES
    assert name.split(".")[0].upper() not in RESERVED, name


def test_date_and_chinese_slug():
    stem = article_stem("多地整顿比特币挖矿，云南矿场或已关停", WHEN, 1)
    assert stem == "2021-06-12-多地整顿比特币挖矿-云南矿场或已关停"


def test_path_tricks_stay_one_component():
    for title in ("../../etc/passwd", "a/b", "a\\b", "..", ".", "/", "C:\\Windows", "~/x"):
        stem = article_stem(title, WHEN, 7)
        assert "/" not in stem and "\\" not in stem and ".." not in stem, stem
        _assert_safe(stem + ".md")
    assert article_stem("../../etc/passwd", WHEN, 7) == "2021-06-12-etc-passwd"


def test_empty_or_punctuation_titles_use_the_id():
    for title in ("", " ", "？！……", "+_&~_%！'^……"):
        assert article_stem(title, WHEN, 42) == "2021-06-12-article-42"


def test_windows_reserved_names():
    for name in ("CON", "con", "NUL.md", "com1", "LPT9.txt", "aux"):
        _assert_safe(safe_component(name))
    assert safe_component("CON") == "CON_"
    assert safe_component("nul.md") == "nul_.md"


def test_trailing_dots_and_spaces_removed():
    assert safe_component("名字. . ") == "名字"
    assert slugify("title...") == "title"


def test_255_bytes_with_chinese_cut_on_a_character():
    stem = article_stem("中" * 300, WHEN, 1)
    name = NameAllocator().take(stem, ".md", 1)
    assert len(name.encode("utf-8")) <= MAX_BYTES
    assert name.endswith(".md") and name.startswith("2021-06-12-中")
    name.encode("utf-8").decode("utf-8")  # never a cut character


def test_collisions_get_a_suffix_case_insensitively():
    names = NameAllocator()
    first = names.take("2021-06-12-Win11", ".md", 1)
    second = names.take("2021-06-12-win11", ".md", 2)
    third = names.take("2021-06-12-WIN11", ".md", 3)
    assert first == "2021-06-12-Win11.md"
    assert second == "2021-06-12-win11-2.md"  # the id of the article
    assert third == "2021-06-12-WIN11-3.md"
    long_stem = "2021-06-12-" + "中" * 90
    alloc = NameAllocator()
    a, b = alloc.take(long_stem, ".md", 1), alloc.take(long_stem, ".md", 12345)
    assert a != b and len(b.encode()) <= MAX_BYTES and b.endswith("-12345.md")


def test_deterministic():
    assert article_stem("标题：一样", WHEN, 1) == article_stem("标题：一样", WHEN, 1)


def test_fullwidth_folded():
    assert slugify("ＷＩＮ１１ 发布") == "WIN11-发布"


@settings(max_examples=200, deadline=None)
@given(title=st.text(max_size=300))
def test_any_title_gives_a_safe_name(title: str):
    stem = article_stem(title, WHEN, 5)
    _assert_safe(NameAllocator().take(stem, ".md", 5))
