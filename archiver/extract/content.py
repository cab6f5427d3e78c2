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

import functools
import re
from dataclasses import dataclass, field

from lxml import etree

from archiver.extract.clean import remove_keep_tail

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
    "select", "option", "textarea", "button", "title", "link", "meta", "input", "map",
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
# How many of the best single candidates get their sibling runs compared.
TOP_CANDIDATES = 15
# Short unpunctuated blocks (labels, dates, menu items) count half as bad.
LABEL_MAX = 30

_BOILERPLATE = re.compile(
    r"comment|reply|share|sharing|social|footer|\bfoot|(?<![a-z])nav|menu|breadcrumb|crumb|"
    r"sidebar|side-?bar|(?<![a-z])aside|related|recommend|(?<![a-z])hot|rank|advert|"
    r"(?<![a-z])ads?(?![a-z])|banner|copyright|login|toolbar|pagination|pager|subscribe|qrcode|"
    r"erweima|popup|modal|cookie|(?<![a-z])tags?(?![a-z])|(?<![a-z])more(?![a-z])|"
    r"xgyd|xgxw|tuijian|jubao|weibo|copyright",
    re.IGNORECASE,
)
_CONTENTISH = re.compile(
    r"article|content|main|post|(?<![a-z])body|text|detail|story|entry|(?<![a-z])news",
    re.IGNORECASE,
)
_SPACE = re.compile(r"\s+")
_PUNCT_CHARS = re.compile("[" + re.escape("".join(sorted(PUNCT))) + "]")
_CLOCK = re.compile(r"(?<!\d)\d{1,2}:\d\d(?::\d\d)?(?!\d)")
# Blocks whose text announces page furniture: copyright and disclaimer notices.
_BOILER_TEXT = re.compile(
    r"^.{0,12}(?:版权|著作权|免责|传输内容|法律)声明|^.{0,20}版权所有|^(?:Copyright|©|\(c\)\s*\d{4})|"
    r"^.{0,40}(?:违法和不良信息举报|举报电话|客服电话|ICP备|ICP证|增值电信业务经营许可证|"
    r"互联网新闻信息服务许可证|网络文化经营许可证|公网安备)",
    re.IGNORECASE,
)


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
    boilerplate: set[etree._Element] = field(default_factory=set)
    best: etree._Element | None = None
    best_score: float = 0.0
    ranked: list[tuple[float, etree._Element]] = field(default_factory=list)
    factor: dict[etree._Element, float] = field(default_factory=dict)

    def score(self, el: etree._Element) -> float:
        raw = self.good.get(el, 0.0) - BAD_WEIGHT * self.bad.get(el, 0.0)
        return raw * self.factor.get(el, 1.0) if raw > 0 else raw


def _tag(el: etree._Element) -> str:
    return el.tag if isinstance(el.tag, str) else ""  # lxml.html lower-cases tag names


def is_boilerplate(el: etree._Element) -> bool:
    """Class/id or tag say this element is page furniture (comments, share bar, nav …)."""
    tag = _tag(el)
    if tag in ("nav", "footer", "aside"):
        return True
    if tag in ("html", "body", "article", "main"):
        # Page-level elements carry state flags ("one-sidebar", "ads-enabled"), not roles.
        return False
    cls, ident = el.get("class"), el.get("id")
    if not cls and not ident:
        return False
    return _names_say_boilerplate((cls or "") + " " + (ident or ""))


@functools.lru_cache(maxsize=4096)
def _names_say_boilerplate(joined: str) -> bool:
    # Cached: portals repeat the same few class strings thousands of times a page.
    names = joined.split()
    if not names or len(names) > 6:
        return False
    hit = False
    for name in names:
        if _CONTENTISH.search(name) and not _BOILERPLATE.search(name.split("-")[-1]):
            # "article-body", "news-content": the element announces itself as content.
            return False
        if _BOILERPLATE.search(name):
            hit = True
    return hit


