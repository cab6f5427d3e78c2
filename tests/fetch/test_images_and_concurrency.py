"""--images (Referer, size cap, content addressing, failures never fail the article) and
--concurrency across hosts (one writer, per-host politeness)."""

from __future__ import annotations

import dataclasses
import threading
import time

from click.testing import CliRunner

from archiver.capture.fetch import MB, Fetcher
from archiver.capture.images import archive_image_source, fetch_images, stored_image
from archiver.cli import cli
from archiver.crawl import archive_feeds, archive_urls

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(64))
JPEG = b"\xff\xd8\xff\xe0" + b"JFIF" + bytes(200)


def article_page(*srcs: str) -> bytes:
    images = "".join(f'<p><img data-original="{s}" src="/blank.gif" alt="图{i}"></p>'
                     for i, s in enumerate(srcs))
    text = "这是一篇带有图片的测试文章，正文足够长，可以被识别为文章而不是列表页或者占位页面。" * 3
    return f"""<html><head><meta charset="utf-8"><title>图片新闻</title></head><body>
<h1>图片新闻</h1><article><p>{text}</p>{images}<p>{text}</p></article></body></html>""".encode()


def test_images_downloaded_with_referer_and_content_addressed(server, archive, fast):
    server.page("/img/a.png", PNG, content_type="image/png")
    server.page("/img/same-bytes.png", PNG, content_type="image/png")
    server.page("/img/b.jpg", JPEG, content_type="image/jpeg")
    url = server.page("/news/pics.html", article_page("/img/a.png", "/img/same-bytes.png",
                                                      "/img/b.jpg"))
    summary = archive_urls(archive, [url], options=fast, images=True)
    assert summary.imported == 1
    got = stored_image(archive, server.url("/img/a.png"))
    assert got is not None and got.body == PNG and got.content_type == "image/png"
    assert stored_image(archive, server.url("/img/b.jpg")).body == JPEG
    assert archive.conn.execute("SELECT COUNT(*) FROM blobs").fetchone()[0] == 2
    referers = {path: headers.get("Referer") for path, headers in server.requests
                if path.startswith("/img/")}
    assert referers == {p: url for p in ("/img/a.png", "/img/same-bytes.png", "/img/b.jpg")}


def test_export_can_take_images_from_the_archive(server, archive, fast, tmp_path):
    from archiver.export.run import export_articles

    server.page("/img/a.png", PNG, content_type="image/png")
    url = server.page("/news/e.html", article_page("/img/a.png"))
    archive_urls(archive, [url], options=fast, images=True)
    source = archive_image_source(archive)
    assert source(server.url("/img/a.png"), url) == PNG
    assert source(server.url("/img/never.png"), url) is None
    server.routes.clear()  # the export must not need the network any more
    result = export_articles(archive, out=tmp_path / "out", images=True, image_source=source)
    assert result.missing_images == ()
    written = [p for p in (tmp_path / "out").rglob("*.png")]
    assert [p.read_bytes() for p in written] == [PNG]


def test_failed_image_never_fails_the_article(server, archive, fast):
    server.page("/img/ok.png", PNG, content_type="image/png")
    server.page("/img/html.png", b"<html>hotlink denied</html>", content_type="text/html")
    server.page("/img/huge.png", PNG + bytes(3_000_000), content_type="image/png")
    url = server.page("/news/x.html", article_page("/img/ok.png", "/img/missing.png",
                                                   "/img/html.png", "/img/huge.png"))
    options = dataclasses.replace(fast, max_image_bytes=1 * MB)
    summary = archive_urls(archive, [url], options=options, images=True)
    assert (summary.imported, summary.failed) == (1, 0)
    assert stored_image(archive, server.url("/img/ok.png")).body == PNG
    for bad in ("/img/missing.png", "/img/html.png", "/img/huge.png"):
        assert stored_image(archive, server.url(bad)) is None
    errors = dict(archive.conn.execute("SELECT url, error FROM images WHERE error IS NOT NULL"))
    assert errors[server.url("/img/missing.png")] == "HTTP 404 Not Found"
    assert errors[server.url("/img/html.png")].startswith("not an image")
    assert "larger than the 1 MB limit" in errors[server.url("/img/huge.png")]


