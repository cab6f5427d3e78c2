"""Every bundled feed-mirror post imports faithfully: each piece of visible body text is kept."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from archiver.extract.byline import _match_tail
from archiver.extract.clean import DROP_TAGS, normalise_space, parse_fragment
from archiver.extract.frontmatter import split_post
from archiver.extract.posts import parse_post

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "samples" / "posts").iterdir())
NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _visible_chunks(html: str) -> list[str]:
    root = parse_fragment(html)
    for el in list(root.iter()):
        if isinstance(el.tag, str) and el.tag.lower() in DROP_TAGS:
            el.drop_tree()
    return [c for c in (normalise_space(t).strip() for t in root.itertext()) if len(c) > 1]


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name[:40] for p in SAMPLES])
def test_every_visible_text_chunk_is_in_the_article(path: Path):
    text = path.read_text(encoding="utf-8")
    article = parse_post(text, fetched_at=NOW)
    flat = article.text.replace(" ", "").replace("\n", "")
    for chunk in _visible_chunks(split_post(text).body):
        squeezed = chunk.replace(" ", "")
        if squeezed in flat:
            continue
        # Only byline notes may leave the text, and only into their fields.
        hit = _match_tail(chunk)
        assert hit, f"lost text: {chunk[:60]!r}"
        field, value, start = hit
        assert getattr(article, field) == value
        assert chunk[:start].replace(" ", "") in flat
    assert not re.search(r"<[a-z/][^>]*>|&#?\w+;", article.text)
    assert article.published is not None and article.published.tzinfo is not None
