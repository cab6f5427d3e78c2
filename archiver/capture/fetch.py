"""Fetching over HTTP like a careful crawler: raw bytes in, nothing interpreted.

One :class:`Fetcher` wraps one ``requests.Session`` (injectable) and adds what a polite,
robust crawler needs:

* urllib3 ``Retry`` with exponential backoff for connection errors, 429 and 5xx; a
  ``Retry-After`` is honoured up to a cap, and a longer one ends the attempt with a clear error
  rather than a silent hour-long sleep;
* connect and read timeouts, plus a total deadline per download (a server that trickles one
  byte at a time never trips the read timeout);
* redirects followed one hop at a time, so every hop is checked against robots.txt, loops are
  named (``a → b → a``) and the final URL is recorded;
* a maximum body size enforced while streaming, on the *decompressed* size: the raw socket is
  read and inflated here with a bounded ``max_length``, so a gzip bomb never grows beyond the cap;
* robots.txt (RFC 9309, cached per host, ``Crawl-delay`` honoured up to a cap) and a per-host
  politeness delay that is safe to share between threads;
* refusal of what is not an HTML page (PDF, images, binary), decided by Content-Type *and* by
  sniffing the first bytes, before the body is downloaded when the header already says so.

Bodies are kept exactly as the server sent them, minus transfer and content coding (what WARC
calls the payload). Decoding to text is :mod:`archiver.capture.encoding`'s job.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import requests
from urllib3.exceptions import MaxRetryError, ResponseError
from urllib3.util.retry import Retry

from archiver.errors import (
    ArchiverError,
    FetchError,
    InputError,
    NotAnArticle,
    RobotsDenied,
)
from archiver.models import KIND_WEB, Capture
from archiver.urls import canonical_url

log = logging.getLogger("archiver")

MB = 2**20
DEFAULT_MAX_BYTES = 20 * MB
PROJECT_URL = "https://pypi.org/project/archiver/"
_ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309 asks crawlers to parse at least 500 KiB
_CHUNK = 64 * 1024
_REDIRECTS = {301, 302, 303, 307, 308}
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})

ACCEPT_HTML = "html"
ACCEPT_FEED = "feed"
ACCEPT_IMAGE = "image"
_ACCEPT_HEADERS = {
    ACCEPT_HTML: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
    ACCEPT_FEED: "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,"
                 "*/*;q=0.5",
    ACCEPT_IMAGE: "image/avif,image/webp,image/*;q=0.9,*/*;q=0.5",
}
_MEDIA_HTML = {"text/html", "application/xhtml+xml"}
_MEDIA_FEED = {
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
    "text/xml",
}
# Content types we refuse for pages without downloading the body.
_BINARY_PREFIXES = ("image/", "audio/", "video/", "font/", "model/")
_BINARY_TYPES = {
    "application/pdf": "a PDF document",
    "application/zip": "a ZIP archive",
    "application/gzip": "a gzip archive",
    "application/x-rar-compressed": "a RAR archive",
    "application/msword": "a Word document",
    "application/vnd.ms-excel": "an Excel document",
    "application/x-shockwave-flash": "a Flash file",
    "application/json": "JSON data",
    "application/javascript": "a script",
    "text/javascript": "a script",
    "text/css": "a style sheet",
}
# Magic numbers of what is certainly not a page, whatever the Content-Type says.
_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"RIFF", "a RIFF (WebP/WAV/AVI) file"),
    (b"PK\x03\x04", "a ZIP archive (or Office document)"),
    (b"\x1f\x8b", "gzip data"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"ID3", "an MP3 file"),
    (b"OggS", "an Ogg file"),
    (b"\x00\x00\x00", "a binary (MP4/ISO media?) file"),
)
_IMAGE_MAGIC = (
    b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*", b"\x00\x00\x01\x00",
)


def default_user_agent() -> str:
    from archiver import __version__  # late: archiver/__init__ imports this package

    return f"archiver/{__version__} (+{PROJECT_URL})"


@dataclass(frozen=True, slots=True)
class FetchOptions:
    """How carefully to fetch. Times in seconds, sizes in bytes."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_timeout: float = 300.0  # a whole download, however slowly the bytes trickle
    max_bytes: int = DEFAULT_MAX_BYTES
    max_image_bytes: int = 10 * MB
    retries: int = 3  # connection errors, 429 and 5xx
    read_retries: int = 1  # read timeouts: each one costs a whole read_timeout
    backoff: float = 0.5  # urllib3 backoff factor: 0.5, 1, 2 … seconds between retries
    backoff_max: float = 30.0
    retry_after_cap: float = 60.0  # honour Retry-After up to this; longer ends the attempt
    delay: float = 1.0  # between two requests to the same host
    crawl_delay_cap: float = 30.0  # robots.txt Crawl-delay honoured up to this
    obey_robots: bool = True
    user_agent: str | None = None  # default: archiver/<version> (+project URL)
    max_redirects: int = 10

    @property
    def agent(self) -> str:
        return self.user_agent or default_user_agent()


