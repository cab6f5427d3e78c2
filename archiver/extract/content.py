"""Generic main-content detection on lxml, aware of Chinese text.

The page is read as a sequence of *blocks*: the text a block-level element owns directly (its
own text plus that of its inline descendants). Each block is judged on three measures:

* length in characters (a CJK character is one unit, as is every Latin letter: a page is in one
  language, so only relative lengths matter),
* link density (characters inside ``<a>`` over all characters),
* punctuation, where the full-width ``，。！？；：、`` count as well as ASCII ``,.;:!?``.

Prose (punctuated, not made of links) is *good* text; link text and short unpunctuated labels
(menus, tag clouds, dates, "相关阅读" lists) are *bad* text. The article is the element whose
subtree maximises ``good - BAD_WEIGHT * bad``: the page root holds all the bad text, a single
paragraph too little of the good text, and the article container sits in between. This works
the same on 1998 table layouts (the article is a ``<td>``) and on modern portals.

Containers whose class or id says they are boilerplate (comments, share bars, recommendations,
footers …) have their text counted as bad, so a comment thread below the story does not pull
the choice up to a wider ancestor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

# Elements that start a new block of text.
BLOCK = frozenset({
    "html", "body", "div", "p", "section", "article", "main", "header", "footer", "aside", "nav",
    "table", "tbody", "thead", "tfoot", "tr", "td", "th", "ul", "ol", "li", "dl", "dt", "dd",
    "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "center", "form", "figure",
    "figcaption", "address", "fieldset", "br", "hr",
})
# Elements whose text is never content.
SKIP = frozenset({
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
    "select", "option", "textarea", "button", "head", "title", "link", "meta", "input", "map",
})
# Candidates for "the article container" (a <p> or <li> may win only when nothing wraps it).
CONTAINERS = frozenset({
    "body", "div", "section", "article", "main", "td", "center", "font", "span", "p", "blockquote",
    "table", "tbody", "tr", "dd", "li",
})
PUNCT = frozenset("，。！？；：、,.;:!?…“”「」")
# Why 1.5: a link character costs more than a prose character gains, so menus and related-link
# lists next to the story never pay for themselves, yet a short "来源：<a>新华网</a>" inside the
# story does not push the choice down to a single paragraph.
BAD_WEIGHT = 1.5
# Short unpunctuated blocks (labels, dates, menu items) count half as bad.
LABEL_MAX = 30

_BOILERPLATE = re.compile(
    r"comment|reply|share|sharing|social|footer|\bfoot|(?<![a-z])nav|menu|breadcrumb|crumb|"
    r"sidebar|side-?bar|(?<![a-z])aside|related|recommend|(?<![a-z])hot|rank|advert|"
    r"(?<![a-z])ads?(?![a-z])|banner|copyright|login|toolbar|pagination|pager|subscribe|qrcode|"
    r"erweima|popup|modal|cookie|(?<![a-z])tags?(?![a-z])|(?<![a-z])more(?![a-z])|"
    r"xgyd|xgxw|tuijian|jubao|weibo",
    re.IGNORECASE,
)
_CONTENTISH = re.compile(
    r"article|content|main|post|(?<![a-z])body|text|detail|story|entry|(?<![a-z])news",
    re.IGNORECASE,
)
_SPACE = re.compile(r"\s+")


@dataclass(slots=True)
class Block:
    """The text one block-level element owns directly, in document order."""

    el: etree._Element
    text: str = ""
    chars: int = 0
    link_chars: int = 0
    punct: int = 0

    @property
    def link_density(self) -> float:
        return self.link_chars / self.chars if self.chars else 0.0


@dataclass(slots=True)
class Analysis:
    """Measures of a page: its blocks and the score of every candidate container."""

    blocks: list[Block] = field(default_factory=list)
    good: dict[etree._Element, float] = field(default_factory=dict)
    bad: dict[etree._Element, float] = field(default_factory=dict)
    best: etree._Element | None = None
    best_score: float = 0.0


def _tag(el: etree._Element) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def is_boilerplate(el: etree._Element) -> bool:
    """Class/id or tag say this element is page furniture (comments, share bar, nav …)."""
    tag = _tag(el)
    if tag in ("nav", "footer", "aside"):
        return True
    names = (el.get("class") or "") + " " + (el.get("id") or "")
    if not names.strip():
        return False
    if not _BOILERPLATE.search(names):
        return False
    # "article-content share-enabled" is content; "article-share" is not.
    hit = _BOILERPLATE.search(names)
    content = _CONTENTISH.search(names)
    return not (content and content.start() > hit.start() and tag in ("article", "main"))


class _Walker:
    def __init__(self) -> None:
        self.analysis = Analysis()

    def run(self, root: etree._Element) -> Analysis:
        self.block(root, False)
        return self.analysis

    def block(self, el: etree._Element, boiler: bool) -> tuple[float, float]:
        """Measure a block element; returns its subtree's (good, bad)."""
        boiler = boiler or is_boilerplate(el)
        own = Block(el)
        parts: list[str] = []
        good = bad = 0.0
        g, b = self.inline(el, own, parts, False, boiler)
        good += g
        bad += b
        text = _SPACE.sub(" ", "".join(parts)).strip()
        own.text = text
        if own.chars:
            self.analysis.blocks.append(own)
            if boiler or own.link_density > 0.5:
                bad += own.chars
            elif own.punct == 0 and own.chars < LABEL_MAX:
                bad += 0.5 * (own.chars - own.link_chars) + own.link_chars
            else:
                good += own.chars - own.link_chars
                bad += own.link_chars
        self.analysis.good[el] = good
        self.analysis.bad[el] = bad
        return good, bad

    def inline(self, el: etree._Element, own: Block, parts: list[str], in_link: bool,
               boiler: bool) -> tuple[float, float]:
        """Read the inline content of ``el`` into ``own``; recurse into child blocks."""
        good = bad = 0.0
        self.add(el.text, own, parts, in_link)
        for child in el:
            tag = _tag(child)
            if tag and tag not in SKIP:
                if tag in BLOCK and tag != "br":
                    g, b = self.block(child, boiler)
                    good += g
                    bad += b
                    parts.append("\n")
                elif tag == "br":
                    parts.append("\n")
                else:
                    g, b = self.inline(child, own, parts, in_link or tag == "a", boiler)
                    good += g
                    bad += b
            self.add(child.tail, own, parts, in_link)
        return good, bad

    @staticmethod
    def add(text: str | None, own: Block, parts: list[str], in_link: bool) -> None:
        if not text:
            return
        parts.append(text)
        stripped = _SPACE.sub("", text)
        n = len(stripped)
        if not n:
            return
        own.chars += n
        if in_link:
            own.link_chars += n
        own.punct += sum(1 for ch in stripped if ch in PUNCT)


def analyse(root: etree._Element) -> Analysis:
    """Measure every block and pick the article container (``Analysis.best``)."""
    analysis = _Walker().run(root)
    best, best_score = None, 0.0
    for el, good in analysis.good.items():
        if _tag(el) not in CONTAINERS:
            continue
        score = good - BAD_WEIGHT * analysis.bad[el]
        if score > best_score:
            best, best_score = el, score
    analysis.best, analysis.best_score = best, best_score
    return analysis


def drop_boilerplate(el: etree._Element) -> None:
    """Remove boilerplate descendants (comments, share bars …) from ``el`` in place."""
    for child in list(el.iter()):
        if child is el or not isinstance(child.tag, str):
            continue
        if is_boilerplate(child):
            parent = child.getparent()
            if parent is not None:
                _remove_keep_tail(child)


def _remove_keep_tail(el: etree._Element) -> None:
    parent = el.getparent()
    tail = el.tail
    if tail and tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)
