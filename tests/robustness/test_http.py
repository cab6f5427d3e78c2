"""`archiver archive` / `feed` against a hostile server on 127.0.0.1: one line per failure, the
rest archived, nothing half-written."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from archiver.cli import cli
from tests.fetch.conftest import Server

FAST = ["--delay", "0", "--timeout", "2", "--concurrency", "1"]
ZH = "这是一段很长的中文新闻正文，用于测试抓取是否稳健。" * 12
PAGE = (f"<html><head><title>标题</title></head><body><h1>标题</h1><p>{ZH}</p><p>{ZH}</p>"
        "</body></html>").encode()


@pytest.fixture
def server():
    srv = Server()
    yield srv
    srv.close()


def run(db: Path, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)


def errors(result) -> list[str]:
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert all("Traceback" not in line for line in result.stderr.splitlines())
    return lines


def counts(db: Path) -> tuple[int, int]:
    if not db.exists():
        return 0, 0
    with sqlite3.connect(db) as conn:
        return (conn.execute("SELECT COUNT(*) FROM captures").fetchone()[0],
                conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])


def raw_response(head: bytes, body: bytes):
    """A handler writing bytes as they are: broken headers, lying lengths."""
    def handle(request) -> None:
        request.wfile.write(head + body)
        request.wfile.flush()
        request.close_connection = True
    return handle


@pytest.mark.parametrize("content_type", [
    "text/html; charset=", 'text/html; charset="gbk', "text/html;;;charset==utf-8", "garbage",
    "", "text/html; charset=punycode", "text/html; charset=\u00ff",
])
def test_malformed_content_type_is_still_read(server, tmp_path, content_type):
    url = server.page("/p", PAGE, content_type=content_type)
    result = run(tmp_path / "a.db", "archive", *FAST, url)
    assert result.exit_code == 0, result.stderr
    shown = json.loads(run(tmp_path / "a.db", "show", "--json", url).stdout)
    assert "中文新闻正文" in shown["text"]


def test_truncated_body_fails_and_stores_nothing(server, tmp_path):
    url = server.route("/t", raw_response(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
        b"Content-Length: 100000\r\nConnection: close\r\n\r\n", PAGE[:1500]))
    result = run(tmp_path / "a.db", "archive", *FAST, url)
    assert result.exit_code == 1
    assert len(errors(result)) == 1
    assert counts(tmp_path / "a.db") == (0, 0)


def test_non_latin1_header_bytes(server, tmp_path):
    head = ("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=中文\r\nX-Title: 中文标题\r\n"
            "Last-Modified: 昨天\r\nETag: \"中\"\r\n"
            f"Content-Length: {len(PAGE)}\r\nConnection: close\r\n\r\n").encode()
    url = server.route("/h", raw_response(head, PAGE))
    db = tmp_path / "a.db"
    assert run(db, "archive", *FAST, url).exit_code == 0
    result = run(db, "archive", *FAST, url)  # validators from those headers are sent back
    assert result.exit_code == 0, result.stderr
    assert run(db, "history", url).exit_code == 0


@pytest.mark.parametrize("location", [
    "file:///etc/passwd", "javascript:alert(1)", "http://[::1", "http://a.com:99999/",
    "ftp://example.invalid/", "\x00",
])
def test_redirect_to_an_unusable_url(server, tmp_path, location):
    url = server.page("/r", b"", status=302, headers={"Location": location})
    result = run(tmp_path / "a.db", "archive", *FAST, url)
    assert result.exit_code == 1
    assert len(errors(result)) == 1
    assert counts(tmp_path / "a.db")[1] == 0


def test_feed_items_with_odd_links(server, tmp_path):
    server.page("/art", PAGE)
    rss = f"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>
<item><title>无链接</title><description><![CDATA[<p>{ZH}一</p>]]></description></item>
<item><title>相对</title><link>/art</link><description>short</description></item>
<item><title>坏链接</title><link>http://[::1</link><description><![CDATA[<p>{ZH}二</p>]]>
</description></item>
<item><title>js</title><link>javascript:alert(1)</link><description><![CDATA[<p>{ZH}三</p>]]>
</description></item>
<item><title>端口</title><link>http://a.com:99999/x</link><guid>http://[::1</guid>
<pubDate>Sat, 99 Jun 2021 04:18:40 +9999</pubDate><description><![CDATA[<p>{ZH}四</p>]]>
</description></item>
<item></item>
</channel></rss>""".encode()
    feed = server.page("/rss", rss, content_type="application/rss+xml")
    db = tmp_path / "a.db"
    result = run(db, "feed", *FAST, "--fetch-links", feed)
    assert result.exit_code == 0, result.stderr
    assert server.hits["/art"] == 1  # the relative link was resolved against the feed's URL
    listed = [json.loads(line) for line in run(db, "list", "--json").stdout.splitlines()]
    urls = {a["url"] for a in listed}
    assert server.url("/art") in urls
    assert not any(u and ("[::1" in u or "javascript" in u or "99999" in u) for u in urls)
    assert len([a for a in listed if a["title"] in ("无链接", "坏链接", "js", "端口")]) == 4


def test_atom_xml_base(server, tmp_path):
    server.page("/base/art", PAGE)
    atom = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="{server.url('/base/')}"><title>A</title>
<entry xml:base="sub/"><title>相对</title><link href="../art"/><id>x</id>
<content type="html">&lt;p&gt;{ZH}&lt;/p&gt;</content></entry>
<entry xml:base="http://[::1"><title>坏</title><link href="a"/><id>y</id>
<content type="html">&lt;p&gt;{ZH}二&lt;/p&gt;</content></entry>
</feed>""".encode()
    feed = server.page("/atom", atom, content_type="application/atom+xml")
    db = tmp_path / "a.db"
    result = run(db, "feed", *FAST, "--fetch-links", feed)
    assert result.exit_code == 0, result.stderr
    assert server.hits["/base/art"] == 1
    listed = [json.loads(line) for line in run(db, "list", "--json").stdout.splitlines()]
    assert server.url("/base/art") in {a["url"] for a in listed}


@pytest.mark.parametrize("option", [
    ("--max-size", "1e309"), ("--max-size", "nan"), ("--delay", "nan"), ("--delay", "inf"),
    ("--timeout", "nan"), ("--timeout", "inf"),
])
def test_non_finite_numbers_are_usage_errors(tmp_path, option):
    result = run(tmp_path / "a.db", "archive", *option, "http://127.0.0.1:9/")
    assert result.exit_code == 2


def test_url_list_with_binary_and_huge_lines(server, tmp_path):
    url = server.page("/p", PAGE)
    listing = tmp_path / "urls.txt"
    listing.write_bytes(b"\xff\xfe\x00garbage\n" + url.encode() + b"\n" + b"x" * 100_000
                        + b"\nhttp://[::1\n\x00\n")
    result = run(tmp_path / "a.db", "archive", *FAST, "-i", str(listing))
    assert result.exit_code == 1
    lines = errors(result)
    assert len(lines) == 4 and all(len(line) < 300 for line in lines)
    assert "1 archived" in result.stderr