@dataclass(frozen=True, slots=True)
class Validators:
    """What an earlier response said about its version, for a conditional request."""

    etag: str | None = None
    last_modified: str | None = None

    @classmethod
    def from_headers(cls, headers: tuple[tuple[str, str], ...]) -> Validators | None:
        found = {k.lower(): v for k, v in headers}
        etag, modified = found.get("etag"), found.get("last-modified")
        return cls(etag, modified) if etag or modified else None


@dataclass(frozen=True, slots=True)
class Fetched:
    """One HTTP response as received (payload only: transfer and content coding removed)."""

    url: str  # as asked
    final_url: str
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    fetched_at: datetime
    redirects: tuple[str, ...] = ()  # URLs passed through, in order
    request_headers: tuple[tuple[str, str], ...] = ()

    @property
    def not_modified(self) -> bool:
        """The server answered a conditional request with 304: the earlier capture stands."""
        return self.status == 304

    @property
    def content_type(self) -> str:
        for key, value in self.headers:
            if key.lower() == "content-type":
                return value
        return ""

    def to_capture(self, *, kind: str = KIND_WEB, origin: str | None = None,
                   meta: tuple[tuple[str, str], ...] = ()) -> Capture:
        """The response as a capture; the redirect chain and User-Agent go into ``meta``."""
        extra = list(meta)
        if self.redirects:
            extra.append(("redirects", " ".join(self.redirects)))
        for key, value in self.request_headers:
            if key.lower() == "user-agent":
                extra.append(("user_agent", value))
        return Capture(
            kind=kind, body=self.body, fetched_at=self.fetched_at, url=self.url,
            final_url=self.final_url, status=self.status, headers=self.headers,
            origin=origin, meta=tuple(extra),
        )


class _Retry(Retry):
    """``Retry`` whose ``Retry-After`` is honoured only up to a cap."""

    retry_after_cap: float = 60.0

    def new(self, **kw: object) -> _Retry:
        fresh = super().new(**kw)
        fresh.retry_after_cap = self.retry_after_cap
        return fresh

    def increment(self, method=None, url=None, response=None, error=None,  # type: ignore[override]
                  _pool=None, _stacktrace=None):
        if response is not None:
            wait = self.get_retry_after(response)
            if wait is not None and wait > self.retry_after_cap:
                # Give up now; the response (429/503) is returned to the caller.
                raise MaxRetryError(_pool, url, ResponseError(
                    f"Retry-After {wait:.0f}s exceeds the cap of {self.retry_after_cap:.0f}s"))
        return super().increment(method, url, response=response, error=error, _pool=_pool,
                                 _stacktrace=_stacktrace)


def make_session(options: FetchOptions | None = None, *, pool_size: int = 10) -> requests.Session:
    """A session with archiver's retry policy mounted for http and https."""
    options = options or FetchOptions()
    retry = _Retry(
        total=None,
        connect=options.retries,
        read=options.read_retries,
        status=options.retries,
        other=0,
        redirect=False,
        allowed_methods=frozenset({"GET", "HEAD"}),
        status_forcelist=_RETRY_STATUSES,
        backoff_factor=options.backoff,
        backoff_max=options.backoff_max,
        respect_retry_after_header=True,
        raise_on_status=False,
        raise_on_redirect=False,
    )
    retry.retry_after_cap = options.retry_after_cap
    session = requests.Session()
    adapter = requests.adapters.HTTPAdapter(
        max_retries=retry, pool_connections=pool_size, pool_maxsize=pool_size
    )
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = options.agent
    return session


