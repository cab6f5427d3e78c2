"""Page metadata: ``<meta>`` tags and JSON-LD, read once into a small lookup."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree


@dataclass(slots=True)
class PageMeta:
    """``<meta>`` values by lower-cased name/property, and the JSON-LD article objects."""

    tags: dict[str, list[str]] = field(default_factory=dict)
    jsonld: list[dict[str, Any]] = field(default_factory=list)

    def first(self, *names: str) -> tuple[str, str] | None:
        """``(name, value)`` of the first present, non-empty tag among ``names``."""
        for name in names:
            for value in self.tags.get(name, ()):
                if value.strip():
                    return name, value.strip()
        return None

    def ld(self, *keys: str) -> tuple[str, Any] | None:
        """``(key, value)`` of the first JSON-LD article key present."""
        for obj in self.jsonld:
            for key in keys:
                value = obj.get(key)
                if value:
                    return key, value
        return None


_ARTICLE_TYPES = re.compile(r"article|posting|report|blog|webpage", re.IGNORECASE)


def _walk_ld(data: Any, out: list[dict[str, Any]]) -> None:
    if isinstance(data, list):
        for item in data:
            _walk_ld(item, out)
    elif isinstance(data, dict):
        if "@graph" in data:
            _walk_ld(data["@graph"], out)
        kind = data.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if any(isinstance(k, str) and _ARTICLE_TYPES.search(k) for k in kinds):
            out.append(data)


def read_meta(root: etree._Element) -> PageMeta:
    """Collect the metadata of a parsed page."""
    meta = PageMeta()
    for el in root.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or
               el.get("http-equiv") or "").strip().lower()
        value = el.get("content")
        if key and value is not None:
            meta.tags.setdefault(key, []).append(value)
    for el in root.iter("script"):
        if (el.get("type") or "").lower() != "application/ld+json" or not el.text:
            continue
        try:
            data = json.loads(el.text.strip().rstrip(";"))
            _walk_ld(data, meta.jsonld)
        except (ValueError, RecursionError):
            continue  # broken (or absurdly nested) JSON-LD is common and never fatal
    return meta


def ld_name(value: Any) -> str | None:
    """The name in a JSON-LD person/organisation value (string, object or list)."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        name = value.get("name")
        return name.strip() if isinstance(name, str) and name.strip() else None
    if isinstance(value, list):
        names = [n for n in (ld_name(v) for v in value) if n]
        return " ".join(names) or None
    return None