def test_fetch_images_library_call_skips_downloaded(server, archive, fast):
    server.page("/img/a.png", PNG, content_type="image/png")
    url = server.page("/n.html", article_page("/img/a.png"))
    summary = archive_urls(archive, [url], options=fast)
    article_id = archive.resolve(url)
    report = fetch_images(archive, article_id, options=fast)
    assert (report.downloaded, report.already, report.failed) == (1, 0, 0)
    again = fetch_images(archive, article_id, options=fast)
    assert (again.downloaded, again.already) == (0, 1)
    assert server.hits["/img/a.png"] == 1
    assert summary.imported == 1


def test_feed_item_images(server, archive, fast, load):
    server.page("/zaker/60c4_1024.jpg", JPEG, content_type="image/jpeg")
    feed = load("zaker-feed.xml").replace(b"IMGHOST", server.base.encode())
    server.page("/feed.xml", feed, content_type="application/rss+xml")
    archive_feeds(archive, [server.url("/feed.xml")], options=fast, images=True)
    assert stored_image(archive, server.url("/zaker/60c4_1024.jpg")).body == JPEG


def test_cli_images_flag(tmp_path, server):
    server.page("/img/a.png", PNG, content_type="image/png")
    url = server.page("/n.html", article_page("/img/a.png"))
    db = tmp_path / "a.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "archive", "--delay", "0", "--images",
                                      url], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    from archiver.store import Archive

    with Archive(db) as arc:
        assert stored_image(arc, server.url("/img/a.png")).body == PNG


def _slow_servers(make_server, count: int, delay: float):
    servers = []
    active: dict[str, int] = {}
    overlap: list[str] = []
    lock = threading.Lock()
    for _ in range(count):
        srv = make_server()

        def handler(h, srv=srv):
            with lock:
                active[srv.base] = active.get(srv.base, 0) + 1
                if active[srv.base] > 1:
                    overlap.append(srv.base)
            time.sleep(delay)
            with lock:
                active[srv.base] -= 1
            srv.send(h, 200, article_page())

        for n in range(5):
            srv.route(f"/p{n}.html", handler)
        servers.append(srv)
    return servers, overlap


def test_concurrency_across_hosts(archive, fast, make_server):
    servers, overlap = _slow_servers(make_server, 4, 0.1)
    if True:
        urls = [s.url(f"/p{n}.html") for n in range(5) for s in servers]
        writer_threads = set()
        seen = []

        def on_result(result):
            writer_threads.add(threading.get_ident())
            seen.append(result.status)

        start = time.monotonic()
        serial = archive_urls(archive, urls[:8], options=fast, concurrency=1)
        serial_time = time.monotonic() - start
        start = time.monotonic()
        summary = archive_urls(archive, urls[8:], options=fast, concurrency=8,
                               on_result=on_result)
        parallel_time = time.monotonic() - start
    assert serial.imported == 8 and summary.imported == 12
    assert writer_threads == {threading.get_ident()}
    assert overlap == []  # never two requests to one host at once
    # 12 pages over 4 hosts at 0.1 s each: ~0.3 s in parallel, 1.2 s serially.
    assert parallel_time < serial_time * 1.5 * 12 / 8 / 2


def test_fetcher_is_shared_safely_between_threads(server, fast):
    server.page("/p", b"<html><body><p>x</p></body></html>")
    fetcher = Fetcher(dataclasses.replace(fast, obey_robots=True))
    errors = []

    def work():
        try:
            for _ in range(5):
                fetcher.fetch(server.url("/p"))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert server.hits["/robots.txt"] == 1