def media_type(content_type: str | None) -> str:
    """``text/html; charset=gbk`` → ``text/html``."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def sniff_kind(head: bytes) -> str | None:
    """What the first bytes certainly are when that is not a text document, else None."""
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    sample = head[:1024]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 text has NULs
    if b"\x00" in sample:
        return "binary data"
    return None


def is_image(head: bytes) -> bool:
    """PNG, JPEG, GIF, BMP, TIFF, ICO, WebP, AVIF/HEIC or SVG, by magic number."""
    if head.startswith(_IMAGE_MAGIC):
        return True
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return True
    if head[4:8] == b"ftyp" and head[8:12] in (b"avif", b"avis", b"heic", b"heix", b"mif1"):
        return True
    start = head[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith(b"<svg") or (start.startswith(b"<?xml") and b"<svg" in start)


def looks_like_feed(head: bytes) -> bool:
    start = head[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"<?xml"):
        start = start[start.find(b"?>") + 2:].lstrip()
        while start.startswith((b"<!--", b"<?")):
            end = start.find(b">")
            start = start[end + 1:].lstrip()
    return start.startswith((b"<rss", b"<feed", b"<rdf:rdf", b"<rdf"))


def looks_like_html(head: bytes) -> bool:
    sample = head[:4096].lower()
    return any(tag in sample for tag in (b"<html", b"<!doctype html", b"<head", b"<body",
                                         b"<p>", b"<div", b"<title", b"<meta", b"<article"))


class _Inflater:
    """Removes Content-Encoding incrementally, never producing more than ``limit`` bytes."""

    def __init__(self, encoding: str, limit: int) -> None:
        codings = [c.strip().lower() for c in encoding.split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        for coding in codings:
            if coding not in ("gzip", "x-gzip", "deflate"):
                raise FetchError(f"unsupported Content-Encoding {coding!r}")
        if len(codings) > 1:
            raise FetchError(f"stacked Content-Encoding {encoding!r} is not supported")
        self.coding = codings[0] if codings else None
        self.limit = limit
        self.size = 0
        self._d = self._new()
        self._first = True

    def _new(self) -> zlib._Decompress | None:
        if self.coding in ("gzip", "x-gzip"):
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        if self.coding == "deflate":
            return zlib.decompressobj(zlib.MAX_WBITS)
        return None

    def feed(self, data: bytes) -> bytes:
        if self._d is None:
            self.size += len(data)
            if self.size > self.limit:
                raise _TooBig(self.size, data)
            return data
        out = bytearray()
        try:
            while data:
                budget = self.limit - self.size - len(out) + 1
                try:
                    piece = self._d.decompress(data, budget)
                except zlib.error:
                    if self.coding == "deflate" and self._first:
                        # Some servers send raw deflate without the zlib wrapper.
                        self._d = zlib.decompressobj(-zlib.MAX_WBITS)
                        self._first = False
                        continue
                    raise
                self._first = False
                out += piece
                if self.size + len(out) > self.limit:
                    raise _TooBig(self.size + len(out), bytes(out))
                if self._d.unconsumed_tail:
                    data = self._d.unconsumed_tail
                elif self._d.eof and self._d.unused_data.strip(b"\x00"):
                    data = self._d.unused_data  # another gzip member follows
                    self._d = self._new()
                else:
                    data = b""
        except zlib.error as exc:
            raise FetchError(f"damaged {self.coding} data ({exc})") from exc
        self.size += len(out)
        return bytes(out)


class _TooBig(Exception):
    def __init__(self, size: int, tail: bytes = b"") -> None:
        self.size = size
        self.tail = tail  # what the last feed produced before passing the limit


_CHALLENGE_SAMPLE = 64 * 1024
# Bot walls answer 403/429/503 with a script page; naming them beats a bare status code.
# (Challenge pages served with status 200 are recognised by the page parser, not here.)
_CHALLENGES = (
    (re.compile(rb"window\.captcha\b|safeline", re.I), "a Chaitin SafeLine captcha page"),
    (re.compile(rb"cf[-_]chl[-_]|challenge-platform|cf-browser-verification", re.I),
     "a Cloudflare challenge page"),
)


def challenge_kind(head: bytes) -> str | None:
    """Which bot-challenge page ``head`` starts, if any."""
    for pattern, what in _CHALLENGES:
        if pattern.search(head):
            return what
    return None


@dataclass
class _HostState:
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_at: float = 0.0
    robots: RobotFileParser | None = None
    robots_error: ArchiverError | None = None
    robots_loaded: bool = False


class Fetcher:
    """Fetch pages, feeds and images carefully. Thread-safe; share one across workers.

    ``sleep`` and ``clock`` are injectable so tests never wait for politeness delays.
    """

    def __init__(
        self,
        options: FetchOptions | None = None,
        *,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        pool_size: int = 10,
    ) -> None:
        self.options = options or FetchOptions()
        self.session = session or make_session(self.options, pool_size=pool_size)
        self._sleep = sleep
        self._clock = clock
        self._hosts: dict[str, _HostState] = {}
        self._lock = threading.Lock()

    # -- politeness ------------------------------------------------------------------------
    def _host(self, netloc: str) -> _HostState:
        with self._lock:
            state = self._hosts.get(netloc)
            if state is None:
                state = self._hosts[netloc] = _HostState()
            return state

    def ready_at(self, url_or_host: str) -> float:
        """The clock time from which a request to this host is allowed."""
        netloc = _netloc(url_or_host) if "/" in url_or_host else url_or_host
        with self._lock:
            state = self._hosts.get(netloc)
            return state.next_at if state else 0.0

    def _delay_for(self, state: _HostState) -> float:
        delay = self.options.delay
        if state.robots is not None:
            crawl_delay = state.robots.crawl_delay(_UA_TOKEN)
            if crawl_delay:
                delay = max(delay, min(float(crawl_delay), self.options.crawl_delay_cap))
        return delay

    def _wait_turn(self, url: str) -> None:
        state = self._host(_netloc(url))
        with self._lock:
            now = self._clock()
            start = max(now, state.next_at)
            state.next_at = start + self._delay_for(state)
        if start > now:
            self._sleep(start - now)

    def _done(self, url: str) -> None:
        """The delay runs from the end of a response too: a slow server gets its pause."""
        state = self._host(_netloc(url))
        with self._lock:
            state.next_at = max(state.next_at, self._clock() + self._delay_for(state))

    # -- robots.txt ------------------------------------------------------------------------
    def check_robots(self, url: str) -> None:
        """Raise :class:`RobotsDenied` when robots.txt forbids ``url`` to archiver."""
        if not self.options.obey_robots:
            return
        parts = urlsplit(url)
        state = self._host(parts.netloc.lower())
        with state.lock:
            if not state.robots_loaded:
                state.robots, state.robots_error = self._load_robots(parts.scheme, parts.netloc)
                state.robots_loaded = True
        if state.robots_error is not None:
            raise state.robots_error
        if state.robots is not None and not state.robots.can_fetch(_UA_TOKEN, url):
            raise RobotsDenied(
                f"robots.txt of {parts.netloc} disallows {url}",
                hint="--ignore-robots archives it anyway; please respect the site's wishes",
            )

    def _load_robots(self, scheme: str, netloc: str) -> tuple[RobotFileParser | None,
                                                               ArchiverError | None]:
        robots_url = f"{scheme}://{netloc}/robots.txt"
        self._wait_turn(robots_url)
        try:
            return self._read_robots(robots_url, netloc)
        finally:
            self._done(robots_url)

    def _read_robots(self, robots_url: str, netloc: str) -> tuple[RobotFileParser | None,
                                                                  ArchiverError | None]:
        try:
            response = self.session.get(
                robots_url, timeout=(self.options.connect_timeout, self.options.read_timeout),
                headers={"User-Agent": self.options.agent}, stream=True, allow_redirects=True,
            )
        except (requests.RequestException, ValueError) as exc:
            return None, _wrap(exc, robots_url, self.options)
        with response:
            status = response.status_code
            if 400 <= status < 500:
                return None, None  # RFC 9309: unavailable robots.txt means no restrictions
            if status >= 500:
                return None, RobotsDenied(
                    f"robots.txt of {netloc} is unreachable (HTTP {status}); RFC 9309 says to "
                    "assume everything is disallowed",
                    hint="try again later, or --ignore-robots",
                )
            body = bytearray()
            try:
                for chunk in response.iter_content(_CHUNK):
                    body += chunk
                    if len(body) >= _ROBOTS_MAX_BYTES:
                        break
            except (requests.RequestException, ValueError) as exc:
                return None, _wrap(exc, robots_url, self.options)
        parser = RobotFileParser(robots_url)
        parser.parse(bytes(body[:_ROBOTS_MAX_BYTES]).decode("utf-8", "replace").splitlines())
        return parser, None

    # -- fetching --------------------------------------------------------------------------
    def fetch(self, url: str, *, accept: str = ACCEPT_HTML, referer: str | None = None,
              max_bytes: int | None = None, validators: Validators | None = None) -> Fetched:
        """GET ``url`` (following redirects) and return the response with its whole body.

        With ``validators`` (from an earlier capture) the request is conditional, and a
        ``304 Not Modified`` comes back as a :class:`Fetched` with ``not_modified`` true and
        no body.

        Raises :class:`FetchError` (network, HTTP status, size, redirect loop),
        :class:`RobotsDenied`, or :class:`NotAnArticle` when a page is not HTML.
        """
        limit = max_bytes or (self.options.max_image_bytes if accept == ACCEPT_IMAGE
                              else self.options.max_bytes)
        current = url.strip()
        chain = [current]
        seen = {_identity(current)}
        while True:
            scheme = urlsplit(current).scheme.lower()
            if scheme not in ("http", "https"):
                raise FetchError(f"{current}: only http and https URLs can be fetched")
            self.check_robots(current)
            self._wait_turn(current)
            try:
                response = self._get(current, accept, referer, validators)
            finally:
                self._done(current)
            if response.status_code in _REDIRECTS and response.headers.get("Location"):
                response.close()
                try:
                    target = urljoin(current, response.headers["Location"].strip())
                except ValueError as exc:
                    raise FetchError(f"redirect to an invalid URL ({exc})") from exc
                key = _identity(target)
                chain.append(target)
                if key in seen:
                    raise FetchError("redirect loop: " + " → ".join(chain))
                if len(chain) - 1 > self.options.max_redirects:
                    raise FetchError(
                        f"more than {self.options.max_redirects} redirects: "
                        + " → ".join(chain[:3]) + " → …"
                    )
                seen.add(key)
                current = target
                continue
            if response.status_code == 304 and validators:
                response.close()
                return Fetched(url=url, final_url=current, status=304,
                               headers=tuple(response.raw.headers.items()), body=b"",
                               fetched_at=datetime.now(timezone.utc),
                               redirects=tuple(chain[:-1]))
            try:
                return self._read(response, url, current, tuple(chain[:-1]), accept, limit)
            finally:
                self._done(current)

    def _get(self, url: str, accept: str, referer: str | None,
             validators: Validators | None = None) -> requests.Response:
        headers = {
            "User-Agent": self.options.agent,
            "Accept": _ACCEPT_HEADERS[accept],
            "Accept-Encoding": "gzip, deflate",
            "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5",
        }
        if referer:
            headers["Referer"] = referer
        if validators is not None:
            if validators.etag:
                headers["If-None-Match"] = validators.etag
            if validators.last_modified:
                headers["If-Modified-Since"] = validators.last_modified
        try:
            return self.session.get(
                url, headers=headers, stream=True, allow_redirects=False,
                timeout=(self.options.connect_timeout, self.options.read_timeout),
            )
        except (requests.RequestException, ValueError) as exc:
            raise _wrap(exc, url, self.options) from exc

    def _read(self, response: requests.Response, url: str, final_url: str,
              redirects: tuple[str, ...], accept: str, limit: int) -> Fetched:
        fetched_at = datetime.now(timezone.utc)
        with response:
            status = response.status_code
            if status >= 400 or status < 200 or status in _REDIRECTS or status == 304:
                message = _status_message(response, self.options.retries)
                if status in (403, 429, 503):
                    challenge = challenge_kind(self._sample(response))
                    if challenge:
                        message += f": {challenge}, which archiver cannot pass"
                raise FetchError(message)
            ctype = response.headers.get("Content-Type", "")
            _refuse_by_type(ctype, accept, final_url)
            length = response.headers.get("Content-Length", "")
            encoding = response.headers.get("Content-Encoding", "")
            if length.isdigit() and int(length) > limit and not encoding:
                raise FetchError(_too_big(limit, f"Content-Length is {int(length):,} bytes"))
            body = self._stream(response, encoding, limit, final_url)
            headers = tuple((k, v) for k, v in response.raw.headers.items())
            request_headers = tuple(response.request.headers.items()) if response.request else ()
        _refuse_by_content(body, ctype, accept, final_url)
        return Fetched(
            url=url, final_url=final_url, status=status, headers=headers, body=body,
            fetched_at=fetched_at, redirects=redirects, request_headers=request_headers,
        )

    def _sample(self, response: requests.Response) -> bytes:
        """The start of an error response's body (enough to recognise a challenge page)."""
        try:
            return self._stream(response, response.headers.get("Content-Encoding", ""),
                                _CHALLENGE_SAMPLE, response.url, truncate=True)
        except ArchiverError:
            return b""

    def _stream(self, response: requests.Response, encoding: str, limit: int, url: str, *,
                truncate: bool = False) -> bytes:
        """The decoded body, at most ``limit`` bytes: past it, FetchError — or, with
        ``truncate``, just the first ``limit`` bytes."""
        inflater = _Inflater(encoding, limit)
        deadline = self._clock() + self.options.total_timeout
        body = bytearray()
        raw = response.raw
        try:
            for chunk in _raw_chunks(raw):
                body += inflater.feed(chunk)
                if self._clock() > deadline:
                    raise FetchError(
                        f"download took longer than {self.options.total_timeout:g}s "
                        f"({len(body):,} bytes so far)"
                    )
        except _TooBig as exc:
            if truncate:
                return bytes((body + exc.tail)[:limit])
            what = "decompressed body" if inflater.coding else "body"
            raise FetchError(_too_big(limit, f"the {what} passed {exc.size:,} bytes")) from None
        except (requests.RequestException, ValueError) as exc:
            raise _wrap(exc, url, self.options) from exc
        except Exception as exc:  # urllib3 errors raised from the raw stream
            if isinstance(exc, ArchiverError):
                raise
            from urllib3.exceptions import HTTPError as Urllib3Error

            if isinstance(exc, (Urllib3Error, OSError)):
                raise _wrap_urllib3(exc, url, self.options) from exc
            raise
        return bytes(body)


