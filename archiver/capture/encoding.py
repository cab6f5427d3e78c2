"""Charset policy: raw bytes → text, and the rule that chose the charset.

The issue lists the order *HTTP header → BOM → <meta> → charset-normalizer*. We deliberately put
the byte-order mark first, as the WHATWG encoding standard (and so every browser) does: a BOM is
an unambiguous statement inside the bytes themselves, while a ``Content-Type`` charset is very
often a server-wide default that nobody checked. The full order:

1. **BOM** (UTF-8, UTF-16, UTF-32) — reason ``bom``.
2. **HTTP header** ``charset=`` — reason ``header``. A Latin-1 / Windows-1252 / ASCII header is
   *weak*: it is the stock default of Apache and many frameworks and is nearly always wrong on a
   Chinese page, so it is consulted only after ``<meta>``, and a detector verdict for a CJK
   multi-byte charset overrules it.
3. **In-document declaration**: ``<meta charset>``, ``<meta http-equiv=Content-Type>`` or the XML
   declaration — reason ``meta`` / ``xml``.
4. **Valid UTF-8** — reason ``utf-8-valid``; **charset-normalizer** otherwise — ``detected``.

GB2312 and GBK are read as their superset GB18030, Big5 as Big5-HKSCS, because pages that declare
the smaller charset routinely use characters only the superset has (朱镕基, 堃, 𠮷).

A declaration is *overruled* when it does not decode the bytes, or when it names a legacy
charset but the bytes are valid UTF-8 containing several three-byte sequences (GBK or Big5 text
practically never forms those by accident; the reverse — UTF-8 mislabelled by a stale header or
template — is common). The overruled declarations are noted in the reason, e.g.
``detected (overruled header:utf-8)``.
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
    "gb_2312": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    "euc_cn": "gb18030",
    "hz-gb-2312": "gb18030",
    "big5": "big5hkscs",
    "big5-hkscs": "big5hkscs",
    "cp950": "big5hkscs",
    "x-x-big5": "big5hkscs",
    "iso-8859-1": "cp1252",  # what browsers actually do
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "utf-8",
    "ascii": "utf-8",
    "utf8": "utf-8",
}
# Declarations that are usually a server default rather than a statement about the page.
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
_HAN = re.compile("[\u3400-\u9fff]")
_NOT_PAGE_CHARSETS = {"punycode", "idna", "undefined", "unicode-escape", "raw-unicode-escape",
                      "utf-7", "mbcs", "oem", "charmap", "palmos"}
_WEAK = {"cp1252", "latin-1", "iso8859-1"}
# Multi-byte charsets a detector may name; such a verdict beats a weak header.
_CJK = {"gb18030", "big5hkscs", "euc_jp", "shift_jis", "cp932", "euc_kr", "cp949", "iso2022_jp"}
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
_NON_ASCII = re.compile(rb"[\x80-\xff]")
# Declarations sit in the head; browsers look at the first 1024 bytes, we allow more.
_PRESCAN = 8192
# Why characters from U+0800 up: CJK text in UTF-8 is three-byte sequences, and GBK/Big5 bytes
# almost never form one by accident (that needs an E0-EF lead byte followed by two bytes in
# 80-BF). Two-byte sequences are no evidence: GBK "一一一" (D2 BB …) is valid UTF-8 "һһһ".
# Why 8: a real UTF-8 Chinese page has hundreds; a handful can be chance.
_WIDE = re.compile("[\u0800-\U0010ffff]")
_UTF8_EVIDENCE = 8
_DETECT_BYTES = 200_000
# How many undecodable spots a declared charset may have and still be believed.
_FEW_BAD_BYTES = 16


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    charset: str
    reason: str  # bom / header / meta / xml / utf-8-valid / detected / default / fallback / empty


def normalise_charset(name: str | None) -> str | None:
    """A Python codec name for a declared charset, widened to its superset.

    >>> normalise_charset("GB2312"), normalise_charset("big5"), normalise_charset("nonsense")
    ('gb18030', 'big5hkscs', None)
    """
    if not name:
        return None
    label = name.strip().strip("\"'").lower()
    label = _SUPERSETS.get(label, label)
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    codec = info.name
    # Python codecs that are no charset of any web page: bytes-to-bytes transforms (base64,
    # zip, rot13) and text codecs that fail or mangle on arbitrary bytes (a page declaring
    # "punycode" or "undefined" must not be decoded with them).
    if not getattr(info, "_is_text_encoding", True) or codec in _NOT_PAGE_CHARSETS:
        return None
    return _SUPERSETS.get(codec, codec)


def _try(raw: bytes, charset: str) -> str | None:
    try:
        return raw.decode(charset)
    except (UnicodeError, LookupError):  # some codecs raise a bare UnicodeError
        return None


def header_charset(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type header value."""
    if not content_type:
        return None
    match = _HEADER_CHARSET.search(content_type.encode("latin-1", "replace"))
    return match.group(1).decode("ascii", "replace") if match else None


