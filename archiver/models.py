"""Frozen data passed between the stages. No I/O here."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

# Kinds of raw input a capture can hold.
KIND_WEB = "web"
KIND_FEED_ITEM = "feed-item"
KIND_POST = "post"  # Hexo / Markdown file with front matter
KIND_JSONL = "jsonl"
CAPTURE_KINDS = (KIND_WEB, KIND_FEED_ITEM, KIND_POST, KIND_JSONL)


# Lone UTF-16 surrogates: JSON may escape them ("\ud800"), but UTF-8 (and SQLite) cannot hold
# them; they become U+FFFD where JSON records are read.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def no_surrogates(value: Any) -> Any:
    """``value`` (a JSON value) with every lone surrogate in its strings replaced by U+FFFD."""
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [no_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {no_surrogates(k): no_surrogates(v) for k, v in value.items()}
    return value


@dataclass(frozen=True, slots=True)
class Capture:
    """One raw input exactly as received; the source of truth everything else derives from."""

    kind: str  # one of CAPTURE_KINDS
    body: bytes
    fetched_at: datetime  # aware, UTC
    url: str | None = None  # as given by the user / input
    final_url: str | None = None  # after redirects
    status: int | None = None
    headers: tuple[tuple[str, str], ...] = ()
    origin: str | None = None  # file path, feed URL …
    charset: str | None = None  # how the body was decoded (filled by the decoder)
    charset_reason: str | None = None  # header / bom / meta / detected / utf-8 …
    flag: str | None = None  # set when the capture is kept for the record but is no article
    meta: tuple[tuple[str, str], ...] = ()  # small extra facts (feed item link, record id …)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()

    def header(self, name: str) -> str | None:
        lname = name.lower()
        for key, value in self.headers:
            if key.lower() == lname:
                return value
        return None

    def meta_value(self, name: str) -> str | None:
        for key, value in self.meta:
            if key == name:
                return value
        return None


@dataclass(frozen=True, slots=True)
class Image:
    url: str
    alt: str | None = None
    caption: str | None = None
    width: int | None = None
    height: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "alt": self.alt,
            "caption": self.caption,
            "width": self.width,
            "height": self.height,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Image:
        return cls(
            url=data["url"],
            alt=data.get("alt"),
            caption=data.get("caption"),
            width=data.get("width"),
            height=data.get("height"),
        )


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’.\-][A-Za-z0-9]+)*")


def count_words(text: str) -> int:
    """Chinese characters count one each; Latin/digit runs count one each.

    >>> count_words("比特币 price 2021")
    5
    """
    rest, cjk = _CJK.subn("", text)  # subn counts without building a list
    return cjk + _WORD.subn("", rest)[1]


@dataclass(frozen=True, slots=True)
class Article:
    """A clean article derived from a capture."""

    title: str
    text: str  # paragraphs separated by one blank line
    url: str | None = None
    author: str | None = None  # the people who wrote it
    editor: str | None = None  # 责任编辑
    source: str | None = None  # 来源: the outlet
    reprinted_from: str | None = None  # 转载自 / 文章整理自
    published: datetime | None = None  # aware
    published_raw: str | None = None
    updated: datetime | None = None
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    lead_image: str | None = None
    images: tuple[Image, ...] = ()
    body_html: str = ""  # cleaned structural HTML (p, h2-h4, lists, quotes, tables, figures)
    site: str | None = None  # the site or feed (ZAKER, cnBeta, sina.com.cn …)
    lang: str | None = None
    provenance: tuple[tuple[str, str], ...] = ()  # field -> what produced it
    parser_version: str = ""

    @property
    def word_count(self) -> int:
        return count_words(self.text)

    def with_changes(self, **changes: Any) -> Article:
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article as it sits in the archive, with its identity."""

    id: int
    key: str
    capture_id: int
    fetched: datetime
    article: Article


@dataclass(frozen=True, slots=True)
class CaptureInfo:
    """A capture's row without its body (for history listings)."""

    id: int
    key: str
    kind: str
    url: str | None
    final_url: str | None
    status: int | None
    fetched_at: datetime
    sha256: str
    size: int
    charset: str | None
    charset_reason: str | None
    origin: str | None
    flag: str | None


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What happened to one input."""

    origin: str
    status: str  # "imported", "updated", "unchanged", "failed", "skipped", "refused"
    article_id: int | None = None
    message: str | None = None


@dataclass(slots=True)
class Summary:
    """Counts of a batch (mutable: it is filled as the batch runs)."""

    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    skipped: int = 0
    refused: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, result: ImportResult) -> None:
        setattr(self, result.status, getattr(self, result.status) + 1)
        if result.status in ("failed", "refused") and result.message:
            self.errors.append(result.message)

    @property
    def ok(self) -> bool:
        return self.failed == 0 and self.refused == 0


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result. ``snippet`` is cut from the original text; ``highlights`` are
    ``(start, end)`` offsets (Python string indices) of the matches in ``snippet``, and
    ``title_highlights`` the same for ``title``."""

    id: int
    url: str | None
    title: str
    published: datetime | None
    source: str | None
    site: str | None
    score: float  # BM25 relevance, larger is better (0.0 with sort="date"); see search()
    snippet: str
    highlights: tuple[tuple[int, int], ...] = ()
    title_highlights: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class SearchResult:
    """A page of hits and the total number of matching articles."""

    query: str
    total: int
    hits: tuple[Hit, ...]
    offset: int = 0
    limit: int = 20
    unindexed: int = 0  # articles missing from the index (counted only when nothing matched)
