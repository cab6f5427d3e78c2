"""One feed item (its own XML, as captured by :mod:`archiver.capture.feeds`) → Article.

The item's metadata (title, link, guid, author, categories, pubDate, enclosure) is merged with
what its HTML body gives (trailing editor / reprint / source lines, images). Bodies are taken as
published (feedparser with ``sanitize_html=False``) and cleaned by :mod:`archiver.extract.clean`,
which keeps only a small structural vocabulary and resolves lazy images (``data-original``).
"""

from __future__ import annotations

import html as htmllib
import re
from datetime import datetime, timedelta, timezone

import feedparser
from lxml import etree

from archiver.errors import NotAnArticle, ParseError
from archiver.extract.byline import take_tail_bylines
from archiver.extract.clean import clean_html, finish, is_placeholder_image, normalise_space
from archiver.extract.dates import SHANGHAI, parse_date
from archiver.models import Article, Capture, Image
from archiver.urls import site_of, unwrap_proxy

PARSER_VERSION = "feeditem-1"

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>\s*")
_CJK = re.compile(r"[\u3400-\u9fff]")
_YEARLESS = re.compile(
    r"(?<![\d年/.-])(?:(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日|(?P<m2>\d{1,2})-(?P<d2>\d{1,2}))"
    r"(?:\s*(?P<H>\d{1,2})\s*[:：]\s*(?P<M>\d{2})(?:\s*[:：]\s*(?P<S>\d{2}))?)?"
)
_AGO = re.compile(r"(?P<n>\d{1,3})\s*(?P<unit>秒|分钟|小时|天)前")
_DAY_WORD = re.compile(r"(?P<w>今天|昨天|前天)\s*(?:(?P<H>\d{1,2})\s*[:：]\s*(?P<M>\d{2}))?")


def resolve_relative_date(raw: str, reference: datetime) -> datetime | None:
    """Yearless (``06月12日 12:18``, ``06-12 12:18``) and relative (``3小时前``, ``昨天 08:00``)
    dates, anchored to the capture time in Asia/Shanghai. A yearless date is never in the
    future: one that would be later than the capture is last year's.

    >>> ref = datetime(2021, 1, 5, 4, 0, tzinfo=timezone.utc)
    >>> resolve_relative_date("06月12日 12:18", ref).isoformat()
    '2020-06-12T12:18:00+08:00'
    >>> resolve_relative_date("01月05日", ref).isoformat()
    '2021-01-05T00:00:00+08:00'
    """
    local = reference.astimezone(SHANGHAI)
    text = raw.strip()
    match = _AGO.search(text)
    if match:
        n = int(match["n"])
        unit = {"秒": timedelta(seconds=n), "分钟": timedelta(minutes=n),
                "小时": timedelta(hours=n), "天": timedelta(days=n)}[match["unit"]]
        return (local - unit).replace(microsecond=0)
    match = _DAY_WORD.search(text)
    if match:
        back = {"今天": 0, "昨天": 1, "前天": 2}[match["w"]]
        day = local - timedelta(days=back)
        return day.replace(hour=int(match["H"] or 0), minute=int(match["M"] or 0), second=0,
                           microsecond=0)
    match = _YEARLESS.search(text)
    if not match:
        return None
    month = int(match["m"] or match["m2"])
    day = int(match["d"] or match["d2"])
    for year in (local.year, local.year - 1):
        try:
            moment = datetime(year, month, day, int(match["H"] or 0), int(match["M"] or 0),
                              int(match["S"] or 0), tzinfo=SHANGHAI)
        except ValueError:
            continue  # 02-29 in a year without it
        # A day of slack: the page's clock and ours may disagree about "today".
        if moment <= local + timedelta(days=1):
            return moment
    return None


def _entry(text: str) -> feedparser.FeedParserDict:
    """Parse the item XML by wrapping it in a minimal feed of its own format."""
    body = _XML_DECL.sub("", text, count=1).encode("utf-8")
    try:
        item = etree.fromstring(body, parser=etree.XMLParser(resolve_entities=False,
                                                             no_network=True))
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"feed item is not well-formed XML ({exc})") from exc
    name = etree.QName(item)
    if name.localname == "entry":
        wrapper = etree.Element(f"{{{name.namespace}}}feed" if name.namespace else "feed",
                                nsmap={None: name.namespace} if name.namespace else None)
        wrapper.append(item)
    elif name.namespace and name.namespace.startswith("http://purl.org/rss/1.0"):
        rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
        wrapper = etree.Element(f"{{{rdf}}}RDF", nsmap={"rdf": rdf, None: name.namespace})
        wrapper.append(item)
    elif name.localname == "item":
        wrapper = etree.Element("rss", version="2.0")
        etree.SubElement(wrapper, "channel").append(item)
    else:
        raise ParseError(f"<{name.localname}> is not a feed item")
    parsed = feedparser.parse(etree.tostring(wrapper, encoding="utf-8"), sanitize_html=False,
                              resolve_relative_uris=False)
    if not parsed.entries:
        raise ParseError("feed item could not be read")
    return parsed.entries[0]