# Why 0.4: a container classed like furniture that still holds most of the page's prose is
# the story (Sina's body div carries "BSHARE_POP"; Drupal's layout div "sidebar-right-mix").
BOILERPLATE_MAX_SHARE = 0.4


# Furniture that can outweigh the story and still is furniture: comment threads, and the
# cookie/privacy dialogs whose policy text is longer than a short story.
_COMMENTS = re.compile(r"comment|reply|replies|discuss|pinglun|cookie|consent|gdpr|"
                       r"(?<![a-z])modal(?![a-z])|popup", re.IGNORECASE)


def _is_comments(el: etree._Element) -> bool:
    """Comment threads and dialogs: their class still says what they are."""
    return bool(_COMMENTS.search((el.get("class") or "") + " " + (el.get("id") or "")))


class _Walker:
    """One pass over the tree: every block's own measures, and the block tree above them."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.own: dict[etree._Element, tuple[float, float]] = {}
        self.children: dict[etree._Element, list[etree._Element]] = {}
        self.flagged: list[etree._Element] = []
        self.clocks: dict[etree._Element, int] = {}

    def block(self, el: etree._Element) -> None:
        if is_boilerplate(el):
            self.flagged.append(el)
        own = Block(el)
        self.blocks.append(own)
        parts: list[str] = []
        kids: list[etree._Element] = []
        self.inline(el, own, parts, False, kids)
        own.text = _SPACE.sub(" ", "".join(parts)).strip()
        if own.chars:
            # Counted once per block, not per text node: the same total, far fewer calls.
            own.punct = len(_PUNCT_CHARS.findall(own.text))
            if ":" in own.text:
                self.clocks[el] = len(_CLOCK.findall(own.text))
        good = bad = 0.0
        if own.chars:
            if own.link_density > 0.5 or _BOILER_TEXT.match(own.text):
                bad = own.chars
            elif own.punct == 0 and own.chars < LABEL_MAX:
                bad = 0.5 * (own.chars - own.link_chars) + own.link_chars
            else:
                good = own.chars - own.link_chars
                bad = own.link_chars
        self.own[el] = (good, bad)
        self.children[el] = kids

    def inline(self, el: etree._Element, own: Block, parts: list[str], in_link: bool,
               kids: list[etree._Element]) -> None:
        """Read the inline content of ``el`` into ``own``; recurse into child blocks."""
        self.add(el.text, own, parts, in_link)
        for child in el:
            tag = _tag(child)
            if tag and tag not in SKIP:
                if tag == "br":
                    parts.append("\n")
                elif tag in BLOCK:
                    self.block(child)
                    kids.append(child)
                    parts.append("\n")
                else:
                    self.inline(child, own, parts, in_link or tag == "a", kids)
            self.add(child.tail, own, parts, in_link)

    @staticmethod
    def add(text: str | None, own: Block, parts: list[str], in_link: bool) -> None:
        if not text:
            return
        parts.append(text)
        n = len("".join(text.split()))  # str.split is the fastest blank-stripper in CPython
        if not n:
            return
        own.chars += n
        if in_link:
            own.link_chars += n

    def totals(self, el: etree._Element, boiler: set[etree._Element] | None,
               good: dict, bad: dict) -> tuple[float, float]:
        """Subtree (good, bad) of every block, bottom-up; boilerplate text counts as bad."""
        stack: list[tuple[etree._Element, bool]] = [(el, False)]
        while stack:
            node, done = stack.pop()
            if not done:
                stack.append((node, True))
                stack.extend((k, False) for k in self.children[node])
                continue
            g, b = self.own[node]
            for kid in self.children[node]:
                g += good[kid]
                b += bad[kid]
            if boiler is not None and node in boiler:
                g, b = 0.0, g + b
            good[node], bad[node] = g, b
        return good[el], bad[el]


def _subtree_counts(walker: _Walker, root: etree._Element) -> dict[etree._Element, tuple[int, int]]:
    """(clock times, characters) in every block's subtree, bottom-up."""
    counts: dict[etree._Element, tuple[int, int]] = {}
    own_chars = {b.el: b.chars for b in walker.blocks}
    stack: list[tuple[etree._Element, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if not done:
            stack.append((node, True))
            stack.extend((k, False) for k in walker.children[node])
            continue
        clocks, chars = walker.clocks.get(node, 0), own_chars.get(node, 0)
        for kid in walker.children[node]:
            kid_clocks, kid_chars = counts[kid]
            clocks += kid_clocks
            chars += kid_chars
        counts[node] = (clocks, chars)
    return counts


def analyse(root: etree._Element, *, headline: etree._Element | None = None) -> Analysis:
    """Measure every block and pick the article container (``Analysis.best``).

    ``headline`` (the element holding the title, when known) adds a position prior: the story
    follows its headline, so a candidate that lies wholly before it scores less.
    """
    walker = _Walker()
    walker.block(root)
    raw_good: dict = {}
    raw_bad: dict = {}
    page_good, _ = walker.totals(root, None, raw_good, raw_bad)
    boiler = {el for el in walker.flagged
              if raw_good[el] <= BOILERPLATE_MAX_SHARE * page_good or _is_comments(el)}
    analysis = Analysis(blocks=walker.blocks, boilerplate=boiler)
    walker.totals(root, boiler, analysis.good, analysis.bad)
    feeds = _feeds(analysis, _subtree_counts(walker, root))
    if feeds:
        # A live feed's prose is furniture for every container around it, like a comment list.
        analysis.boilerplate |= feeds
        analysis.good.clear()
        analysis.bad.clear()
        walker.totals(root, analysis.boilerplate, analysis.good, analysis.bad)
    # Nothing inside furniture can be the story.
    furniture = {d for el in analysis.boilerplate for d in el.iter()}
    ranked = [
        (good - BAD_WEIGHT * analysis.bad[el], el)
        for el, good in analysis.good.items()
        if _tag(el) in CONTAINERS and good > 0 and el not in furniture
    ]
    ranked.sort(key=lambda pair: -pair[0])
    top = ranked[:TOP_CANDIDATES * 2]
    _apply_priors(analysis, [el for _, el in top], headline)
    rescored = sorted(((analysis.score(el), el) for _, el in top), key=lambda pair: -pair[0])
    analysis.ranked = [pair for pair in rescored[:TOP_CANDIDATES] if pair[0] > 0]
    if analysis.ranked:
        analysis.best_score, analysis.best = analysis.ranked[0]
    return analysis


# Why 0.5: a block above the headline (menus, a sidebar, yesterday's top story) can still win
# when it is much longer than a short flash below the headline, but not when they are close.
BEFORE_HEADLINE = 0.5
# A run of timestamped items ("今天 12:08:48 …" live feeds, comment lists) is a feed, not a story.
FEED_FACTOR = 0.15
FEED_CHARS_PER_CLOCK = 110


def _feeds(analysis: Analysis, counts: dict[etree._Element, tuple[int, int]]
           ) -> set[etree._Element]:
    """The innermost timestamped feeds among the strongest candidates."""
    top = sorted(
        (el for el, good in analysis.good.items() if _tag(el) in CONTAINERS and good > 0),
        key=lambda el: -analysis.score(el),
    )[:TOP_CANDIDATES * 2]
    feeds = {el for el in top if _is_feed(*counts.get(el, (0, 0)))}
    return {f for f in feeds if not any(d in feeds for d in f.iterdescendants())}


def _is_feed(clocks: int, chars: int) -> bool:
    # Why 110: live feeds carry a time every 80-90 characters; a story that quotes times, or a
    # container holding one small ranking list with times, stays well above 140 per time.
    return clocks >= 4 and clocks * FEED_CHARS_PER_CLOCK > chars


def _apply_priors(analysis: Analysis, candidates: list[etree._Element],
                  headline: etree._Element | None) -> None:
    order = {b.el: i for i, b in enumerate(analysis.blocks)}
    head_at = order.get(headline) if headline is not None else None
    above = set(headline.iterancestors()) if headline is not None else set()
    for el in candidates:
        factor = 1.0
        if head_at is not None and el not in above and el is not headline:
            start = order.get(el)
            if start is not None and start < head_at:
                factor *= BEFORE_HEADLINE
        if factor != 1.0:
            analysis.factor[el] = factor


def _run_counts(run: list[etree._Element]) -> tuple[int, int]:
    text = "".join(c.text_content() for c in run)
    return len(_CLOCK.findall(text)), len("".join(text.split()))


def choose_run(analysis: Analysis) -> list[etree._Element]:
    """The story: among the best candidates, the sibling run (see :func:`gather`) that scores
    highest. A story told in many short ``<p>``s loose in a layout cell beats a single long
    block such as a copyright notice, which no single paragraph of the story would."""
    best_run: list[etree._Element] = []
    best_total = 0.0
    for _, el in analysis.ranked:
        run = gather(analysis, el)
        total = sum(analysis.score(c) for c in run)
        if len(run) > 1 and _is_feed(*_run_counts(run)):
            total *= FEED_FACTOR
        if total > best_total + 1e-9:
            best_run, best_total = run, total
    return best_run


def drop_boilerplate(el: etree._Element, analysis: Analysis) -> None:
    """Remove the boilerplate descendants (comments, share bars …) of ``el`` in place."""
    for child in list(el.iter()):
        if child is not el and child in analysis.boilerplate and child.getparent() is not None:
            remove_keep_tail(child)


def gather(analysis: Analysis, best: etree._Element) -> list[etree._Element]:
    """The run of ``best``'s siblings that belong to the story with it.

    Story paragraphs often sit directly in a layout container that also holds the sidebar
    (blogs, 2005 portals), so no single element holds the story without the menus. Among the
    parent's children, the contiguous run around ``best`` with the largest total score (a
    maximum subarray forced to contain ``best``) is the story: a sibling joins only when it and
    everything between it and ``best`` add more prose than furniture.
    """
    parent = best.getparent()
    if parent is None or any(_tag(c) in BLOCK and _tag(c) != "br" for c in best):
        # A container already holds its paragraphs; its siblings are other things.
        return [best]
    children = [c for c in parent if isinstance(c.tag, str)]
    scores = [
        analysis.good.get(c, 0.0) - BAD_WEIGHT * analysis.bad.get(c, 0.0) for c in children
    ]
    index = next(i for i, c in enumerate(children) if c is best)
    start = end = index
    # Extend left and right independently: the best prefix sums on either side.
    total, best_total = 0.0, 0.0
    for i in range(index - 1, -1, -1):
        total += scores[i]
        if total > best_total:
            best_total, start = total, i
    total, best_total = 0.0, 0.0
    for i in range(index + 1, len(children)):
        total += scores[i]
        if total > best_total:
            best_total, end = total, i
    if all(_quiet_line(analysis, c) for c in children[:start] + children[end + 1:]):
        # Nothing but short unlinked lines around the story: the document's own head and
        # foot (a 文号 under the title, the issuing body and date signing an official notice,
        # 责任编辑). They score as labels, yet the container holds nothing else.
        return children
    return children[start:end + 1]


# Why 60: a signature, a document number or a date line is short; a longer unlinked line
# next to the story that is not prose is something else (a notice, a teaser).
QUIET_LINE_MAX = 60


def _quiet_line(analysis: Analysis, el: etree._Element) -> bool:
    """A short line without links (or an empty element)."""
    if analysis.good.get(el, 0.0) + analysis.bad.get(el, 0.0) > QUIET_LINE_MAX:
        return False  # good + bad never exceeds the characters: long, without reading it
    if any((a.text_content() or "").strip() for a in el.iter("a")):
        return False
    return len("".join(el.text_content().split())) <= QUIET_LINE_MAX
