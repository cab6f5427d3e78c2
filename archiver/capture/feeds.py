"""RSS 2.0 / RSS 1.0 / Atom feeds → one capture per item.

Each item's capture body is the item's own XML, re-serialised by lxml as a standalone UTF-8
document (namespace declarations it uses included), so that an item that did not change gives
the same bytes on the next run and the archive's (key, sha256) uniqueness turns a re-run into
"unchanged". The feed's own metadata travels in the capture's ``meta``.

Feeds are parsed strictly: a feed that is not well-formed XML is reported, never half-read.
feedparser (``sanitize_html=False``) reads the feed-level metadata; item content is left exactly
as published — its sanitiser would drop ``data-*`` attributes such as ZAKER's ``data-original``
image URLs. Sanitising happens when the item is derived (:mod:`archiver.extract.feeditem`).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import datetime

import feedparser
from lxml import etree

from archiver.capture.encoding import decode
from archiver.capture.fetch import looks_like_feed, looks_like_html
from archiver.errors import ArchiverError, FormatError
from archiver.models import KIND_FEED_ITEM, Capture
from archiver.urls import check_url, join_url

NS_ATOM = "http://www.w3.org/2005/Atom"
NS_RSS1 = "http://purl.org/rss/1.0/"
NS_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")


@dataclass(frozen=True, slots=True)
class Feed:
    url: str
    title: str | None
    link: str | None
    format: str  # rss / atom / rdf
    items: tuple[Capture, ...]


def _parser() -> etree.XMLParser:
    # No DTD loading, no entity expansion, no network: feeds are untrusted input.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, remove_blank_text=False)


def _text(el: etree._Element | None) -> str | None:
    if el is None or el.text is None:
        return None
    value = el.text.strip()
    return value or None


def _item_link(item: etree._Element, fmt: str) -> str | None:
    if fmt == "atom":
        links = item.findall(f"{{{NS_ATOM}}}link")
        for link in links:
            if link.get("rel", "alternate") == "alternate" and link.get("href"):
                return link.get("href").strip()
        return links[0].get("href").strip() if links and links[0].get("href") else None
    if fmt == "rdf":
        return _text(item.find(f"{{{NS_RSS1}}}link")) or item.get(f"{{{NS_RDF}}}about")
    link = _text(item.find("link"))
    if link:
        return link
    guid = item.find("guid")
    if guid is not None and _text(guid) and guid.get("isPermaLink", "true") != "false":
        value = _text(guid)
        if value and value.startswith(("http://", "https://")):
            return value
    return None


def _base_of(item: etree._Element) -> str | None:
    try:
        return item.base
    except ValueError:
        return None


def _fetchable(url: str) -> bool:
    try:
        check_url(url)
    except ArchiverError:
        return False
    return True


def _item_guid(item: etree._Element, fmt: str) -> str | None:
    if fmt == "atom":
        return _text(item.find(f"{{{NS_ATOM}}}id"))
    if fmt == "rdf":
        return item.get(f"{{{NS_RDF}}}about")
    return _text(item.find("guid"))


def parse_feed(raw: bytes, *, feed_url: str, fetched_at: datetime,
               content_type: str | None = None) -> Feed:
    """The items of a feed as captures. Raises :class:`FormatError` for anything that is not a
    well-formed RSS or Atom feed."""
    if not raw.strip():
        raise FormatError("empty response, not a feed")
    if not looks_like_feed(raw) and looks_like_html(raw):
        raise FormatError("an HTML page, not an RSS or Atom feed",
                          hint=f"archive the page with `archiver archive {feed_url}`")
    # Decode by archiver's charset policy rather than libxml2's: a feed declaring GB2312 is
    # read as GB18030 (libxml2 would stop at the first GBK-only character such as 镕).
    decoded = decode(raw, content_type)
    raw = _XML_DECL.sub("", decoded.text, count=1).encode("utf-8")
    try:
        # base_url: xml:base attributes (Atom) then resolve against the feed's own URL.
        root = etree.fromstring(raw, parser=_parser(), base_url=feed_url)
    except etree.XMLSyntaxError as exc:
        raise FormatError(f"not well-formed XML ({exc})", hint="the feed is broken at its "
                          "source; nothing was archived from it") from exc
    tag = etree.QName(root).localname.lower() if isinstance(root.tag, str) else ""
    if tag == "rss":
        fmt, items = "rss", root.findall("channel/item") or root.findall("item")
    elif tag == "feed" and etree.QName(root).namespace == NS_ATOM:
        fmt, items = "atom", root.findall(f"{{{NS_ATOM}}}entry")
    elif tag == "rdf":
        fmt, items = "rdf", root.findall(f"{{{NS_RSS1}}}item")
    else:
        raise FormatError(f"XML root <{tag or '?'}> is not an RSS or Atom feed")

    parsed = feedparser.parse(io.BytesIO(raw), sanitize_html=False, resolve_relative_uris=False)
    feed_title = (parsed.feed.get("title") or "").strip() or None
    feed_link = (parsed.feed.get("link") or "").strip() or None

    captures = []
    for index, item in enumerate(items):
        body = etree.tostring(item, encoding="utf-8", xml_declaration=True)
        link = _item_link(item, fmt)
        guid = _item_guid(item, fmt)
        meta = [("feed", feed_url), ("feed_format", fmt), ("item", str(index))]
        if link:
            # Relative links (and Atom's xml:base) resolve against the item's base; a link
            # that is still no http(s) URL is no identity: the item goes without one.
            resolved = join_url(_base_of(item) or feed_url, link)
            if resolved != link:
                meta.append(("link", link))
            link = resolved if _fetchable(resolved) else None
            if link is None:
                meta.append(("bad_link", resolved[:500]))
        if feed_title:
            meta.append(("feed_title", feed_title))
        if guid:
            meta.append(("guid", guid))
        captures.append(Capture(
            kind=KIND_FEED_ITEM, body=body, fetched_at=fetched_at, url=link,
            origin=feed_url, meta=tuple(meta),
        ))
    return Feed(url=feed_url, title=feed_title, link=feed_link, format=fmt, items=tuple(captures))
