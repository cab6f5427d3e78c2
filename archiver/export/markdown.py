"""Article → Markdown: YAML front matter plus the clean body rendered as Markdown.

The body is converted from ``Article.body_html``, the small block vocabulary the cleaner emits
(``p`` with inline a/strong/em/code/sup/sub/del/br, ``h2``–``h4``, lists, ``blockquote``, tables,
``figure``/``img``/``figcaption``, ``pre``). Written here on lxml rather than with a generic
HTML→Markdown library because the vocabulary is fixed and small, and because what matters is
exact: the text must survive a Markdown renderer unchanged (re-import gives the same text).

Rules:

* one block per paragraph, blocks separated by one blank line; no hard wraps (a line break
  inside Chinese text renders as a space); ``<br>`` becomes a Markdown hard break (two spaces);
* text is escaped where Markdown would read it as syntax — ``\\ ` * _ [ ]`` anywhere (``_``
  only outside words), every ``<`` (tags, autolinks) and ``&`` before an entity-like run as
  entities, and at a line start ``#``, ``>``, ``-``, ``+``, ``1.``, ``1)``, ``=``, ``~~~``;
* ``**``/``*`` are used only where CommonMark's flanking rules let them open and close (they
  do not after ``。`` followed by a Chinese character, a common case); otherwise the inline
  HTML ``<strong>``/``<em>`` is kept, as is ``<sup>``/``<sub>``/``<del>`` (no Markdown form that
  every renderer reads) and a table with merged or ragged cells;
* an image is ``![alt](url "caption")``; without an alt text the caption is the alt text
  (``![caption](url "caption")``), so any renderer shows the caption somewhere and the importer
  restores it (see ``archiver.extract.posts``);
* adjacent lists of the same kind are separated by an empty HTML comment so they stay two lists.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping

import lxml.html
from lxml import etree

# What the renderer sees at a line start.
_LINE_START = [
    (re.compile(r"^(#)"), r"\\\1"),
    (re.compile(r"^(>)"), r"\\\1"),
    (re.compile(r"^([-+])"), r"\\\1"),
    (re.compile(r"^(\d{1,9})([.)])(?=\s|$)"), r"\1\\\2"),
    (re.compile(r"^="), "&#61;"),
    (re.compile(r"^~"), "&#126;"),
]
_ENTITY_LIKE = re.compile(r"&(?=#|[A-Za-z][A-Za-z0-9]*;|$)")
# Every "<": besides tags, "<a@b>" is an e-mail autolink and "<x:y>" a URL autolink.
_TAG_LIKE = re.compile(r"<")
_ALWAYS = re.compile(r"([\\`*\[\]])")
_BLOCK_TAGS = {"p", "h2", "h3", "h4", "ul", "ol", "blockquote", "table", "figure", "pre"}


def _is_word(char: str) -> bool:
    return char.isalnum()


def _escape_underscores(text: str) -> str:
    out = []
    for i, char in enumerate(text):
        if char == "_":
            before = text[i - 1] if i else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            if not (before and after and _is_word(before) and (_is_word(after) or after == "_")):
                out.append("\\_")
                continue
        out.append(char)
    return "".join(out)


def escape_text(text: str, *, braces: bool = False) -> str:
    r"""Inline text escaped so that a Markdown renderer shows exactly ``text``.

    >>> escape_text("a*b [c] <div> &amp; Win11_Win10 _x_")
    'a\\*b \\[c\\] &lt;div> &amp;amp; Win11_Win10 \\_x\\_'
    """
    text = _ENTITY_LIKE.sub("&amp;", text)
    text = _TAG_LIKE.sub("&lt;", text)
    text = _ALWAYS.sub(r"\\\1", text)
    text = _escape_underscores(text)
    if braces:  # Hexo runs Nunjucks over the body: {{ }} and {% %} must not appear
        text = text.replace("{", "&#123;").replace("}", "&#125;")
    # A pipe anywhere may make a line part of a table (GFM, Python-Markdown's tables): escape all.
    text = text.replace("|", "\\|")
    # Python-Markdown reads "[x\]: y" at a line start as a reference definition, escape or not;
    # a colon written as an entity after "]" keeps it text in every renderer.
    return text.replace("\\]:", "\\]&#58;")


def escape_line_start(line: str) -> str:
    r"""Neutralise block syntax at the start of an (already escaped) line.

    >>> escape_line_start("1. 第一"), escape_line_start("# 不是标题"), escape_line_start("--")
    ('1\\. 第一', '\\# 不是标题', '\\--')
    """
    for pattern, repl in _LINE_START:
        line, count = pattern.subn(repl, line, count=1)
        if count:
            break
    return line


def _punct(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"


def _can_delimit(before: str, content: str, after: str) -> bool:
    """Whether ``*``/``**`` around ``content`` opens and closes under CommonMark's rules.

    ``before``/``after`` are the characters around the delimiters ("" at a line edge).
    """
    first, last = content[0], content[-1]
    if first.isspace() or last.isspace():
        return False
    opens = not _punct(first) or not before or before.isspace() or _punct(before)
    closes = not _punct(last) or not after or after.isspace() or _punct(after)
    return opens and closes


class _Inline:
    """Renders the inline content of one block to Markdown."""

    def __init__(self, *, braces: bool) -> None:
        self.braces = braces

    def text(self, text: str | None) -> str:
        return escape_text(text or "", braces=self.braces)

    def children(self, el: etree._Element) -> str:
        parts = [self.text(el.text)]
        for child in el:
            if isinstance(child.tag, str):
                rendered = self.element(child, "".join(parts), child.tail or "")
                if rendered.startswith("[") and parts[-1].endswith("!"):
                    parts[-1] = parts[-1][:-1] + "\\!"  # "![" would start an image
                parts.append(rendered)
            parts.append(self.text(child.tail))
        return "".join(parts)

    def element(self, el: etree._Element, before: str, tail: str) -> str:
        tag = el.tag
        if tag == "br":
            return "\n"
        if tag in ("strong", "em"):
            inner = self.children(el)
            stripped = inner.strip(" ")
            if not stripped:
                return inner
            lead = inner[: len(inner) - len(inner.lstrip(" "))]
            trail = inner[len(inner.rstrip(" ")):]
            prev = lead[-1:] if lead else before[-1:]
            # A following element we can't see yet is treated as a letter (the strict case).
            nxt = trail[:1] or tail[:1] or ("a" if el.getnext() is not None else "")
            # Blanks moved outside the delimiters must not meet other blanks (the importer
            # would collapse the pair): keep the HTML element then.
            doubled = (lead and before.endswith(" ")) or (trail and tail.startswith(" "))
            # Delimiter runs that touch merge ("*a**b*"): keep HTML next to another one.
            following = el.getnext()
            touching = (not lead and before.endswith("*")) or (
                not trail and not tail and following is not None
                and following.tag in ("strong", "em"))
            if doubled or touching:
                return f"<{tag}>{inner}</{tag}>"
            if "\n" not in stripped and _can_delimit(prev, stripped, nxt):
                mark = "**" if tag == "strong" else "*"
                return f"{lead}{mark}{stripped}{mark}{trail}"
            return f"{lead}<{tag}>{stripped}</{tag}>{trail}"
        if tag == "code":
            code = el.text_content().replace("\n", " ")
            core = code.strip(" ")
            if not core:
                return code
            lead, trail = code[: len(code) - len(code.lstrip(" "))], code[len(code.rstrip(" ")):]
            # Renderers strip blanks at a code span's edges: move them outside, unless that
            # would make a double blank (which the importer collapses); then keep HTML.
            # Hexo runs Nunjucks over code spans too; entities work only outside them.
            hexo_braces = self.braces and ("{" in code or "}" in code)
            following = el.getnext()
            touching = (not lead and before.endswith("`")) or (
                not trail and not tail and following is not None and following.tag == "code")
            # Python-Markdown joins a code span's trailing "&#" with the text after it into an
            # entity: write such a span as HTML.
            entity_edge = "&#" in code or re.search(r"&[A-Za-z0-9]*$", code) is not None
            doubled = (lead and before.endswith(" ")) or (trail and tail.startswith(" "))
            if hexo_braces or touching or entity_edge or doubled:
                return f"<code>{escape_text(code, braces=self.braces)}</code>"
            return lead + code_span(core) + trail
        if tag == "a":
            inner = self.children(el)
            href = el.get("href")
            if not href or not inner.strip():
                return inner
            return f"[{inner}]({link_target(href)})"
        if tag in ("sup", "sub", "del"):
            return f"<{tag}>{self.children(el)}</{tag}>"
        if tag == "img":
            src = el.get("src")
            return image_markdown(src, el.get("alt"), None) if src else ""
        return self.children(el)


def code_span(text: str) -> str:
    """A code span whose fence is longer than any backtick run inside it."""
    text = text.replace("\n", " ")
    runs = [len(m) for m in re.findall(r"`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def link_target(url: str) -> str:
    """A link destination: bare, or in ``<…>`` when it has blanks or unbalanced parentheses."""
    url = url.replace("\n", "").replace("<", "%3C").replace(">", "%3E")
    if re.search(r"\s", url) or url.count("(") != url.count(")"):
        return f"<{url}>"
    return url


def _title_attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("\n", " ")


def image_markdown(src: str, alt: str | None, caption: str | None) -> str:
    """``![alt](src "caption")``; the caption doubles as alt text when there is none."""
    label = alt or caption or ""
    label = escape_text(label).replace("\n", " ")
    title = f' "{_title_attr(caption)}"' if caption else ""
    return f"![{label}]({link_target(src)}{title})"


def _lines_of(inline_md: str) -> list[str]:
    lines = [line.strip() for line in inline_md.split("\n")]
    return [escape_line_start(line) for line in lines if line]


class BodyWriter:
    """Clean body HTML → Markdown text."""

    def __init__(self, *, braces: bool = False,
                 image_link: Callable[[str], str] | None = None) -> None:
        self.braces = braces
        self.image_link = image_link or (lambda url: url)

    def paragraph(self, el: etree._Element) -> str:
        inline = _Inline(braces=self.braces).children(el)
        # A hard break is two trailing spaces: every Markdown renderer reads it.
        return "  \n".join(_lines_of(inline))

    def block(self, el: etree._Element) -> str:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in ("h2", "h3", "h4"):
            text = _Inline(braces=self.braces).children(el).replace("\n", " ").strip()
            # A trailing # would be read as a closing sequence.
            text = re.sub(r"#$", r"\\#", text)
            return "#" * int(tag[1]) + " " + text if text else ""
        if tag in ("ul", "ol"):
            items = []
            for number, li in enumerate((c for c in el if c.tag == "li"), start=1):
                text = " ".join(_lines_of(_Inline(braces=self.braces).children(li)))
                if text:
                    items.append(f"{number}. {text}" if tag == "ol" else f"- {text}")
            return "\n".join(items)
        if tag == "blockquote":
            inner = self.blocks(el, in_quote=True)
            return "\n".join(("> " + line) if line else ">" for line in inner.split("\n"))
        if tag == "table":
            return self.table(el)
        if tag == "figure":
            img = el.find("img")
            if img is None or not img.get("src"):
                cap = el.find("figcaption")
                return self.paragraph(cap) if cap is not None else ""
            cap = el.find("figcaption")
            caption = " ".join((cap.text_content() if cap is not None else "").split()) or None
            return image_markdown(self.image_link(img.get("src")), img.get("alt"), caption)
        if tag == "pre":
            return self.pre(el.text_content())
        return self.paragraph(el)

    def pre(self, text: str, *, indented: bool = False) -> str:
        if indented:  # fenced code is not read inside block quotes by every renderer
            return "\n".join("    " + line if line else "" for line in text.split("\n"))
        runs = [len(m) for m in re.findall(r"^`{3,}", text, re.MULTILINE)]
        fence = "`" * max(3, max(runs, default=0) + 1)
        return f"{fence}\n{text}\n{fence}"

    def table(self, el: etree._Element) -> str:
        rows = [[c for c in tr if c.tag in ("td", "th")] for tr in el if tr.tag == "tr"]
        widths = {len(r) for r in rows}
        merged = any(c.get("colspan") or c.get("rowspan") for r in rows for c in r)
        if not rows or len(widths) != 1 or merged or widths == {0}:
            # No Markdown form: keep the clean table as HTML.
            return etree.tostring(el, method="html", encoding="unicode", with_tail=False)
        cells = [
            [_Inline(braces=self.braces).children(c).replace("\n", " ").strip()
             for c in r]
            for r in rows
        ]
        lines = ["| " + " | ".join(cells[0]) + " |", "|" + " --- |" * len(cells[0])]
        lines += ["| " + " | ".join(r) + " |" for r in cells[1:]]
        return "\n".join(lines)

    def blocks(self, root: etree._Element, *, in_quote: bool = False) -> str:
        out: list[str] = []
        previous = ""
        for child in root:
            if not isinstance(child.tag, str):
                continue
            if in_quote and child.tag == "pre":
                text = self.pre(child.text_content(), indented=True)
            else:
                text = self.block(child)
            if not text.strip():
                continue
            if child.tag in ("ul", "ol") and previous == child.tag:
                out.append("<!-- -->")
            out.append(text)
            previous = child.tag
        return "\n\n".join(out)

    def convert(self, body_html: str, text: str = "") -> str:
        """Markdown for a clean body; falls back to the plain text when there is no HTML."""
        if body_html.strip():
            root = lxml.html.fragment_fromstring(body_html, create_parent="div")
            return self.blocks(root)
        paragraphs = []
        for para in text.split("\n\n"):
            lines = [escape_line_start(escape_text(line.strip(), braces=self.braces))
                     for line in para.split("\n") if line.strip()]
            if lines:
                paragraphs.append("  \n".join(lines))
        return "\n\n".join(paragraphs)


def body_markdown(body_html: str, text: str = "", *, braces: bool = False,
                  image_links: Mapping[str, str] | None = None) -> str:
    """Markdown of an article body. ``image_links`` maps image URLs to local paths."""
    links = dict(image_links or {})
    writer = BodyWriter(braces=braces, image_link=lambda url: links.get(url, url))
    return writer.convert(body_html, text)