_UA_TOKEN = "archiver"


def _identity(url: str) -> str:
    try:
        return canonical_url(url)
    except InputError as exc:
        raise FetchError(str(exc)) from exc


def _netloc(url: str) -> str:
    return urlsplit(url).netloc.lower()


def _raw_chunks(raw: object) -> Iterator[bytes]:
    # decode_content=False: content coding is removed by _Inflater, under the size cap.
    yield from raw.stream(_CHUNK, decode_content=False)  # type: ignore[attr-defined]


def _too_big(limit: int, detail: str) -> str:
    return f"response larger than the {limit / MB:g} MB limit ({detail}); raise it with --max-size"


def _status_message(response: requests.Response, retries: int) -> str:
    status = response.status_code
    reason = response.reason or ""
    message = f"HTTP {status} {reason}".rstrip()
    retry_after = response.headers.get("Retry-After")
    if status in (429, 503) and retry_after:
        message += f" (the server asks to retry after {retry_after.strip()}"
        message += "s)" if retry_after.strip().isdigit() else ")"
    elif status in _RETRY_STATUSES and retries:
        message += f" (after {retries} retries)"
    return message


def _refuse_by_type(ctype: str, accept: str, url: str) -> None:
    media = media_type(ctype)
    if accept == ACCEPT_IMAGE:
        if media and not media.startswith("image/") and media not in (
            "application/octet-stream", "binary/octet-stream"
        ):
            raise FetchError(f"not an image (Content-Type {media})")
        return
    what = _BINARY_TYPES.get(media)
    if what is None and media.startswith(_BINARY_PREFIXES):
        what = f"{media.split('/')[0]} content"
    if what:
        raise NotAnArticle(f"{what} ({media}), not an HTML page; not archived")


