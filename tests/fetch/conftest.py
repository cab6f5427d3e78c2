"""A real HTTP server on 127.0.0.1 for the fetching tests, and a guard against the network."""

from __future__ import annotations

import socket
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from archiver.capture.fetch import FetchOptions
from archiver.store import Archive

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "fetch"

Handler = Callable[[BaseHTTPRequestHandler], None]


def _loopback(host: object) -> bool:
    text = str(host)
    return text in ("localhost", "::1") or text.startswith("127.")


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection or name lookup beyond the loopback interface fails the test."""
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def guarded_connect(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else address
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _loopback(host):
            raise ConnectionRefusedError(f"tests must not touch the network ({address})")
        return real_connect(self, address)

    def guarded_getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        if host is not None and not _loopback(host):
            raise socket.gaierror(f"tests must not resolve {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
                 "all_proxy"):
        monkeypatch.delenv(name, raising=False)


class _Quiet(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that hang up on purpose (size caps, timeouts) are expected


class Server:
    """Routes path → handler; counts hits per path; ``url(path)`` builds an absolute URL."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.hits: Counter[str] = Counter()
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802
                path = self.path
                server.hits[path] += 1
                server.requests.append((path, dict(self.headers.items())))
                handler = server.routes.get(path) or server.routes.get(path.split("?")[0])
                if handler is None:
                    send(self, 404, b"<html><body>not found</body></html>")
                    return
                try:
                    handler(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = _Quiet(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,),
                                       daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, handler: Handler) -> str:
        self.routes[path] = handler
        return self.url(path)

    def page(self, path: str, body: bytes, *, content_type: str = "text/html",
             status: int = 200, headers: dict[str, str] | None = None) -> str:
        return self.route(path, lambda h: send(h, status, body, content_type=content_type,
                                                headers=headers))

    send = staticmethod(lambda *a, **k: send(*a, **k))

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def send(h: BaseHTTPRequestHandler, status: int, body: bytes, *,
         content_type: str | None = "text/html", headers: dict[str, str] | None = None) -> None:
    h.send_response(status)
    if content_type:
        h.send_header("Content-Type", content_type)
    for key, value in (headers or {}).items():
        h.send_header(key, value)
    if "Content-Length" not in (headers or {}):
        h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.write(body)


@pytest.fixture
def server() -> Iterator[Server]:
    srv = Server()
    yield srv
    srv.close()


@pytest.fixture
def make_server() -> Iterator[Callable[[], Server]]:
    """More servers (each is another host: 127.0.0.1 with its own port)."""
    made: list[Server] = []

    def make() -> Server:
        made.append(Server())
        return made[-1]

    yield make
    for srv in made:
        srv.close()


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    arc = Archive(tmp_path / "archive.db")
    yield arc
    arc.close()


@pytest.fixture
def fast() -> FetchOptions:
    """Options that keep tests quick: no politeness delay, tiny backoff, short timeouts."""
    return FetchOptions(connect_timeout=2, read_timeout=1, total_timeout=10, retries=3,
                        read_retries=0, backoff=0.01, retry_after_cap=3, delay=0)


@pytest.fixture
def load() -> Callable[[str], bytes]:
    """Bytes of a file in tests/fixtures/fetch."""
    return lambda name: (FIXTURES / name).read_bytes()
