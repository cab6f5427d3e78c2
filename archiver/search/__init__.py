"""Chinese full-text search: Ctrl-F recall, ranked like a search engine, fast from the shell.

Write side: :func:`index_articles`, :func:`remove_articles`, :func:`reindex` (the pipeline calls
them inside its transaction). Read side: :func:`search`.
"""

from __future__ import annotations

from archiver.search.index import index_articles, reindex, remove_articles
from archiver.search.query import search

__all__ = ["index_articles", "reindex", "remove_articles", "search"]
