"""JSON Lines records → Article.

Keys: ``title``, ``text`` or ``html``; optional ``url``, ``author``, ``source``, ``site``,
``published``/``date``, ``categories``, ``tags``, ``editor``, ``id``.
"""

from __future__ import annotations

import html as htmllib
from datetime import datetime
from typing import Any

from lxml import etree

from archiver.errors import ParseError
from archiver.extract.byline import take_tail_bylines
from archiver.extract.clean import clean_html, finish, normalise_space
from archiver.extract.dates import parse_date
from archiver.extract.posts import _list, _str
from archiver.models import Article
from archiver.urls import site_of

PARSER_VERSION = "records-1"


def text_to_tree(text: str) -> etree._Element:
    """Plain text → clean block tree: one paragraph per non-empty line."""
    root = etree.Element("div")
    for line in text.splitlines():
        line = normalise_space(line).strip()
        if line:
            etree.SubElement(root, "p").text = line
    return root


def parse_record(record: dict[str, Any], *, fetched_at: datetime) -> Article:
    if not isinstance(record, dict):
        raise ParseError("a JSON Lines record must be an object")
    title = _str(record.get("title"))
    if title is None:
        raise ParseError("record has no title")
    url = _str(record.get("url") or record.get("link"))
    if record.get("html"):
        tree, _ = clean_html(str(record["html"]), base_url=url)
        produced = "html"
    elif record.get("text") is not None:
        tree = text_to_tree(str(record["text"]))
        produced = "text"
    else:
        raise ParseError("record has neither 'text' nor 'html'")
    tail = take_tail_bylines(tree)
    body = finish(tree)
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
