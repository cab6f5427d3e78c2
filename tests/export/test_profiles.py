"""Profiles: each tool's key names, with values yaml.safe_load reads back."""

from __future__ import annotations

import yaml

from archiver.export.formats import to_markdown
from archiver.export.profiles import hexo_categories


def _front(doc: str) -> dict:
    head, _, _ = doc[4:].partition("\n---\n")
    return yaml.safe_load(head)


def _one(archive):
    return next(s for s in archive.iter_articles() if s.article.title == "比特币：跌破 3 万美元")


def test_default_keys_in_the_fixed_order(rich_archive):
    stored = _one(rich_archive)
    meta = _front(to_markdown(stored))
    assert list(meta) == ["title", "date", "author", "editor", "source", "reprinted_from", "url",
                          "site", "categories", "tags", "image", "fetched", "archiver_id"]
    assert meta["date"] == "2021-06-12T12:18:00+08:00"
    assert meta["tags"] == ["比特币", "Win 11", "yes"]
    assert meta["archiver_id"] == stored.id


def test_hexo_categories_are_one_hierarchy(rich_archive):
    doc = to_markdown(_one(rich_archive), profile="hexo")
    assert "categories:\n  - 新闻\n  - 科技\n  - 区块链\n" in doc
    assert _front(doc)["date"] == "2021-06-12T12:18:00+08:00"


def test_hexo_sibling_paths_are_nested_lists():
    assert hexo_categories([["新闻", "科技"], ["评论"]]) == [["新闻", "科技"], ["评论"]]
    assert hexo_categories(["新闻", "科技"]) == ["新闻", "科技"]
    from archiver.export import frontmatter

    block = frontmatter.dump({"categories": hexo_categories([["新闻", "科技"], ["评论"]])})
    assert "  - [新闻, 科技]\n  - [评论]" in block


def test_hugo_custom_keys_under_params(rich_archive):
    meta = _front(to_markdown(_one(rich_archive), profile="hugo"))
    assert list(meta) == ["title", "date", "categories", "tags", "params"]
    assert "url" not in meta  # a top-level url would change the page's address in Hugo
    assert meta["params"]["url"].startswith("https://news.example.com/")
    assert meta["params"]["author"] == "张三 李四"
    assert meta["params"]["archiver_id"] == _one(rich_archive).id


def test_hugo_lastmod(archive, tmp_path):
    from archiver.pipeline import import_paths

    post = tmp_path / "p.md"
    post.write_text("---\ntitle: t\ndate: 2021-07-08 14:07:50\nupdated: 2021-07-09 08:00:00\n"
                    "---\n\n<p>x</p>\n", encoding="utf-8")
    import_paths(archive, [post])
    meta = _front(to_markdown(next(archive.iter_articles()), profile="hugo"))
    assert meta["lastmod"] == "2021-07-09T08:00:00+08:00"


def test_obsidian_source_and_published(rich_archive):
    stored = _one(rich_archive)
    meta = _front(to_markdown(stored, profile="obsidian"))
    assert meta["published"] == "2021-06-12T12:18:00+08:00"
    assert meta["source"] == stored.article.url
    assert meta["outlet"] == "澎湃新闻"
    assert "date" not in meta and "url" not in meta
    assert meta["created"] == stored.fetched.isoformat()
