"""Whole-page extraction: HTML string → :class:`Article`.

Each field is taken from the first producer that has it, in this order: the site rule (when
the host has one), the page's metadata (``<meta>``, JSON-LD), then generic heuristics (the
content detector in :mod:`content`, info lines near the headline, the dateline). The article
records which producer gave each field in ``provenance``, e.g. ``("author", "rule:sina")``.

The steps, each in its own module: :mod:`gate` (not an article?), :mod:`document` (lxml),
:mod:`meta`, :mod:`rules`, :mod:`title`, :mod:`content` (where the story is), :mod:`entries`
(a blog archive or forum thread: its first entry), :mod:`clean` and :mod:`tidy` (its block
tree, furniture out), :mod:`byline`, :mod:`published`.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import datetime

import lxml.html
from lxml import etree

from archiver.errors import NotAnArticle, ParseError
from archiver.extract import gate
from archiver.extract.byline import (
    Byline,
    TailByline,
    clean_editor,
    clean_names,
    clean_outlet,
    dateline_author,
    english_byline,
    parse_byline,
    posted_by,
    take_tail_bylines,
)
from archiver.extract.clean import Body, block_text, clean_html, finish, normalise_space
from archiver.extract.content import Analysis, analyse, choose_run, drop_boilerplate
from archiver.extract.document import load_document, prune, rule_hits, rule_text, text_of
from archiver.extract.entries import best_inside, entry_title, first_entry
from archiver.extract.meta import PageMeta, ld_name, read_meta
from archiver.extract.published import choose_published, choose_updated
from archiver.extract.rules import Rule, default_rulebook
from archiver.extract.tidy import Tidied, tidy
from archiver.extract.title import find_title
from archiver.models import Article
from archiver.urls import is_valid_url, join_url, site_of

PARSER_VERSION = "extract-1"

_CJK = re.compile(r"[\u3400-\u9fff]")
_AUTHOR_META = ("article:author", "og:article:author", "author", "dc.creator", "byl",
                "sailthru.author", "parsely-author", "article.author")
_SOURCE_META = ("article:source", "source", "og:site_name_source", "mediaid", "og:source")
# <meta name="author"> often names the site, the outlet or the CMS vendor instead of a person.
_OUTLET_LIKE = re.compile(
    r"(?:网|报|社|新闻|频道|中心|官方|传媒|集团|杂志|电视台|广播|平台|\.com|\.cn)$|^name$")
# Parenthesised reporter's name closing a story, a Sina/Chinanews convention: "…(李楠)",
# "…（总台记者 张倩）".
_CLOSING_NAME = re.compile(
    r"[（(]\s*(?:[\u4e00-\u9fff]{0,6}?(?:记者|通讯员)\s*)?"
    r"(?P<name>[\u4e00-\u9fff]{2,3}(?:\s+[\u4e00-\u9fff]{2,3})?)\s*[）)]\s*$")
_NOT_CLOSING_NAMES = {"完", "完结", "待续", "未完", "全文完", "图片", "资料图", "视频", "网络",
                      "原标题", "编辑", "记者", "供图", "摄影"}


@dataclass(slots=True)
class _Fields:
    """Field values with the producer of each; the first offer of a field wins."""

    values: dict[str, object] = field(default_factory=dict)
    provenance: dict[str, str] = field(default_factory=dict)

    def offer(self, name: str, value: object, producer: str) -> bool:
        if value in (None, "", ()) or name in self.values:
            return False
        self.values[name] = value
        self.provenance[name] = producer
        return True

    def withdraw(self, name: str) -> None:
        self.values.pop(name, None)
        self.provenance.pop(name, None)


@dataclass(slots=True)
class _Story:
    """The extracted body and what was read around it."""

    body: Body
    head_lines: list[str]  # short lines between the headline and the story
    tail_lines: list[str]  # short lines right after the story
    tidied: Tidied  # byline/info lines removed from inside the story
    tail: TailByline  # （编辑：X） notes closing the story
    paragraphs: list[str]  # the story's paragraphs, for dateline and closing names


def _find_url(root: etree._Element, meta: PageMeta) -> str | None:
    canonical = root.find(".//link[@rel='canonical']")
    og_url = meta.first("og:url")
    url = (canonical.get("href") if canonical is not None else None) or (
        og_url[1] if og_url else None)
    return url if url and url.startswith("http") and is_valid_url(url) else None


def _zones(analysis: Analysis, title_el: etree._Element | None, title: str | None,
           run: list[etree._Element]) -> tuple[list[str], list[str]]:
    """Short text lines just before the story (after the headline) and just after it."""
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
    start = max(0, first - 12 if start is None else max(start, first - 40))
    head = [b.text for b in blocks[start:first] if len(b.text) <= 160]
    tail = [b.text for b in blocks[last + 1:last + 10] if len(b.text) <= 160]
    return head, tail


def _extract_story(root: etree._Element, analysis: Analysis, rule: Rule | None,
                   fields: _Fields, title_el: etree._Element | None, url: str | None) -> _Story:
    rule_tag = f"rule:{rule.slug}" if rule else ""
    run: list[etree._Element] = []
    if rule is not None:
        hits = [h for h in rule_hits(rule, root, "body") if isinstance(h, etree._Element)]
        if hits and len(text_of(hits[0])) >= gate.MIN_BODY_CHARS:
            run = [hits[0]]
            fields.provenance["text"] = rule_tag
    if not run and analysis.best is not None:
        run = choose_run(analysis)
        fields.provenance["text"] = "generic"
        entry = first_entry(analysis, run[0]) if len(run) == 1 else None
        if entry is not None:
            # A blog archive or a forum thread: the first entry is the article.
            run = [best_inside(analysis, entry)]
            fields.provenance["text"] = "generic:first-entry"
            title = entry_title(analysis, entry, run[0])
            page_title = str(fields.values.get("title") or "")
            if title and not fields.provenance.get("title", "").startswith("rule:") and (
                    re.sub(r"\s+", "", title) not in re.sub(r"\s+", "", page_title)):
                # The page's title names the blog or the board; the entry names itself.
                fields.withdraw("title")
                fields.offer("title", title, "generic:entry-title")
    if not run:
        raise NotAnArticle("not an article: no article body found")
    head_lines, tail_lines = _zones(analysis, title_el, fields.values.get("title"), run)  # type: ignore[arg-type]
    good = sum(analysis.good.get(el, 0.0) for el in run)
    bad = sum(analysis.bad.get(el, 0.0) for el in run)
    for el in run:
        drop_boilerplate(el, analysis)
    body_el = run[0]
    if len(run) > 1:
        # The story is spread over siblings: read copies of them as one container.
        body_el = lxml.html.Element("div")
        for el in run:
            body_el.append(copy.deepcopy(el))
    tree = clean_html(body_el, base_url=url)
    tidied = tidy(tree, title=fields.values.get("title"))  # type: ignore[arg-type]
    tail = take_tail_bylines(tree)
    paragraphs = ["".join(b.itertext()) for b in tree if b.tag == "p"]
    finished = finish(tree)
    # Captions stay with their images (and in body_html), not in the running text.
    text = "\n\n".join(t for t in (block_text(b).strip() for b in tree if b.tag != "figure") if t)
    reason = gate.body_reason(text, link_ratio=bad / max(1.0, good + bad))
    if reason:
        raise NotAnArticle(f"not an article: {reason}")
    return _Story(Body(finished.html, text, finished.images), head_lines, tail_lines, tidied,
                  tail, paragraphs)


def _bylines(fields: _Fields, story: _Story, meta: PageMeta, rule: Rule | None,
             rule_raw: dict[str, str | None]) -> None:
    """author / editor / source / reprinted_from, most trustworthy producer first."""
    if rule is not None:
        for name, cleaner in (("author", clean_names), ("editor", clean_editor),
                              ("source", clean_outlet)):
            raw = rule_raw[name]
            if raw:
                labelled = getattr(parse_byline(raw), name)
                fields.offer(name, labelled or cleaner(raw), f"rule:{rule.slug}")
    head = Byline()
    for line in story.head_lines:
        head = head.merged(parse_byline(line))
    after = Byline()
    for line in story.tail_lines:
        after = after.merged(parse_byline(line))
    for name in ("author", "editor", "source", "reprinted_from"):
        fields.offer(name, getattr(head, name), "generic:info")
        fields.offer(name, getattr(story.tidied.byline, name), "generic:body-info")
    fields.offer("author", dateline_author(story.paragraphs[0] if story.paragraphs else ""),
                 "generic:dateline")
    for para in reversed(story.paragraphs[-6:]):
        closing = _CLOSING_NAME.search(para)
        if closing and closing["name"] not in _NOT_CLOSING_NAMES:
            fields.offer("author", clean_names(closing["name"]), "generic:closing-name")
    for line in story.head_lines + story.tail_lines:
        fields.offer("author", posted_by(line), "generic:posted-by")
    author_meta = meta.first(*_AUTHOR_META)
    if author_meta and not _OUTLET_LIKE.search(author_meta[1]) and (
            rule is None or author_meta[1] != rule.name):
        fields.offer("author", clean_names(author_meta[1]), f"meta:{author_meta[0]}")
    author_ld = meta.ld("author")
    if author_ld:
        fields.offer("author", clean_names(ld_name(author_ld[1]) or ""), "jsonld:author")
    for line in story.head_lines + story.tidied.info_lines:
        # Last resort, after the page's metadata: English pages print "By X" under the headline.
        fields.offer("author", english_byline(line), "generic:by-line")
    for name in ("editor", "source", "reprinted_from"):
        fields.offer(name, getattr(story.tail, name), "generic:tail")
        fields.offer(name, getattr(after, name), "generic:after-body")
    source_meta = meta.first(*_SOURCE_META)
    if source_meta:
        fields.offer("source", clean_outlet(source_meta[1]), f"meta:{source_meta[0]}")
    publisher = meta.ld("publisher")
    if publisher:
        fields.offer("source", ld_name(publisher[1]), "jsonld:publisher")
    author = fields.values.get("author")
    if author and author in (fields.values.get("editor"), fields.values.get("source")):
        fields.withdraw("author")  # an editor or an outlet is never the author


def _lang(root: etree._Element, text: str) -> str | None:
    sample = text[:2000]
    if sample and len(_CJK.findall(sample)) / max(1, len(sample)) > 0.2:
        return "zh"
    lang = (root.get("lang") or root.get("xml:lang") or "").strip()
    if lang:
        return lang.split("-")[0].lower()
    return "en" if sample else None


def _lead_image(fields: _Fields, body: Body, meta: PageMeta, url: str | None) -> None:
    if body.images:
        fields.offer("lead_image", body.images[0].url, fields.provenance["text"])
        return
    og_image = meta.first("og:image", "twitter:image")
    if og_image:
        image = og_image[1]
        image = "https:" + image if image.startswith("//") else join_url(url, image)
        fields.offer("lead_image", image, f"meta:{og_image[0]}")


def parse_html(html: str, *, url: str | None = None, fetched_at: datetime) -> Article:
    """Extract the article of a whole HTML page.

    ``fetched_at`` (the capture time) anchors relative and yearless dates, so parsing the same
    capture later gives the same article. Raises :class:`NotAnArticle` for challenge, captcha,
    placeholder and list pages, :class:`ParseError` when the page cannot be read at all.
    """
    try:
        return _parse(html, url=url, fetched_at=fetched_at)
    except RecursionError as exc:
        # The tree walkers recurse once or twice per level; only pathological nesting
        # (thousands of unclosed tags) gets here.
        raise ParseError("the page is nested too deeply to read") from exc


def _parse(html: str, *, url: str | None, fetched_at: datetime) -> Article:
    reason = gate.page_reason(html)
    if reason:
        raise NotAnArticle(f"not an article: {reason}")
    root = load_document(html)
    meta = read_meta(root)
    url = url or _find_url(root, meta)
    rule = default_rulebook().for_url(url)
    rule_tag = f"rule:{rule.slug}" if rule else ""
    # Read before pruning and dropping: some sites keep the only exact time in a script
    # ("var ct = …"), and the 责任编辑 line is often one of the nodes a rule drops.
    rule_raw = {name: rule_text(rule, root, name)
                for name in ("date", "author", "editor", "source")}
    prune(root)
    if rule is not None:
        for hit in rule_hits(rule, root, "drop"):
            if isinstance(hit, etree._Element) and hit.getparent() is not None:
                hit.getparent().remove(hit)

    fields = _Fields()
    title_el: etree._Element | None = None
    hits = rule_hits(rule, root, "title") if rule is not None else []
    if hits and text_of(hits[0]):
        fields.offer("title", text_of(hits[0]), rule_tag)
        title_el = hits[0] if isinstance(hits[0], etree._Element) else None
    else:
        title, title_el, producer = find_title(root, meta)
        fields.offer("title", title, producer)

    analysis = analyse(root, headline=title_el)
    story = _extract_story(root, analysis, rule, fields, title_el, url)
    _bylines(fields, story, meta, rule, rule_raw)

    published = choose_published(
        root=root, meta=meta, reference=fetched_at, rule_raw=rule_raw["date"], rule_tag=rule_tag,
        info_lines=story.head_lines + story.tidied.info_lines,
        later_lines=story.tail_lines + [story.body.text[:300]],
        page_lines=[b.text for b in analysis.blocks
                    if b.chars and b.link_density < 0.5 and len(b.text) < 200],
    )
    if published is not None:
        fields.offer("published", published[0], published[2])
        fields.values["published_raw"] = published[1]
    updated = choose_updated(meta, fetched_at, fields.values.get("published"))  # type: ignore[arg-type]
    if updated is not None:
        fields.offer("updated", updated[0], updated[2])
    section = meta.first("article:section")
    if section:
        fields.offer("categories", (normalise_space(section[1]).strip(),), "meta:article:section")
    tags = tuple(dict.fromkeys(
        normalise_space(v).strip() for v in meta.tags.get("article:tag", []) if v.strip()))
    fields.offer("tags", tags, "meta:article:tag")
    _lead_image(fields, story.body, meta, url)

    values = fields.values
    return Article(
        title=str(values.get("title") or ""),
        text=story.body.text,
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
        images=story.body.images,
        body_html=story.body.html,
        site=rule.name if rule is not None else site_of(url),
        lang=_lang(root, story.body.text),
        provenance=tuple(sorted(fields.provenance.items())),
        parser_version=PARSER_VERSION,
    )
