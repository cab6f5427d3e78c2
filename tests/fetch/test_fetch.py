"""The fetcher against the local server: redirects, retries, timeouts, size caps, robots.txt."""

from __future__ import annotations

import dataclasses
import gzip
import time
import tracemalloc
import zlib

import pytest

from archiver.capture.fetch import MB, Fetcher
from archiver.errors import FetchError, NotAnArticle, RobotsDenied

PAGE = "<html><head><title>t</title></head><body><p>正文</p></body></html>".encode()


def no_robots(options):
    return dataclasses.replace(options, obey_robots=False)


def test_user_agent_names_archiver_and_version(server, fast):
    url = server.page("/p", PAGE)
    Fetcher(fast).fetch(url)
    agents = {headers.get("User-Agent") for _, headers in server.requests}
    assert agents == {"archiver/0.1.0 (+https://pypi.org/project/archiver/)"}


def test_three_hop_redirect_records_final_url(server, fast):
    for hop in (1, 2, 3):
        nxt = f"/hop{hop + 1}" if hop < 3 else "/final"
        server.page(f"/hop{hop}", b"", status=302, headers={"Location": nxt})
    final = server.page("/final", PAGE)
    got = Fetcher(no_robots(fast)).fetch(server.url("/hop1"))
    assert got.final_url == final
    assert got.url == server.url("/hop1")
    assert got.redirects == tuple(server.url(p) for p in ("/hop1", "/hop2", "/hop3"))
    assert got.body == PAGE


def test_redirect_loop_is_a_clear_error(server, fast):
    server.page("/a", b"", status=301, headers={"Location": "/b"})
    server.page("/b", b"", status=301, headers={"Location": "/a"})
    with pytest.raises(FetchError) as info:
        Fetcher(no_robots(fast)).fetch(server.url("/a"))
    assert str(info.value) == (
        f"redirect loop: {server.url('/a')} → {server.url('/b')} → {server.url('/a')}"
    )
    assert server.hits["/a"] == 1  # the loop is seen, not ridden 30 times


def test_404_is_an_error(server, fast):
    with pytest.raises(FetchError, match=r"^HTTP 404 Not Found$"):
        Fetcher(no_robots(fast)).fetch(server.url("/missing"))


def test_500_twice_then_200_is_retried(server, fast):
    def flaky(h):
        status = 500 if server.hits["/flaky"] <= 2 else 200
        server.send(h, status, PAGE if status == 200 else b"oops")

    url = server.route("/flaky", flaky)
    got = Fetcher(no_robots(fast)).fetch(url)
    assert got.status == 200 and got.body == PAGE
    assert server.hits["/flaky"] == 3


def test_500_forever_gives_up_with_clear_error(server, fast):
    url = server.page("/down", b"oops", status=503)
    with pytest.raises(FetchError, match=r"^HTTP 503 Service Unavailable \(after 3 retries\)$"):
        Fetcher(no_robots(fast)).fetch(url)
    assert server.hits["/down"] == 1 + fast.retries


def test_429_retry_after_is_honoured(server, fast):
    def limited(h):
        if server.hits["/limited"] == 1:
            server.send(h, 429, b"slow down", headers={"Retry-After": "1"})
        else:
            server.send(h, 200, PAGE)

    url = server.route("/limited", limited)
    start = time.monotonic()
    got = Fetcher(no_robots(fast)).fetch(url)
    assert got.status == 200
    assert time.monotonic() - start >= 0.9


def test_retry_after_beyond_cap_fails_fast(server, fast):
    url = server.page("/later", b"come back later", status=429,
                      headers={"Retry-After": "3600"})
    start = time.monotonic()
    with pytest.raises(FetchError) as info:
        Fetcher(no_robots(fast)).fetch(url)
    assert time.monotonic() - start < 2
    assert str(info.value) == ("HTTP 429 Too Many Requests (the server asks to retry after "
                               "3600s)")


def test_stalling_server_times_out_in_bounded_time(server, fast):
    def stall(h):
        time.sleep(4)

    url = server.route("/stall", stall)
    start = time.monotonic()
    with pytest.raises(FetchError, match="read timeout"):
        Fetcher(no_robots(fast)).fetch(url)
    assert time.monotonic() - start < 2.5


def test_stall_after_headers_times_out(server, fast):
    def stall(h):
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", "100000")
        h.end_headers()
        h.wfile.write(b"<html>" + b" " * 1000)
        h.wfile.flush()
        time.sleep(4)

    url = server.route("/stall2", stall)
    start = time.monotonic()
    with pytest.raises(FetchError, match="read timeout"):
        Fetcher(no_robots(fast)).fetch(url)
    assert time.monotonic() - start < 2.5


