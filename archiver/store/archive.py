"""Reading and writing captures and articles in the SQLite archive."""

from __future__ import annotations

import json
import os
import sqlite3
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from archiver.errors import NotFound, StoreError
from archiver.models import Article, Capture, CaptureInfo, Image, StoredArticle
from archiver.store.schema import MIGRATIONS, migrate
from archiver.urls import is_valid_url, url_key

DEFAULT_DB = "archive.db"
ENV_DB = "ARCHIVER_DB"
# Bodies under this size are stored as they are: compressing them saves little.
_COMPRESS_MIN = 256


def default_db_path() -> Path:
    """``$ARCHIVER_DB`` if set, else ``archive.db`` in the current directory."""
    return Path(os.environ.get(ENV_DB) or DEFAULT_DB)


def utc_iso(moment: datetime) -> str:
    """ISO 8601 in UTC with an explicit offset (naive datetimes are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat()


def parse_iso(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value)


def open_archive(path: str | os.PathLike[str] | None = None) -> Archive:
    return Archive(default_db_path() if path is None else Path(path))


class Archive:
    """The archive database. Use as a context manager, or call :meth:`close`."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        try:
            conn = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
            conn.execute("PRAGMA busy_timeout = 30000")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            version = migrate(conn)
            tables = {row[0] for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open archive {self.path}: {exc}") from exc
        if not {"captures", "articles"} <= tables:
            conn.close()
            if version > len(MIGRATIONS):
                raise StoreError(f"cannot open archive {self.path}: a SQLite database of "
                                 f"something else (schema version {version})")
            raise StoreError(f"cannot open archive {self.path}: a SQLite database without "
                             "archiver's tables")
        self.conn = conn
        self._db: Any = None
        self._depth = 0

    @property
    def db(self) -> Any:
        """A ``sqlite_utils.Database`` over the same connection, for ad-hoc queries and
        inspection (created on first use: sqlite-utils costs ~0.1 s to import)."""
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn)
        return self._db

    # -- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic unit of work; nested calls become savepoints."""
        depth = self._depth
        name = f"sp{depth}"
        try:
            self.conn.execute("BEGIN IMMEDIATE" if depth == 0 else f"SAVEPOINT {name}")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"archive {self.path} is busy or read-only: {exc}") from exc
        self._depth += 1
        try:
            yield
        except BaseException as exc:
            self._depth -= 1
            if depth == 0:
                self.conn.execute("ROLLBACK")
            else:
                self.conn.execute(f"ROLLBACK TO {name}")
                self.conn.execute(f"RELEASE {name}")
            if isinstance(exc, sqlite3.Error):  # read-only file, full disk, corruption …
                raise StoreError(f"archive {self.path}: {exc} (nothing of this batch was "
                                 "written)") from exc
            raise
        self._depth -= 1
        try:
            self.conn.execute("COMMIT" if depth == 0 else f"RELEASE {name}")
        except sqlite3.Error as exc:
            if depth == 0 and self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise StoreError(f"archive {self.path}: cannot commit ({exc})") from exc

    # -- captures --------------------------------------------------------------------------
    def find_capture(self, key: str, sha256: str) -> int | None:
        row = self.conn.execute(
            "SELECT id FROM captures WHERE key = ? AND sha256 = ?", (key, sha256)
        ).fetchone()
        return row[0] if row else None

    def add_capture(self, capture: Capture, key: str) -> tuple[int, bool]:
        """Store a capture unless the same bytes are already kept for ``key``.

        Returns ``(capture_id, created)``.
        """
        sha = capture.sha256
        existing = self.find_capture(key, sha)
        if existing is not None:
            return existing, False
        body = capture.body
        compression = None
        if len(body) >= _COMPRESS_MIN:
            packed = zlib.compress(body, 1)  # level 1: 2x faster, ~2% larger
            if len(packed) < len(body):
                body, compression = packed, "zlib"
        cur = self.conn.execute(
            """INSERT INTO captures (key, kind, url, final_url, status, headers, fetched_at,
                   sha256, size, compression, body, charset, charset_reason, origin, flag, meta)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                key,
                capture.kind,
                capture.url,
                capture.final_url,
                capture.status,
                json.dumps([list(h) for h in capture.headers], ensure_ascii=False),
                utc_iso(capture.fetched_at),
                sha,
                len(capture.body),
                compression,
                body,
                capture.charset,
                capture.charset_reason,
                capture.origin,
                capture.flag,
                json.dumps(dict(capture.meta), ensure_ascii=False),
            ),
        )
        return int(cur.lastrowid), True

    def capture(self, capture_id: int) -> Capture:
        row = self.conn.execute("SELECT * FROM captures WHERE id = ?", (capture_id,)).fetchone()
        if row is None:
            raise NotFound(f"no capture {capture_id}")
        cols = [d[0] for d in self.conn.execute("SELECT * FROM captures LIMIT 0").description]
        data = dict(zip(cols, row))
        body = data["body"]
        if data["compression"] == "zlib":
            body = zlib.decompress(body)
        return Capture(
            kind=data["kind"],
            body=bytes(body),
            fetched_at=datetime.fromisoformat(data["fetched_at"]),
            url=data["url"],
            final_url=data["final_url"],
            status=data["status"],
            headers=tuple(tuple(h) for h in json.loads(data["headers"] or "[]")),
            origin=data["origin"],
            charset=data["charset"],
            charset_reason=data["charset_reason"],
            flag=data["flag"],
            meta=tuple(json.loads(data["meta"] or "{}").items()),
        )

    def history(self, key_or_url: str) -> list[CaptureInfo]:
        rows = self.conn.execute(
            """SELECT id, key, kind, url, final_url, status, fetched_at, sha256, size, charset,
                      charset_reason, origin, flag
               FROM captures WHERE key = ? OR url = ? OR final_url = ? ORDER BY fetched_at, id""",
            (key_or_url, key_or_url, key_or_url),
        ).fetchall()
        return [
            CaptureInfo(
                id=r[0], key=r[1], kind=r[2], url=r[3], final_url=r[4], status=r[5],
                fetched_at=datetime.fromisoformat(r[6]), sha256=r[7], size=r[8], charset=r[9],
                charset_reason=r[10], origin=r[11], flag=r[12],
            )
            for r in rows
        ]

    # -- articles --------------------------------------------------------------------------
    def put_article(
        self, key: str, capture_id: int, fetched: datetime, article: Article
    ) -> tuple[int, str]:
        """Insert or replace the article for ``key``; returns ``(id, status)`` where status is
        ``imported``, ``updated`` or ``unchanged``."""
        row = _article_row(key, capture_id, fetched, article)
        cur = self.conn.execute("SELECT * FROM articles WHERE key = ?", (key,))
        existing = cur.fetchone()
        if existing is None:
            cols = ", ".join(row)
            marks = ", ".join("?" for _ in row)
            cur = self.conn.execute(
                f"INSERT INTO articles ({cols}) VALUES ({marks})", tuple(row.values())
            )
            return int(cur.lastrowid), "imported"
        current = dict(zip([d[0] for d in cur.description], existing))
        article_id = current["id"]
        if all(current.get(k) == v for k, v in row.items()):
            return article_id, "unchanged"
        sets = ", ".join(f"{c} = ?" for c in row)
        self.conn.execute(
            f"UPDATE articles SET {sets} WHERE id = ?", (*row.values(), article_id)
        )
        return article_id, "updated"

    def article_row(self, article_id: int) -> dict[str, Any]:
        cur = self.conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,))
        row = cur.fetchone()
        if row is None:
            raise NotFound(f"no article {article_id}")
        return dict(zip([d[0] for d in cur.description], row))

    def article_id_for_key(self, key: str) -> int | None:
        row = self.conn.execute("SELECT id FROM articles WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def resolve(self, ref: str | int) -> int:
        """An article id from an id, a URL (as given, final, or canonical key) or a key."""
        text = str(ref).strip()
        # ASCII digits only ("²".isdigit() is true) and within SQLite's 64-bit integers.
        if text.isascii() and text.isdigit() and int(text) < 2**63:
            row = self.conn.execute("SELECT id FROM articles WHERE id = ?", (int(text),)).fetchone()
            if row:
                return row[0]
        row = self.conn.execute(
            """SELECT a.id FROM articles a
               WHERE a.key = ? OR a.url = ?
                  OR a.key IN (SELECT key FROM captures WHERE url = ? OR final_url = ?)
               LIMIT 1""",
            (text, text, text, text),
        ).fetchone()
        if row is None and is_valid_url(text):
            row = self.conn.execute(
                "SELECT id FROM articles WHERE key = ?", (url_key(text),)
            ).fetchone()
        if row is None:
            raise NotFound(f"no article {text!r} in {self.path}", hint="see `archiver list`")
        return row[0]

    def get(self, ref: str | int) -> StoredArticle:
        return stored_from_row(self.article_row(self.resolve(ref)))

    def iter_articles(
        self,
        *,
        limit: int | None = None,
        site: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        ids: list[int] | None = None,
    ) -> Iterator[StoredArticle]:
        """Articles newest first (by publication date, then capture time)."""
        where, params = [], []
        if site:
            where.append("(site = ? OR site LIKE ?)")
            params += [site, f"%{site}%"]
        if since:
            where.append("published_utc >= ?")
            params.append(utc_iso(since))
        if until:
            where.append("published_utc < ?")
            params.append(utc_iso(until))
        if ids is not None:
            where.append(f"id IN ({', '.join('?' for _ in ids)})")
            params += ids
        sql = "SELECT * FROM articles"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY COALESCE(published_utc, fetched) DESC, id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(min(limit, 2**63 - 1))  # SQLite integers are 64-bit
        cur = self.conn.execute(sql, params)
        cols = [d[0] for d in cur.description]
        for row in cur:
            yield stored_from_row(dict(zip(cols, row)))

    def stats(self) -> dict[str, Any]:
        one = self.conn.execute
        by_site = one(
            "SELECT COALESCE(site, '?'), COUNT(*) FROM articles GROUP BY 1 ORDER BY 2 DESC, 1"
        ).fetchall()
        by_month = one(
            """SELECT COALESCE(substr(published_utc, 1, 7), 'unknown'), COUNT(*) FROM articles
               GROUP BY 1 ORDER BY 1 DESC"""
        ).fetchall()
        by_kind = one("SELECT kind, COUNT(*) FROM captures GROUP BY 1 ORDER BY 1").fetchall()
        return {
            "articles": one("SELECT COUNT(*) FROM articles").fetchone()[0],
            "captures": one("SELECT COUNT(*) FROM captures").fetchone()[0],
            "flagged_captures": one(
                "SELECT COUNT(*) FROM captures WHERE flag IS NOT NULL"
            ).fetchone()[0],
            "capture_bytes": one("SELECT COALESCE(SUM(size), 0) FROM captures").fetchone()[0],
            "by_site": dict(by_site),
            "by_month": dict(by_month),
            "captures_by_kind": dict(by_kind),
        }


def _article_row(key: str, capture_id: int, fetched: datetime, a: Article) -> dict[str, Any]:
    dumps = json.dumps
    return {
        "key": key,
        "capture_id": capture_id,
        "url": a.url,
        "title": a.title,
        "author": a.author,
        "editor": a.editor,
        "source": a.source,
        "reprinted_from": a.reprinted_from,
        "published": a.published.isoformat() if a.published else None,
        "published_utc": utc_iso(a.published) if a.published else None,
        "published_raw": a.published_raw,
        "updated": a.updated.isoformat() if a.updated else None,
        "categories": dumps(list(a.categories), ensure_ascii=False),
        "tags": dumps(list(a.tags), ensure_ascii=False),
        "lead_image": a.lead_image,
        "images": dumps([i.to_dict() for i in a.images], ensure_ascii=False),
        "text": a.text,
        "body_html": a.body_html,
        "word_count": a.word_count,
        "site": a.site,
        "lang": a.lang,
        "provenance": dumps(dict(a.provenance), ensure_ascii=False),
        "parser_version": a.parser_version,
        "fetched": utc_iso(fetched),
    }


def stored_from_row(row: dict[str, Any]) -> StoredArticle:
    article = Article(
        title=row["title"],
        text=row["text"],
        url=row["url"],
        author=row["author"],
        editor=row["editor"],
        source=row["source"],
        reprinted_from=row["reprinted_from"],
        published=parse_iso(row["published"]),
        published_raw=row["published_raw"],
        updated=parse_iso(row["updated"]),
        categories=tuple(json.loads(row["categories"])),
        tags=tuple(json.loads(row["tags"])),
        lead_image=row["lead_image"],
        images=tuple(Image.from_dict(i) for i in json.loads(row["images"])),
        body_html=row["body_html"],
        site=row["site"],
        lang=row["lang"],
        provenance=tuple(json.loads(row["provenance"]).items()),
        parser_version=row["parser_version"],
    )
    return StoredArticle(
        id=row["id"],
        key=row["key"],
        capture_id=row["capture_id"],
        fetched=datetime.fromisoformat(row["fetched"]),
        article=article,
    )
