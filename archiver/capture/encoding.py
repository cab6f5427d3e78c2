"""Charset policy: raw bytes → text, and the reason that charset was chosen.

Order: BOM → HTTP header → ``<meta charset>`` / ``http-equiv`` → charset-normalizer.
GB2312 and GBK are read as their superset GB18030 and Big5 as Big5-HKSCS, because pages that
declare the smaller charset routinely use characters only the superset has (朱镕基, 堃).
A declared charset that does not decode the bytes is overruled (reason gets ``!``-suffix
explaining which declaration lost).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    "hz-gb-2312": "gb18030",
    "big5": "big5hkscs",
    "big5-hkscs": "big5hkscs",
    "cp950": "big5hkscs",
    "x-x-big5": "big5hkscs",
    "iso-8859-1": "cp1252",  # what browsers actually do
    "latin1": "cp1252",
    "us-ascii": "utf-8",
    "ascii": "utf-8",
    "utf8": "utf-8",
}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_HEADER_CHARSET = re.compile(rb"charset\s*=\s*[\"']?\s*([\w.:\-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(
    rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:\-]+)", re.IGNORECASE
)
_XML_DECL = re.compile(rb"<\?xml[^>]+encoding\s*=\s*[\"']([\w.:\-]+)", re.IGNORECASE)
# Declarations sit in the head; browsers look at the first 1024 bytes, we allow more.
_PRESCAN = 8192


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    charset: str
    reason: str  # bom / header / meta / xml / detected / default, plus "(overruled X)" notes


def normalise_charset(name: str | None) -> str | None:
    """A Python codec name for a declared charset, widened to its superset."""
    if not name:
        return None
    label = name.strip().strip("\"'").lower()
    label = _SUPERSETS.get(label, label)
    try:
        codec = codecs.lookup(label).name
    except LookupError:
        return None
    return _SUPERSETS.get(codec, codec)


def _try(raw: bytes, charset: str) -> str | None:
    try:
        return raw.decode(charset)
    except (UnicodeDecodeError, LookupError):
        return None


def header_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = _HEADER_CHARSET.search(content_type.encode("latin-1", "replace"))
    return match.group(1).decode("ascii", "replace") if match else None


def declared_charset(raw: bytes) -> tuple[str | None, str]:
    """The charset a document declares about itself, and where (``meta`` or ``xml``)."""
    head = raw[:_PRESCAN]
    match = _META_CHARSET.search(head)
    if match:
        return match.group(1).decode("ascii", "replace"), "meta"
    match = _XML_DECL.search(head)
    if match:
        return match.group(1).decode("ascii", "replace"), "xml"
    return None, ""


def decode(raw: bytes, content_type: str | None = None, *, default: str | None = None) -> Decoded:
    """Decode ``raw`` following the policy above. Never raises on bad bytes: the last resort
    is UTF-8 with replacement characters (reason ``fallback``)."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            text = _try(raw, codec)
            if text is not None:
                return Decoded(text, codec.replace("-sig", ""), "bom")
    overruled: list[str] = []
    candidates: list[tuple[str | None, str]] = [(header_charset(content_type), "header")]
    candidates.append(declared_charset(raw))
    for declared, reason in candidates:
        if not declared:
            continue
        codec = normalise_charset(declared)
        if codec is None:
            overruled.append(f"{reason}:{declared} unknown")
            continue
        text = _try(raw, codec)
        if text is not None:
            return Decoded(text, codec, _with_notes(reason, overruled))
        overruled.append(f"{reason}:{declared}")
    # Nothing declared (or declarations were wrong). UTF-8 that decodes is almost surely
    # UTF-8; otherwise ask charset-normalizer.
    text = _try(raw, "utf-8")
    if text is not None:
        return Decoded(text, "utf-8", _with_notes("utf-8-valid" if raw else "empty", overruled))
    if default:
        codec = normalise_charset(default)
        if codec:
            text = _try(raw, codec)
            if text is not None:
                return Decoded(text, codec, _with_notes("default", overruled))
    best = from_bytes(raw[:200_000]).best()
    if best is not None and best.encoding:
        codec = normalise_charset(best.encoding) or best.encoding
        text = _try(raw, codec)
        if text is not None:
            return Decoded(text, codec, _with_notes("detected", overruled))
    return Decoded(raw.decode("utf-8", "replace"), "utf-8", _with_notes("fallback", overruled))


def _with_notes(reason: str, overruled: list[str]) -> str:
    if not overruled:
        return reason
    return f"{reason} (overruled {', '.join(overruled)})"
