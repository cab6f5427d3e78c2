from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from archiver.store import Archive

from .helpers import corpus_articles, store


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive holding the shipped corpus, built once per test session."""
    path = tmp_path_factory.mktemp("search") / "corpus.db"
    with Archive(path) as archive:
        store(archive, corpus_articles())
    return path


@pytest.fixture
def corpus(corpus_db: Path) -> Iterator[Archive]:
    with Archive(corpus_db) as archive:
        yield archive
