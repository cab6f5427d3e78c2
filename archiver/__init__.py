"""archiver: archive Chinese news articles, parse them into clean articles, search, export.

The public API is what ``__all__`` lists; everything else is internal.
"""

from __future__ import annotations

import logging

from archiver.errors import (
    ArchiverError,
    FetchError,
    FormatError,
    InputError,
    NotAnArticle,
    NotFound,
    ParseError,
    QueryError,
    RuleError,
    StoreError,
)
from archiver.models import Article, Capture, Image, ImportResult, StoredArticle, Summary
from archiver.pipeline import import_paths, parse_file, reparse, store_capture
from archiver.store import Archive, open_archive

__version__ = "0.1.0"

logging.getLogger("archiver").addHandler(logging.NullHandler())

__all__ = [
    "Archive",
    "ArchiverError",
    "Article",
    "Capture",
    "FetchError",
    "FormatError",
    "Image",
    "ImportResult",
    "InputError",
    "NotAnArticle",
    "NotFound",
    "ParseError",
    "QueryError",
    "RuleError",
    "StoreError",
    "StoredArticle",
    "Summary",
    "__version__",
    "import_paths",
    "open_archive",
    "parse_file",
    "reparse",
    "store_capture",
]