def test_trickling_server_hits_total_deadline(server, fast):
    def trickle(h):
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.end_headers()
        for _ in range(40):
            h.wfile.write(b"<p>x</p>" * 10000)
            h.wfile.flush()
            time.sleep(0.1)

    url = server.route("/trickle", trickle)
    options = dataclasses.replace(no_robots(fast), total_timeout=0.5)
    start = time.monotonic()
    with pytest.raises(FetchError, match="download took longer than 0.5s"):
        Fetcher(options).fetch(url)
    assert time.monotonic() - start < 2


def _big(h, *, with_length: bool) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    if with_length:
        h.send_header("Content-Length", str(50 * MB))
    else:
        h.send_header("Connection", "close")
    h.end_headers()
    block = b"<p>" + b"x" * (MB - 7) + b"</p>"
    for _ in range(50):
        h.wfile.write(block)


@pytest.mark.parametrize("with_length", [True, False], ids=["content-length", "streamed"])
def test_50mb_body_refused_in_bounded_memory(server, fast, with_length):
    url = server.route("/big", lambda h: _big(h, with_length=with_length))
    tracemalloc.start()
    try:
        with pytest.raises(FetchError, match=r"larger than the 20 MB limit"):
            Fetcher(no_robots(fast)).fetch(url)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 30 * MB


_BOMB: bytes | None = None


def gzip_bomb() -> bytes:
    """128 MB of zeros as a ~130 kB gzip stream, built incrementally."""
    global _BOMB
    if _BOMB is None:
        packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        zeros = bytes(MB)
        parts = [packer.compress(zeros) for _ in range(128)]
        parts.append(packer.flush())
        _BOMB = b"".join(parts)
    return _BOMB


def test_gzip_bomb_refused_in_bounded_memory(server, fast):
    bomb = gzip_bomb()
    assert len(bomb) < MB // 4
    url = server.page("/bomb", bomb, headers={"Content-Encoding": "gzip"})
    options = dataclasses.replace(no_robots(fast), max_bytes=2 * MB)
    tracemalloc.start()
    start = time.monotonic()
    try:
        with pytest.raises(FetchError) as info:
            Fetcher(options).fetch(url)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "larger than the 2 MB limit (the decompressed body passed" in str(info.value)
    assert peak < 10 * MB
    assert time.monotonic() - start < 5


def test_gzip_within_cap_is_decompressed(server, fast):
    url = server.page("/gz", gzip.compress(PAGE), headers={"Content-Encoding": "gzip"})
    got = Fetcher(no_robots(fast)).fetch(url)
    assert got.body == PAGE


def test_raw_deflate_is_decompressed(server, fast):
    packer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    raw = packer.compress(PAGE) + packer.flush()
    url = server.page("/deflate", raw, headers={"Content-Encoding": "deflate"})
    assert Fetcher(no_robots(fast)).fetch(url).body == PAGE


def test_pdf_refused_before_download(server, fast):
    url = server.page("/doc.pdf", b"%PDF-1.7\n" + b"0" * 100_000, content_type="application/pdf")
    with pytest.raises(NotAnArticle, match=r"^a PDF document \(application/pdf\), not an HTML"):
        Fetcher(no_robots(fast)).fetch(url)


def test_binary_served_as_html_refused_by_sniffing(server, fast):
    url = server.page("/blob", b"\x00\x01\x02\x03" * 500, content_type="text/html")
    with pytest.raises(NotAnArticle, match="binary data"):
        Fetcher(no_robots(fast)).fetch(url)


def test_connection_refused_is_clear(fast):
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    options = dataclasses.replace(no_robots(fast), retries=1)
    with pytest.raises(FetchError, match=r"^connection failed: "):
        Fetcher(options).fetch(f"http://127.0.0.1:{port}/")


