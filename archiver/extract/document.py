"""Reading a page into lxml, and the small helpers every field extractor shares."""

from __future__ import annotations

import functools
import re

import lxml.html
from lxml import etree

from archiver.errors import NotAnArticle, ParseError
from archiver.extract.clean import normalise_space, remove_keep_tail
from archiver.extract.content import SKIP
from archiver.extract.rules import Rule

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>", re.I)
# C0 controls (but tab, newline, return) are never text; libxml2 turns NUL into U+FFFD.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


# libxml2 checks each attribute against all earlier ones of the tag: 50,000 attributes on one
# tag take half a minute. Only tags long enough to hold thousands are looked at.
_LONG_TAG_CHARS = 20000
_LONG_TAG = re.compile(r"<([A-Za-z][\w:-]*)([^<>]{" + str(_LONG_TAG_CHARS) + ",})>")
_MAX_ATTRIBUTES = 1000


def _fewer_attributes(match: re.Match[str]) -> str:
    if match[2].count("=") <= _MAX_ATTRIBUTES:
        return match[0]
    return f"<{match[1]}>"  # a tag no page writes by hand: its attributes are junk


def load_document(html: str) -> etree._Element:
    """Parse a page into an lxml tree; raises :class:`ParseError` when lxml cannot."""
    # lxml refuses a str that still declares its byte encoding.
    html = _XML_DECL.sub("", html, count=1)
    # Splitting on ">" is a fast C scan: only a page with a 20,000-character run between two
    # ">" can hold a tag that long, and only then is the (slow) regex worth running.
    if max(map(len, html.split(">")), default=0) >= _LONG_TAG_CHARS:
        html = _LONG_TAG.sub(_fewer_attributes, html)
    if not html.strip():
        raise NotAnArticle("not an article: the page is empty")
    try:
        root = lxml.html.document_fromstring(html, parser=_parser())
    except ValueError:
        # Control characters make lxml refuse a str; they are rare, so strip them only then.
        try:
            root = lxml.html.document_fromstring(_CONTROL.sub("", html), parser=_parser())
        except (etree.ParserError, ValueError) as exc:
            raise ParseError(f"the page cannot be parsed as HTML ({exc})") from exc
    except etree.ParserError as exc:
        raise ParseError(f"the page cannot be parsed as HTML ({exc})") from exc
    if _TOO_DEEP(root):  # a C-level probe; the Python walk below is for the rare deep page
        _flatten_deep(root)
    return root


# The extractors walk the tree recursively (a frame or two per level). Pages with hundreds of
# unclosed <font>/<div> tags nest deeper than Python's recursion limit allows; below this
# depth, wrapper tags are dropped (their text and children kept in place), which flattens the
# page without losing its paragraphs, headings, images or links.
_MAX_DEPTH = 150
_LIBXML2_DEPTH = 2048
# Any element deeper than _MAX_DEPTH below the root (html = level 1).
_TOO_DEEP = etree.XPath("boolean(" + "/*" * (_MAX_DEPTH + 1) + ")")
_WRAPPERS = frozenset(
    "div span font b i u s em strong small big center section article main aside nav header "
    "footer table thead tbody tfoot tr td th ul ol li dl dt dd blockquote form label fieldset "
    "sup sub tt code pre abbr cite q ins del mark nobr".split())


def _flatten_deep(root: etree._Element) -> None:
    deep: list[etree._Element] = []
    depth = deepest = 0
    for event, el in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            depth += 1
            deepest = max(deepest, depth)
            if depth > _MAX_DEPTH and el.tag in _WRAPPERS:
                deep.append(el)
        else:
            depth -= 1
    if deepest >= _LIBXML2_DEPTH:
        # libxml2 silently drops everything below this depth: what is left is no page.
        raise ParseError("the page is nested too deeply to read")
    for el in deep:
        el.drop_tag()  # iterative: children and text move to the parent


@functools.cache
def _parser() -> lxml.html.HTMLParser:
    # huge_tree: libxml2 otherwise silently drops everything nested deeper than 255 levels,
    # which 2000s pages with hundreds of unclosed <font> tags reach.
    return lxml.html.HTMLParser(huge_tree=True)


def prune(root: etree._Element) -> None:
    """Drop scripts, styles, comments and the like (their text is never content)."""
    for el in list(root.iter(etree.Comment, etree.ProcessingInstruction, *SKIP)):
        if el.tag in ("title", "head"):
            continue
        if el.getparent() is not None:
            remove_keep_tail(el)


def text_of(el: etree._Element | str) -> str:
    """Visible text of an element (or an XPath string result), blanks normalised."""
    if isinstance(el, str):
        return normalise_space(el).strip()
    return normalise_space(el.text_content()).strip()


def rule_hits(rule: Rule, root: etree._Element, name: str) -> list[etree._Element | str]:
    """What the first matching XPath of a rule field selects."""
    for path in rule.paths(name):
        try:
            found = path(root)
        except etree.XPathEvalError:
            continue
        if isinstance(found, list):
            hits = [f for f in found if isinstance(f, (str, etree._Element))]
            if hits:
                return hits
        elif isinstance(found, str) and found.strip():
            return [found]
    return []


def rule_text(rule: Rule | None, root: etree._Element, name: str) -> str | None:
    """The first non-empty text a rule field selects."""
    if rule is None:
        return None
    for hit in rule_hits(rule, root, name):
        text = text_of(hit)
        if text:
            return text
    return None
