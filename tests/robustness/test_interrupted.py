"""An import killed with SIGKILL half-way leaves whole articles only: each article row has its
capture and the full text of its record, and the database passes its integrity check."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archiver.store import Archive

ROOT = Path(__file__).resolve().parents[2]


def _text(i: int) -> str:
    # Distinct, long enough to be spread over pages of the database.
    return f"第{i}条新闻。" + "这是一段用于测试中断导入的中文正文，" * (20 + i % 30) + f"完{i}"


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_half_way_leaves_whole_articles(tmp_path):
    count = 6000
    source = tmp_path / "big.jsonl"
    with source.open("w", encoding="utf-8") as handle:
        for i in range(count):
            handle.write(json.dumps({"title": f"标题{i}", "text": _text(i),
                                     "url": f"http://example.com/n/{i}"},
                                    ensure_ascii=False) + "\n")
    db = tmp_path / "a.db"
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen(
        [sys.executable, "-m", "archiver", "--db", str(db), "import", str(source)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        deadline = time.monotonic() + 30
        # Kill it once at least one batch is committed (and, on a slow machine, whatever the
        # state: the point is that any moment is safe).
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as probe:
                    done = probe.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
            except sqlite3.Error:
                done = 0
            if done:
                break
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, "the import finished before it could be killed"

    with Archive(db) as archive:
        conn = archive.conn
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = conn.execute("SELECT id, key, capture_id FROM articles").fetchall()
        assert 0 < len(rows) < count
        orphans = conn.execute(
            "SELECT COUNT(*) FROM articles a LEFT JOIN captures c ON c.id = a.capture_id "
            "WHERE c.id IS NULL OR c.key != a.key").fetchone()[0]
        assert orphans == 0
        # Captures without their article would be half-written too.
        assert conn.execute(
            "SELECT COUNT(*) FROM captures c WHERE NOT EXISTS "
            "(SELECT 1 FROM articles a WHERE a.key = c.key)").fetchone()[0] == 0
        for stored in archive.iter_articles():
            i = int(stored.article.title.removeprefix("标题"))
            assert stored.article.text == _text(i)
            assert stored.article.url == f"http://example.com/n/{i}"
