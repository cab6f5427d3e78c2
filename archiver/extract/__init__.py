"""Deriving articles from captures: bytes decoded by the pipeline → :class:`Article`.

``derive`` dispatches on the capture's kind; it never touches the network or the archive.
"""

from __future__ import annotations

import json

from archiver.errors import ParseError
from archiver.models import (
    KIND_FEED_ITEM,
    KIND_JSONL,
    KIND_POST,
    KIND_WEB,
    Article,
    Capture,
    no_surrogates,
)
from archiver.urls import is_valid_url


def derive(capture: Capture, text: str) -> Article:
    """The article in ``capture`` whose body decodes to ``text``.

    Raises :class:`~archiver.errors.ParseError` or :class:`~archiver.errors.NotAnArticle`.
    """
    article = _derive(capture, text)
    if article.url is not None and not is_valid_url(article.url):
        # The URL is the article's identity: one that cannot be parsed cannot be stored.
        raise ParseError(f"invalid URL {article.url[:200]!r}",
                         hint="fix or drop the url of this input")
    return article


def _derive(capture: Capture, text: str) -> Article:
    kind = capture.kind
    url = capture.final_url or capture.url
    if kind == KIND_POST:
        from archiver.extract.posts import parse_post

        return parse_post(text, fetched_at=capture.fetched_at, url=url)
    if kind == KIND_JSONL:
        from archiver.extract.records import parse_record

        try:
            record = no_surrogates(json.loads(text))
        except json.JSONDecodeError as exc:
            raise ParseError(f"invalid JSON: {exc.msg} at column {exc.colno}") from exc
        except RecursionError as exc:
            raise ParseError("invalid JSON: nested too deeply") from exc
        except ValueError as exc:  # e.g. an integer of more than 4300 digits
            raise ParseError(f"unreadable JSON ({str(exc).split(';')[0]})") from exc
        return parse_record(record, fetched_at=capture.fetched_at)
    if kind == KIND_WEB:
        from archiver.extract.parse import parse_html

        return parse_html(text, url=url, fetched_at=capture.fetched_at)
    if kind == KIND_FEED_ITEM:
        from archiver.extract.feeditem import parse_feed_item

        return parse_feed_item(capture, text)
    raise ParseError(f"unknown capture kind {kind!r}")
