"""The write side of the search index: articles → FTS5 rows (see ``_m002_search`` for tables).

The pipeline calls :func:`index_articles` inside its write transaction, right after storing a
batch; :func:`reindex` rebuilds everything from the ``articles`` table.

Bulk speed: the character representation is one ``str.translate`` per text; the jieba words are
the expensive part (rjieba, ~15 MB/s), so for big batches they are cut in worker processes while
this process feeds the character rows to SQLite.
"""

from __future__ import annotations

import atexit
import logging
import os
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from archiver.errors import InputError, StoreError
from archiver.models import Article
from archiver.search import dictionary
from archiver.search.segment import (
    DictEntry,
    WordCutter,
    fold,
    index_chars,
    latin_suffixes,
    news_dict,
    read_dict_file,
)
from archiver.store.archive import Archive, utc_iso

log = logging.getLogger("archiver")

Progress = Callable[[int, int], None]

# Bump when the index format or tokenisation changes: stored in search_meta, and an archive
# indexed with another format is rebuilt by `archiver reindex`.
INDEX_FORMAT = "1"
# Below this many articles, starting or using worker processes costs more than it saves.
PARALLEL_MIN = 64
REINDEX_BATCH = 500


# -- meta ---------------------------------------------------------------------------------------

def _meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM search_meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def _set_meta(conn: sqlite3.Connection, key: str, value: object) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO search_meta (key, value) VALUES (?, ?)", (key, str(value))
    )


# -- dictionary ---------------------------------------------------------------------------------

def _user_entries(conn: sqlite3.Connection) -> list[tuple[str, int | None, str | None]]:
    return [
        (w, f, None)
        for w, f in conn.execute("SELECT word, freq FROM search_dict WHERE origin = 'user'")
    ]


def set_user_dictionary(archive: Archive, entries: Iterable[DictEntry]) -> int:
    """Replace the archive's user dictionary (jieba format entries); returns its size.

    Stored in the archive so every later import and query uses it; call :func:`reindex` after.
    """
    entries = list(entries)
    cutter = WordCutter()
    rows = []
    for entry in entries:
        word = entry.word.strip()
        if not word:
            continue
        # A word without a frequency gets the one jieba suggests to keep it whole.
        freq = entry.freq or int(cutter._instance().suggest_freq(word))
        rows.append((fold(word), max(freq, 1), "user"))
    with archive.transaction():
        archive.conn.execute("DELETE FROM search_dict WHERE origin = 'user'")
        archive.conn.executemany(
            "INSERT OR REPLACE INTO search_dict (word, freq, origin) VALUES (?, ?, ?)", rows
        )
    return len(rows)


# -- word cutting, in process or in workers -----------------------------------------------------

_extra_key: tuple | None = None
_cutter: WordCutter | None = None
_pool: ProcessPoolExecutor | None = None
_pool_key: tuple | None = None


def _extra_words(conn: sqlite3.Connection) -> tuple[tuple[str, int | None, str | None], ...]:
    news = [(e.word, e.freq, e.tag) for e in news_dict()]
    return tuple(news + _user_entries(conn))


def _local_cutter(extra: tuple) -> WordCutter:
    global _cutter, _extra_key
    if _cutter is None or _extra_key != extra:
        _cutter, _extra_key = WordCutter(extra), extra
    return _cutter


def _worker_init(extra: tuple) -> None:
    _local_cutter(extra)


def _worker_cut(texts: list[str]) -> list[str]:
    assert _cutter is not None
    return [_cutter.words(t) for t in texts]


def _workers(extra: tuple) -> ProcessPoolExecutor | None:
    """A pool of cpu_count - 1 word cutters (None on one core), kept for the process' life."""
    global _pool, _pool_key
    count = min((os.cpu_count() or 1) - 1, 3)
    if count < 1:
        return None
    if _pool is None or _pool_key != extra:
        if _pool is not None:
            _pool.shutdown(wait=False, cancel_futures=True)
        import multiprocessing

        # fork: workers start in milliseconds and inherit the loaded modules; they never touch
        # the parent's SQLite connection.
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        _pool = ProcessPoolExecutor(
            count,
            mp_context=multiprocessing.get_context(method),
            initializer=_worker_init,
            initargs=(extra,),
        )
        _pool_key = extra
    return _pool


@atexit.register
def _shutdown_workers() -> None:
    if _pool is not None:
        _pool.shutdown(wait=False, cancel_futures=True)


