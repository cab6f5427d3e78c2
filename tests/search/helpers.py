"""Writing articles straight into an archive, the way the pipeline does (store, then index)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path

from archiver.models import KIND_JSONL, Article, Capture
from archiver.search import index_articles
from archiver.store import Archive

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "search-corpus.jsonl"
FETCHED = datetime(2025, 1, 1, tzinfo=timezone.utc)


def article(title: str, text: str, **fields: object) -> Article:
    return Article(title=title, text=text, **fields)  # type: ignore[arg-type]


def store(archive: Archive, articles: Iterable[Article]) -> list[int]:
    """Store and index articles in one transaction; returns their ids in order."""
    ids: list[int] = []
    items = []
    with archive.transaction():
        for a in articles:
            key = a.url or f"test:{a.title}:{len(ids)}"
            body = json.dumps({"title": a.title, "text": a.text}, ensure_ascii=False).encode()
            capture_id, _ = archive.add_capture(
                Capture(kind=KIND_JSONL, body=body, fetched_at=FETCHED), key
            )
            article_id, _ = archive.put_article(key, capture_id, FETCHED, a)
            ids.append(article_id)
            items.append((article_id, a))
        index_articles(archive, items)
    return ids


def corpus_articles() -> list[Article]:
    """The shipped sample: 300 real news excerpts (see tests/fixtures/README-search.md)."""
    out = []
    with open(CORPUS, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            out.append(
                article(
                    rec["title"],
                    rec["text"],
                    url=f"https://news.example/{rec['id']}",
                    source=rec["source"],
                    published=datetime.fromisoformat(rec["date"] + "T12:00:00+08:00"),
                )
            )
    return out