def test_robots_disallow(server, fast):
    server.page("/robots.txt", b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    allowed = server.page("/public/a.html", PAGE)
    denied = server.page("/private/b.html", PAGE)
    fetcher = Fetcher(fast)
    assert fetcher.fetch(allowed).body == PAGE
    with pytest.raises(RobotsDenied) as info:
        fetcher.fetch(denied)
    assert str(info.value) == f"robots.txt of {server.base[7:]} disallows {denied}"
    assert server.hits["/private/b.html"] == 0
    assert server.hits["/robots.txt"] == 1  # cached per host
    assert Fetcher(no_robots(fast)).fetch(denied).body == PAGE


def test_robots_checked_on_every_redirect_hop(server, fast):
    server.page("/robots.txt", b"User-agent: archiver\nDisallow: /secret\n",
                content_type="text/plain")
    server.page("/go", b"", status=302, headers={"Location": "/secret"})
    server.page("/secret", PAGE)
    with pytest.raises(RobotsDenied):
        Fetcher(fast).fetch(server.url("/go"))
    assert server.hits["/secret"] == 0


def test_robots_server_error_means_disallow(server, fast):
    server.page("/robots.txt", b"busy", status=500)
    url = server.page("/p", PAGE)
    options = dataclasses.replace(fast, retries=0)
    with pytest.raises(RobotsDenied, match=r"robots.txt of .* is unreachable \(HTTP 500\)"):
        Fetcher(options).fetch(url)


def test_politeness_delay_per_host(server, fast):
    slept: list[float] = []
    now = [100.0]

    def sleep(seconds: float) -> None:
        slept.append(round(seconds, 3))
        now[0] += seconds

    for name in ("a", "b", "c"):
        server.page(f"/{name}", PAGE)
    options = dataclasses.replace(no_robots(fast), delay=2.0)
    fetcher = Fetcher(options, sleep=sleep, clock=lambda: now[0])
    for name in ("a", "b", "c"):
        fetcher.fetch(server.url(f"/{name}"))
    assert slept == [2.0, 2.0]


def test_crawl_delay_from_robots_is_honoured(server, fast):
    slept: list[float] = []
    now = [0.0]

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    server.page("/robots.txt", b"User-agent: *\nCrawl-delay: 5\n", content_type="text/plain")
    server.page("/a", PAGE)
    server.page("/b", PAGE)
    fetcher = Fetcher(fast, sleep=sleep, clock=lambda: now[0])
    fetcher.fetch(server.url("/a"))
    fetcher.fetch(server.url("/b"))
    assert slept and max(slept) == pytest.approx(5.0)


def test_cloudflare_challenge_behind_403_is_named(server, fast):
    page = (b"<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>"
            b"<script src='/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1'></script>"
            b"</body></html>")
    url = server.page("/cf", page, status=403)
    with pytest.raises(FetchError) as info:
        Fetcher(no_robots(fast)).fetch(url)
    assert str(info.value) == ("HTTP 403 Forbidden: a Cloudflare challenge page, which archiver "
                               "cannot pass")


def test_safeline_behind_gzipped_503_is_named(server, fast):
    page = b"<html><script>window.captcha = {};</script>" + b" " * 200_000 + b"</html>"
    url = server.page("/sl", gzip.compress(page), status=503,
                      headers={"Content-Encoding": "gzip"})
    options = dataclasses.replace(no_robots(fast), retries=0)
    with pytest.raises(FetchError, match=r"^HTTP 503 Service Unavailable: "
                                         r"a Chaitin SafeLine captcha page"):
        Fetcher(options).fetch(url)


def test_plain_403_stays_plain(server, fast):
    url = server.page("/forbidden", b"<html><body>no</body></html>", status=403)
    with pytest.raises(FetchError, match=r"^HTTP 403 Forbidden$"):
        Fetcher(no_robots(fast)).fetch(url)


def _conditional(server, page, *, etag=None, modified=None):
    def handler(h):
        if (etag and h.headers.get("If-None-Match") == etag) or (
                modified and h.headers.get("If-Modified-Since") == modified):
            server.not_modified = getattr(server, "not_modified", 0) + 1  # before answering
            h.send_response(304)
            h.send_header("Content-Length", "0")
            h.end_headers()
            return
        headers = {}
        if etag:
            headers["ETag"] = etag
        if modified:
            headers["Last-Modified"] = modified
        server.send(h, 200, page, headers=headers)
    return server.route("/cond.html", handler)


@pytest.mark.parametrize("validator", [{"etag": '"v1"'},
                                       {"modified": "Sat, 12 Jun 2021 04:18:40 GMT"}],
                         ids=["etag", "last-modified"])
def test_rearchive_is_a_conditional_request(server, archive, fast, load, validator):
    from archiver.crawl import archive_urls

    url = _conditional(server, load("utf8.html"), **validator)
    assert archive_urls(archive, [url], options=no_robots(fast)).imported == 1
    again = archive_urls(archive, [url], options=no_robots(fast))
    assert (again.unchanged, again.imported, again.failed) == (1, 0, 0)
    assert server.not_modified == 1
    assert archive.conn.execute("SELECT COUNT(*) FROM captures").fetchone()[0] == 1


def test_unasked_304_is_an_error(server, fast):
    url = server.page("/odd", b"", status=304)
    with pytest.raises(FetchError, match=r"^HTTP 304 Not Modified$"):
        Fetcher(no_robots(fast)).fetch(url)
