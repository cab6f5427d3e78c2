"""Front matter of Hexo / Markdown posts, including the feed-mirroring blog's sloppy YAML.

That writer single-quotes titles, switches to double quotes when the title contains ``'``, never
escapes anything inside, and writes ``&#123;``/``&#125;`` for ``{``/``}`` throughout the file.
A title with both quote kinds is therefore invalid YAML; it is recovered line by line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from archiver.errors import FormatError

_OPENING = re.compile(r"\A(?:\ufeff)?\s*---[ \t]*\r?\n")
_CLOSING = re.compile(r"^---[ \t]*\r?$", re.MULTILINE)
_BRACES = (("&#123;", "{"), ("&#125;", "}"))
_KEY_LINE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)[ \t]*:[ \t]?(?P<value>.*)$")
_ITEM_LINE = re.compile(r"^[ \t]+-[ \t]*(?P<value>.*)$")
_OURS = re.compile(r"^[ \t]*archiver_id:[ \t]*\d+[ \t]*\r?$", re.MULTILINE)


class _Loader(yaml.SafeLoader):
    """Safe YAML without implicit timestamps: dates stay the strings they were written as.

    Aliases (``*name``) are refused: no post writer uses them, and a few nested ones expand to
    millions of values when flattened (a "billion laughs" bomb); the block is then read line
    by line like any other invalid YAML.
    """

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases are not allowed in front matter", event.start_mark)
        return super().compose_node(parent, index)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True, slots=True)
class Post:
    meta: dict[str, Any]
    body: str
    recovered: bool  # the YAML was invalid and was read line by line


def has_front_matter(text: str) -> bool:
    match = _OPENING.match(text)
    return bool(match and _CLOSING.search(text, match.end()))


def _exported(text: str) -> bool:
    """The front matter holds an ``archiver_id`` line (top level, or under Hugo's params)."""
    head = _OPENING.match(text)
    if not head:
        return False
    end = _CLOSING.search(text, head.end())
    return bool(end and _OURS.search(text, head.end(), end.start()))


def split_post(text: str) -> Post:
    """Split a post into its front matter (a dict) and body. Raises FormatError."""
    if not _exported(text):  # archiver writes proper YAML and Markdown: entities stay
        for entity, char in _BRACES:
            text = text.replace(entity, char)
    match = _OPENING.match(text)
    if not match:
        raise FormatError("no front matter (a post starts with a line '---')")
    end = _CLOSING.search(text, match.end())
    if not end:
        raise FormatError("front matter is not closed by a line '---'")
    block = text[match.end():end.start()]
    body = text[end.end():].lstrip("\r\n")
    try:
        meta = yaml.load(block, Loader=_Loader)  # noqa: S506 - SafeLoader subclass
        recovered = False
        if meta is None:
            meta = {}
        if not isinstance(meta, dict):
            raise yaml.YAMLError("front matter is not a mapping")
    except (yaml.YAMLError, RecursionError):  # PyYAML recurses once per nesting level
        meta, recovered = _recover(block), True
        if not meta:
            raise FormatError("front matter is neither YAML nor 'key: value' lines") from None
    else:
        # The writer never escaped inside quotes: take quoted titles as written.
        raw = _raw_scalars(block)
        for key in ("title",):
            if key in raw and isinstance(meta.get(key), str) and not written_by_archiver(meta):
                meta[key] = raw[key]
        # An unquoted title YAML reads as something else ("yes" → True, "1.10" → 1.1,
        # "[转载]" → a list) is taken as written.
        if meta.get("title") is not None and not isinstance(meta["title"], str):
            plain = _plain_scalar(block, "title")
            if plain:
                meta["title"] = plain
    return Post(meta={str(k): v for k, v in meta.items()}, body=body, recovered=recovered)


def written_by_archiver(meta: dict[str, Any]) -> bool:
    """A front matter archiver's export wrote (``archiver_id`` at the top, or under Hugo's
    ``params``): proper YAML, read as it is."""
    params = meta.get("params")
    return "archiver_id" in meta or (isinstance(params, dict) and "archiver_id" in params)


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        inner = value[1:-1]
        return inner.replace("''", "'") if value[0] == "'" else inner
    return value


def _raw_scalars(block: str) -> dict[str, str]:
    """Single-line quoted scalars exactly as written (no YAML escape processing)."""
    found: dict[str, str] = {}
    for line in block.splitlines():
        match = _KEY_LINE.match(line)
        if match:
            value = match["value"].strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                found[match["key"]] = _unquote(value)
    return found


def _plain_scalar(block: str, key: str) -> str | None:
    """The text after ``key:`` on its line, as written (no YAML typing)."""
    for line in block.splitlines():
        match = _KEY_LINE.match(line)
        if match and match["key"] == key:
            return _unquote(match["value"].split(" #")[0]) or None
    return None


def _recover(block: str) -> dict[str, Any]:
    """Read ``key: value`` lines and ``- item`` lists without YAML."""
    meta: dict[str, Any] = {}
    current: str | None = None
    for line in block.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item = _ITEM_LINE.match(line)
        if item and current is not None:
            if not isinstance(meta.get(current), list):
                meta[current] = []
            meta[current].append(_unquote(item["value"]))
            continue
        match = _KEY_LINE.match(line)
        if not match:
            continue
        current = match["key"]
        value = match["value"].strip()
        if value.startswith("[") and value.endswith("]"):
            meta[current] = [_unquote(v) for v in value[1:-1].split(",") if v.strip()]
        else:
            meta[current] = _unquote(value) if value else None
    return meta
