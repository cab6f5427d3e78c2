"""Which date on a page is its publication date.

Order: the site rule → the visible info line when ``<meta>`` agrees on the day (it is what
readers see, with the page's own precision) → ``<meta>`` → JSON-LD → the info line alone →
``<time>`` → the first labelled date in the text. Dates labelled as something else (建立于,
更新于, 注册) and dates in link lists are passed over.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from lxml import etree

from archiver.extract.dates import iter_dates, parse_date
from archiver.extract.document import text_of
from archiver.extract.meta import PageMeta

PUB_META = (
    "article:published_time", "og:article:published_time", "og:published_time",
    "article:published", "publishdate", "publish_date", "pubdate", "publishtime",
    "publish-date", "og:release_date", "datepublished", "dc.date.issued", "dc.date",
    "dcterms.created", "sailthru.date", "parsely-pub-date", "article.published",
    "weibo:article:create_at", "bytedance:published_time", "apub:time", "firstpublishedtime",
    "date", "created", "article:modified_time",
    # Last resort: a page updated once at publication (Baijiahao's itemprop=dateUpdate).
    "dateupdate", "datemodified", "lastmodified",
)
MODIFIED_META = ("article:modified_time", "og:updated_time", "dateupdate", "datemodified")
_PUBLISH_LABEL = re.compile(
    r"发表于|发布于|发表时间|发布时间|发布日期|发稿时间|时间[:：]|日期[:：]|Published|Posted", re.I)
_OTHER_DATE = re.compile(
    r"建立于|注册|加入于?|截止|更新于|修改于|最后更新|到期|有效期|出生|生于|Updated", re.I)

Found = tuple[datetime, str, str]  # value, raw string, producer


def first_date(lines: Sequence[str], reference: datetime, *, exact_only: bool
               ) -> tuple[datetime, str] | None:
    """The publication date among ``lines``: the first one labelled as such (发表于, 发布时间 …),
    else the first one not labelled as something else (建立于, 更新于 …)."""
    fallback: tuple[datetime, str] | None = None
    for line in lines:
        for found in iter_dates(line, reference=reference):
            if exact_only and not found.exact:
                continue
            before = line[max(0, found.start - 8):found.start]
            if _OTHER_DATE.search(before):
                continue
            if _PUBLISH_LABEL.search(before):
                return found.value, found.raw
            if fallback is None:
                fallback = (found.value, found.raw)
    return fallback


def _time_element(root: etree._Element, reference: datetime) -> Found | None:
    for el in root.iter("time"):
        raw = el.get("datetime") or el.get("pubdate") or text_of(el)
        value = parse_date(raw, reference=reference)
        if value is not None:
            return value, raw, "generic:time"
    return None


def choose_published(
    *,
    root: etree._Element,
    meta: PageMeta,
    reference: datetime,
    rule_raw: str | None,
    rule_tag: str,
    info_lines: Sequence[str],
    later_lines: Sequence[str],
    page_lines: Sequence[str],
) -> Found | None:
    """The page's publication date, its raw string and what found it.

    ``info_lines`` are the lines around the headline, ``later_lines`` the start of the body
    and the lines after it, ``page_lines`` every short prose line of the page.
    """
    if rule_raw:
        value = parse_date(rule_raw, reference=reference)
        if value is not None:
            return value, rule_raw, rule_tag
    info = first_date(info_lines, reference, exact_only=False)
    metadate = meta.first(*PUB_META)
    meta_value = parse_date(metadate[1], reference=reference) if metadate else None
    if meta_value is not None and metadate is not None:
        if info is not None and info[0].date() == meta_value.astimezone(info[0].tzinfo).date():
            # Same day: the visible time is what the page shows its readers.
            return info[0], info[1], "generic:info"
        return meta_value, metadate[1], f"meta:{metadate[0]}"
    ld = meta.ld("datePublished", "dateCreated")
    if ld and isinstance(ld[1], str):
        value = parse_date(ld[1], reference=reference)
        if value is not None:
            return value, ld[1], f"jsonld:{ld[0]}"
    if info is not None:
        return info[0], info[1], "generic:info"
    found_time = _time_element(root, reference)
    if found_time is not None:
        return found_time
    found = first_date(later_lines, reference, exact_only=True) or first_date(
        page_lines, reference, exact_only=True)
    if found is not None:
        return found[0], found[1], "generic:text"
    return None


def choose_updated(meta: PageMeta, reference: datetime, published: datetime | None
                   ) -> Found | None:
    """The last-modified time the page declares, when it differs from the publication."""
    modified = meta.first(*MODIFIED_META)
    if modified:
        value = parse_date(modified[1], reference=reference)
        if value is not None and value != published:
            return value, modified[1], f"meta:{modified[0]}"
    return None
