"""Files as inputs: find them, recognise their format by content, turn them into captures.

Formats: Hexo/Markdown posts (front matter), JSON Lines (optionally gzip-compressed), saved HTML
pages. Extensions are ignored — the seed corpus is a ``.txt``.
"""

from __future__ import annotations

import gzip
import io
import json
import stat
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from archiver.errors import ArchiverError, FormatError, InputError
from archiver.models import KIND_JSONL, KIND_POST, KIND_WEB, Capture, no_surrogates

FORMAT_POST = "post"
FORMAT_JSONL = "jsonl"
FORMAT_HTML = "html"
FORMAT_WARC = "warc"
_SNIFF = 64 * 1024
# A single post or page larger than this is not an article (JSON Lines are streamed instead).
MAX_DOCUMENT = 50 * 1024 * 1024
_SKIP_DIRS = {".git", ".hg", ".svn", "__pycache__", "node_modules", ".venv"}


@dataclass(frozen=True, slots=True)
class Found:
    path: Path
    explicit: bool  # named by the user (errors are reported) rather than found in a folder


def walk(paths: Iterable[str | Path]) -> Iterator[Found]:
    """Files named, and files below folders named (recursively, in name order)."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for sub in sorted(path.rglob("*")):
                if sub.is_file() and not _SKIP_DIRS.intersection(sub.relative_to(path).parts):
                    yield Found(sub, explicit=False)
        else:
            yield Found(path, explicit=True)


def check_regular(path: Path) -> None:
    """InputError unless ``path`` is a regular file: opening a FIFO would wait forever for a
    writer, and a device never ends."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise InputError(exc.strerror or str(exc)) from exc
    if stat.S_ISDIR(mode):
        raise InputError("is a folder")
    if not stat.S_ISREG(mode):
        raise InputError("not a regular file (a FIFO, socket or device)")


def _is_binary(head: bytes) -> bool:
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls > max(4, len(head) // 100)


def sniff(head: bytes) -> str:
    """The format of a file from its first bytes; raises InputError when it has none."""
    if head[:2] == b"\x1f\x8b":
        return "gzip"
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if not text:
        raise InputError("empty file")
    if text.startswith(b"WARC/"):
        return FORMAT_WARC  # before the binary check: WARC payloads are often binary
    if _is_binary(head):
        raise InputError("binary file, not a post, JSON Lines or HTML page")
    if text.startswith(b"---"):
        return FORMAT_POST
    if text.startswith(b"{"):
        return FORMAT_JSONL
    lowered = text[:1024].lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in lowered or (
        b"<head" in lowered or b"<body" in lowered
    ):
        return FORMAT_HTML
    raise InputError(
        "not a supported format (no front matter '---', not JSON Lines, not an HTML page)"
    )


def _utf8(raw: bytes, what: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not valid UTF-8 at byte {exc.start} ({what} must be UTF-8)") from None


def read(found: Found, *, fetched_at: datetime | None = None) -> Iterator[Capture | ArchiverError]:
    """Captures in a file. Per-record problems are yielded as errors so the rest goes on;
    problems with the file as a whole are raised as InputError."""
    fetched_at = fetched_at or datetime.now(timezone.utc)
    path = found.path
    origin = str(path)
    check_regular(path)
    try:
        with open(path, "rb") as handle:
            head = handle.read(_SNIFF)
    except OSError as exc:
        raise InputError(exc.strerror or str(exc)) from exc
    fmt = sniff(head)
    if fmt == "gzip":
        yield from _read_gzip(path, origin, fetched_at)
        return
    if fmt == FORMAT_JSONL:
        with open(path, "rb") as handle:
            yield from _jsonl(handle, origin, fetched_at)
        return
    if fmt == FORMAT_WARC:
        yield from _warc(path, fetched_at)
        return
    if path.stat().st_size > MAX_DOCUMENT:
        raise InputError(f"larger than {MAX_DOCUMENT // 2**20} MB, not an article")
    raw = path.read_bytes()
    if fmt == FORMAT_POST:
        _utf8(raw, "posts")
        yield Capture(kind=KIND_POST, body=raw, fetched_at=fetched_at, origin=origin)
    else:
        yield Capture(kind=KIND_WEB, body=raw, fetched_at=fetched_at, origin=origin)


def _read_gzip(path: Path, origin: str, fetched_at: datetime) -> Iterator[Capture | ArchiverError]:
    try:
        with gzip.open(path, "rb") as handle:
            head = handle.peek(_SNIFF)[:_SNIFF] if hasattr(handle, "peek") else b""
            inner = sniff(head)
            if inner == FORMAT_WARC:
                yield from _warc(path, fetched_at)
                return
            if inner != FORMAT_JSONL:
                raise InputError(f"compressed {inner} files are not supported; decompress first")
            yield from _jsonl(handle, origin, fetched_at)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise InputError(f"damaged or truncated gzip data ({exc})") from exc


def _jsonl(
    handle: io.BufferedIOBase, origin: str, fetched_at: datetime
) -> Iterator[Capture | ArchiverError]:
    for number, line in enumerate(handle, start=1):
        stripped = line.strip()
        if not stripped:
            continue
        try:
            record = no_surrogates(json.loads(stripped))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            yield FormatError(f"line {number}: not a JSON object ({exc})")
            continue
        except RecursionError:  # the json module recurses once per nesting level
            yield FormatError(f"line {number}: JSON nested too deeply")
            continue
        except ValueError as exc:  # e.g. an integer of more than 4300 digits
            yield FormatError(f"line {number}: unreadable JSON ({str(exc).split(';')[0]})")
            continue
        if not isinstance(record, dict):
            yield FormatError(f"line {number}: not a JSON object")
            continue
        meta = [("line", str(number))]
        if record.get("id") is not None:
            meta.append(("record_id", str(record["id"])))
        url = record.get("url") or record.get("link")
        yield Capture(
            kind=KIND_JSONL,
            body=stripped,
            fetched_at=fetched_at,
            url=str(url) if url else None,
            origin=origin,
            meta=tuple(meta),
        )


def _warc(path: Path, fetched_at: datetime) -> Iterator[Capture | ArchiverError]:
    try:
        from archiver.capture.warc import read_warc
    except ImportError:  # pragma: no cover - the WARC reader lands with fetching
        raise InputError("WARC files are not supported yet") from None
    yield from read_warc(path)
