"""HTML fragment → clean structural body: paragraphs, headings, lists, quotes, tables, figures.

The output is a small, fixed HTML vocabulary (``body_html``) that export can render to Markdown,
plus the plain text (paragraphs separated by one blank line) and the images with their captions.
The walker treats inline text that sits between block elements (as in ZAKER feed items, where text
follows image ``div``s outside any ``<p>``) as paragraphs of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import lxml.html
from lxml import etree

from archiver.models import Image
from archiver.urls import join_url, unwrap_proxy

# Elements whose content is never article text.
DROP_TAGS = {
    "script", "style", "noscript", "template", "iframe", "frame", "frameset", "object",
    "embed", "svg", "canvas", "form", "input", "button", "select", "textarea", "option",
    "link", "meta", "head", "title", "audio", "video", "source", "track", "map", "area",
    "dialog", "menu",
}
BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "center",
    "dl", "dt", "dd", "address", "fieldset", "details", "summary", "body", "html", "hgroup",
    "tbody", "thead", "tfoot", "tr", "td", "th", "caption", "figcaption", "legend", "li",
}
HEADINGS = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h4", "h5": "h4", "h6": "h4"}
INLINE_KEEP = {
    "a": "a", "strong": "strong", "b": "strong", "em": "em", "i": "em", "code": "code",
    "sup": "sup", "sub": "sub", "del": "del", "s": "del",
}
LAZY_ATTRS = (
    "data-original", "data-src", "data-actualsrc", "data-lazy-src", "data-url", "data-echo",
    "data-original-src", "data-lazyload", "file", "src",
)
# Placeholder image hosts and data URIs are not article images.
_PLACEHOLDER = re.compile(
    r"^(data:|about:)|picsum\.photos|placeholder|/blank\.(gif|png)|spacer\.gif|"
    r"/(loading|lazy|grey|gray|pixel)\.(gif|png|svg)",
    re.IGNORECASE,
)
# Invisible characters, and control characters XML (hence lxml) cannot hold. A regex is several
# times faster than str.translate with a dict on long texts.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\u200b-\u200d\u2060\ufeff\u00ad]"
)
_SPACES = re.compile(r"[\s\u00a0\u3000\u2000-\u200a\u202f\u205f]+")
_CAPTION_CLASS = re.compile(r"caption|decsimg|img_?desc|pic_?desc|imgtxt|img-title|pictext|"
                            r"image-caption|figcaption|desc", re.IGNORECASE)
# A "<" whose would-be tag runs into the next "<" before any ">" is text (SRAM<HMB<FTL).
_STRAY_LT = re.compile(r"<(?=[A-Za-z][^<>]*<)")


@dataclass(frozen=True, slots=True)
class Body:
    html: str
    text: str
    images: tuple[Image, ...]


def normalise_space(text: str) -> str:
    """Invisible characters removed, every run of blanks one space (never glues words).

    >>> normalise_space("a\\u00a0\\u00a0b\\u200bc\\n d")
    'a bc d'
    """
    return _SPACES.sub(" ", _INVISIBLE.sub("", text))


def strip_controls(text: str) -> str:
    """Remove control characters that no HTML/XML tree can hold (keeps tab and newlines)."""
    return _CONTROLS.sub("", text)


def parse_fragment(html: str) -> etree._Element:
    """Parse possibly broken HTML into a ``div`` element, keeping text with literal ``<``."""
    html = _STRAY_LT.sub("&lt;", strip_controls(html))
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        root = lxml.html.fragment_fromstring("<p></p>", create_parent="div")
    return root


def _int(value: str | None) -> int | None:
    if not value:
        return None
    match = re.match(r"\s*(\d{1,6})", value)
    return int(match.group(1)) if match else None


def image_url(img: etree._Element, base_url: str | None = None) -> str | None:
    """The real URL of an ``<img>``: lazy attributes before ``src``, proxies unwrapped."""
    candidates = [img.get(attr) for attr in LAZY_ATTRS]
    srcset = img.get("data-srcset") or img.get("srcset")
    if srcset:
        candidates.append(srcset.strip().split(",")[0].strip().split(" ")[0])
    for raw in candidates:
        if not raw or not raw.strip():
            continue
        url = unwrap_proxy(raw.strip())
        if url.startswith("//"):
            url = "https:" + url
        if base_url:
            url = join_url(base_url, url)
        if _PLACEHOLDER.search(url):
            continue
        return url
    return None


def is_placeholder_image(url: str | None) -> bool:
    return not url or bool(_PLACEHOLDER.search(url))


class _Builder:
    def __init__(self, base_url: str | None) -> None:
        self.base_url = base_url
        self.out = etree.Element("div")
        self.containers: list[etree._Element] = [self.out]
        self.para: etree._Element | None = None
        self.inline: list[etree._Element] = []
        self.brs = 0
        self.last_figure: etree._Element | None = None

    # -- paragraph buffer ------------------------------------------------------------------
    def _target(self) -> etree._Element:
        if self.para is None:
            self.para = etree.SubElement(self.containers[-1], "p")
            self.inline = [self.para]
        return self.inline[-1]

    def text(self, text: str | None) -> None:
        if not text:
            return
        text = normalise_space(text)
        if self.para is None and not text.strip():
            return
        if text.strip():
            self._apply_breaks()
        target = self._target()
        if len(target):
            last = target[-1]
            last.tail = (last.tail or "") + text
        else:
            target.text = (target.text or "") + text

    def _apply_breaks(self) -> None:
        """Pending ``<br>``s take effect before the next content: two end the paragraph."""
        if self.brs >= 2:
            self.flush()
        elif self.brs == 1 and self.para is not None:
            etree.SubElement(self.inline[-1], "br")
        self.brs = 0

    def flush(self) -> None:
        para, self.para, self.inline, self.brs = self.para, None, [], 0
        if para is None:
            return
        _trim(para)
        if not "".join(para.itertext()).strip():
            para.getparent().remove(para)
            return
        self.last_figure = None

    # -- walking ---------------------------------------------------------------------------
    def children(self, el: etree._Element) -> None:
        self.text(el.text)
        for child in el:
            if isinstance(child.tag, str):
                self.walk(child)
            self.text(child.tail)

    def walk(self, el: etree._Element) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag in DROP_TAGS or not tag:
            return
        if tag == "br":
            if self.para is not None:
                self.brs += 1
        elif tag == "img":
            self.image(el)
        elif tag in HEADINGS:
            self.flush()
            text = normalise_space(el.text_content()).strip()
            if text:
                etree.SubElement(self.containers[-1], HEADINGS[tag]).text = text
            for img in el.iter("img"):
                self.image(img)
        elif tag in ("ul", "ol"):
            self.list(el, tag)
        elif tag == "blockquote":
            self.flush()
            quote = etree.SubElement(self.containers[-1], "blockquote")
            self.containers.append(quote)
            self.children(el)
            self.flush()
            self.containers.pop()
            if not len(quote):
                quote.getparent().remove(quote)
        elif tag == "pre" or tag == "code" and el.find(".//br") is not None:
            # Code broken into lines with <br> is a code block, not an inline span.
            self.flush()
            if tag == "pre":
                # A <br> right before a source newline is one line break, not two.
                joined = "".join(_inline_text(el, br="\x00"))
                text = joined.replace("\x00\n", "\n").replace("\x00", "\n").strip("\n")
            else:  # outside <pre> source newlines are mere blanks; only <br> breaks lines
                joined = "".join(_inline_text(el, newlines=" "))
                text = "\n".join(line.strip() for line in joined.split("\n")).strip()
            if text.strip():
                etree.SubElement(self.containers[-1], "pre").text = text
        elif tag == "table" and _is_data_table(el):
            self.table(el)
        elif tag == "figure":
            self.figure(el)
        elif tag == "hr":
            self.flush()
        elif tag in INLINE_KEEP:
            self.inline_element(el, INLINE_KEEP[tag])
        elif tag in BLOCK_TAGS or tag == "table":
            if self.last_figure is not None and _CAPTION_CLASS.search(el.get("class", "")):
                if self.caption(el):
                    return
            self.flush()
            self.children(el)
            self.flush()
        else:  # span, font, … and unknown tags: transparent
            self.children(el)

    def inline_element(self, el: etree._Element, tag: str) -> None:
        self._apply_breaks()
        parent = self._target()
        new = etree.SubElement(parent, tag)
        if tag == "a":
            href = (el.get("href") or "").strip()
            if href and not href.lower().startswith(("javascript:", "#")):
                new.set("href", join_url(self.base_url, href))
        self.inline.append(new)
        self.children(el)
        if self.inline and self.inline[-1] is new:
            self.inline.pop()
        if not "".join(new.itertext()).strip() and not len(new):
            remove_keep_tail(new)
        elif tag == "a" and new.get("href") is None:
            _unwrap(new)

    def image(self, el: etree._Element) -> bool:
        """Emit a figure for an ``<img>``; False when it is no article image."""
        url = image_url(el, self.base_url)
        if not url:
            return False
        self.flush()
        width = _int(el.get("data-width") or el.get("width") or el.get("data-w"))
        height = _int(el.get("data-height") or el.get("height") or el.get("data-h"))
        if width is not None and height is not None and width <= 2 and height <= 2:
            return False  # tracking pixel
        alt = normalise_space(el.get("alt") or el.get("title") or "").strip() or None
        figure = etree.SubElement(self.containers[-1], "figure")
        img = etree.SubElement(figure, "img", src=url)
        if alt:
            img.set("alt", alt)
        if width:
            img.set("width", str(width))
        if height:
            img.set("height", str(height))
        self.last_figure = figure
        return True

    def caption(self, el: etree._Element) -> bool:
        text = normalise_space(el.text_content()).strip()
        if not text or len(text) > 200 or self.last_figure is None:
            return False
        etree.SubElement(self.last_figure, "figcaption").text = text
        self.last_figure = None
        return True

    def figure(self, el: etree._Element) -> None:
        self.flush()
        added = [self.image(img) for img in el.iter("img")]
        captions = list(el.iter("figcaption"))
        if captions and any(added):
            self.caption(captions[0])
        elif captions:
            self.children(captions[0])
            self.flush()

    def list(self, el: etree._Element, tag: str) -> None:
        self.flush()
        out = etree.SubElement(self.containers[-1], tag)
        for li in el.iter("li"):
            # Nested lists flatten: each item keeps only its own text.
            parts = [li.text or ""]
            for child in li:
                if isinstance(child.tag, str) and child.tag.lower() in ("ul", "ol"):
                    parts.append(child.tail or "")
                    continue
                if isinstance(child.tag, str) and child.tag.lower() not in DROP_TAGS:
                    parts.append(child.text_content())
                parts.append(child.tail or "")
            text = normalise_space("".join(parts)).strip()
            if text:
                etree.SubElement(out, "li").text = text
            for img in li.iter("img"):
                self.image(img)
        if not len(out):
            out.getparent().remove(out)

    def table(self, el: etree._Element) -> None:
        self.flush()
        out = etree.SubElement(self.containers[-1], "table")
        for tr in el.iter("tr"):
            row = etree.SubElement(out, "tr")
            for cell in tr:
                if not isinstance(cell.tag, str) or cell.tag.lower() not in ("td", "th"):
                    continue
                new = etree.SubElement(row, cell.tag.lower())
                new.text = normalise_space(cell.text_content()).strip()
                for attr in ("colspan", "rowspan"):
                    if cell.get(attr):
                        new.set(attr, cell.get(attr))
            if not "".join(row.itertext()).strip():
                out.remove(row)
        if not len(out):
            out.getparent().remove(out)


def _is_data_table(table: etree._Element) -> bool:
    """A table of data (kept as a table) rather than one used for page layout."""
    if table.find(".//table") is not None:
        return False
    rows = table.findall(".//tr")
    if len(rows) < 2:
        return False
    widths = {len([c for c in r if isinstance(c.tag, str) and c.tag in ("td", "th")]) for r in rows}
    if max(widths) < 2:
        return False
    for tag in ("p", "div", "img", "br", "ul"):
        if table.find(f".//{tag}") is not None and tag != "br":
            return False
    text = normalise_space(table.text_content())
    return len(text) / max(1, sum(len(r) for r in rows)) < 80


def _trim(para: etree._Element) -> None:
    if para.text:
        para.text = para.text.lstrip()
    # Drop trailing <br>s and trailing blanks.
    while len(para) and para[-1].tag == "br" and not (para[-1].tail or "").strip():
        para.remove(para[-1])
    if len(para):
        last = para[-1]
        if last.tail:
            last.tail = last.tail.rstrip()
    elif para.text:
        para.text = para.text.rstrip()


def remove_keep_tail(el: etree._Element) -> None:
    """Remove ``el`` from its tree, keeping the text that follows it (its tail)."""
    parent = el.getparent()
    tail = el.tail
    prev = el.getprevious()
    parent.remove(el)
    if tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail


def _unwrap(el: etree._Element) -> None:
    parent = el.getparent()
    index = parent.index(el)
    text = (el.text or "")
    prev = el.getprevious()
    if prev is not None:
        prev.tail = (prev.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
    for offset, child in enumerate(list(el)):
        parent.insert(index + offset, child)
    remove_keep_tail(el)


def block_text(el: etree._Element) -> str:
    """Plain text of one clean block; ``<br>`` becomes a line break."""
    tag = el.tag
    if tag in ("ul", "ol"):
        return "\n".join(block_text(li) for li in el)
    if tag == "table":
        return "\n".join(" | ".join(c.text or "" for c in tr) for tr in el)
    if tag == "figure":
        cap = el.find("figcaption")
        return cap.text or "" if cap is not None else ""
    if tag == "blockquote":
        return "\n\n".join(t for t in (block_text(c) for c in el) if t)
    if tag == "pre":
        return el.text or ""
    return "\n".join(line.strip() for line in "".join(_inline_text(el)).split("\n")).strip()


def _inline_text(
    el: etree._Element, newlines: str | None = None, br: str = "\n"
) -> Iterable[str]:
    """Text with ``<br>`` as ``br``; ``newlines`` replaces newlines of the source."""

    def text(value: str | None) -> str:
        return (value or "") if newlines is None else (value or "").replace("\n", newlines)

    yield text(el.text)
    for child in el:
        if not isinstance(child.tag, str):  # comments, processing instructions
            pass
        elif child.tag.lower() == "br":
            yield br
        else:
            yield from _inline_text(child, newlines, br)
        yield text(child.tail)


def blocks_text(root: etree._Element) -> str:
    return "\n\n".join(t for t in (block_text(b).strip() for b in root) if t)


def to_html(root: etree._Element) -> str:
    return "".join(
        etree.tostring(child, method="html", encoding="unicode", with_tail=False)
        for child in root
    )


def clean_html(html: str | etree._Element, *, base_url: str | None = None) -> etree._Element:
    """Clean an HTML fragment (string or element) into a block tree (see :func:`images_in`
    and :func:`finish` for what it holds)."""
    el = parse_fragment(html) if isinstance(html, str) else html
    builder = _Builder(base_url)
    builder.children(el)
    builder.flush()
    return builder.out


def images_in(root: etree._Element) -> tuple[Image, ...]:
    """The images of a clean block tree, with captions (after bylines were removed)."""
    found = []
    for fig in root.iter("figure"):
        img = fig.find("img")
        if img is None:
            continue
        cap = fig.find("figcaption")
        found.append(
            Image(
                url=img.get("src"),
                alt=img.get("alt"),
                caption=cap.text if cap is not None else None,
                width=_int(img.get("width")),
                height=_int(img.get("height")),
            )
        )
    return tuple(found)


def finish(root: etree._Element) -> Body:
    """Serialise a clean block tree."""
    return Body(html=to_html(root), text=blocks_text(root), images=images_in(root))