def _refuse_by_content(body: bytes, ctype: str, accept: str, url: str) -> None:
    head = body[:4096]
    media = media_type(ctype)
    if accept == ACCEPT_IMAGE:
        if not is_image(head):
            raise FetchError(f"the response is not an image ({media or 'no Content-Type'})")
        return
    what = sniff_kind(head)
    if what:
        raise NotAnArticle(
            f"{what} (served as {media or 'no Content-Type'}), not an HTML page; not archived"
        )
    if accept == ACCEPT_FEED:
        return
    if looks_like_feed(head) and media not in _MEDIA_HTML:
        raise NotAnArticle(
            "an RSS/Atom feed, not an article page",
            hint=f"archive its items with `archiver feed {url}`",
        )
    if media and media not in _MEDIA_HTML and media not in _MEDIA_FEED and body.strip():
        if not looks_like_html(head):
            raise NotAnArticle(f"{media} content, not an HTML page; not archived")


def _wrap(exc: Exception, url: str, options: FetchOptions) -> FetchError:
    """A requests exception as one clear FetchError."""
    if not isinstance(exc, requests.RequestException):
        # requests lets urllib's ValueError out (a redirect to "http://[::1" it follows for
        # robots.txt, a URL it cannot prepare).
        return FetchError(f"invalid URL ({exc})")
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return FetchError(f"could not connect within {options.connect_timeout:g}s")
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return FetchError(f"no data for {options.read_timeout:g}s (read timeout)")
    if isinstance(exc, requests.exceptions.SSLError):
        return FetchError(f"TLS/SSL error: {_root_cause(exc)}")
    if isinstance(exc, requests.exceptions.RetryError):
        return FetchError(f"gave up after retries: {_root_cause(exc)}")
    if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
                        requests.exceptions.InvalidSchema)):
        return FetchError(f"invalid URL {url!r}")
    if isinstance(exc, requests.exceptions.ConnectionError):
        cause = _root_cause(exc)
        if "timed out" in cause.lower():
            return FetchError(f"no data for {options.read_timeout:g}s (read timeout)")
        return FetchError(f"connection failed: {cause}")
    return FetchError(f"request failed: {_root_cause(exc)}")


def _wrap_urllib3(exc: Exception, url: str, options: FetchOptions) -> FetchError:
    cause = _root_cause(exc)
    if "timed out" in cause.lower():
        return FetchError(f"no data for {options.read_timeout:g}s (read timeout)")
    return FetchError(f"connection broken while reading: {cause}")


def _root_cause(exc: BaseException) -> str:
    """The innermost useful message of a chain of requests/urllib3 errors."""
    seen = 0
    current: BaseException | None = exc
    message = str(exc)
    while current is not None and seen < 8:
        seen += 1
        reason = getattr(current, "reason", None)
        if isinstance(reason, BaseException):
            current = reason
        elif current.args and isinstance(current.args[0], BaseException):
            current = current.args[0]
        else:
            break
        message = str(current)
    # urllib3 messages carry the pool repr first: keep the part after the last colon-pair.
    if "Failed to establish a new connection" in message:
        message = message.split("Failed to establish a new connection:", 1)[1].strip()
    return message or type(exc).__name__
