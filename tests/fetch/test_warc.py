"""WARC export readable by warcio, and WARC import from archiver/wget-style files."""

from __future__ import annotations

import gzip
import io
import sqlite3

from click.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archiver.capture.warc import read_warc, write_warc
from archiver.cli import cli
from archiver.crawl import archive_feeds, archive_urls
from archiver.models import KIND_FEED_ITEM, KIND_WEB
from archiver.pipeline import import_paths
from archiver.store import Archive


def test_export_is_readable_by_warcio(tmp_path, server, load, archive, fast):
    page = load("gbk-nocharset.html")
    server.page("/from", b"", status=301, headers={"Location": "/news.html"})
    server.page("/news.html", gzip.compress(page), content_type="text/html",
                headers={"Content-Encoding": "gzip"})
    assert archive_urls(archive, [server.url("/from")], options=fast).imported == 1
    out = tmp_path / "out.warc.gz"
    assert write_warc(archive, out) == 1
    with open(out, "rb") as handle:
        records = list(
            (r.rec_type, r.rec_headers.get_header("WARC-Target-URI"),
             r.http_headers.get_statuscode() if r.http_headers else None,
             r.http_headers.get_header("Content-Encoding") if r.http_headers else None,
             r.content_stream().read())
            for r in ArchiveIterator(handle, check_digests=True)
        )
    assert [r[0] for r in records] == ["warcinfo", "request", "response"]
    _, target, status, encoding, payload = records[2]
    assert target == server.url("/news.html")
    assert (status, encoding, payload) == ("200", None, page)
    assert records[1][4] == b""
    # Every record is its own gzip member (what pywb's indexer expects).
    assert out.read_bytes()[:2] == b"\x1f\x8b"


def test_export_then_import_round_trip(tmp_path, server, load, archive, fast):
    server.page("/a.html", load("gb2312-declared.html"))
    feed = load("zaker-feed.xml").replace(b"IMGHOST", server.base.encode())
    server.page("/feed.xml", feed, content_type="application/rss+xml")
    archive_urls(archive, [server.url("/a.html")], options=fast)
    archive_feeds(archive, [server.url("/feed.xml")], options=fast)
    out = tmp_path / "all.warc.gz"
    assert write_warc(archive, out) == 4  # one page, three feed items
    kinds = [c.kind for c in read_warc(out)]
    assert kinds == [KIND_WEB, KIND_FEED_ITEM, KIND_FEED_ITEM, KIND_FEED_ITEM]

    fresh = Archive(tmp_path / "fresh.db")
    messages = []
    summary = import_paths(fresh, [out], on_result=lambda r: messages.append(r.message))
    # The bare-link item carries no article: kept flagged, skipped, not a failure of the import.
    assert (summary.imported, summary.skipped, summary.failed) == (3, 1, 0)
    assert any("carries no article body" in (m or "") for m in messages)
    titles = {a.article.title for a in fresh.iter_articles()}
    assert "朱镕基与王堃：旧事重提" in titles
    assert "多地整顿比特币挖矿，云南矿场或已关停" in titles
    # Importing again adds nothing.
    before = fresh.conn.execute("SELECT COUNT(*) FROM captures").fetchone()[0]
    import_paths(fresh, [out])
    assert fresh.conn.execute("SELECT COUNT(*) FROM captures").fetchone()[0] == before
    fresh.close()


def _wget_style_warc(path, page: bytes) -> None:
    """A WARC 1.0 file shaped like wget's: bracketed target URIs, chunked gzip payloads,
    a redirect, an image and a metadata record."""
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=False, warc_version="1.0")
        writer.write_record(writer.create_warcinfo_record("wget.warc", {"software": "Wget/1.21"}))

        def response(uri, status, headers, payload):
            http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
            rec = writer.create_warc_record(uri, "response", payload=io.BytesIO(payload),
                                            http_headers=http,
                                            warc_headers_dict={"WARC-Date": "2021-06-12T04:18:40Z"})
            rec.rec_headers.replace_header("WARC-Target-URI", f"<{uri}>")
            writer.write_record(rec)

        response("http://news.test/old", "301 Moved Permanently",
                 [("Location", "http://news.test/a.html")], b"")
        packed = gzip.compress(page)
        chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(packed), packed)
        response("http://news.test/a.html", "200 OK",
                 [("Content-Type", "text/html"), ("Content-Encoding", "gzip"),
                  ("Transfer-Encoding", "chunked")], chunked)
        response("http://news.test/logo.png", "200 OK", [("Content-Type", "image/png")],
                 b"\x89PNG\r\n\x1a\n" + b"\0" * 50)
        writer.write_record(writer.create_warc_record(
            "metadata://news.test/a.html", "metadata", payload=io.BytesIO(b"outlinks: none"),
            warc_content_type="text/plain"))


def test_import_wget_style_warc(tmp_path, load):
    page = load("gbk-nocharset.html")
    path = tmp_path / "crawl.warc"
    _wget_style_warc(path, page)
    captures = list(read_warc(path))
    assert len(captures) == 1
    capture = captures[0]
    assert (capture.url, capture.status, capture.body) == ("http://news.test/a.html", 200, page)
    assert capture.fetched_at.isoformat() == "2021-06-12T04:18:40+00:00"
    db = tmp_path / "a.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "import", str(path)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    shown = CliRunner().invoke(cli, ["--db", str(db), "show", "http://news.test/a.html"])
    assert "上半年经济运行总体平稳" in shown.stdout


def test_truncated_warc_is_a_clear_failure(tmp_path, load):
    path = tmp_path / "crawl.warc"
    _wget_style_warc(path, load("utf8.html"))
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) * 2 // 3])
    db = tmp_path / "a.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "import", str(path)],
                                catch_exceptions=False)
    assert result.exit_code == 1
    assert "error: " in result.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] <= 1
    conn.close()


def test_export_selected_articles_with_all_their_versions(tmp_path, server, load, archive, fast):
    page = load("utf8.html")
    server.page("/a.html", page)
    server.page("/b.html", load("big5.html"))
    archive_urls(archive, [server.url("/a.html"), server.url("/b.html")], options=fast)
    server.page("/a.html", page + b"<!-- v2 -->")
    archive_urls(archive, [server.url("/a.html")], options=fast)
    out = tmp_path / "a.warc"
    assert write_warc(archive, out, article_ids=[archive.resolve(server.url("/a.html"))]) == 2
    bodies = [c.body for c in read_warc(out)]
    assert bodies == [page, page + b"<!-- v2 -->"]


def test_cli_export_warc_then_import(tmp_path, server, load, archive, fast):
    from click.testing import CliRunner

    from archiver.cli import cli

    server.page("/a.html", load("gb2312-declared.html"))
    archive_urls(archive, [server.url("/a.html")], options=fast)
    out = tmp_path / "a.warc.gz"
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", str(archive.path), "export", "--all", "--format",
                                 "warc", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == f"1 exported to {out}"
    fresh = tmp_path / "fresh.db"
    result = runner.invoke(cli, ["--db", str(fresh), "import", str(out)])
    assert result.exit_code == 0 and "1 imported" in result.stderr
    with Archive(fresh) as again:
        (stored,) = list(again.iter_articles())
        assert stored.article.title == "朱镕基与王堃：旧事重提"
    usage = runner.invoke(cli, ["--db", str(archive.path), "export", "--all", "--format", "warc"])
    assert usage.exit_code == 2
