"""Article → Markdown document, JSON record, plain text, HTML page."""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from typing import Any

import lxml.html
from lxml import etree

from archiver.export import frontmatter
from archiver.export.markdown import body_markdown
from archiver.export.profiles import LAYOUTS, front_matter_fields
from archiver.models import Article, StoredArticle

FORMATS = ("md", "json", "jsonl", "txt", "html")
EXTENSIONS = {"md": ".md", "json": ".json", "jsonl": ".jsonl", "txt": ".txt", "html": ".html"}


def article_fields(a: Article) -> dict[str, Any]:
    """The JSON form of an article's own fields (no archive identity)."""
    return {
        "url": a.url,
        "title": a.title,
        "author": a.author,
        "editor": a.editor,
        "source": a.source,
        "reprinted_from": a.reprinted_from,
        "published": a.published.isoformat() if a.published else None,
        "published_raw": a.published_raw,
        "updated": a.updated.isoformat() if a.updated else None,
        "categories": list(a.categories),
        "tags": list(a.tags),
        "lead_image": a.lead_image,
        "images": [i.to_dict() for i in a.images],
        "site": a.site,
        "lang": a.lang,
        "word_count": a.word_count,
        "parser_version": a.parser_version,
        "provenance": dict(a.provenance),
    }


def article_record(stored: StoredArticle, *, with_text: bool = True) -> dict[str, Any]:
    """The JSON form of a stored article: the same fields, names and order as ``show --json``."""
    data: dict[str, Any] = {"id": stored.id, **article_fields(stored.article)}
    data["fetched"] = stored.fetched.isoformat()
    data["capture_id"] = stored.capture_id
    if with_text:
        data["text"] = stored.article.text
    return data


def to_markdown(stored: StoredArticle, *, profile: str | None = None,
                image_links: Mapping[str, str] | None = None) -> str:
    """The Markdown file of an article: front matter, a blank line, the body."""
    layout = LAYOUTS[profile] if profile in LAYOUTS else LAYOUTS[None]
    head = frontmatter.dump(front_matter_fields(stored, profile))
    body = body_markdown(stored.article.body_html, stored.article.text, braces=layout.braces,
                         image_links=image_links)
    return head + "\n" + body + "\n"


def to_json(stored: StoredArticle, *, indent: int | None = 2) -> str:
    return json.dumps(article_record(stored), ensure_ascii=False, indent=indent)


def to_jsonl_line(stored: StoredArticle) -> str:
    return json.dumps(article_record(stored), ensure_ascii=False) + "\n"


def _meta_lines(stored: StoredArticle) -> list[tuple[str, str]]:
    a = stored.article
    pairs = [
        ("published", a.published.isoformat() if a.published else a.published_raw),
        ("updated", a.updated.isoformat() if a.updated else None),
        ("author", a.author),
        ("editor", a.editor),
        ("source", a.source),
        ("reprinted from", a.reprinted_from),
        ("site", a.site),
        ("url", a.url),
    ]
    return [(k, v) for k, v in pairs if v]


def to_text(stored: StoredArticle) -> str:
    """Plain text for reading offline: title, a few facts, the text."""
    a = stored.article
    lines = [a.title.strip() or "(untitled)", ""]
    lines += [f"{key}: {value}" for key, value in _meta_lines(stored)]
    return "\n".join(lines) + "\n\n" + a.text.strip() + "\n"


_SAFE_SCHEMES = ("http:", "https:", "mailto:", "ftp:")


def _safe_body(body_html: str) -> str:
    """The clean body with links and images limited to harmless URLs."""
    if not body_html.strip():
        return ""
    root = lxml.html.fragment_fromstring(body_html, create_parent="div")
    for el in root.iter("a", "img"):
        attr = "href" if el.tag == "a" else "src"
        value = (el.get(attr) or "").strip()
        if value and ":" in value.split("/")[0] and not value.lower().startswith(_SAFE_SCHEMES):
            del el.attrib[attr]
    return "".join(etree.tostring(c, method="html", encoding="unicode") for c in root)


def article_html(stored: StoredArticle) -> str:
    """One ``<article>`` element."""
    a = stored.article
    esc = html.escape
    meta = "".join(
        f"<dt>{esc(k)}</dt><dd>" + (f'<a href="{esc(v)}">{esc(v)}</a>' if k == "url" else esc(v))
        + "</dd>"
        for k, v in _meta_lines(stored)
        if k != "url" or v.lower().startswith(("http:", "https:"))
    )
    body = _safe_body(a.body_html)
    if not body:
        body = "".join(f"<p>{esc(p)}</p>" for p in a.text.split("\n\n") if p.strip())
    return (f'<article data-archiver-id="{stored.id}">\n<h1>{esc(a.title)}</h1>\n'
            f"<dl>{meta}</dl>\n{body}\n</article>\n")


def html_page(articles_html: str, *, title: str, lang: str | None = "zh") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{html.escape(lang or "zh")}">\n<head>\n'
        f'<meta charset="utf-8">\n<meta name="viewport" content="width=device-width">\n'
        f"<title>{html.escape(title)}</title>\n"
        "<style>body{max-width:42em;margin:auto;padding:1em;line-height:1.7}"
        "img{max-width:100%}dl{color:#666;font-size:.9em}dt{float:left;margin-right:.5em}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em}</style>\n"
        f"</head>\n<body>\n{articles_html}</body>\n</html>\n"
    )


def to_html(stored: StoredArticle) -> str:
    """A standalone HTML page of one article."""
    return html_page(article_html(stored), title=stored.article.title, lang=stored.article.lang)
