"""Quality gate: every site rule on its saved real page, field by field."""

from __future__ import annotations

from datetime import datetime, timezone
from functools import cache
from pathlib import Path

import pytest
import yaml

from archiver.capture.encoding import decode
from archiver.extract.parse import PARSER_VERSION, parse_html
from archiver.extract.rules import default_rulebook
from archiver.models import Article

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"
MANIFEST = yaml.safe_load((PAGES / "manifest.yaml").read_text(encoding="utf-8"))
FETCHED = datetime(2026, 1, 1, tzinfo=timezone.utc)


@cache
def parsed(slug: str) -> Article:
    entry = MANIFEST[slug]
    html = decode((PAGES / entry["file"]).read_bytes()).text
    return parse_html(html, url=entry["url"], fetched_at=FETCHED)


SLUGS = sorted(MANIFEST)


def test_every_shipped_rule_has_a_saved_page() -> None:
    slugs = {rule.slug for rule in default_rulebook().rules}
    assert slugs == set(MANIFEST)


@pytest.mark.parametrize("slug", SLUGS)
def test_the_sites_rule_is_used(slug: str) -> None:
    article = parsed(slug)
    assert dict(article.provenance)["text"] == f"rule:{slug}"
    assert article.parser_version == PARSER_VERSION


@pytest.mark.parametrize("slug", SLUGS)
def test_title(slug: str) -> None:
    assert parsed(slug).title == MANIFEST[slug]["title"]


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("field", ["author", "editor", "source"])
def test_byline(slug: str, field: str) -> None:
    assert getattr(parsed(slug), field) == MANIFEST[slug][field]


@pytest.mark.parametrize("slug", SLUGS)
def test_published_day_and_zone(slug: str) -> None:
    want = datetime.fromisoformat(MANIFEST[slug]["published"])
    got = parsed(slug).published
    assert got is not None and got.utcoffset() is not None
    assert got.astimezone(want.tzinfo).date() == want.date()


@pytest.mark.parametrize("slug", SLUGS)
def test_body_has_the_story(slug: str) -> None:
    text = " ".join(parsed(slug).text.split())
    for snippet in MANIFEST[slug]["with"]:
        assert " ".join(snippet.split()) in text


@pytest.mark.parametrize("slug", SLUGS)
def test_body_has_no_furniture(slug: str) -> None:
    text = parsed(slug).text
    for snippet in MANIFEST[slug]["without"]:
        assert snippet not in text


GENERIC = yaml.safe_load((PAGES / "generic.yaml").read_text(encoding="utf-8"))


@cache
def parsed_generic(name: str) -> Article:
    entry = GENERIC[name]
    html = decode((PAGES / entry["file"]).read_bytes()).text
    return parse_html(html, url=entry["url"], fetched_at=FETCHED)


@pytest.mark.parametrize("name", sorted(GENERIC))
def test_old_page_is_read_by_the_generic_extractor(name: str) -> None:
    assert dict(parsed_generic(name).provenance)["text"] == "generic"


@pytest.mark.parametrize("name", sorted(GENERIC))
@pytest.mark.parametrize("field", ["title", "author", "source"])
def test_old_page_fields(name: str, field: str) -> None:
    if field in GENERIC[name]:
        assert getattr(parsed_generic(name), field) == GENERIC[name][field]


@pytest.mark.parametrize("name", sorted(GENERIC))
def test_old_page_date(name: str) -> None:
    want = datetime.fromisoformat(GENERIC[name]["published"])
    assert parsed_generic(name).published == want


@pytest.mark.parametrize("name", sorted(GENERIC))
def test_old_page_body(name: str) -> None:
    text = parsed_generic(name).text
    for snippet in GENERIC[name]["with"]:
        assert snippet in text
    for snippet in GENERIC[name]["without"]:
        assert snippet not in text
