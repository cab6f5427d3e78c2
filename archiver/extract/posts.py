"""Hexo / Markdown posts (front matter + HTML or Markdown body) → Article."""

from __future__ import annotations

import html as htmllib
from datetime import datetime
from typing import Any

from archiver.errors import ParseError
from archiver.extract.byline import take_tail_bylines
from archiver.extract.clean import clean_html, finish, is_placeholder_image
from archiver.extract.dates import parse_date
from archiver.extract.frontmatter import split_post, written_by_archiver
from archiver.models import Article
from archiver.urls import unwrap_proxy

PARSER_VERSION = "posts-1"


def _str(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list, tuple, set)):
        return None  # a mapping or a list is not the text of a field
    text = str(value).strip()
    return text or None


def _list(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, dict):
        return ()  # no writer puts categories in a mapping: nothing usable
    if isinstance(value, (list, tuple)):
        out: list[str] = []
        for item in value:
            # Hexo writes sibling category paths as nested lists; flatten them in order.
            if isinstance(item, (list, tuple)):
                out.extend(_list(item))
            elif item is not None and not isinstance(item, dict):
                out.append(str(item).strip())
        return tuple(v for v in out if v)
    return tuple(v.strip() for v in str(value).split(",") if v.strip())


def _profile_keys(meta: dict[str, Any]) -> dict[str, Any]:
    """Front matter of an archiver export under any profile → archiver's own keys.

    Hugo keeps custom keys under ``params``; Obsidian names the article URL ``source`` (and the
    outlet ``outlet``), the date ``published`` and the capture time ``created``.
    """
    meta = dict(meta)
    params = meta.pop("params", None)
    if isinstance(params, dict):
        for key, value in params.items():
            meta.setdefault(str(key), value)
    if "outlet" in meta or ("url" not in meta and _is_url(meta.get("source"))):
        meta["url"] = meta.get("url") or meta.get("source")
        meta["source"] = meta.pop("outlet", None)
    return meta


def _is_url(value: Any) -> bool:
    return isinstance(value, str) and value.strip().lower().startswith(("http://", "https://"))


def _captioned_figures(html: str) -> str:
    """Images that stand alone in a paragraph with a title (``![alt](url "caption")``, how
    archiver exports captioned figures) → ``<figure>`` with a ``<figcaption>``.

    An alt text equal to the caption was written for want of an alt text, and is dropped.
    """
    import lxml.html
    from lxml import etree

    if "<img" not in html:
        return html
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    changed = False
    for para in list(root.iter("p")):
        kids = list(para)
        if len(kids) != 1 or kids[0].tag != "img" or not kids[0].get("title"):
            continue
        if (para.text or "").strip() or (kids[0].tail or "").strip():
            continue
        img = kids[0]
        caption = img.attrib.pop("title")
        if img.get("alt") == caption:
            del img.attrib["alt"]
        figure = etree.Element("figure")
        img.tail = None
        figure.append(img)
        etree.SubElement(figure, "figcaption").text = caption
        figure.tail = para.tail
        para.getparent().replace(para, figure)
        changed = True
    if not changed:
        return html
    return (root.text or "") + "".join(
        etree.tostring(c, method="html", encoding="unicode") for c in root
    )


def looks_like_markdown(body: str) -> bool:
    """An HTML body starts with a tag; anything else is taken as Markdown."""
    return not body.lstrip().startswith("<")


def markdown_to_html(body: str) -> str:
    import markdown  # local: only Markdown posts need it

    return markdown.markdown(body, extensions=["tables", "fenced_code", "sane_lists"])


def parse_post(text: str, *, fetched_at: datetime, url: str | None = None) -> Article:
    """A Hexo post or an exported Markdown file → Article."""
    post = split_post(text)
    exported = written_by_archiver(post.meta)
    meta = _profile_keys(post.meta) if exported else post.meta
    title = meta.get("title")
    if title is None:
        raise ParseError("front matter has no title")
    if isinstance(title, (dict, list, tuple, set)):
        raise ParseError(f"front matter title is a {type(title).__name__}, not text")
    # The feed mirror wrote entities into titles; archiver writes the title as it is.
    title = str(title) if exported else htmllib.unescape(str(title))
    body = post.body
    # archiver exports Markdown, even when a paragraph opens with inline HTML (<sup>…).
    is_markdown = exported or looks_like_markdown(body)
    html = markdown_to_html(body) if is_markdown else body
    if is_markdown and exported:
        html = _captioned_figures(html)
    for key in ("url", "link", "permalink", "source_url"):
        if _str(meta.get(key)):
            url = _str(meta.get(key))
            break
    tree = clean_html(html, base_url=url)
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
