"""TEMPORARY stand-in for the extraction engineer's whole-page parser (branch ``extract``).

It exists only so that ``archiver archive URL`` works and can be tested on the ``fetch`` branch
before the real parser is merged. When merging, take the ``extract`` branch's file instead.
Minimal on purpose: title from ``<h1>``/``<title>``, body from ``<article>`` or the block with
the most paragraph text, and the obvious not-an-article signatures.
"""

from __future__ import annotations

import re
from datetime import datetime

import lxml.html
from lxml import etree

from archiver.errors import NotAnArticle
from archiver.extract.clean import clean_html, finish, normalise_space
from archiver.models import Article
from archiver.urls import site_of

PARSER_VERSION = "temporary-fetch-0"
_CHALLENGE = re.compile(
    r"window\.captcha\b|safeline|cf[-_]chl[-_]|challenge-platform|<title>\s*Just a moment", re.I
)
_PLACEHOLDER = re.compile(r"原文已被删除|该内容已被发布者删除|文章已被删除|页面不存在")


def parse_html(html: str, *, url: str | None = None, fetched_at: datetime) -> Article:
    if not html.strip():
        raise NotAnArticle("the page is empty")
    if _CHALLENGE.search(html[:200_000]):
        raise NotAnArticle("a WAF/captcha challenge page")
    root = lxml.html.document_fromstring(html)
    for bad in root.xpath("//script|//style|//nav|//footer|//header"):
        bad.drop_tree()
    h1 = root.find(".//h1")
    title = normalise_space(h1.text_content() if h1 is not None else root.findtext(".//title")
                             or "").strip()
    best, best_len = None, 0
    for el in root.xpath("//article|//div|//body"):
        length = sum(len(p.text_content()) for p in el.findall("p"))
        if length > best_len:
            best, best_len = el, length
    if best is None or best_len == 0:
        raise NotAnArticle("no article body found")
    tree, _ = clean_html(etree.tostring(best, encoding="unicode"), base_url=url)
    body = finish(tree)
    if len(body.text) < 200 and _PLACEHOLDER.search(body.text):
        raise NotAnArticle("a placeholder page (原文已被删除)")
    return Article(title=title or body.text[:30], text=body.text, url=url, images=body.images,
                   lead_image=body.images[0].url if body.images else None, body_html=body.html,
                   site=site_of(url), provenance=(("title", "temporary"),),
                   parser_version=PARSER_VERSION)
