"""Where exported images come from: a small interface, and how image files are named.

An *image source* is any callable ``source(url, referer) -> bytes | None``: the bytes of the
image, or None when it has none. The export asks it for every image of an article, with the
article URL as referer (Chinese image hosts refuse hot-linked requests without one). A source
may also raise; the export then reports the image as missing with the error's message.

Sources compose with :func:`first_of`: e.g. the archive's stored images first, then a download
(both are provided by the capture stage and composed by the pipeline; export never touches the
network itself).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from urllib.parse import urlsplit

ImageSource = Callable[[str, "str | None"], "bytes | None"]


_MAGIC = (
    (b"\xff\xd8\xff", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", ".png"),
    (b"GIF87a", ".gif"),
    (b"GIF89a", ".gif"),
    (b"BM", ".bmp"),
    (b"\x00\x00\x01\x00", ".ico"),
)
_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg", ".bmp", ".ico", ".heic"}


class ImageError(Exception):
    """An image could not be had (internal to image sources; reported, never raised on)."""


def sniff_extension(data: bytes) -> str | None:
    """The file extension the bytes' signature says, or None when they are no known image.

    >>> sniff_extension(b"\\x89PNG\\r\\n\\x1a\\n...."), sniff_extension(b"<html>")
    ('.png', None)
    """
    for magic, ext in _MAGIC:
        if data.startswith(magic):
            return ext
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ".webp"
    if data[4:12] in (b"ftypavif", b"ftypavis"):
        return ".avif"
    if data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"mif1"):
        return ".heic"
    head = data[:512].lstrip().lower()
    if head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in data[:2048].lower()):
        return ".svg"
    return None


def image_filename(url: str, data: bytes) -> str:
    """A stable name for an image: a hash of its URL (re-exports overwrite the same file) and
    the extension its bytes show (many CDN URLs have none or a wrong one)."""
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]
    ext = sniff_extension(data)
    if ext is None:
        suffix = re.search(r"\.[A-Za-z0-9]{2,5}$", urlsplit(url).path)
        ext = suffix.group().lower() if suffix and suffix.group().lower() in _EXTENSIONS else ".img"
    return digest + (".jpg" if ext == ".jpeg" else ext)


def first_of(*sources: ImageSource) -> ImageSource:
    """A source asking each of ``sources`` in turn; the first bytes win.

    A source that raises counts as having nothing, unless it is the last one asked.
    """

    def fetch(url: str, referer: str | None) -> bytes | None:
        error: Exception | None = None
        for source in sources:
            try:
                data = source(url, referer)
            except Exception as exc:  # noqa: BLE001 - a failing source must not stop the others
                error = exc
                continue
            if data is not None:
                return data
        if error is not None:
            raise error
        return None

    return fetch
