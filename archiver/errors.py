"""The one exception hierarchy of archiver.

::

    ArchiverError                 base; every error the library raises on purpose
    ├── InputError                an input file or record cannot be read (empty, binary,
    │   │                         not a supported format, truncated archive …)
    │   └── FormatError           it looks like a supported format but is malformed
    ├── FetchError                a URL could not be fetched (network, HTTP status, size cap)
    │   └── RobotsDenied          robots.txt forbids the URL
    ├── NotAnArticle              the input is not an article (captcha/WAF page, deleted
    │                             placeholder, list page, empty body, PDF …)
    ├── ParseError                the input could not be turned into an article
    ├── RuleError                 a site rule file is invalid
    ├── NotFound                  no such article / capture in the archive
    ├── QueryError                a search query or filter could not be used
    └── StoreError                the archive database failed (locked, corrupt, read-only)

Third-party exceptions (requests, lxml, sqlite3, yaml) are wrapped at the boundary with
``raise … from exc`` so callers only ever catch these.
"""

from __future__ import annotations


class ArchiverError(Exception):
    """Base class of every error archiver raises on purpose."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class InputError(ArchiverError):
    """An input file or record cannot be read."""


class FormatError(InputError):
    """The input looks like a supported format but is malformed."""


class FetchError(ArchiverError):
    """A URL could not be fetched."""


class RobotsDenied(FetchError):
    """robots.txt forbids fetching the URL."""


class NotAnArticle(ArchiverError):
    """The input is not an article (challenge page, deleted placeholder, empty body …)."""


class ParseError(ArchiverError):
    """The input could not be parsed into an article."""


class RuleError(ArchiverError):
    """A site rule file is invalid."""


class NotFound(ArchiverError):
    """No such article or capture in the archive."""


class QueryError(ArchiverError):
    """A search query or filter cannot be used."""


class StoreError(ArchiverError):
    """The archive database failed."""
