"""Front-matter key mappings: archiver's own keys, and Hexo, Hugo and Obsidian conventions.

Every profile keeps the same fixed order (title, date, updated, author, editor, source,
reprinted_from, url, site, categories, tags, image, fetched, archiver id) under its own names
(plus ``lang`` after ``site`` when the article is not Chinese), and always carries
``archiver_id``: the importer reads a front matter with that key as written by
archiver (proper YAML, ``author`` is the author and not the feed's name).

* ``None`` (archiver): the keys above as they are.
* ``hexo``: the same keys (Hexo reads ``title``/``date``/``updated``/``tags``/``categories`` and
  keeps the rest for themes). Hexo reads a ``categories`` list as *one hierarchy*
  (``[新媒体, ZAKER]`` puts ZAKER under 新媒体); archiver's categories are such a path (the
  broadest first), so they are written as one flat list. Sibling hierarchies, when a caller has
  them, are written as nested lists (``- [A, B]`` / ``- [C]``), the form Hexo documents. Braces in
  the body are written as entities because Hexo runs Nunjucks over posts.
* ``hugo``: ``title``, ``date``, ``lastmod``, ``categories``, ``tags`` at the top (what Hugo reads);
  everything else under ``params`` (where Hugo wants custom keys; a top-level ``url`` would even
  change the page's address).
* ``obsidian``: Obsidian Web Clipper's names: ``published`` for the date, ``source`` for the
  article URL (so the outlet moves to ``outlet``), ``created`` for the capture time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from archiver.models import StoredArticle

PROFILES = ("hexo", "hugo", "obsidian")


@dataclass(frozen=True, slots=True)
class Layout:
    """Where a profile wants a post and its images.

    ``bundle``: with images the post is ``<stem>/index.md`` (a Hugo leaf bundle) instead of
    ``<stem>.md`` next to an image folder ``<stem>/``. ``link_from_folder``: image links are
    relative to the image folder (Hexo's ``post_asset_folder``, Hugo bundles) rather than to the
    Markdown file (Obsidian, editors, GitHub).
    """

    bundle: bool = False
    link_from_folder: bool = False
    braces: bool = False  # write { } in the body as entities (Hexo's Nunjucks pass)


LAYOUTS = {
    None: Layout(),
    "hexo": Layout(link_from_folder=True, braces=True),
    "hugo": Layout(bundle=True, link_from_folder=True),
    "obsidian": Layout(),
}


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment is not None else None


def base_fields(stored: StoredArticle) -> dict[str, Any]:
    """archiver's own front matter, in the fixed order (empty values are dropped on output)."""
    a = stored.article
    return {
        "title": a.title,
        "date": _iso(a.published),
        "updated": _iso(a.updated),
        "author": a.author,
        "editor": a.editor,
        "source": a.source,
        "reprinted_from": a.reprinted_from,
        "url": a.url,
        "site": a.site,
        # Only when not Chinese: the importer assumes zh (and Hexo reads ``lang`` as the page's).
        "lang": a.lang if a.lang and a.lang != "zh" else None,
        "categories": list(a.categories),
        "tags": list(a.tags),
        "image": a.lead_image,
        "fetched": _iso(stored.fetched),
        "archiver_id": stored.id,
    }


def hexo_categories(categories: Sequence[str] | Sequence[Sequence[str]]) -> list[Any]:
    """Hexo's form: one path as a flat list; several paths (siblings) as nested lists.

    >>> hexo_categories(["新媒体", "ZAKER"])
    ['新媒体', 'ZAKER']
    >>> hexo_categories([["新媒体", "ZAKER"], ["科技"]])
    [['新媒体', 'ZAKER'], ['科技']]
    """
    paths = [p for p in categories if p]
    if paths and all(isinstance(p, (list, tuple)) for p in paths):
        if len(paths) == 1:
            return list(paths[0])
        return [list(p) for p in paths]
    return [str(p) for p in paths]


def front_matter_fields(stored: StoredArticle, profile: str | None = None) -> dict[str, Any]:
    """The ordered front-matter mapping of one article under ``profile``."""
    base = base_fields(stored)
    if profile is None:
        return base
    if profile == "hexo":
        return {**base, "categories": hexo_categories(base["categories"])}
    if profile == "hugo":
        top = ("title", "date", "updated", "categories", "tags")
        params = {k: v for k, v in base.items() if k not in top}
        return {
            "title": base["title"],
            "date": base["date"],
            "lastmod": base["updated"],
            "categories": base["categories"],
            "tags": base["tags"],
            "params": params,
        }
    if profile == "obsidian":
        return {
            "title": base["title"],
            "published": base["date"],
            "updated": base["updated"],
            "author": base["author"],
            "editor": base["editor"],
            "outlet": base["source"],
            "reprinted_from": base["reprinted_from"],
            "source": base["url"],
            "site": base["site"],
            "lang": base["lang"],
            "categories": base["categories"],
            "tags": base["tags"],
            "image": base["image"],
            "created": base["fetched"],
            "archiver_id": base["archiver_id"],
        }
    raise ValueError(f"unknown profile {profile!r} (one of {', '.join(PROFILES)})")
