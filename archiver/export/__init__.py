"""Export: articles → Markdown with YAML front matter (Hexo, Hugo, Obsidian), JSON, text, HTML.

``export_articles`` is the one entry point; the modules below are its parts:

* ``markdown``: the clean body → Markdown;  ``frontmatter``: the YAML emitter;
* ``profiles``: front-matter keys per tool;  ``names``: safe, deterministic file names;
* ``formats``: one article in each format;  ``images``: where exported images come from.
"""

from __future__ import annotations

from archiver.export.formats import FORMATS, article_record, to_markdown
from archiver.export.images import ImageSource, first_of
from archiver.export.profiles import PROFILES
from archiver.export.run import (
    ExportedArticle,
    ExportResult,
    MissingImage,
    export_articles,
    select,
)

__all__ = [
    "FORMATS",
    "PROFILES",
    "ExportResult",
    "ExportedArticle",
    "ImageSource",
    "MissingImage",
    "article_record",
    "export_articles",
    "first_of",
    "select",
    "to_markdown",
]
