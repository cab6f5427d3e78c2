"""The CLI in-process against a real archive file: odd files, refs, options and databases give
one error line and the documented exit code, never a traceback."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from archiver.cli import cli

ZH = "这是一段很长的中文新闻正文，用于测试命令行是否稳健。" * 10
ODD_TITLES = ["../../etc/passwd", "CON", "a/b", "", " ", "nul.txt", "中" * 400, "..", ".",
              'a\\b:c*d?e"f<g>h|i', "\x01\x02", "com1", "😀" * 100, "-rf", "\u202eevil"]


def run(db: Path, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)


def one_error_line(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, result.stderr
    return lines[0]


def write_records(path: Path, titles: list[str], *, start: int = 0) -> None:
    path.write_text("\n".join(
        json.dumps({"title": t.strip() or "x", "text": f"{ZH}{i}", "url": f"http://example.com/{i}",
                    "published": "2021-06-12 12:00"}, ensure_ascii=False)
        for i, t in enumerate(titles, start)) + "\n", encoding="utf-8")


@pytest.fixture
def filled(tmp_path):
    db = tmp_path / "a.db"
    write_records(tmp_path / "odd.jsonl", ODD_TITLES)
    assert run(db, "import", str(tmp_path / "odd.jsonl")).exit_code == 0
    return db


def test_import_of_a_folder_with_a_fifo_symlink_loops_and_binary(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    write_records(src / "a.jsonl", ["标题"])
    os.mkfifo(src / "fifo")
    os.symlink(src / "loop", src / "loop")
    (src / "sub").mkdir()
    os.symlink(src, src / "sub" / "up")
    (src / "bin.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10)
    result = run(tmp_path / "a.db", "import", str(src))
    assert result.exit_code == 0, result.stderr
    assert "1 imported" in result.stderr


@pytest.mark.parametrize("name", ["fifo", "loop", "missing"])
def test_import_or_parse_of_a_named_special_file(tmp_path, name):
    path = tmp_path / name
    if name == "fifo":
        os.mkfifo(path)  # opening it would wait for a writer forever
    elif name == "loop":
        os.symlink(path, path)
    for args in (("import", str(path)), ("parse", str(path))):
        result = run(tmp_path / "a.db", *args)
        assert result.exit_code in (1, 2), result.stderr
        assert "Traceback" not in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_import_of_an_unreadable_file(tmp_path):
    path = tmp_path / "a.jsonl"
    write_records(path, ["标题"])
    path.chmod(0)
    result = run(tmp_path / "a.db", "import", str(path))
    assert result.exit_code == 1
    assert "Permission denied" in one_error_line(result)


@pytest.mark.parametrize("ref", ["", "0", "99999999999999999999", "http://example.com/a b", "😀",
                                 "²", "http://[::1", "http://a.com:99999/", "%", "' OR 1=1 --"])
def test_show_and_history_of_odd_refs(filled, ref):
    for command in ("show", "history"):
        result = run(filled, command, ref)
        assert result.exit_code == 2, (command, result.stderr)
        assert "no " in one_error_line(result)


@pytest.mark.parametrize("args", [
    ("list", "--limit", "-1"), ("list", "--since", "2021-13-45"), ("list", "--since", "0000-00-00"),
    ("show", "-1"), ("export", "--all", "--format", "nonsense"),
])
def test_usage_errors_exit_2(filled, args):
    assert run(filled, *args).exit_code == 2


def test_huge_numbers_do_not_overflow_sqlite(filled):
    assert run(filled, "list", "--limit", "99999999999999999999").exit_code == 0
    assert run(filled, "reparse", "99999999999999999999").exit_code == 0


def test_export_of_odd_titles_stays_inside_the_folder(filled, tmp_path):
    out = tmp_path / "out"
    result = run(filled, "export", "--all", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p.suffix == ".md"]
    assert len(written) == len(ODD_TITLES)
    for path in written:
        assert path.parent == out
        assert len(path.name.encode()) <= 255
        assert path.stem.upper().split(".")[0] not in {"CON", "NUL", "COM1", "", ".", ".."}


@pytest.mark.parametrize("where", ["file in the way", "under /proc"])
def test_export_into_an_impossible_folder(filled, tmp_path, where):
    target = tmp_path / "file"
    target.write_text("x")
    out = str(target) if where == "file in the way" else "/proc/archiver-no/x"
    result = run(filled, "export", "--all", "-o", out)
    assert result.exit_code == 1
    assert "cannot create the folder" in one_error_line(result)


def test_db_is_a_directory_or_not_a_database(tmp_path):
    assert run(tmp_path, "list").exit_code == 2
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 20)
    for args in (("list",), ("import", str(junk))):
        result = run(junk, *args)
        assert result.exit_code == 1
        assert "not a database" in one_error_line(result)
    result = run(tmp_path / "no" / "such" / "dir.db", "list")
    assert result.exit_code == 1
    one_error_line(result)


def test_a_write_failing_mid_batch_leaves_nothing_and_one_line(tmp_path, filled):
    # A temporary trigger stands in for a disk that fills up between the capture and the
    # article of a record (the tests run as root: file modes cannot make SQLite fail).
    from archiver.errors import StoreError
    from archiver.pipeline import import_paths
    from archiver.store import Archive

    write_records(tmp_path / "more.jsonl", ["新标题", "又一个"], start=100)
    with Archive(filled) as archive:
        before = archive.conn.execute("SELECT COUNT(*) FROM captures").fetchone()[0]
        archive.conn.execute(
            "CREATE TEMP TRIGGER full BEFORE INSERT ON main.articles "
            "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
        with pytest.raises(StoreError) as info:
            import_paths(archive, [tmp_path / "more.jsonl"])
        assert "\n" not in str(info.value) and "disk is full" in str(info.value)
        after = archive.conn.execute("SELECT COUNT(*) FROM captures").fetchone()[0]
        assert after == before  # the captures of the failed batch were rolled back
        assert not archive.conn.in_transaction


def test_second_writer_waits_for_the_first(tmp_path, filled):
    write_records(tmp_path / "more.jsonl", ["新标题"], start=100)
    holder = sqlite3.connect(filled, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    released = threading.Event()

    def release() -> None:
        time.sleep(1.0)
        holder.execute("COMMIT")
        released.set()

    thread = threading.Thread(target=release)
    thread.start()
    try:
        started = time.monotonic()
        result = run(filled, "import", str(tmp_path / "more.jsonl"))
        waited = time.monotonic() - started
    finally:
        thread.join()
        holder.close()
    assert result.exit_code == 0, result.stderr
    assert "1 imported" in result.stderr
    assert released.is_set() and waited >= 0.9


@pytest.mark.parametrize("setup", [
    "CREATE TABLE articles (x)",  # someone else's database
    "PRAGMA user_version = 99; CREATE TABLE t (x)",  # with a schema version beyond ours
])
def test_db_of_something_else_is_one_line(tmp_path, setup):
    db = tmp_path / "other.db"
    conn = sqlite3.connect(db)
    conn.executescript(setup)
    conn.close()
    for args in (("list",), ("show", "1"), ("import", str(tmp_path))):
        result = run(db, *args)
        assert result.exit_code == 1
        assert "cannot open archive" in one_error_line(result)
