"""WARC in and out, with warcio.

Writing (:func:`write_warc`): each web capture becomes a ``request`` and a ``response`` record
(``WARC-Concurrent-To`` links them) carrying the stored status line, headers and payload; each
feed item a ``resource`` record. Bodies are stored decoded (content and transfer coding removed,
see :mod:`archiver.capture.fetch`), so the response headers are adjusted to match — a
``Content-Length`` for the payload, no ``Content-Encoding``/``Transfer-Encoding`` — and the
original values are kept as ``X-Archiver-Original-…`` headers. archiver's own facts ride in
``Archiver-*`` WARC headers (kind, flag, URL as requested, feed) so a round trip loses nothing.

Reading (:func:`read_warc`): WARC files from wget, Heritrix, warcio/pywb and archiver itself,
plain or gzipped. Successful HTML responses (and HTML ``resource`` records) become web
captures; archiver's feed-item records become feed-item captures. Requests, redirects, errors,
revisits, metadata and non-HTML payloads (images, CSS, scripts) are skipped: they are not
articles.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timezone
from http.client import responses as REASONS
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archiver.capture.fetch import looks_like_html, media_type, sniff_kind
from archiver.errors import ArchiverError, FormatError, InputError
from archiver.models import KIND_FEED_ITEM, KIND_WEB, Capture
from archiver.store.archive import Archive

log = logging.getLogger("archiver")

EXPORTED_KINDS = (KIND_WEB, KIND_FEED_ITEM)
# Larger records are not articles (same bound as for files).
MAX_RECORD = 50 * 2**20
_DROP_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}
_HTML_TYPES = {"text/html", "application/xhtml+xml"}


def _warc_date(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _response_headers(capture: Capture) -> StatusAndHeaders:
    status = capture.status or 200
    headers: list[tuple[str, str]] = []
    for name, value in capture.headers:
        lower = name.lower()
        if lower in ("content-encoding", "transfer-encoding"):
            headers.append((f"X-Archiver-Original-{name}", value))
        elif lower != "content-length":
            headers.append((name, value))
    headers.append(("Content-Length", str(len(capture.body))))
    reason = REASONS.get(status, "")
    return StatusAndHeaders(f"{status} {reason}".strip(), headers, protocol="HTTP/1.1")


def _request_headers(capture: Capture, target: str) -> StatusAndHeaders:
    parts = urlsplit(target)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    headers = [("Host", parts.netloc)]
    agent = capture.meta_value("user_agent")
    if agent:
        headers.append(("User-Agent", agent))
    headers.append(("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"))
    return StatusAndHeaders(f"GET {path} HTTP/1.1", headers, is_http_request=True)


def _archiver_headers(capture: Capture) -> dict[str, str]:
    extra = {"Archiver-Kind": capture.kind}
    if capture.url and capture.final_url and capture.url != capture.final_url:
        extra["Archiver-Requested-URI"] = capture.url
    if capture.flag:
        extra["Archiver-Flag"] = capture.flag
    if capture.meta:
        extra["Archiver-Meta"] = json.dumps(dict(capture.meta), ensure_ascii=True)
    return extra


def write_warc(
    archive: Archive,
    path: str | os.PathLike[str],
    *,
    capture_ids: Iterable[int] | None = None,
    article_ids: Iterable[int] | None = None,
    kinds: Iterable[str] = EXPORTED_KINDS,
    include_flagged: bool = True,
    compress: bool | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write captures to a WARC file (gzipped per record when ``path`` ends in ``.gz`` or
    ``compress`` is true). Returns the number of captures written.

    ``capture_ids`` limits the export to those captures, ``article_ids`` to every capture of
    those articles (all versions, flagged ones included unless ``include_flagged`` is false);
    by default every web and feed-item capture is written, oldest first. Posts and JSON Lines
    records have no HTTP exchange and are never written.
    """
    from archiver import __version__

    path = Path(path)
    gz = path.name.endswith(".gz") if compress is None else compress
    kinds = tuple(kinds)
    marks = ", ".join("?" for _ in kinds)
    flag = "" if include_flagged else " AND flag IS NULL"
    if capture_ids is not None:
        ids = list(capture_ids)
    elif article_ids is not None:
        ids = []
        for article_id in article_ids:
            ids += [row[0] for row in archive.conn.execute(
                f"""SELECT c.id FROM captures c JOIN articles a ON a.key = c.key
                    WHERE a.id = ? AND c.kind IN ({marks}){flag} ORDER BY c.id""",
                (article_id, *kinds))]
    else:
        ids = [row[0] for row in archive.conn.execute(
            f"SELECT id FROM captures WHERE kind IN ({marks}){flag} ORDER BY id", kinds)]
    written = 0
    tmp = path.with_name(path.name + ".part")
    try:
        with open(tmp, "wb") as handle:
            writer = WARCWriter(handle, gzip=gz, warc_version="1.1")
            writer.write_record(writer.create_warcinfo_record(path.name, {
                "software": f"archiver/{__version__}",
                "format": "WARC File Format 1.1",
                "description": "captures exported from an archiver archive; payloads are "
                               "stored decoded (content coding removed)",
            }))
            for capture_id in ids:
                capture = archive.capture(capture_id)
                if capture.kind not in kinds or (capture.flag and not include_flagged):
                    continue
                for record in _records(writer, capture):
                    writer.write_record(record)
                written += 1
                if progress:
                    progress(1)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return written


