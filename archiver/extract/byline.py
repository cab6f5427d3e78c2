"""Bylines: who wrote it (author), who edited it (editor), which outlet (source), where it was
reprinted from. An editor is never the author; an outlet is never the author.

This module handles the trailing lines of feed items, e.g. ``（编辑：崔崔）`` and
``（文章整理自澎湃新闻）`` at the end of ZAKER items, removing them from the clean body once
they are captured in fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

_OPEN = r"[（(【\[]"
_CLOSE = r"[）)】\]]"
_NAME = r"[^（()）【】\[\]\n]{1,40}?"
# Editor, at the end of a text: "（编辑：崔崔）", "责任编辑：王五", "（责编：李四）".
_EDITOR = re.compile(
    rf"(?:{_OPEN}\s*)?(?:责任编辑|编辑|责编|编审|校对)\s*[:：]\s*(?P<name>{_NAME})\s*(?:{_CLOSE})?\s*$"
)
# Reprint notes: "（文章整理自澎湃新闻）", "本文来自微信公众号：X", "转载自X".
_REPRINT = re.compile(
    rf"(?:{_OPEN}\s*)?(?:文章|本文|内容)?(?:整理自|转载自|转自|来自|摘自|编译自)\s*[:：]?\s*"
    rf"(?P<name>{_NAME})\s*(?:{_CLOSE})?\s*[。.]?\s*$"
)
# "（来源：新华社）" at the end.
_SOURCE = re.compile(
    rf"(?:{_OPEN}\s*)?(?:来源|稿源|出处)\s*[:：]\s*(?P<name>{_NAME})\s*(?:{_CLOSE})?\s*$"
)
_TRAILING_PUNCT = re.compile(r"[\s,，。.;；、]+$")


@dataclass(frozen=True, slots=True)
class TailByline:
    editor: str | None = None
    reprinted_from: str | None = None
    source: str | None = None


def _clean_name(name: str) -> str | None:
    name = _TRAILING_PUNCT.sub("", name.strip())
    # A name with sentence punctuation is a sentence, not a name.
    if not name or re.search(r"[，。！？；]", name):
        return None
    return name


def _match_tail(text: str) -> tuple[str, str, int] | None:
    """``(field, value, start)`` when ``text`` ends with a byline note."""
    for field, pattern in (("editor", _EDITOR), ("reprinted_from", _REPRINT), ("source", _SOURCE)):
        match = pattern.search(text)
        if not match:
            continue
        start = match.start()
        before = text[:start]
        # The note must stand alone or be bracketed after a finished sentence.
        bracketed = bool(re.match(_OPEN, text[start:]))
        if before.strip() and not (bracketed and re.search(r"[。！？!?.）)”\"]\s*$", before)):
            continue
        name = _clean_name(match.group("name"))
        if name:
            return field, name, start
    return None


def take_tail_bylines(root: etree._Element, *, max_blocks: int = 3) -> TailByline:
    """Remove byline notes from the last paragraphs of a clean block tree and return them."""
    found: dict[str, str] = {}
    for _ in range(max_blocks * 2):
        if not len(root) or root[-1].tag != "p":
            break
        para = root[-1]
        full = "".join(para.itertext()).rstrip()
        hit = _match_tail(full)
        if not hit:
            break
        field, value, start = hit
        note_length = len(full) - start
        if not full[:start].strip():
            root.remove(para)
        else:
            # Trim the note from the paragraph's last text node, when it lies wholly inside it.
            last = para[-1] if len(para) else None
            node = (last.tail if last is not None else para.text) or ""
            node = node.rstrip()
            if len(node) < note_length:
                break  # the note spans markup; leave the paragraph as it is
            trimmed = node[: len(node) - note_length].rstrip()
            if last is not None:
                last.tail = trimmed
            else:
                para.text = trimmed
        found.setdefault(field, value)
    return TailByline(
        editor=found.get("editor"),
        reprinted_from=found.get("reprinted_from"),
        source=found.get("source"),
    )


def take_tail_bylines_from_paragraphs(paragraphs: list[str], *, max_blocks: int = 3) -> tuple[
    list[str], TailByline
]:
    """The same as :func:`take_tail_bylines` for plain-text paragraphs."""
    paragraphs = list(paragraphs)
    found: dict[str, str] = {}
    for _ in range(max_blocks * 2):
        if not paragraphs:
            break
        hit = _match_tail(paragraphs[-1].rstrip())
        if not hit:
            break
        field, value, start = hit
        found.setdefault(field, value)
        remainder = paragraphs[-1][:start].rstrip()
        if remainder:
            paragraphs[-1] = remainder
        else:
            paragraphs.pop()
    return paragraphs, TailByline(
        editor=found.get("editor"),
        reprinted_from=found.get("reprinted_from"),
        source=found.get("source"),
    )