def _body_html(entry: feedparser.FeedParserDict) -> str:
    for content in entry.get("content") or ():
        if content.get("value", "").strip():
            return content["value"]
    return entry.get("summary") or entry.get("description") or ""


def _published(entry: feedparser.FeedParserDict, reference: datetime) -> tuple[
    datetime | None, str | None, str | None
]:
    """``(moment, raw, producer)`` of the item's date."""
    for name in ("published", "updated", "created"):
        raw = (dict.get(entry, name) or "").strip()  # dict.get: no feedparser key aliasing
        if not raw:
            continue
        moment = parse_date(raw, reference=reference)
        if moment is not None:
            return moment, raw, f"feed-item:{name}"
        parsed = dict.get(entry, f"{name}_parsed")
        if parsed:
            return datetime(*parsed[:6], tzinfo=timezone.utc), raw, f"feed-item:{name}"
        moment = resolve_relative_date(raw, reference)
        if moment is not None:
            return moment, raw, f"feed-item:{name}"
        return None, raw, None
    return None, None, None


def _author(entry: feedparser.FeedParserDict) -> str | None:
    detail = entry.get("author_detail") or {}
    name = (detail.get("name") or entry.get("author") or "").strip()
    if not name:
        return None
    # RSS 2.0 <author> is "email (Name)"; keep the name.
    match = re.match(r"^\S+@\S+\s*\((.+)\)$", name)
    return match.group(1).strip() if match else name


def parse_feed_item(capture: Capture, text: str) -> Article:
    """The article a feed item carries. Raises :class:`NotAnArticle` for an item with neither
    body text nor images (a bare link: ``--fetch-links`` archives its page)."""
    entry = _entry(text)
    reference = capture.fetched_at
    # The capture's URL is the item's link resolved (relative links, xml:base) and checked by
    # the feed reader; an item whose link was unusable has none.
    link = capture.url
    if link is None and capture.meta_value("bad_link") is None:
        link = (entry.get("link") or "").strip() or None
    base = link or capture.meta_value("feed")
    tree = clean_html(_body_html(entry), base_url=base)
    tail = take_tail_bylines(tree)
    body = finish(tree)

    images = list(body.images)
    lead = images[0].url if images else None
    for enclosure in entry.get("enclosures") or ():
        href = unwrap_proxy((enclosure.get("href") or "").strip())
        if href and (enclosure.get("type") or "").startswith("image/") and not \
                is_placeholder_image(href):
            lead = lead or href
            if all(i.url != href for i in images):
                images.append(Image(url=href))
    for thumb in entry.get("media_thumbnail") or ():
        href = unwrap_proxy((thumb.get("url") or "").strip())
        if href and not is_placeholder_image(href):
            lead = lead or href

    title = normalise_space(htmllib.unescape(entry.get("title") or "")).strip()
    if not body.text.strip() and not images:
        raise NotAnArticle(
            f"feed item {title[:40]!r} carries no article body, only a link",
            hint="--fetch-links archives the linked page",
        )
    provenance = [("title", "feed-item:title"), ("text", "feed-item:body")]
    if not title:
        title = body.text.strip().split("\n", 1)[0][:40]
        provenance[0] = ("title", "body:first-line")
    if not title:
        raise ParseError("feed item has neither title nor text")
    published, published_raw, producer = _published(entry, reference)
    if producer:
        provenance.append(("published", producer))
    updated = None
    if dict.get(entry, "updated") and dict.get(entry, "published"):
        updated = parse_date(dict.get(entry, "updated"), reference=reference)
    author = _author(entry)
    if author:
        provenance.append(("author", "feed-item:author"))
    if tail.editor:
        provenance.append(("editor", "tail-line"))
    if tail.reprinted_from:
        provenance.append(("reprinted_from", "tail-line"))
    if tail.source:
        provenance.append(("source", "tail-line"))
    categories = tuple(dict.fromkeys(
        (t.get("term") or "").strip() for t in entry.get("tags") or () if (t.get("term") or "")
        .strip()
    ))
    site = capture.meta_value("feed_title") or site_of(link)
    return Article(
        title=title,
        text=body.text,
        url=link,
        author=author,
        editor=tail.editor,
        source=tail.source,
        reprinted_from=tail.reprinted_from,
        published=published,
        published_raw=published_raw,
        updated=updated,
        categories=categories,
        lead_image=lead,
        images=tuple(images),
        body_html=body.html,
        site=site,
        lang="zh" if _CJK.search(title + body.text[:200]) else None,
        provenance=tuple(provenance),
        parser_version=PARSER_VERSION,
    )
