"""All DDL of the archive, as ordered migrations.

A migration is applied once, in order, inside a transaction; ``PRAGMA user_version`` records how
many have run. Derived tables (articles, search index) can always be rebuilt from captures.
Stages that own derived tables (e.g. the search index) add their migrations to this list
(append only; never edit one that has shipped).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

Migration = Callable[[sqlite3.Connection], None]


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run several statements inside the caller's transaction (``executescript`` would commit)."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""
    if statement.strip():
        conn.execute(statement)


def _m001_core(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE captures (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL,              -- identity of the article this capture is of
            kind TEXT NOT NULL,             -- web / feed-item / hexo / markdown / jsonl
            url TEXT,                       -- as given
            final_url TEXT,                 -- after redirects
            status INTEGER,
            headers TEXT,                   -- JSON list of [name, value]
            fetched_at TEXT NOT NULL,       -- ISO 8601, UTC
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,          -- bytes before compression
            compression TEXT,               -- NULL or 'zlib'
            body BLOB NOT NULL,
            charset TEXT,
            charset_reason TEXT,
            origin TEXT,
            flag TEXT,                      -- set when kept for the record but not an article
            meta TEXT                       -- JSON object of small extra facts
        );
        CREATE UNIQUE INDEX captures_key_sha ON captures(key, sha256);
        CREATE INDEX captures_url ON captures(url);

        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            capture_id INTEGER NOT NULL REFERENCES captures(id),
            url TEXT,
            title TEXT NOT NULL,
            author TEXT,
            editor TEXT,
            source TEXT,
            reprinted_from TEXT,
            published TEXT,                 -- ISO 8601 with offset
            published_utc TEXT,             -- same instant in UTC, for sorting and filters
            published_raw TEXT,
            updated TEXT,
            categories TEXT NOT NULL DEFAULT '[]',   -- JSON list
            tags TEXT NOT NULL DEFAULT '[]',         -- JSON list
            lead_image TEXT,
            images TEXT NOT NULL DEFAULT '[]',       -- JSON list of objects
            text TEXT NOT NULL,
            body_html TEXT NOT NULL DEFAULT '',
            word_count INTEGER NOT NULL DEFAULT 0,
            site TEXT,
            lang TEXT,
            provenance TEXT NOT NULL DEFAULT '{}',   -- JSON: field -> producer
            parser_version TEXT NOT NULL,
            fetched TEXT NOT NULL                    -- capture time of capture_id (UTC)
        );
        CREATE INDEX articles_published ON articles(published_utc);
        CREATE INDEX articles_site ON articles(site);
        CREATE INDEX articles_url ON articles(url);
        """
    )


def _m002_images(conn: sqlite3.Connection) -> None:
    """Downloaded images: bytes content-addressed in ``blobs``, one row per image URL."""
    run_script(
        conn,
        """
        CREATE TABLE blobs (
            sha256 TEXT PRIMARY KEY,
            size INTEGER NOT NULL,          -- bytes
            content_type TEXT,
            body BLOB NOT NULL
        );
        CREATE TABLE images (
            url TEXT PRIMARY KEY,           -- as the article gives it (proxies unwrapped)
            sha256 TEXT REFERENCES blobs(sha256),   -- NULL while never downloaded
            content_type TEXT,
            status INTEGER,
            referer TEXT,
            fetched_at TEXT NOT NULL,       -- last attempt, ISO 8601 UTC
            error TEXT                      -- last failure, NULL once downloaded
        );
        CREATE INDEX images_sha ON images(sha256);
        """
    )


def _m003_search(conn: sqlite3.Connection) -> None:
    """The search index (derived from articles; ``archiver reindex`` rebuilds it).

    search_chars: one token per CJK character, Latin/digit runs whole (phrase queries give
    substring recall), and in ``latin`` the suffixes of Latin/digit runs (a prefix query on them
    finds GPT inside ChatGPT); search_words: distinct jieba words per article (exact-word
    ranking, no positions needed). Both are contentless: the original text stays in
    ``articles`` only. A row's FTS rowid is a docid, mapped to its article by search_docs;
    replacing an article's rows gives it a new docid, and the old one is dropped from the map
    (contentless FTS5 rows cannot be deleted without their original tokens; reindex compacts).
    """
    run_script(
        conn,
        """
        CREATE VIRTUAL TABLE search_chars USING fts5(
            title, body, latin, content='', detail=full, tokenize='unicode61'
        );
        CREATE VIRTUAL TABLE search_words USING fts5(
            words, content='', detail=none, tokenize='unicode61'
        );
        CREATE TABLE search_docs (
            docid INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL UNIQUE,
            published TEXT                      -- articles.published_utc, for sorting/filters
        );
        CREATE INDEX search_docs_published ON search_docs(published);
        CREATE TABLE search_dict (              -- the archive's user dictionary (reindex --dict)
            word TEXT PRIMARY KEY,              -- folded
            freq INTEGER NOT NULL,
            origin TEXT NOT NULL                -- user
        ) WITHOUT ROWID;
        CREATE TABLE search_meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
        """
    )


MIGRATIONS: list[Migration] = [_m001_core, _m002_images, _m003_search]


def migrate(conn: sqlite3.Connection) -> int:
    """Apply pending migrations in order; returns the schema version reached."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    for number, migration in enumerate(MIGRATIONS, start=1):
        if number <= version:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            migration(conn)
            conn.execute(f"PRAGMA user_version = {number}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        version = number
    return version
