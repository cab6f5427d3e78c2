"""A small YAML emitter for front matter that every YAML parser reads back exactly.

Why not ``yaml.safe_dump``: it folds long strings over several lines (a hard wrap inside a
Chinese title), sorts or reorders nothing we can't control but still picks styles per value, and
it writes dates unquoted. Here every value is a string (or a list of strings, or one level of
mapping), written:

* **plain** only when that is unambiguous in YAML 1.1 *and* 1.2 (PyYAML, js-yaml for Hexo,
  go-yaml for Hugo, Obsidian): it starts with a letter (Chinese included), has no ``: `` or
  `` #``, no surrounding blanks, no line breaks, is not a word like ``yes``/``null``, and
  ``yaml.safe_load`` gives the same string back (the final guard);
* otherwise **single-quoted** when nothing needs an escape (readable titles with ``"``);
* otherwise **double-quoted** with escapes for ``\\``, ``"``, line breaks, tabs and every
  character YAML does not allow raw (controls, C1, U+2028/2029, BOM, surrogates).

Dates are ISO 8601 strings with their offset, always quoted: unquoted, ``yaml.safe_load`` would
turn them into ``datetime`` objects (and js-yaml into UTC ``Date``\\ s), so the value read back
would not be the string written. Hexo, Hugo and Obsidian all accept quoted dates.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Union

import yaml

Value = Union[str, int, bool, Sequence["Value"], Mapping[str, "Value"]]  # noqa: UP007

# Words some YAML version reads as a boolean or null (1.1 has y/n/on/off; 1.2 true/false/null).
_RESERVED = {
    "y", "n", "yes", "no", "on", "off", "true", "false", "null", "none", "nil", "nan", "inf",
}
# Characters written as an escape inside double quotes.
_ESCAPE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff\t\n\r\"\\\\]"
)
_NAMED = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\x00": "\\0"}
_NEEDS_ESCAPE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff\t]"
)
_FLOW_INDICATORS = set(",[]{}")
_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def _escape(char: str) -> str:
    named = _NAMED.get(char)
    if named:
        return named
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def double_quoted(text: str) -> str:
    r"""A YAML double-quoted scalar.

    >>> double_quoted('a "b"\n\\c')
    '"a \\"b\\"\\n\\\\c"'
    """
    return '"' + _ESCAPE.sub(lambda m: _escape(m.group()), text) + '"'


def _plain_ok(text: str, *, flow: bool) -> bool:
    if not text or text != text.strip() or not text[0].isalpha():
        return False
    if text.lower() in _RESERVED or _NEEDS_ESCAPE.search(text):
        return False
    if ": " in text or text.endswith(":") or " #" in text or "\\" in text:
        return False
    if flow and _FLOW_INDICATORS.intersection(text):
        return False
    try:
        loaded = yaml.safe_load(f"k: [{text}]" if flow else f"k: {text}")
    except yaml.YAMLError:
        return False
    return loaded == {"k": [text] if flow else text}


def scalar(value: str | int | bool, *, flow: bool = False) -> str:
    """One value as YAML text that ``yaml.safe_load`` reads back as exactly ``value``.

    >>> scalar("多地整顿比特币挖矿")
    '多地整顿比特币挖矿'
    >>> scalar("yes"), scalar("1+1=4"), scalar('要"杀死" GPU')
    ('"yes"', '"1+1=4"', '要"杀死" GPU')
    >>> scalar("a: b"), scalar("2022-06-23T19:53:48+08:00")
    ("'a: b'", '"2022-06-23T19:53:48+08:00"')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if _plain_ok(value, flow=flow):
        return value
    if "'" not in value and not _NEEDS_ESCAPE.search(value) and ('"' in value or "\\" in value
                                                                or ": " in value):
        return "'" + value + "'"
    return double_quoted(value)


def _lines(key: str, value: Value, indent: str) -> list[str]:
    if not _KEY.match(key):
        raise ValueError(f"front-matter key {key!r} is not a simple name")
    if isinstance(value, Mapping):
        out = [f"{indent}{key}:"]
        for sub_key, sub_value in value.items():
            out += _lines(sub_key, sub_value, indent + "  ")
        return out
    if isinstance(value, (list, tuple)):
        out = [f"{indent}{key}:"]
        for item in value:
            if isinstance(item, (list, tuple)):
                # Hexo's sibling category paths: one flow sequence per path.
                out.append(f"{indent}  - [" + ", ".join(scalar(i, flow=True) for i in item) + "]")
            else:
                out.append(f"{indent}  - {scalar(item)}")
        return out
    return [f"{indent}{key}: {scalar(value)}"]


def dump(items: Mapping[str, Value]) -> str:
    """The front matter block, ``---`` lines included, keys in the order given.

    Empty values (None, "", empty lists and mappings) are left out.
    """
    lines = ["---"]
    for key, value in items.items():
        if is_empty(value):
            continue
        if isinstance(value, Mapping):
            value = {k: v for k, v in value.items() if not is_empty(v)}
            if not value:
                continue
        lines += _lines(key, value, "")
    lines.append("---")
    return "\n".join(lines) + "\n"


def is_empty(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, (list, tuple, dict)) and not value)
