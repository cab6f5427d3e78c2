"""Pages that list several dated entries: the article is the first entry.

Blog archive pages ("2005年3月" with every post of the month in full), forum threads (the
opening post, then the replies) and some portal list pages hold several *entries* built alike:
each has its own short dated line (the post's time stamp) and its own prose. The content
detector rightly finds that the container of all entries holds the most prose, but a person
archiving the page keeps one entry, the first: the newest post of a blog, the opening post of
a thread.

An entry list is recognised by structure, never by site: among the children of the chosen
container (or of the single wrapper inside it that holds nearly all of its prose), at least two
share one structural signature (tag, class and the block skeleton of their first levels), each
carries a short line with a full date and prose of its own, and together they hold nearly all
the container's prose. A story whose paragraphs merely mention dates does not qualify: its
paragraphs are leaves, not entries with a dated line *and* prose below it.
"""

from __future__ import annotations

from lxml import etree

from archiver.extract.content import CONTAINERS, Analysis, Block
from archiver.extract.dates import iter_dates

# Tags that make up an entry's skeleton; inline markup and paragraphs vary from post to post.
_SKELETON = frozenset({
    "div", "section", "article", "header", "footer", "table", "tbody", "thead", "tr", "td",
    "th", "ul", "ol", "li", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
})
# Why 3: deep enough to tell a post (title row, body cell, footer) from a paragraph or a
# related-links box, shallow enough that the post's own content (a table in one post, a list
# in the next) does not change its signature.
_SKELETON_DEPTH = 3
# Why 60: a time stamp line (with at most a title, author or counter beside it) is short; a
# sentence of story that happens to name a date is longer.
_STAMP_MAX = 60
# Why 40: an entry has prose of its own beyond its stamp line, at least a couple of sentences.
_ENTRY_MIN_GOOD = 40.0
# Why 0.8: the entries hold nearly all the container's prose; when a story of its own precedes
# a list of dated items (a timeline, a few comments), the container is that story, not a list.
_ENTRIES_SHARE = 0.8
# Why 0.9: a wrapper child holding this much of its parent's prose is the same container.
_WRAPPER_SHARE = 0.9


def _tag(el: etree._Element) -> str:
    return el.tag if isinstance(el.tag, str) else ""


def _signature(el: etree._Element) -> tuple:
    """Tag, class and block skeleton (first levels) of an element."""
    parts: set[tuple[int, str, str]] = set()
    level = [el]
    for depth in range(1, _SKELETON_DEPTH + 1):
        level = [k for parent in level for k in parent if _tag(k) in _SKELETON]
        parts.update((depth, _tag(k), k.get("class") or "") for k in level)
    return _tag(el), el.get("class") or "", frozenset(parts)


def _is_stamp(block: Block | None) -> bool:
    # Only dates with their year (iter_dates without a reference yields no other): entries
    # carry their own time stamp ("2005-03-21 01:20:44", "2005年8月12日", "March 21, 2005");
    # yearless dates are too common in ordinary lines to count.
    return (block is not None and 0 < block.chars <= _STAMP_MAX
            and next(iter_dates(block.text), None) is not None)


def _has_stamp(el: etree._Element, blocks: dict[etree._Element, Block]) -> bool:
    """A time stamp line inside the entry, or a date heading right above it (blog archives
    print one date heading over each post)."""
    if any(_is_stamp(blocks.get(node)) for node in el.iter()):
        return True
    previous = el.getprevious()
    return previous is not None and _is_stamp(blocks.get(previous))


def _descend(analysis: Analysis, el: etree._Element) -> etree._Element:
    """Through wrappers: the innermost element holding nearly all of ``el``'s prose."""
    while True:
        total = analysis.good.get(el, 0.0)
        inner = [k for k in el if analysis.good.get(k, 0.0) >= _WRAPPER_SHARE * total > 0]
        if len(inner) != 1:
            return el
        el = inner[0]


def first_entry(analysis: Analysis, container: etree._Element) -> etree._Element | None:
    """The first entry when ``container`` lists several dated entries, else ``None``."""
    parent = _descend(analysis, container)
    total = analysis.good.get(parent, 0.0)
    if total <= 0:
        return None
    blocks = {b.el: b for b in analysis.blocks}
    groups: dict[tuple, list[etree._Element]] = {}
    for child in parent:
        if _tag(child) and analysis.good.get(child, 0.0) > 0:
            groups.setdefault(_signature(child), []).append(child)
    for members in groups.values():
        if len(members) < 2 or not any(True for m in members for d in m if _tag(d) in _SKELETON):
            continue
        entries = [m for m in members
                   if analysis.good.get(m, 0.0) >= _ENTRY_MIN_GOOD and _has_stamp(m, blocks)]
        if len(entries) < 2 or any(analysis.good.get(m, 0.0) >= _ENTRY_MIN_GOOD
                                   for m in members[:members.index(entries[0])]):
            # A prose block built alike but without a stamp comes first: it is the story and
            # the dated blocks after it are its comments.
            continue
        first = entries[0]
        before = sum(analysis.good.get(k, 0.0) for k in first.itersiblings(preceding=True))
        if before >= _ENTRY_MIN_GOOD:
            # Prose above the list, built otherwise: a story, then its dated comments or
            # cards (or an opening post laid out unlike the replies). Not a list of entries.
            continue
        if sum(analysis.good.get(m, 0.0) for m in entries) >= _ENTRIES_SHARE * total:
            return first
    return None


def best_inside(analysis: Analysis, entry: etree._Element) -> etree._Element:
    """The best-scoring container within one entry (its body rather than its stamp row)."""
    best, best_score = entry, analysis.score(entry)
    for el in entry.iterdescendants():
        if _tag(el) in CONTAINERS and analysis.good.get(el, 0.0) > 0:
            score = analysis.score(el)
            if score > best_score:
                best, best_score = el, score
    return best


# Why 80: a post's title is a line; a longer block above the body is an introduction.
_TITLE_MAX = 80


def entry_title(analysis: Analysis, entry: etree._Element, body: etree._Element) -> str | None:
    """The entry's own headline: its first short, unlinked, undated line above the body.

    On a blog archive the page's ``<title>`` names the blog; each post carries its own title
    line next to its time stamp.
    """
    blocks = {b.el: b for b in analysis.blocks}
    for el in entry.iter():  # document order: the lines above the body come first
        if el is body:
            return None
        block = blocks.get(el)
        if block is None or not block.chars:
            continue
        if (block.chars <= _TITLE_MAX and block.link_density < 0.5 and not _is_stamp(block)
                and not any(mark in block.text for mark in "。！？")):
            return block.text
    return None