def _records(writer: WARCWriter, capture: Capture) -> list:
    date = _warc_date(capture.fetched_at)
    extra = _archiver_headers(capture)
    if capture.kind == KIND_WEB and capture.status is not None:
        target = capture.final_url or capture.url or ""
        response = writer.create_warc_record(
            target, "response", payload=BytesIO(capture.body), length=len(capture.body),
            http_headers=_response_headers(capture),
            warc_headers_dict={"WARC-Date": date, **extra},
        )
        request = writer.create_warc_record(
            target, "request", http_headers=_request_headers(capture, target),
            warc_headers_dict={
                "WARC-Date": date,
                "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID"),
            },
        )
        return [request, response]
    # Feed items (and web captures without an HTTP exchange) are resources.
    target = capture.url or f"urn:sha256:{capture.sha256}"
    content_type = capture.header("content-type") or (
        "application/xml" if capture.kind == KIND_FEED_ITEM else "text/html"
    )
    return [writer.create_warc_record(
        target, "resource", payload=BytesIO(capture.body), length=len(capture.body),
        warc_content_type=content_type, warc_headers_dict={"WARC-Date": date, **extra},
    )]


def _parse_date(value: str | None) -> datetime:
    if value:
        text = value.strip().replace("Z", "+00:00")
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            moment = None
        if moment is not None:
            return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return datetime.now(timezone.utc)


def _target(record: object) -> str | None:
    uri = record.rec_headers.get_header("WARC-Target-URI")  # type: ignore[attr-defined]
    if not uri:
        return None
    return uri.strip().strip("<>")  # WARC 1.0 writers (older wget) bracket it


def _is_html(content_type: str | None, head: bytes) -> bool:
    media = media_type(content_type)
    if sniff_kind(head):
        return False
    if media in _HTML_TYPES:
        return True
    return not media or media in ("text/plain", "application/octet-stream") and \
        looks_like_html(head)


def read_warc(path: str | os.PathLike[str]) -> Iterator[Capture | ArchiverError]:
    """Captures in a WARC file (plain or gzipped). A damaged file raises :class:`FormatError`
    after yielding the records before the damage; per-record problems are yielded."""
    origin = str(path)
    try:
        handle = open(path, "rb")
    except OSError as exc:
        raise InputError(exc.strerror or str(exc)) from exc
    with handle:
        try:
            for record in ArchiveIterator(handle):
                try:
                    capture = _capture(record, origin)
                except ArchiverError as exc:
                    yield exc
                    continue
                _check_complete(record)
                if capture is not None:
                    yield capture
        except ArchiveLoadFailed as exc:
            raise FormatError(f"damaged WARC file ({exc.msg if hasattr(exc, 'msg') else exc})"
                              ) from exc
        except (EOFError, OSError, ValueError) as exc:
            raise FormatError(f"damaged or truncated WARC file ({exc})") from exc
        except ArchiverError:
            raise
        except Exception as exc:  # warcio trips over odd records (AttributeError on a record
            # without a target URI): the records before it are kept, the file is reported
            raise FormatError(f"damaged WARC file ({type(exc).__name__}: {exc})") from exc


def _check_complete(record: object) -> None:
    """Read what is left of the record; a block shorter than its Content-Length is damage."""
    raw = record.raw_stream  # type: ignore[attr-defined]
    while raw.read(1 << 16):
        pass
    missing = getattr(raw, "limit", 0)
    if missing > 0:
        uri = _target(record) or record.rec_type  # type: ignore[attr-defined]
        raise FormatError(f"truncated WARC file: the record for {uri} lacks {missing:,} bytes")


def _capture(record: object, origin: str) -> Capture | None:
    rec_type = record.rec_type  # type: ignore[attr-defined]
    headers = record.rec_headers  # type: ignore[attr-defined]
    if rec_type not in ("response", "resource"):
        return None
    target = _target(record)
    kind = headers.get_header("Archiver-Kind") or KIND_WEB
    fetched_at = _parse_date(headers.get_header("WARC-Date"))
    http = record.http_headers  # type: ignore[attr-defined]
    status: int | None = None
    http_pairs: tuple[tuple[str, str], ...] = ()
    if rec_type == "response":
        if http is None:
            return None  # dns:, whois: … responses
        try:
            status = int(http.get_statuscode())
        except (TypeError, ValueError):
            return None
        if not 200 <= status < 300:
            return None  # redirects and errors are not articles
        http_pairs = tuple((k, v) for k, v in http.headers)
        content_type = http.get_header("Content-Type")
    else:
        content_type = headers.get_header("Content-Type")
    length = int(headers.get_header("Content-Length") or 0)
    if length > MAX_RECORD:
        return None
    stream = record.content_stream()  # type: ignore[attr-defined]  # dechunked, decoded
    body = stream.read(MAX_RECORD + 1)
    if len(body) > MAX_RECORD:
        return None
    meta: tuple[tuple[str, str], ...] = ()
    raw_meta = headers.get_header("Archiver-Meta")
    if raw_meta:
        try:
            meta = tuple((str(k), str(v)) for k, v in json.loads(raw_meta).items())
        except (ValueError, AttributeError):
            meta = ()
    if kind == KIND_FEED_ITEM:
        return Capture(kind=KIND_FEED_ITEM, body=body, fetched_at=fetched_at,
                       url=None if (target or "").startswith("urn:") else target,
                       origin=origin, meta=meta)
    if kind != KIND_WEB or not _is_html(content_type, body[:4096]):
        return None
    requested = headers.get_header("Archiver-Requested-URI")
    return Capture(
        kind=KIND_WEB, body=body, fetched_at=fetched_at, url=requested or target,
        final_url=target, status=status, headers=http_pairs, origin=origin,
        flag=None, meta=meta,
    )
