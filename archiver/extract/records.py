"""JSON Lines records → Article.

Keys: ``title``, ``text`` or ``html``; optional ``url``, ``author``, ``source``, ``site``,
``published``/``date``, ``categories``, ``tags``, ``editor``, ``id``.
"""

from __future__ import annotations

import html as htmllib
from datetime import datetime
from typing import Any

from archiver.errors import ParseError
from archiver.extract.byline import (
    TailByline,
    take_tail_bylines,
    take_tail_bylines_from_paragraphs,
)
from archiver.extract.clean import Body, clean_html, finish, normalise_space
from archiver.extract.dates import parse_date
from archiver.extract.posts import _list, _str
from archiver.models import Article
from archiver.urls import site_of

PARSER_VERSION = "records-1"


def text_to_body(text: str) -> tuple[Body, TailByline]:
    """Plain text → clean body: one paragraph per non-empty line (no HTML parsing needed)."""
    paragraphs = [p for p in (normalise_space(line).strip() for line in text.splitlines()) if p]
    paragraphs, tail = take_tail_bylines_from_paragraphs(paragraphs)
    html = "".join(f"<p>{htmllib.escape(p, quote=False)}</p>" for p in paragraphs)
    return Body(html=html, text="\n\n".join(paragraphs), images=()), tail


def parse_record(record: dict[str, Any], *, fetched_at: datetime) -> Article:
    if not isinstance(record, dict):
        raise ParseError("a JSON Lines record must be an object")
    for name in ("title", "text", "html"):
        value = record.get(name)
        if isinstance(value, (dict, list)):
            kind = "an object" if isinstance(value, dict) else "a list"
            raise ParseError(f"record field {name!r} is {kind}, not text")
    title = _str(record.get("title"))
    if title is None:
        raise ParseError("record has no title")
    url = _str(record.get("url") or record.get("link"))
    if record.get("html"):
        tree = clean_html(str(record["html"]), base_url=url)
        tail = take_tail_bylines(tree)
        body = finish(tree)
        produced = "html"
    elif record.get("text") is not None:
        body, tail = text_to_body(str(record["text"]))
        produced = "text"
    else:
        raise ParseError("record has neither 'text' nor 'html'")
    if not body.text:
        raise ParseError("record has an empty text")
    raw_date = _str(record.get("published") or record.get("date"))
    published = parse_date(raw_date, reference=fetched_at) if raw_date else None
    source = _str(record.get("source"))
    return Article(
        title=htmllib.unescape(title),
        text=body.text,
        url=url,
        author=_str(record.get("author")),
        editor=_str(record.get("editor")) or tail.editor,
        source=source or tail.source,
        reprinted_from=_str(record.get("reprinted_from")) or tail.reprinted_from,
        published=published,
        published_raw=raw_date,
        categories=_list(record.get("categories")),
        tags=_list(record.get("tags")),
        lead_image=_str(record.get("image")) or (body.images[0].url if body.images else None),
        images=body.images,
        body_html=body.html,
        site=_str(record.get("site")) or site_of(url) or source,
        lang=_str(record.get("lang")) or "zh",
        provenance=(("title", "record"), ("text", f"record:{produced}")),
        parser_version=PARSER_VERSION,
    )
