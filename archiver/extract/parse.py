"""Whole-page extraction: HTML string → :class:`Article`.

Each field is taken from the first producer that has it, in this order: the site rule (when
the host has one), the page's metadata (``<meta>``, JSON-LD), then generic heuristics (the
content detector in :mod:`content`, info lines near the headline, the dateline). The article
records which producer gave each field in ``provenance``.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin

import lxml.html
from lxml import etree

from archiver.errors import NotAnArticle, ParseError
from archiver.extract import gate
from archiver.extract.byline import (
    Byline,
    clean_editor,
    clean_names,
    clean_outlet,
    dateline_author,
    parse_byline,
    posted_by,
    take_tail_bylines,
)
from archiver.extract.clean import Body, block_text, clean_html, finish, normalise_space
from archiver.extract.content import SKIP, Analysis, analyse, choose_run, drop_boilerplate
from archiver.extract.dates import iter_dates, parse_date
from archiver.extract.meta import PageMeta, ld_name, read_meta
from archiver.extract.rules import Rule, default_rulebook
from archiver.extract.tidy import tidy
from archiver.models import Article
from archiver.urls import site_of

PARSER_VERSION = "extract-1"

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>", re.I)
_TITLE_SEPARATORS = re.compile(r"\s*(?:[_|｜]|\s[-–—－]\s|--|——|－|-\s|\s-)\s*")
_CJK = re.compile(r"[\u3400-\u9fff]")
_PUB_META = (
    "article:published_time", "og:article:published_time", "og:published_time",
    "article:published", "publishdate", "publish_date", "pubdate", "publishtime",
    "publish-date", "og:release_date", "datepublished", "dc.date.issued", "dc.date",
    "dcterms.created", "sailthru.date", "parsely-pub-date", "article.published",
    "weibo:article:create_at", "bytedance:published_time", "apub:time", "firstpublishedtime",
    "date", "created", "article:modified_time",
    # Last resort: a page updated once at publication (Baijiahao's itemprop=dateUpdate).
    "dateupdate", "datemodified", "lastmodified",
)
_AUTHOR_META = ("article:author", "og:article:author", "author", "dc.creator", "byl",
                "sailthru.author", "parsely-author", "article.author")
_SOURCE_META = ("article:source", "source", "og:site_name_source", "mediaid", "og:source")
# <meta name="author"> often names the site or the outlet, never a person's name.
_OUTLET_LIKE = re.compile(r"(?:网|报|社|新闻|频道|中心|官方|传媒|集团|杂志|电视台|广播|平台|\.com|\.cn)$|^name$")
_PUBLISH_LABEL = re.compile(r"发表于|发布于|发表时间|发布时间|发布日期|发稿时间|时间[:：]|日期[:：]|"
                            r"Published|Posted", re.I)
_OTHER_DATE = re.compile(r"建立于|注册|加入于?|截止|更新于|修改于|最后更新|到期|有效期|出生|生于|Updated", re.I)
_DATE_CLASS = re.compile(r"date|time|pub|info|source|meta|byline|author", re.I)
# Parenthesised reporter's name closing a story, a Sina/Chinanews convention: "…(李楠)".
_CLOSING_NAME = re.compile(r"[（(]\s*(?P<name>[\u4e00-\u9fff]{2,3}(?:\s+[\u4e00-\u9fff]{2,3})?)\s*[）)]\s*$")
_NOT_CLOSING_NAMES = {"完", "完结", "待续", "未完", "全文完", "图片", "资料图", "视频", "网络",
                      "原标题", "编辑", "记者", "供图", "摄影"}


@dataclass(slots=True)
class _Fields:
    values: dict[str, object] = field(default_factory=dict)
    provenance: dict[str, str] = field(default_factory=dict)

    def offer(self, name: str, value: object, producer: str) -> bool:
        if value in (None, "", ()) or name in self.values:
            return False
        self.values[name] = value
        self.provenance[name] = producer
        return True


def load_document(html: str) -> etree._Element:
    """Parse a page into an lxml tree; raises :class:`ParseError` when lxml cannot."""
    html = _XML_DECL.sub("", html, count=1)
    if not html.strip():
        raise NotAnArticle("the page is empty")
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise ParseError(f"the page cannot be parsed as HTML ({exc})") from exc
    return root


def _prune(root: etree._Element) -> None:
    """Drop scripts, styles, comments and the like (their text is never content)."""
    for el in list(root.iter(etree.Comment, etree.ProcessingInstruction, *SKIP)):
        if el.tag == "title" or el.tag == "head":
            continue
        parent = el.getparent()
        if parent is None:
            continue
        tail = el.tail
        if tail and tail.strip():
            prev = el.getprevious()
            if prev is not None:
                prev.tail = (prev.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
        parent.remove(el)


def _text(el: etree._Element | str) -> str:
    if isinstance(el, str):
        return normalise_space(el).strip()
    return normalise_space(el.text_content()).strip()


def _rule_values(rule: Rule, root: etree._Element, name: str) -> list[etree._Element | str]:
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


def _rule_text(rule: Rule | None, root: etree._Element, name: str) -> str | None:
    if rule is None:
        return None
    for hit in _rule_values(rule, root, name):
        text = _text(hit)
        if text:
            return text
    return None


# -- title -----------------------------------------------------------------------------------

_TRAILING_PART = re.compile(r"\s*[-_|｜－—–]+\s*([^-_|｜－—–]{1,16})$")


def _strip_site_suffix(title: str) -> str:
    """The headline of a ``<title>``: site and channel names after ``_ - |`` go.

    >>> _strip_site_suffix("民间资本路在何方-搜狐财经")
    '民间资本路在何方'
    >>> _strip_site_suffix("女儿出嫁，郑板桥画了几笔兰花当嫁妆--文化--人民网")
    '女儿出嫁，郑板桥画了几笔兰花当嫁妆'
    >>> _strip_site_suffix("COVID-19 vaccines")
    'COVID-19 vaccines'
    """
    title = title.strip()
    while True:
        match = _TRAILING_PART.search(title)
        # A short trailing part is a site or channel name, as long as a headline remains.
        if not match or len(title[: match.start()].strip()) < 4 or re.match(r"^\d", match.group(1)):
            return title
        title = title[: match.start()].strip()


def _find_title(root: etree._Element, meta: PageMeta) -> tuple[str | None, etree._Element | None, str]:
    page_title = ""
    title_el = root.find(".//title")
    if title_el is not None:
        page_title = _text(title_el)
    og = meta.first("og:title", "twitter:title")
    hints = [_text(page_title), _text(og[1]) if og else ""]
    hints_flat = [re.sub(r"\s+", "", h) for h in hints if h]
    best: tuple[float, etree._Element, str] | None = None
    for rank, tag in enumerate(("h1", "h2", "h3")):
        for el in root.iter(tag):
            text = _text(el)
            flat = re.sub(r"\s+", "", text)
            if len(flat) < 4 or len(flat) > 120:
                continue
            score = 0.0
            if any(flat == h for h in hints_flat):
                score = 3
            elif any(flat in h or (len(h) > 8 and h in flat) for h in hints_flat):
                score = 2
            elif tag == "h1":
                score = 0.5
            if score == 0:
                continue
            score += len(flat) / 1000 - rank * 0.6
            if best is None or score > best[0]:
                best = (score, el, text)
    if best is not None and best[0] >= 0.5:
        return best[2], best[1], f"generic:{best[1].tag}"
    if og:
        return _strip_site_suffix(_text(og[1])), None, f"meta:{og[0]}"
    if page_title:
        return _strip_site_suffix(page_title), None, "generic:title"
    return None, None, "none"


# -- bylines and dates near the headline ------------------------------------------------------

def _zones(analysis: Analysis, title_el: etree._Element | None, title: str | None,
           run: list[etree._Element]) -> tuple[list[str], list[str]]:
    """Short text lines just before the body (after the headline) and just after it."""
    blocks = [b for b in analysis.blocks if b.chars]
    inside = {el for top in run for el in top.iter()}
    first = next((i for i, b in enumerate(blocks) if b.el in inside), None)
    if first is None:
        return [], []
    last = max(i for i, b in enumerate(blocks) if b.el in inside)
    start = None
    title_key = re.sub(r"\s+", "", title or "")
    for i, b in enumerate(blocks[:first]):
        if (title_el is not None and b.el is title_el) or (
                title_el is None and title_key and re.sub(r"\s+", "", b.text) == title_key):
            start = i + 1
    # Without a headline to start from, only the lines just above the story count.
    start = first - 12 if start is None else max(start, first - 40)
    start = max(start, 0)
    head = [b.text for b in blocks[start:first] if len(b.text) <= 160]
    tail = [b.text for b in blocks[last + 1:last + 10] if len(b.text) <= 160]
    return head, tail


def _date_from_elements(root: etree._Element, reference: datetime) -> tuple[datetime, str, str] | None:
    for el in root.iter("time"):
        raw = el.get("datetime") or el.get("pubdate") or _text(el)
        value = parse_date(raw, reference=reference)
        if value is not None:
            return value, raw, "generic:time"
    return None


def _first_date(lines: list[str], reference: datetime, *, exact_only: bool) -> tuple[datetime, str] | None:
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


def _lang(root: etree._Element, text: str) -> str | None:
    sample = text[:2000]
    if sample and len(_CJK.findall(sample)) / max(1, len(sample)) > 0.2:
        return "zh"
    lang = (root.get("lang") or root.get("xml:lang") or "").strip()
    if lang:
        return lang.split("-")[0].lower()
    return "en" if sample else None


def parse_html(html: str, *, url: str | None = None, fetched_at: datetime) -> Article:
    """Extract the article of a whole HTML page.

    ``fetched_at`` (the capture time) anchors relative and yearless dates, so parsing the same
    capture later gives the same article. Raises :class:`NotAnArticle` for challenge, captcha,
    placeholder and list pages, :class:`ParseError` when the page cannot be read at all.
    """
    reason = gate.page_reason(html)
    if reason:
        raise NotAnArticle(f"not an article: {reason}")
    root = load_document(html)
    meta = read_meta(root)
    if url is None:
        canonical = root.find(".//link[@rel='canonical']")
        og_url = meta.first("og:url")
        url = (canonical.get("href") if canonical is not None else None) or (og_url[1] if og_url else None)
        if url and not url.startswith("http"):
            url = None
    rule = default_rulebook().for_url(url)
    # Read before pruning and dropping: some sites keep the only exact time in a script
    # ("var ct = …"), and the 责任编辑 line is often one of the nodes a rule drops.
    rule_raw = {name: _rule_text(rule, root, name) for name in ("date", "author", "editor", "source")}
    raw_rule = rule_raw["date"]
    _prune(root)
    fields = _Fields()
    rule_tag = f"rule:{rule.slug}" if rule else ""

    if rule is not None:
        for hit in _rule_values(rule, root, "drop"):
            if isinstance(hit, etree._Element) and hit.getparent() is not None:
                hit.getparent().remove(hit)

    # Title.
    title_el: etree._Element | None = None
    if rule is not None:
        hits = _rule_values(rule, root, "title")
        if hits and _text(hits[0]):
            fields.offer("title", _text(hits[0]), rule_tag)
            title_el = hits[0] if isinstance(hits[0], etree._Element) else None
    if "title" not in fields.values:
        title, title_el, producer = _find_title(root, meta)
        fields.offer("title", title, producer)

    # Body.
    analysis = analyse(root, headline=title_el)
    body_el: etree._Element | None = None
    if rule is not None:
        hits = [h for h in _rule_values(rule, root, "body") if isinstance(h, etree._Element)]
        if hits and len(_text(hits[0])) >= gate.MIN_BODY_CHARS:
            body_el = hits[0]
            fields.provenance["text"] = rule_tag
    run: list[etree._Element] = [body_el] if body_el is not None else []
    if body_el is None and analysis.best is not None:
        run = choose_run(analysis)
        body_el = run[0]
        fields.provenance["text"] = "generic"
    if body_el is None:
        raise NotAnArticle("not an article: no article body found")
    head_lines, tail_lines = _zones(analysis, title_el, fields.values.get("title"), run)  # type: ignore[arg-type]
    good = sum(analysis.good.get(el, 0.0) for el in run)
    bad = sum(analysis.bad.get(el, 0.0) for el in run)
    link_ratio = bad / max(1.0, good + bad)
    for el in run:
        drop_boilerplate(el, analysis)
    if len(run) > 1:
        # The story is spread over siblings: read copies of them as one container.
        body_el = lxml.html.Element("div")
        for el in run:
            body_el.append(copy.deepcopy(el))
    tree, _images = clean_html(body_el, base_url=url)
    tidied = tidy(tree, title=fields.values.get("title"))  # type: ignore[arg-type]
    tail = take_tail_bylines(tree)
    first_text = next(("".join(b.itertext()) for b in tree if b.tag == "p"), "")
    last_p = [b for b in tree if b.tag == "p"]
    body = finish(tree)
    # Captions stay with their images (and in body_html), not in the running text.
    text = "\n\n".join(t for t in (block_text(b).strip() for b in tree if b.tag != "figure") if t)
    body = Body(html=body.html, text=text, images=body.images)
    reason = gate.body_reason(body.text, link_ratio=link_ratio)
    if reason:
        raise NotAnArticle(f"not an article: {reason}")

    reference = fetched_at
    # Bylines: rule → meta → info lines near the headline → lines inside the body → dateline.
    if rule is not None:
        for name, cleaner in (("author", clean_names), ("editor", clean_editor),
                              ("source", clean_outlet)):
            raw = rule_raw[name]
            if raw:
                labelled = getattr(parse_byline(raw), name)
                fields.offer(name, labelled or cleaner(raw), rule_tag)
    head_byline = Byline()
    for line in head_lines:
        head_byline = head_byline.merged(parse_byline(line))
    tail_byline = Byline()
    for line in tail_lines:
        tail_byline = tail_byline.merged(parse_byline(line))
    for name in ("author", "editor", "source", "reprinted_from"):
        fields.offer(name, getattr(head_byline, name), "generic:info")
        fields.offer(name, getattr(tidied.byline, name), "generic:body-info")
    fields.offer("author", dateline_author(first_text), "generic:dateline")
    for para in reversed(last_p[-6:]):
        closing = _CLOSING_NAME.search("".join(para.itertext()))
        if closing and closing["name"] not in _NOT_CLOSING_NAMES:
            fields.offer("author", clean_names(closing["name"]), "generic:closing-name")
    for line in head_lines + tail_lines:
        fields.offer("author", posted_by(line), "generic:posted-by")
    author_meta = meta.first(*_AUTHOR_META)
    if author_meta and not _OUTLET_LIKE.search(author_meta[1]) and (
            rule is None or author_meta[1] != rule.name):
        fields.offer("author", clean_names(author_meta[1]), f"meta:{author_meta[0]}")
    author_ld = meta.ld("author")
    if author_ld:
        fields.offer("author", clean_names(ld_name(author_ld[1]) or ""), "jsonld:author")
    for name in ("editor", "source", "reprinted_from"):
        fields.offer(name, getattr(tail, name), "generic:tail")
        fields.offer(name, getattr(tail_byline, name), "generic:after-body")
    source_meta = meta.first(*_SOURCE_META)
    if source_meta:
        fields.offer("source", clean_outlet(source_meta[1]), f"meta:{source_meta[0]}")
    publisher = meta.ld("publisher")
    if publisher:
        fields.offer("source", ld_name(publisher[1]), "jsonld:publisher")
    if fields.values.get("author") and fields.values.get("author") in (
            fields.values.get("editor"), fields.values.get("source")):
        # An editor or an outlet is never the author.
        del fields.values["author"]
        del fields.provenance["author"]

    # Dates: rule → visible info line → meta/JSON-LD → <time> → text.
    published: tuple[datetime, str, str] | None = None
    if raw_rule:
        value = parse_date(raw_rule, reference=reference)
        if value is not None:
            published = (value, raw_rule, rule_tag)
    info = _first_date(head_lines + tidied.info_lines, reference, exact_only=False)
    metadate = meta.first(*_PUB_META)
    meta_value = parse_date(metadate[1], reference=reference) if metadate else None
    if published is None and meta_value is not None and info is not None and (
            info[0].date() == meta_value.astimezone(info[0].tzinfo).date()):
        # Same day: the visible time is what the page shows its readers.
        published = (info[0], info[1], "generic:info")
    if published is None and meta_value is not None and metadate is not None:
        published = (meta_value, metadate[1], f"meta:{metadate[0]}")
    if published is None:
        ld = meta.ld("datePublished", "dateCreated")
        if ld and isinstance(ld[1], str):
            value = parse_date(ld[1], reference=reference)
            if value is not None:
                published = (value, ld[1], f"jsonld:{ld[0]}")
    if published is None and info is not None:
        published = (info[0], info[1], "generic:info")
    if published is None:
        published = _date_from_elements(root, reference)
    if published is None:
        found = _first_date(tail_lines + [body.text[:300]], reference, exact_only=True)
        if found is None:
            found = _first_date([b.text for b in analysis.blocks if b.chars and b.link_density < 0.5
                                 and len(b.text) < 200], reference, exact_only=True)
        if found is not None:
            published = (found[0], found[1], "generic:text")
    if published is not None:
        fields.offer("published", published[0], published[2])
        fields.values["published_raw"] = published[1]

    modified = meta.first("article:modified_time", "og:updated_time", "dateupdate", "datemodified")
    if modified:
        value = parse_date(modified[1], reference=reference)
        if value is not None and value != fields.values.get("published"):
            fields.offer("updated", value, f"meta:{modified[0]}")
    section = meta.first("article:section")
    if section:
        fields.offer("categories", (normalise_space(section[1]).strip(),), "meta:article:section")
    tags = tuple(dict.fromkeys(
        normalise_space(v).strip() for v in meta.tags.get("article:tag", []) if v.strip()))
    fields.offer("tags", tags, "meta:article:tag")

    images = body.images
    lead_image = images[0].url if images else None
    if lead_image is None:
        og_image = meta.first("og:image", "twitter:image")
        if og_image:
            image = og_image[1]
            if image.startswith("//"):
                image = "https:" + image
            elif url:
                image = urljoin(url, image)
            fields.offer("lead_image", image, f"meta:{og_image[0]}")
    else:
        fields.offer("lead_image", lead_image, fields.provenance["text"])
    site = rule.name if rule is not None else site_of(url)
    values = fields.values
    title = values.get("title") or ""
    return Article(
        title=str(title),
        text=body.text,
        url=url,
        author=values.get("author"),  # type: ignore[arg-type]
        editor=values.get("editor"),  # type: ignore[arg-type]
        source=values.get("source"),  # type: ignore[arg-type]
        reprinted_from=values.get("reprinted_from"),  # type: ignore[arg-type]
        published=values.get("published"),  # type: ignore[arg-type]
        published_raw=values.get("published_raw"),  # type: ignore[arg-type]
        updated=values.get("updated"),  # type: ignore[arg-type]
        categories=values.get("categories", ()),  # type: ignore[arg-type]
        tags=values.get("tags", ()),  # type: ignore[arg-type]
        lead_image=values.get("lead_image"),  # type: ignore[arg-type]
        images=images,
        body_html=body.html,
        site=site,
        lang=_lang(root, body.text),
        provenance=tuple(sorted(fields.provenance.items())),
        parser_version=PARSER_VERSION,
    )
