"""`archiver archive` / `history` end to end against the local server: the right article, or one
clear error line, a non-zero exit and an archive left as it was."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from archiver.cli import cli

FAST = ["--delay", "0", "--timeout", "2", "--concurrency", "1"]


def run(db: Path, *args: str, input: str | None = None):
    result = CliRunner().invoke(cli, ["--db", str(db), *args], input=input,
                                catch_exceptions=False)
    return result


def counts(db: Path) -> tuple[int, int]:
    if not db.exists():
        return 0, 0
    conn = sqlite3.connect(db)
    try:
        return (conn.execute("SELECT COUNT(*) FROM captures").fetchone()[0],
                conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    finally:
        conn.close()


def show_json(db: Path, ref: str) -> dict:
    result = run(db, "show", "--json", ref)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def charset_of(db: Path) -> tuple[str, str]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT charset, charset_reason FROM captures ORDER BY id DESC LIMIT 1"
        ).fetchone()
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("fixture", "content_type", "title", "needle", "charset", "reason"),
    [
        ("utf8.html", "text/html; charset=utf-8", "上半年经济运行总体平稳", "制造业投资继续回暖",
         "utf-8", "header"),
        ("gbk-nocharset.html", "text/html", "上半年经济运行总体平稳", "制造业投资继续回暖",
         "gb18030", "detected"),
        ("gb2312-declared.html", "text/html", "朱镕基与王堃：旧事重提", "吉祥的“𠮷”字",
         "gb18030", "meta"),
        ("big5.html", "text/html", "香港上半年經濟溫和增長", "零售業銷貨額", "big5hkscs", "meta"),
        ("utf8-bom.html", "text/html; charset=gbk", "上半年经济运行总体平稳", "制造业投资继续回暖",
         "utf-8", "bom"),
        # The header says UTF-8 but the bytes are GBK: the header is overruled.
        ("gbk-nocharset.html", "text/html; charset=utf-8", "上半年经济运行总体平稳",
         "制造业投资继续回暖", "gb18030", "detected (overruled header:utf-8)"),
        # The header says GBK but the bytes are UTF-8.
        ("utf8.html", "text/html; charset=gbk", "上半年经济运行总体平稳", "制造业投资继续回暖",
         "utf-8", "meta (overruled header:gbk)"),
    ],
)
def test_archive_decodes_page(tmp_path, server, load, fixture, content_type, title, needle,
                              charset, reason):
    db = tmp_path / "a.db"
    url = server.page("/news/1.html", load(fixture), content_type=content_type)
    result = run(db, "archive", *FAST, url)
    assert result.exit_code == 0, result.output
    assert result.stderr.strip().endswith("1 archived, 0 unchanged, 0 failed")
    article = show_json(db, url)
    assert article["title"] == title
    assert needle in article["text"]
    assert "\ufffd" not in article["text"]
    assert charset_of(db) == (charset, reason)


def test_show_gbk_page_prints_chinese(tmp_path, server, load):
    db = tmp_path / "a.db"
    url = server.page("/gbk.html", load("gbk-nocharset.html"))
    assert run(db, "archive", *FAST, url).exit_code == 0
    shown = run(db, "show", url)
    assert "上半年经济运行总体平稳" in shown.stdout
    assert "专家表示" in shown.stdout


def test_gzip_page(tmp_path, server, load):
    import gzip

    db = tmp_path / "a.db"
    url = server.page("/gz.html", gzip.compress(load("utf8.html")),
                      content_type="text/html; charset=utf-8",
                      headers={"Content-Encoding": "gzip"})
    result = run(db, "archive", *FAST, url)
    assert result.exit_code == 0, result.output
    assert "制造业投资继续回暖" in show_json(db, url)["text"]
    # The stored body is the payload, not the gzip stream.
    conn = sqlite3.connect(db)
    size = conn.execute("SELECT size FROM captures").fetchone()[0]
    conn.close()
    assert size == len(load("utf8.html"))


def test_rearchiving_unchanged_page_adds_no_capture(tmp_path, server, load):
    db = tmp_path / "a.db"
    url = server.page("/same.html", load("utf8.html"))
    assert run(db, "archive", *FAST, url).exit_code == 0
    before = counts(db)
    again = run(db, "archive", *FAST, url)
    assert again.exit_code == 0
    assert again.stderr.strip().endswith("0 archived, 1 unchanged, 0 failed")
    assert counts(db) == before == (1, 1)


def test_changed_page_adds_capture_and_article_follows(tmp_path, server, load):
    db = tmp_path / "a.db"
    page = load("utf8.html")
    url = server.page("/changing.html", page)
    assert run(db, "archive", *FAST, url).exit_code == 0
    server.page("/changing.html", page.replace("专家表示".encode(), "多位专家表示".encode()))
    result = run(db, "archive", *FAST, url)
    assert result.exit_code == 0
    assert result.stderr.strip().endswith("1 archived, 0 unchanged, 0 failed")
    assert counts(db) == (2, 1)
    assert "多位专家表示" in show_json(db, url)["text"]


def test_history_lists_captures(tmp_path, server, load):
    db = tmp_path / "a.db"
    page = load("utf8.html")
    url = server.page("/h.html", page)
    run(db, "archive", *FAST, url)
    server.page("/h.html", page + b"<!-- v2 -->")
    run(db, "archive", *FAST, url + "?utm_source=feed#top")
    result = run(db, "history", "--json", url)
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["size"] for r in rows] == [len(page), len(page) + len(b"<!-- v2 -->")]
    assert all(r["status"] == 200 and len(r["sha256"]) == 64 for r in rows)
    table = run(db, "history", url)
    assert table.stdout.count("\n") == 2
    assert " 200 " in table.stdout


def test_history_of_unknown_url_fails(tmp_path):
    result = run(tmp_path / "a.db", "history", "http://127.0.0.1:9/never")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: no captures of http://127.0.0.1:9/never")


def test_safeline_captcha_refused_and_good_article_kept(tmp_path, server, load):
    db = tmp_path / "a.db"
    url = server.page("/article/1.html", load("utf8.html"))
    assert run(db, "archive", *FAST, url).exit_code == 0
    good = show_json(db, url)
    server.page("/article/1.html", load("safeline.html"))
    result = run(db, "archive", *FAST, url)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1
    assert errors[0].count("not an article") == 1
    assert "captcha" in errors[0]
    assert result.stderr.strip().endswith("0 archived, 0 unchanged, 1 failed")
    # The good article is untouched; the challenge is kept for the record, flagged.
    assert show_json(db, url) == good
    history = [json.loads(x) for x in run(db, "history", "--json", url).stdout.splitlines()]
    assert [h["flag"] is not None for h in history] == [False, True]


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda s, load: s.page("/x", b"", content_type="text/html"), "empty response body"),
        (lambda s, load: s.page("/x", b"%PDF-1.4\n" + b"0" * 2000,
                                content_type="application/pdf"), "a PDF document"),
        (lambda s, load: s.page("/x", b"%PDF-1.4\n" + b"0" * 2000,
                                content_type="text/html"), "a PDF document"),
        (lambda s, load: s.page("/x", b"\x89PNG\r\n\x1a\n" + b"\0" * 100,
                                content_type="image/png"), "image content"),
        (lambda s, load: s.page("/x", b"gone", status=404), "HTTP 404 Not Found"),
        (lambda s, load: (s.page("/x", b"", status=302, headers={"Location": "/y"}),
                          s.page("/y", b"", status=302, headers={"Location": "/x"})),
         "redirect loop: "),
        (lambda s, load: (s.page("/robots.txt", b"User-agent: *\nDisallow: /x\n",
                                 content_type="text/plain")), "robots.txt of 127.0.0.1:"),
        (lambda s, load: s.page("/x", _bomb(), headers={"Content-Encoding": "gzip"}),
         "larger than the 20 MB limit (the decompressed body passed"),
        (lambda s, load: s.page("/x", load("zaker-feed.xml"), content_type="application/xml"),
         "an RSS/Atom feed, not an article page (hint: archive its items with `archiver feed"),
    ],
    ids=["empty-200", "pdf", "pdf-as-html", "png", "404", "redirect-loop", "robots",
         "gzip-bomb", "feed"],
)
def test_failures_leave_archive_unchanged(tmp_path, server, load, setup, message):
    db = tmp_path / "a.db"
    ok = server.page("/ok.html", load("utf8.html"))
    assert run(db, "archive", *FAST, ok).exit_code == 0
    before = counts(db)
    setup(server, load)
    result = run(db, "archive", *FAST, server.url("/x"))
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    assert message in errors[0]
    assert counts(db) == before


def _bomb() -> bytes:
    import zlib

    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(2**20)
    return b"".join([packer.compress(zeros) for _ in range(64)] + [packer.flush()])


def test_input_file_and_stdin(tmp_path, server, load):
    db = tmp_path / "a.db"
    a = server.page("/a.html", load("utf8.html"))
    b = server.page("/b.html", load("big5.html"))
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# my list\n{a}\n\n", encoding="utf-8")
    assert run(db, "archive", *FAST, "-i", str(listing)).exit_code == 0
    result = run(db, "archive", *FAST, "-i", "-", input=f"{a}\n{b}\n")
    assert result.stderr.strip().endswith("1 archived, 1 unchanged, 0 failed")


def test_no_urls_is_a_usage_error(tmp_path):
    result = run(tmp_path / "a.db", "archive")
    assert result.exit_code == 2


def test_unusable_urls_are_one_error_each(tmp_path):
    db = tmp_path / "a.db"
    result = run(db, "archive", *FAST, "ftp://example.invalid/x", "http://[::1",
                 "http://127.0.0.1:99999/")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: ftp://example.invalid/x: not an http(s) URL",
        "error: http://[::1: invalid URL (Invalid IPv6 URL)",
        "error: http://127.0.0.1:99999/: invalid URL (Port out of range 0-65535)",
        "0 archived, 0 unchanged, 3 failed",
    ]
