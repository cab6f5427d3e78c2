"""archiver: archive Chinese news articles, parse them into clean articles, search, export.

The public API is what ``__all__`` lists; everything else is internal. Names are loaded on first
use (PEP 562), so ``import archiver`` and a one-shot ``archiver search`` stay fast: fetching pulls
in requests, extraction lxml, the archive sqlite-utils.
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

from archiver.errors import (
    ArchiverError,
    FetchError,
    FormatError,
    InputError,
    NotAnArticle,
    NotFound,
    ParseError,
    QueryError,
    RobotsDenied,
    RuleError,
    StoreError,
)

__version__ = "0.1.0"

logging.getLogger("archiver").addHandler(logging.NullHandler())

# name -> module that defines it
_LAZY = {
    "Article": "archiver.models",
    "Capture": "archiver.models",
    "Hit": "archiver.models",
    "Image": "archiver.models",
    "ImportResult": "archiver.models",
    "SearchResult": "archiver.models",
    "StoredArticle": "archiver.models",
    "Summary": "archiver.models",
    "Archive": "archiver.store.archive",
    "open_archive": "archiver.store.archive",
    "import_paths": "archiver.pipeline",
    "parse_file": "archiver.pipeline",
    "reparse": "archiver.pipeline",
    "store_capture": "archiver.pipeline",
    "export": "archiver.pipeline",
    "parse_html": "archiver.extract.parse",
    "archive_urls": "archiver.crawl",
    "archive_feeds": "archiver.crawl",
    "history": "archiver.crawl",
    "FetchOptions": "archiver.capture.fetch",
    "search": "archiver.search.query",
    "reindex": "archiver.search.index",
}

__all__ = [
    "Archive",
    "ArchiverError",
    "Article",
    "Capture",
    "FetchError",
    "FetchOptions",
    "FormatError",
    "Hit",
    "Image",
    "ImportResult",
    "InputError",
    "NotAnArticle",
    "NotFound",
    "ParseError",
    "QueryError",
    "RobotsDenied",
    "RuleError",
    "SearchResult",
    "StoreError",
    "StoredArticle",
    "Summary",
    "__version__",
    "archive_feeds",
    "archive_urls",
    "export",
    "history",
    "import_paths",
    "open_archive",
    "parse_file",
    "parse_html",
    "reindex",
    "reparse",
    "search",
    "store_capture",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'archiver' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs
    from archiver.capture.fetch import FetchOptions
    from archiver.crawl import archive_feeds, archive_urls, history
    from archiver.extract.parse import parse_html
    from archiver.models import (
        Article,
        Capture,
        Hit,
        Image,
        ImportResult,
        SearchResult,
        StoredArticle,
        Summary,
    )
    from archiver.pipeline import export, import_paths, parse_file, reparse, store_capture
    from archiver.search.index import reindex
    from archiver.search.query import search
    from archiver.store.archive import Archive, open_archive