def declared_charset(raw: bytes) -> tuple[str | None, str]:
    """The charset a document declares about itself, and where (``meta`` or ``xml``)."""
    head = raw[:_PRESCAN]
    match = _META_CHARSET.search(head)
    if match:
        label = match.group(1).decode("ascii", "replace")
        # A <meta> read in ASCII-compatible bytes cannot truthfully say UTF-16 (WHATWG).
        if label.lower().replace("_", "-").startswith(("utf-16", "utf-32")):
            label = "utf-8"
        return label, "meta"
    match = _XML_DECL.search(head)
    if match:
        return match.group(1).decode("ascii", "replace"), "xml"
    return None, ""


def _implausible(text: str) -> bool:
    """Text decoded without error but in the wrong charset: GB18030 decodes almost any byte
    pairs, and Big5 text read as GBK lands in its private-use areas (no real page's text is
    full of them)."""
    sample = text[:_DETECT_BYTES]
    private = len(_PRIVATE_USE.findall(sample))
    return private >= 8 and private * 20 >= len(_HAN.findall(sample))


def _clearly_utf8(raw: bytes) -> bool:
    """Valid UTF-8 with enough three-byte sequences to be evidence rather than chance."""
    text = _try(raw, "utf-8")
    if text is None:
        return False
    return len(_WIDE.findall(text, 0, _DETECT_BYTES)) >= _UTF8_EVIDENCE


def _detect(raw: bytes) -> str | None:
    best = from_bytes(raw[:_DETECT_BYTES]).best()
    if best is None or not best.encoding:
        return None
    return normalise_charset(best.encoding) or best.encoding


def decode(raw: bytes, content_type: str | None = None, *, default: str | None = None) -> Decoded:
    """Decode ``raw`` following the policy above. Never raises on bad bytes: the last resort
    is UTF-8 with replacement characters (reason ``fallback``)."""
    if not raw:
        return Decoded("", "utf-8", "empty")
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            text = _try(raw, codec)
            if text is not None:
                return Decoded(text, codec.replace("-sig", ""), "bom")
    overruled: list[str] = []
    damaged: list[tuple[str, str]] = []  # declared charsets that failed on some bytes
    header = header_charset(content_type)
    header_codec = normalise_charset(header)
    weak_header = header_codec in _WEAK
    candidates: list[tuple[str | None, str]] = []
    if not weak_header:
        candidates.append((header, "header"))
    candidates.append(declared_charset(raw))
    utf8 = _clearly_utf8(raw)
    for declared, reason in candidates:
        if not declared:
            continue
        codec = normalise_charset(declared)
        if codec is None:
            overruled.append(f"{reason}:{declared} unknown")
            continue
        if codec != "utf-8" and utf8:
            overruled.append(f"{reason}:{declared}")
            continue
        text = _try(raw, codec)
        if text is not None and _implausible(text):
            overruled.append(f"{reason}:{declared}")
            continue
        if text is not None:
            return Decoded(text, codec, _with_notes(reason, overruled))
        overruled.append(f"{reason}:{declared}")
        damaged.append((codec, reason))
    if weak_header and header_codec:
        # Real Latin-1 text with accents is never valid UTF-8, so any valid UTF-8 wins here.
        any_utf8 = bool(_NON_ASCII.search(raw)) and _try(raw, "utf-8") is not None
        detected = None if any_utf8 or not _NON_ASCII.search(raw) else _detect(raw)
        if any_utf8 or detected in _CJK:
            overruled.append(f"header:{header}")
        else:
            text = _try(raw, header_codec)
            if text is not None:
                return Decoded(text, header_codec, _with_notes("header", overruled))
    # Nothing usable declared. UTF-8 with three-byte sequences (or pure ASCII) is UTF-8;
    # two-byte-only UTF-8 may be GBK by chance, so the detector gets a say.
    text = _try(raw, "utf-8")
    if text is not None and (utf8 or not _NON_ASCII.search(raw) or _detect(raw) not in _CJK):
        return Decoded(text, "utf-8", _with_notes("utf-8-valid", overruled))
    if default:
        codec = normalise_charset(default)
        if codec:
            text = _try(raw, codec)
            if text is not None:
                return Decoded(text, codec, _with_notes("default", overruled))
    # A page whose declared charset fails on a few stray bytes (a truncated character, a bad
    # byte pasted in) is still in that charset: replace those bytes rather than guess anew.
    for codec, reason in damaged:
        text = raw.decode(codec, "replace")
        bad = text.count("\ufffd")
        if bad <= max(_FEW_BAD_BYTES, len(text) // 1000):
            return Decoded(text, codec, _with_notes(f"{reason} ({bad} bad bytes replaced)", []))
    codec = _detect(raw)
    if codec:
        text = _try(raw, codec)
        if text is not None:
            return Decoded(text, codec, _with_notes("detected", overruled))
    return Decoded(raw.decode("utf-8", "replace"), "utf-8", _with_notes("fallback", overruled))


def _with_notes(reason: str, overruled: list[str]) -> str:
    if not overruled:
        return reason
    return f"{reason} (overruled {', '.join(overruled)})"
