"""The headline: a heading that agrees with ``<title>``/``og:title``, not the ``<title>``
itself with its ``_新浪网`` / ``-中国日报网`` suffixes."""

from __future__ import annotations

import re

from lxml import etree

from archiver.extract.document import text_of
from archiver.extract.meta import PageMeta

_TRAILING_PART = re.compile(r"\s*[-_|｜－—–]+\s*([^-_|｜－—–]{1,16})$")


def strip_site_suffix(title: str) -> str:
    """The headline of a ``<title>``: site and channel names after ``_ - |`` go.

    >>> strip_site_suffix("民间资本路在何方-搜狐财经")
    '民间资本路在何方'
    >>> strip_site_suffix("女儿出嫁，郑板桥画了几笔兰花当嫁妆--文化--人民网")
    '女儿出嫁，郑板桥画了几笔兰花当嫁妆'
    >>> strip_site_suffix("COVID-19 vaccines")
    'COVID-19 vaccines'
    """
    title = title.strip()
    while True:
        match = _TRAILING_PART.search(title)
        # A short trailing part is a site or channel name, as long as a headline remains.
        if not match or len(title[: match.start()].strip()) < 4 or re.match(r"^\d", match.group(1)):
            return title
        title = title[: match.start()].strip()


def find_title(
    root: etree._Element, meta: PageMeta
) -> tuple[str | None, etree._Element | None, str]:
    """``(headline, its element or None, producer)``.

    A heading that equals or is contained in ``<title>``/``og:title`` wins (h1 before h2
    before h3); a lone ``<h1>`` is next; then ``og:title`` and ``<title>`` without suffixes.
    """
    page_title = ""
    title_el = root.find(".//title")
    if title_el is not None:
        page_title = text_of(title_el)
    og = meta.first("og:title", "twitter:title")
    hints = [page_title, text_of(og[1]) if og else ""]
    hints_flat = [re.sub(r"\s+", "", h) for h in hints if h]
    best: tuple[float, etree._Element, str] | None = None
    for rank, tag in enumerate(("h1", "h2", "h3")):
        for el in root.iter(tag):
            text = text_of(el)
            flat = re.sub(r"\s+", "", text)
            if len(flat) < 4 or len(flat) > 120:
                continue
            if any(flat == h for h in hints_flat):
                score = 3.0
            elif any(flat in h or (len(h) > 8 and h in flat) for h in hints_flat):
                score = 2.0
            elif tag == "h1":
                score = 0.5
            else:
                continue
            score += len(flat) / 1000 - rank * 0.6
            if best is None or score > best[0]:
                best = (score, el, text)
    if best is not None and best[0] >= 0.5:
        return best[2], best[1], f"generic:{best[1].tag}"
    if og:
        return strip_site_suffix(text_of(og[1])), None, f"meta:{og[0]}"
    if page_title:
        return strip_site_suffix(page_title), None, "generic:title"
    return None, None, "none"
