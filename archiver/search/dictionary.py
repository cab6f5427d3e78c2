"""The query-side dictionary: jieba's dictionary plus the news terms, folded, in a small SQLite
file shared by every archive on the machine.

Queries are segmented by looking candidate words up here (a few index seeks) instead of loading
jieba (~0.7 s per process). Built once per machine and dictionary version (~2 s), in
``$ARCHIVER_CACHE``, else ``$XDG_CACHE_HOME/archiver``, else ``~/.cache/archiver``. An archive's
own user dictionary stays in the archive (``search_dict``) and wins over this one.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

from archiver.search.segment import fold, jieba_dict_path, news_dict

# Bump when the folding or the file layout changes.
FORMAT = "1"

_lock = threading.Lock()
_path: Path | None = None
_conn: sqlite3.Connection | None = None


def _signature() -> str:
    news = "\n".join(f"{e.word} {e.freq}" for e in news_dict())
    basis = f"{FORMAT}|{jieba_dict_path().stat().st_size}|{news}"
    return hashlib.sha256(basis.encode()).hexdigest()[:16]


def _cache_dir() -> Path:
    base = os.environ.get("ARCHIVER_CACHE")
    if base:
        return Path(base)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "archiver"


def dictionary_rows() -> tuple[list[tuple[str, int]], int]:
    """jieba's dictionary and the news terms as folded ``(word, freq)`` rows (words of two or
    more characters: a single character is always a candidate), plus jieba's total frequency."""
    total = 0
    best: dict[str, int] = {}
    # One translate over the whole file: a per-line parser costs seconds on 350k lines.
    with open(jieba_dict_path(), encoding="utf-8") as fh:
        folded = fold(fh.read())
    for line in folded.splitlines():
        parts = line.split()
        if len(parts) < 2 or not parts[1].isdigit():
            continue
        word, freq = parts[0], int(parts[1])
        total += freq
        # Folding can merge a traditional and a simplified entry: keep the larger frequency.
        if len(word) > 1 and freq > best.get(word, 0):
            best[word] = freq
    for entry in news_dict():
        best[fold(entry.word)] = entry.freq or 3000
    return list(best.items()), total


def _build(path: Path) -> None:
    rows, total = dictionary_rows()
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    conn = sqlite3.connect(tmp)
    try:
        conn.execute("CREATE TABLE dict (word TEXT PRIMARY KEY, freq INTEGER) WITHOUT ROWID")
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        conn.executemany("INSERT OR REPLACE INTO dict VALUES (?, ?)", rows)
        conn.execute("INSERT INTO meta VALUES ('total', ?)", (str(total),))
        conn.commit()
    finally:
        conn.close()
    os.replace(tmp, path)  # atomic: a concurrent builder or reader never sees half a file


def ensure() -> Path:
    """The dictionary file, built first if this machine has none for this version."""
    global _path
    if _path is not None:
        return _path
    with _lock:
        if _path is None:
            name = f"query-dict-{_signature()}.sqlite"
            for folder in (_cache_dir(), Path(tempfile.gettempdir()) / f"archiver-{os.getuid()}"):
                path = folder / name
                if path.exists():
                    _path = path
                    break
                try:
                    folder.mkdir(parents=True, exist_ok=True)
                    _build(path)
                except OSError:
                    continue  # not writable: try the next place
                _path = path
                break
            else:
                raise OSError("no writable cache folder for the search dictionary")
    return _path


def _connection() -> sqlite3.Connection:
    global _conn
    if _conn is None:
        _conn = sqlite3.connect(f"file:{ensure()}?mode=ro", uri=True, check_same_thread=False)
    return _conn


def total() -> int:
    """jieba's total frequency (the denominator of its word probabilities)."""
    row = _connection().execute("SELECT value FROM meta WHERE key = 'total'").fetchone()
    return int(row[0]) if row else 1


def lookup(words: Sequence[str]) -> Mapping[str, int]:
    """Frequencies of those ``words`` that are dictionary words."""
    found: dict[str, int] = {}
    conn = _connection()
    for i in range(0, len(words), 500):
        chunk = list(words[i : i + 500])
        found.update(
            conn.execute(
                f"SELECT word, freq FROM dict WHERE word IN ({','.join('?' * len(chunk))})",
                chunk,
            )
        )
    return found
