"""--images: files next to the Markdown from a real local HTTP server; missing ones reported."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from archiver.capture.fetch import Fetcher, FetchOptions
from archiver.capture.images import download_image_source
from archiver.errors import FetchError
from archiver.export import export_articles, first_of
from archiver.pipeline import export, import_paths

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
NO_DELAY = FetchOptions(delay=0)


class _Handler(BaseHTTPRequestHandler):
    referers: list[tuple[str, str | None]] = []

    def do_GET(self) -> None:  # noqa: N802
        type(self).referers.append((self.path, self.headers.get("Referer")))
        if self.path == "/a.png":
            body, ctype, status = PNG, "image/png", 200
        elif self.path == "/b":  # no extension, served as an image
            body, ctype, status = JPEG, "image/jpeg", 200
        elif self.path == "/hotlink.jpg":  # hot-link protection answering with a page
            body, ctype, status = b"<html>no</html>", "text/html", 200
        else:
            body, ctype, status = b"gone", "text/plain", 404
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server():
    _Handler.referers = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def image_archive(archive, server, tmp_path):
    html = "".join(
        f'<figure><img src="{server}{path}"><figcaption>图 {path}</figcaption></figure>'
        f"<p>段落{n}</p>"
        for n, path in enumerate(["/a.png", "/b", "/missing.jpg", "/hotlink.jpg"])
    )
    record = {"title": "有图的文章", "html": html, "url": "https://news.example.com/1.html",
              "published": "2021-06-12T12:18:00+08:00"}
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    assert import_paths(archive, [path]).imported == 1
    return archive


def test_images_written_next_to_markdown_and_linked_relatively(image_archive, server, tmp_path):
    out = tmp_path / "out"
    result = export(image_archive, fmt="md", out=out, images=True, fetch_options=NO_DELAY)
    (item,) = result.articles
    assert item.path == out / "2021-06-12-有图的文章.md"
    folder = out / "2021-06-12-有图的文章"
    files = sorted(p.name for p in folder.iterdir())
    assert len(files) == 2 and files[0].endswith((".png", ".jpg"))
    assert {(folder / f).read_bytes() for f in files} == {PNG, JPEG}
    doc = item.path.read_text(encoding="utf-8")
    for name in files:
        assert f"](2021-06-12-有图的文章/{name} " in doc
    # Missing ones keep their remote URL and are reported, the export does not fail.
    assert f"]({server}/missing.jpg " in doc and f"]({server}/hotlink.jpg " in doc
    assert {(m.url, m.reason) for m in result.missing_images} == {
        (f"{server}/missing.jpg", "HTTP 404 Not Found"),
        (f"{server}/hotlink.jpg", "not an image (Content-Type text/html)"),
    }
    assert all(ref == "https://news.example.com/1.html"
               for path, ref in _Handler.referers if path != "/robots.txt")


def test_hexo_links_from_the_asset_folder_hugo_bundles(image_archive, tmp_path):
    hexo = export(image_archive, fmt="md", profile="hexo", out=tmp_path / "h", images=True,
                  fetch_options=NO_DELAY)
    doc = hexo.articles[0].path.read_text(encoding="utf-8")
    assert "](2021-06-12-" not in doc and "![图 /a.png](" in doc
    hugo = export(image_archive, fmt="md", profile="hugo", out=tmp_path / "g",
                  fetch_options=NO_DELAY, images=True)
    assert hugo.articles[0].path == tmp_path / "g" / "2021-06-12-有图的文章" / "index.md"


def test_a_source_that_raises_or_has_nothing_is_a_missing_image(image_archive, tmp_path):
    def broken(url: str, referer: str | None) -> bytes | None:
        raise ConnectionError("boom")

    result = export_articles(image_archive, fmt="md", out=tmp_path / "o", images=True,
                             image_source=broken)
    assert len(result.missing_images) == 4 and result.count == 1
    assert {m.reason for m in result.missing_images} == {"boom"}
    stored_first = first_of(lambda u, r: None, download_image_source(Fetcher(NO_DELAY)))
    result = export_articles(image_archive, fmt="md", out=tmp_path / "p", images=True,
                             image_source=stored_first)
    assert len(result.missing_images) == 2


def test_file_urls_are_refused():
    with pytest.raises(FetchError, match="only http and https"):
        download_image_source(Fetcher(NO_DELAY))("file:///etc/passwd", None)
