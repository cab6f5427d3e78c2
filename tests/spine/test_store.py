"""The archive file: WAL, migrations, captures never overwritten, public API surface."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

import pytest

import archiver
from archiver.errors import StoreError
from archiver.models import KIND_WEB, Article, Capture
from archiver.store import Archive
from archiver.store.schema import MIGRATIONS


def test_wal_and_schema_version(archive):
    assert archive.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert archive.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_reopening_does_not_migrate_twice(db_path):
    Archive(db_path).close()
    with Archive(db_path) as again:
        assert again.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_not_a_database_is_a_store_error(tmp_path):
    bogus = tmp_path / "x.db"
    bogus.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError):
        Archive(bogus)


def test_captures_are_versioned_never_overwritten(archive):
    when = datetime(2024, 1, 1, tzinfo=timezone.utc)
    first = Capture(kind=KIND_WEB, body=b"<html>v1</html>" * 50, fetched_at=when,
                    url="http://x.cn/a")
    same = Capture(kind=KIND_WEB, body=first.body, fetched_at=when, url="http://x.cn/a")
    changed = Capture(kind=KIND_WEB, body=b"<html>v2</html>", fetched_at=when, url="http://x.cn/a")
    with archive.transaction():
        id1, created1 = archive.add_capture(first, "url:http://x.cn/a")
        id2, created2 = archive.add_capture(same, "url:http://x.cn/a")
        id3, created3 = archive.add_capture(changed, "url:http://x.cn/a")
    assert (created1, created2, created3) == (True, False, True) and id1 == id2 != id3
    assert archive.capture(id1).body == first.body  # compressed on disk, exact when read
    assert [c.sha256 for c in archive.history("http://x.cn/a")] == [first.sha256, changed.sha256]


def test_transaction_rolls_back_on_error(archive):
    when = datetime(2024, 1, 1, tzinfo=timezone.utc)
    with pytest.raises(RuntimeError):
        with archive.transaction():
            cid, _ = archive.add_capture(
                Capture(kind=KIND_WEB, body=b"x", fetched_at=when), "k")
            archive.put_article("k", cid, when, Article(title="t", text="x"))
            raise RuntimeError
    assert archive.stats()["captures"] == 0 and archive.stats()["articles"] == 0


def test_second_writer_waits_instead_of_failing(db_path):
    with Archive(db_path) as one, Archive(db_path) as two:
        assert two.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
        with one.transaction():
            one.conn.execute("SELECT 1")
        with two.transaction():
            pass


def test_public_api_is_deliberate():
    for name in archiver.__all__:
        assert hasattr(archiver, name), name
    assert issubclass(archiver.NotAnArticle, archiver.ArchiverError)
    assert not isinstance(archiver.StoreError("x"), sqlite3.Error)


def test_reparse_rederives_from_the_capture_and_reindexes(archive):
    from archiver.pipeline import import_paths, reparse
    from archiver.search.query import search
    from tests.conftest import FIXTURES

    import_paths(archive, [FIXTURES / "posts" / "seed-zaker.txt"])
    # As an older parser would have left it: a wrong text, an old version, nothing indexed.
    archive.conn.execute("UPDATE articles SET text = '旧的正文', parser_version = 'posts-0'")
    archive.conn.execute("DELETE FROM search_docs")
    assert search(archive, "比特币").total == 0
    report = reparse(archive)
    assert (report.checked, report.changed, report.failed) == (1, 1, 0)
    assert report.diffs[1] == ["text", "parser_version"]
    assert "云南" in archive.get(1).article.text
    assert search(archive, "比特币").total == 1
    assert reparse(archive).changed == 0
