"""Safe, deterministic file names for exported articles: ``<date>-<slug>.md``.

A name is built from the article alone (its date and title), so re-exporting writes the same
files. What is removed or changed, and why:

* characters illegal on Windows (``<>:"/\\|?*``), control characters, and everything that is
  neither a letter, a digit (any script: Chinese is kept), ``-`` nor ``_`` become one ``-``;
  ``#``, ``%``, ``&``, ``?`` would also break the URLs static-site tools derive from file names;
* NFKC folding, so full-width ``ＷＩＮ１１`` is ``WIN11`` and the name is the same on macOS
  (which stores names decomposed) and elsewhere;
* Windows reserved device names (``CON``, ``NUL``, ``COM1`` … also with an extension) get a
  ``_`` appended; trailing dots and spaces are stripped (Windows drops them silently);
* the whole name is at most 255 bytes in UTF-8 (the limit of ext4, APFS and NTFS alike;
  a Chinese character is 3 bytes), cut at a character boundary;
* nothing can contain a path separator or be ``.``/``..``, so no name escapes the output folder;
* an empty slug (title empty or only punctuation) becomes ``article-<id>``.

Collisions are decided case-insensitively (macOS and Windows folders are) and get ``-<id>``.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

MAX_BYTES = 255
# Letters and digits of any script, plus - and _; \w also admits combining marks, which is fine.
_NOT_SLUG = re.compile(r"[^\w-]+")
# A run of - and _ holding a dash is one dash ("小科普 _ 硬盘" → "小科普-硬盘");
# "Win11_Win10" stays.
_DASHES = re.compile(r"[-_]*-[-_]*")
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$", re.IGNORECASE)
_ILLEGAL = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')


def slugify(title: str, *, max_bytes: int = 120) -> str:
    """A URL- and file-system-safe slug that keeps Chinese.

    >>> slugify("85万核心的世界最大AI芯片打破记录：要\\"杀死\\" GPU！")
    '85万核心的世界最大AI芯片打破记录-要-杀死-GPU'
    >>> slugify("../../etc/passwd")
    'etc-passwd'
    >>> slugify("  ")
    ''
    """
    text = unicodedata.normalize("NFKC", title)
    text = _NOT_SLUG.sub("-", text)
    text = _DASHES.sub("-", text).strip("-_")
    return truncate_bytes(text, max_bytes).strip("-_")


def truncate_bytes(text: str, max_bytes: int) -> str:
    """``text`` cut to at most ``max_bytes`` UTF-8 bytes, never inside a character."""
    data = text.encode("utf-8")
    if len(data) <= max_bytes:
        return text
    return data[:max_bytes].decode("utf-8", "ignore")


def safe_component(name: str, *, max_bytes: int = MAX_BYTES, fallback: str = "_") -> str:
    """Any string made into one safe path component (for names not built by :func:`slugify`).

    >>> safe_component("CON")
    'CON_'
    >>> safe_component("a/b..")
    'a-b'
    >>> safe_component("..")
    '_'
    """
    text = unicodedata.normalize("NFKC", name)
    text = _ILLEGAL.sub("-", text)
    text = text.strip().rstrip(". ")
    if _RESERVED.match(text):
        stem, dot, ext = text.partition(".")
        text = f"{stem}_{dot}{ext}"
    text = truncate_bytes(text, max_bytes).rstrip(". ")
    if not text or set(text) <= {".", " "}:
        return fallback
    return text


def article_stem(title: str, when: datetime | None, article_id: int | None = None, *,
                 reserve: int = 0) -> str:
    """``<YYYY-MM-DD>-<slug>`` (no extension), with room for ``reserve`` more bytes."""
    date = when.strftime("%Y-%m-%d") if when else "undated"
    room = MAX_BYTES - reserve - len(date) - 1
    slug = slugify(title, max_bytes=min(room, 200))
    if not slug:
        slug = f"article-{article_id}" if article_id is not None else "article"
    return safe_component(f"{date}-{slug}", max_bytes=MAX_BYTES - reserve)


class NameAllocator:
    """Hands out unique file names within one output folder.

    Names are compared case-insensitively and NFC-normalised; a name already taken gets
    ``-<id>`` (or ``-2``, ``-3`` … without an id) before its extension.
    """

    def __init__(self) -> None:
        self._taken: set[str] = set()

    @staticmethod
    def _key(name: str) -> str:
        return unicodedata.normalize("NFC", name).casefold()

    def take(self, stem: str, ext: str, article_id: int | None = None) -> str:
        """A unique ``stem + ext`` of at most 255 bytes (``ext`` includes its dot)."""
        ext_bytes = len(ext.encode("utf-8"))
        base = truncate_bytes(stem, MAX_BYTES - ext_bytes).rstrip(". ")
        name = base + ext
        counter = 1
        while self._key(name) in self._taken:
            counter += 1
            suffix = f"-{article_id}" if article_id is not None and counter == 2 else f"-{counter}"
            room = MAX_BYTES - ext_bytes - len(suffix)
            name = truncate_bytes(base, room).rstrip(". ") + suffix + ext
        self._taken.add(self._key(name))
        return name
