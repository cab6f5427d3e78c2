"""Keeping the index current: replacing, removing, rebuilding, user dictionaries."""

from __future__ import annotations

from pathlib import Path

from archiver.search import index_articles, reindex, remove_articles, search
from archiver.search.segment import group_units
from archiver.store import Archive

from .helpers import article, store


def _ids(archive: Archive, query: str) -> list[int]:
    return [h.id for h in search(archive, query).hits]


def test_reindexing_an_article_replaces_its_rows(archive: Archive) -> None:
    [doc] = store(archive, [article("旧标题", "光伏产业。")])
    with archive.transaction():
        index_articles(archive, [(doc, article("新标题", "储能产业。"))])
    assert _ids(archive, "光伏") == []
    assert _ids(archive, "储能") == [doc]
    assert search(archive, "产业").total == 1


def test_remove_articles(archive: Archive) -> None:
    keep, drop = store(archive, [article("甲", "光伏。"), article("乙", "光伏。")])
    remove_articles(archive, [drop])
    assert _ids(archive, "光伏") == [keep]


def test_reindex_rebuilds_from_articles(archive: Archive) -> None:
    ids = store(archive, [article("甲", "光伏。"), article("乙", "储能。")])
    with archive.transaction():  # simulate a stale index
        index_articles(archive, [(ids[0], article("甲", "无关。"))])
    seen: list[tuple[int, int]] = []
    assert reindex(archive, progress=lambda done, total: seen.append((done, total))) == 2
    assert seen[-1] == (2, 2)
    assert _ids(archive, "光伏") == [ids[0]]
    assert _ids(archive, "无关") == []


def test_user_dictionary_changes_query_segmentation(archive: Archive, tmp_path: Path) -> None:
    # 蜻岩 is no word: the query is one unit, matched as typed.
    store(archive, [article("甲", "蜻岩蒸藩合作社成立。"), article("乙", "蜻岩村，蒸藩镇。")])
    assert search(archive, "蜻岩蒸藩").total == 1
    user = tmp_path / "user.txt"
    user.write_text("蜻岩 5000 ns\n蒸藩 5000 ns\n", encoding="utf-8")
    reindex(archive, user_dict=user)
    # Now two words, each must occur anywhere; the article with the string as typed first.
    hits = search(archive, "蜻岩蒸藩").hits
    assert [h.title for h in hits] == ["甲", "乙"]


def test_lone_characters_stay_with_their_word() -> None:
    assert group_units(["比特", "币"]) == ["比特币"]
    assert group_units(["币", "比特"]) == ["币比特"]
    assert group_units(["云南", "矿场", "关停"]) == ["云南", "矿场", "关停"]
    assert group_units(["蜻", "岩", "关停"]) == ["蜻岩", "关停"]
    assert group_units(["的"]) == ["的"]


def test_indexing_leaves_jiebas_global_tokenizer_alone(archive: Archive) -> None:
    import jieba

    store(archive, [article("甲", "光伏产业。" * 100)] * 1)
    assert not jieba.dt.initialized


def test_shared_query_dictionary_holds_jieba_and_news_words() -> None:
    from archiver.search import dictionary

    found = dictionary.lookup(["云南", "比特币", "蜻岩"])
    assert set(found) == {"云南", "比特币"}  # 比特币 comes from the shipped news terms
    assert dictionary.total() > 10_000_000
    assert dictionary.ensure().parent.name.startswith("archiver-cache")  # tests stay out of ~