def _cut_async(extra: tuple, texts: list[str]) -> list[Future[list[str]]] | None:
    if len(texts) < PARALLEL_MIN:
        return None
    pool = _workers(extra)
    if pool is None:
        return None
    parts = pool._max_workers  # type: ignore[attr-defined]
    size = -(-len(texts) // parts)
    try:
        return [pool.submit(_worker_cut, texts[i : i + size]) for i in range(0, len(texts), size)]
    except RuntimeError:  # a broken pool (worker killed): fall back to this process
        return None


# -- writing rows -------------------------------------------------------------------------------

Row = tuple[int, str, str, str | None]  # article id, title, text, published (UTC ISO)


def _char_row(docid: int, title: str, text: str) -> tuple[int, str, str, str]:
    title_chars, body_chars = index_chars(title), index_chars(text)
    return docid, title_chars, body_chars, latin_suffixes(f"{title_chars} {body_chars}")


def _prepare(extra: tuple, rows: Sequence[Row]) -> tuple[list[Row], list[str], list | None]:
    # Later entries for the same article win (an article stored twice in one batch).
    unique = list({r[0]: r for r in rows}.values())
    texts = [f"{title}\n{text}" for _, title, text, _ in unique]
    return unique, texts, _cut_async(extra, texts)


def _index_rows(archive: Archive, rows: Sequence[Row], prepared: tuple | None = None) -> None:
    conn = archive.conn
    extra = _extra_words(conn)
    unique, texts, futures = prepared or _prepare(extra, rows)

    with archive.transaction():
        ids = [r[0] for r in unique]
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            conn.execute(
                f"DELETE FROM search_docs WHERE article_id IN ({','.join('?' * len(chunk))})",
                chunk,
            )
        start = int(_meta(conn, "next_docid") or 1)
        docids = range(start, start + len(unique))
        conn.executemany(
            "INSERT INTO search_chars (rowid, title, body, latin) VALUES (?, ?, ?, ?)",
            (_char_row(d, r[1], r[2]) for d, r in zip(docids, unique)),
        )
        conn.executemany(
            "INSERT INTO search_docs (docid, article_id, published) VALUES (?, ?, ?)",
            ((d, r[0], r[3]) for d, r in zip(docids, unique)),
        )
        if futures is not None:
            try:
                words = [w for f in futures for w in f.result()]
            except Exception as exc:  # noqa: BLE001 - a dead worker must not lose the batch
                log.warning("word workers failed (%s); cutting in process", exc)
                words = None
        else:
            words = None
        if words is None:
            cutter = _local_cutter(extra)
            words = [cutter.words(t) for t in texts]
        conn.executemany(
            "INSERT INTO search_words (rowid, words) VALUES (?, ?)", zip(docids, words)
        )
        _set_meta(conn, "next_docid", start + len(unique))


def index_articles(archive: Archive, items: Sequence[tuple[int, Article]]) -> None:
    """Index (or re-index) articles by id, replacing their previous rows.

    Call inside the transaction that stored them (it nests as a savepoint); batches of a few
    hundred articles are the fast path.
    """
    if not items:
        return
    rows = [
        (article_id, a.title, a.text, utc_iso(a.published) if a.published else None)
        for article_id, a in items
    ]
    try:
        _index_rows(archive, rows)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot index articles in {archive.path}: {exc}") from exc


def remove_articles(archive: Archive, ids: Iterable[int]) -> None:
    """Drop articles from the index (their FTS rows become unreachable until reindex)."""
    ids = list(ids)
    with archive.transaction():
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            archive.conn.execute(
                f"DELETE FROM search_docs WHERE article_id IN ({','.join('?' * len(chunk))})",
                chunk,
            )


def reindex(
    archive: Archive,
    *,
    progress: Progress | None = None,
    user_dict: str | Path | None = None,
) -> int:
    """Rebuild the whole index from the ``articles`` table; returns the number indexed.

    ``user_dict`` (a jieba-format file) replaces the archive's user dictionary first.
    ``progress(done, total)`` is called after each batch.
    """
    if user_dict is not None:
        try:
            entries = read_dict_file(user_dict)
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read dictionary {user_dict}: {exc}") from exc
        set_user_dictionary(archive, entries)
    conn = archive.conn
    dictionary.ensure()  # so the first search after a rebuild does not build it
    total = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    done = 0
    with archive.transaction():
        conn.execute("INSERT INTO search_chars (search_chars) VALUES ('delete-all')")
        conn.execute("INSERT INTO search_words (search_words) VALUES ('delete-all')")
        conn.execute("DELETE FROM search_docs")
        _set_meta(conn, "next_docid", 1)
        # No incremental merging while rebuilding: one optimize at the end does it once
        # (measured ~20 % faster inserts); FTS5's crisis merges still bound the segment count.
        for table in ("search_chars", "search_words"):
            conn.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('automerge', 0)")
        extra = _extra_words(conn)
        cursor = conn.execute("SELECT id, title, text, published_utc FROM articles ORDER BY id")
        batch = cursor.fetchmany(REINDEX_BATCH)
        prepared = _prepare(extra, batch) if batch else None
        while batch:
            # The workers cut the next batch's words while this one is written.
            upcoming = cursor.fetchmany(REINDEX_BATCH)
            next_prepared = _prepare(extra, upcoming) if upcoming else None
            _index_rows(archive, batch, prepared)
            done += len(batch)
            if progress:
                progress(done, total)
            batch, prepared = upcoming, next_prepared
        optimize(archive)
        for table in ("search_chars", "search_words"):
            conn.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('automerge', 4)")
        _set_meta(conn, "format", INDEX_FORMAT)
    return done


def optimize(archive: Archive) -> None:
    """Merge the FTS5 segments into one (faster queries; run after a bulk import)."""
    with archive.transaction():
        archive.conn.execute("INSERT INTO search_chars (search_chars) VALUES ('optimize')")
        archive.conn.execute("INSERT INTO search_words (search_words) VALUES ('optimize')")
