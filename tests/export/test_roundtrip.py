"""Export → `archiver import` into a fresh archive → the same article fields and text."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from archiver.cli import cli
from archiver.export import export_articles
from archiver.pipeline import import_paths
from archiver.store import Archive
from tests.conftest import FIXTURES

FIELDS = ("title", "text", "url", "author", "editor", "source", "reprinted_from", "published",
          "updated", "categories", "tags", "lead_image", "site", "lang")


def _fields(stored) -> dict:
    a = stored.article
    data = {f: getattr(a, f) for f in FIELDS}
    data["published_offset"] = a.published.utcoffset() if a.published else None
    data["images"] = [(i.url, i.alt, i.caption) for i in a.images]
    return data


def _by_title(archive: Archive) -> dict:
    return {s.article.title: _fields(s) for s in archive.iter_articles()}


@pytest.mark.parametrize("profile", [None, "hexo", "hugo", "obsidian"])
def test_rich_articles_round_trip_through_the_cli(rich_archive, db_path, tmp_path, profile):
    out = tmp_path / "out"
    args = ["--db", str(db_path), "export", "--all", "-o", str(out)]
    if profile:
        args += ["--profile", profile]
    runner = CliRunner()
    result = runner.invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    fresh = tmp_path / "fresh.db"
    result = runner.invoke(cli, ["--db", str(fresh), "import", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    with Archive(fresh) as again:
        assert _by_title(again) == _by_title(rich_archive)


def test_feed_posts_round_trip(archive, tmp_path):
    posts = tmp_path / "posts"
    shutil.copytree(FIXTURES / "posts", posts)
    assert import_paths(archive, [posts]).failed == 0
    for profile in (None, "hexo", "hugo", "obsidian"):
        out = tmp_path / f"out-{profile}"
        export_articles(archive, fmt="md", profile=profile, out=out)
        with Archive(tmp_path / f"{profile}.db") as again:
            summary = import_paths(again, [out])
            assert summary.failed == 0, summary.errors
            assert _by_title(again) == _by_title(archive), profile


def test_updated_date_round_trips(archive, tmp_path):
    post = tmp_path / "post.md"
    post.write_text("---\ntitle: 有更新时间\ndate: 2021-07-08 14:07:50\n"
                    "updated: 2021-07-09 08:00:00\n---\n\n<p>正文。</p>\n", encoding="utf-8")
    import_paths(archive, [post])
    (stored,) = archive.iter_articles()
    assert stored.article.updated is not None
    for profile in (None, "hexo", "hugo", "obsidian"):
        out = tmp_path / f"o-{profile}"
        export_articles(archive, fmt="md", profile=profile, out=out)
        with Archive(tmp_path / f"u-{profile}.db") as again:
            import_paths(again, [out])
            (back,) = again.iter_articles()
            assert back.article.updated == stored.article.updated
            assert back.article.published == stored.article.published


def test_language_other_than_chinese_round_trips(archive, tmp_path):
    record = {"title": "English story", "text": "One.\n\nTwo.", "lang": "en",
              "url": "https://example.com/en"}
    path = tmp_path / "en.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    import_paths(archive, [path])
    for profile in (None, "hexo", "hugo", "obsidian"):
        out = tmp_path / f"en-{profile}"
        export_articles(archive, fmt="md", profile=profile, out=out)
        with Archive(tmp_path / f"en-{profile}.db") as again:
            import_paths(again, [out])
            assert _by_title(again) == _by_title(archive)


def test_reexport_overwrites_the_same_files(rich_archive, tmp_path: Path):
    out = tmp_path / "out"
    first = export_articles(rich_archive, fmt="md", profile="hexo", out=out)
    names = sorted(p.name for p in out.iterdir())
    second = export_articles(rich_archive, fmt="md", profile="hexo", out=out)
    assert sorted(p.name for p in out.iterdir()) == names
    assert [a.path for a in first.articles] == [a.path for a in second.articles]
    assert all(a.changed for a in first.articles) and not any(a.changed for a in second.articles)
