"""Hexo / Markdown posts (front matter + HTML or Markdown body) → Article."""

from __future__ import annotations

import html as htmllib
from datetime import datetime
from typing import Any

from archiver.errors import ParseError
from archiver.extract.byline import take_tail_bylines
from archiver.extract.clean import clean_html, finish, is_placeholder_image
from archiver.extract.dates import parse_date
from archiver.extract.frontmatter import split_post
from archiver.models import Article
from archiver.urls import unwrap_proxy

PARSER_VERSION = "posts-1"


def _str(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _list(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        out: list[str] = []
        for item in value:
            # Hexo writes sibling category paths as nested lists; flatten them in order.
            out.extend(_list(item) if isinstance(item, (list, tuple)) else [str(item).strip()])
        return tuple(v for v in out if v)
    return tuple(v.strip() for v in str(value).split(",") if v.strip())


def looks_like_markdown(body: str) -> bool:
    """An HTML body starts with a tag; anything else is taken as Markdown."""
    return not body.lstrip().startswith("<")


def markdown_to_html(body: str) -> str:
    import markdown  # local: only Markdown posts need it

    return markdown.markdown(body, extensions=["tables", "fenced_code", "sane_lists"])


def parse_post(text: str, *, fetched_at: datetime, url: str | None = None) -> Article:
    """A Hexo post or an exported Markdown file → Article."""
    post = split_post(text)
    meta = post.meta
    title = meta.get("title")
    if title is None:
        raise ParseError("front matter has no title")
    title = htmllib.unescape(str(title))
    body = post.body
    is_markdown = looks_like_markdown(body)
    html = markdown_to_html(body) if is_markdown else body
    for key in ("url", "link", "permalink", "source_url"):
        if _str(meta.get(key)):
            url = _str(meta.get(key))
            break
    tree, _ = clean_html(html, base_url=url)
    tail = take_tail_bylines(tree)
    result = finish(tree)

    raw_date = _str(meta.get("date") or meta.get("published"))
    published = parse_date(raw_date, reference=fetched_at) if raw_date else None
    raw_updated = _str(meta.get("updated") or meta.get("lastmod"))
    updated = parse_date(raw_updated, reference=fetched_at) if raw_updated else None

    lead = None
    for key in ("image", "headimg", "thumbnail", "cover", "banner"):
        candidate = _str(meta.get(key))
        if candidate:
            candidate = unwrap_proxy(candidate)
            if not is_placeholder_image(candidate):
                lead = candidate
                break
    if lead is None and result.images:
        lead = result.images[0].url

    # Hexo feed mirrors put the feed's name (ZAKER, cnBeta …) in `author`: that is the site.
    exported = "archiver_id" in meta
    site = _str(meta.get("site")) if exported else _str(meta.get("site") or meta.get("author"))
    author = _str(meta.get("author")) if exported else None
    provenance = [("title", "front-matter"), ("text", "markdown" if is_markdown else "html")]
    if published:
        provenance.append(("published", "front-matter"))
    if tail.editor:
        provenance.append(("editor", "tail-line"))
    if tail.reprinted_from:
        provenance.append(("reprinted_from", "tail-line"))
    return Article(
        title=title,
        text=result.text,
        url=url,
        author=author,
        editor=_str(meta.get("editor")) or tail.editor,
        source=_str(meta.get("source")) or tail.source,
        reprinted_from=_str(meta.get("reprinted_from")) or tail.reprinted_from,
        published=published,
        published_raw=raw_date,
        updated=updated,
        categories=_list(meta.get("categories")),
        tags=_list(meta.get("tags")),
        lead_image=lead,
        images=result.images,
        body_html=result.html,
        site=site,
        lang=_str(meta.get("lang")) or "zh",
        provenance=tuple(provenance),
        parser_version=PARSER_VERSION,
    )
