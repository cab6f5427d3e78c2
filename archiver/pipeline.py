"""Composes the stages: capture → store → extract → store → index. The only place that does.

Writes are transactional: each batch is one transaction and each article in it a savepoint, so
an interrupted import leaves whole articles only, and a failing input leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from archiver.capture import files
from archiver.capture.encoding import Decoded, decode
from archiver.errors import ArchiverError, NotAnArticle, ParseError, QueryError
from archiver.extract import derive
from archiver.models import (
    KIND_FEED_ITEM,
    KIND_POST,
    KIND_WEB,
    Article,
    Capture,
    ImportResult,
    Summary,
)
from archiver.store.archive import Archive, utc_iso
from archiver.urls import is_valid_url, url_key

if TYPE_CHECKING:
    from archiver.capture.fetch import FetchOptions
    from archiver.export import ExportedArticle, ExportResult

log = logging.getLogger("archiver")

Progress = Callable[[int], None]
BATCH = 500


def decode_capture(capture: Capture) -> Decoded:
    """Text of a capture by the charset policy (posts and records are UTF-8 by format)."""
    if capture.kind in (KIND_WEB, KIND_FEED_ITEM):
        return decode(capture.body, capture.header("content-type"))
    return Decoded(capture.body.decode("utf-8-sig", "replace"), "utf-8", "format")


def article_key(capture: Capture, article: Article) -> str:
    """The identity of the article a capture holds.

    A URL when there is one (canonical form); a Hexo/Markdown post without one is the same post
    when its site, title and date are; any other record is identified by its content.
    """
    url = article.url or capture.final_url or capture.url
    if url:
        return url_key(url)
    if capture.kind == KIND_POST:
        when = utc_iso(article.published) if article.published else ""
        basis = "\x1f".join((article.site or "", article.title, when))
        return "post:" + hashlib.sha256(basis.encode()).hexdigest()[:24]
    basis = "\x1f".join((article.title, article.text))
    return "content:" + hashlib.sha256(basis.encode()).hexdigest()[:24]


def _index(archive: Archive, items: Sequence[tuple[int, Article]]) -> None:
    """Keep the search index current, inside the caller's transaction."""
    if items:
        from archiver.search.index import index_articles  # loads the word cutter lazily

        index_articles(archive, items)


@dataclass(slots=True)
class _Pending:
    capture: Capture
    article: Article
    decoded: Decoded
    origin: str


def _store_batch(archive: Archive, batch: list[_Pending]) -> list[ImportResult]:
    results: list[ImportResult] = []
    changed: list[tuple[int, Article]] = []
    with archive.transaction():
        for item in batch:
            key = article_key(item.capture, item.article)
            capture = replace(item.capture, charset=item.decoded.charset,
                              charset_reason=item.decoded.reason)
            capture_id, created = archive.add_capture(capture, key)
            article_id, status = archive.put_article(
                key, capture_id, item.capture.fetched_at if created else
                _capture_time(archive, capture_id), item.article
            )
            if status != "unchanged":
                changed.append((article_id, item.article))
            results.append(ImportResult(item.origin, status, article_id))
        _index(archive, changed)
    return results


def _capture_time(archive: Archive, capture_id: int) -> datetime:
    row = archive.conn.execute("SELECT fetched_at FROM captures WHERE id = ?", (capture_id,))
    return datetime.fromisoformat(row.fetchone()[0])


def _keep_not_article(
    archive: Archive, capture: Capture, decoded: Decoded, exc: NotAnArticle
) -> str:
    """Keep a not-article capture that has a URL for the record, flagged (its article, if an
    earlier capture made one, is left alone). Returns the reason, with the hint if any."""
    # The parser's messages may already say "not an article: …"; say it once.
    reason = str(exc).removeprefix("not an article: ")
    url = capture.final_url or capture.url
    if url and is_valid_url(url):  # an unparseable URL is no identity to file it under
        with archive.transaction():
            flagged = replace(capture, flag=f"not-article: {reason}"[:200],
                              charset=decoded.charset, charset_reason=decoded.reason)
            archive.add_capture(flagged, url_key(url))
    return reason + (f" (hint: {exc.hint})" if exc.hint else "")


def store_capture(archive: Archive, capture: Capture, *, origin: str | None = None) -> ImportResult:
    """Derive and store one capture (used by fetching). Not-an-article captures with a URL are
    kept for the record, flagged, without touching the article."""
    origin = origin or capture.origin or capture.url or "input"
    decoded = decode_capture(capture)
    try:
        article = derive(capture, decoded.text)
    except NotAnArticle as exc:
        reason = _keep_not_article(archive, capture, decoded, exc)
        return ImportResult(origin, "refused", message=f"{origin}: not an article: {reason}")
    except ParseError as exc:
        return ImportResult(origin, "failed", message=f"{origin}: {exc}")
    return _store_batch(archive, [_Pending(capture, article, decoded, origin)])[0]


def import_paths(
    archive: Archive,
    paths: Iterable[str | Path],
    *,
    on_result: Callable[[ImportResult], None] | None = None,
    progress: Progress | None = None,
    batch_size: int = BATCH,
) -> Summary:
    """Import files and folders (posts, JSON Lines, saved pages). Streams; never raises for a
    bad input — each failure is one result with a one-line message."""
    summary = Summary()
    fetched_at = datetime.now(timezone.utc)

    def report(result: ImportResult) -> None:
        summary.add(result)
        if on_result:
            on_result(result)

    batch: list[_Pending] = []

    def flush() -> None:
        if batch:
            for result in _store_batch(archive, batch):
                report(result)
            if progress:
                progress(len(batch))
            batch.clear()

    for found in files.walk(paths):
        origin = str(found.path)
        try:
            for item in files.read(found, fetched_at=fetched_at):
                if isinstance(item, ArchiverError):
                    report(ImportResult(origin, "failed", message=f"{origin}: {item}"))
                    continue
                line = item.meta_value("line")
                where = f"{origin}:{line}" if line else origin
                decoded = decode_capture(item)
                try:
                    article = derive(item, decoded.text)
                except NotAnArticle as exc:
                    reason = _keep_not_article(archive, item, decoded, exc)
                    # A record of a web archive that is no article (an error page, a bare
                    # feed link) is expected there; a file named as an article is not.
                    status = "skipped" if item.url or item.final_url else "refused"
                    message = f"{where}: not an article: {reason}"
                    report(ImportResult(where, status, message=message))
                    continue
                except ArchiverError as exc:
                    report(ImportResult(where, "failed", message=f"{where}: {exc}"))
                    continue
                except Exception as exc:  # a parser bug must not stop a batch of thousands
                    log.debug("cannot parse %s", where, exc_info=True)
                    report(ImportResult(
                        where, "failed",
                        message=f"{where}: cannot parse ({type(exc).__name__}: {exc})"))
                    continue
                batch.append(_Pending(item, article, decoded, where))
                if len(batch) >= batch_size:
                    flush()
        except ArchiverError as exc:
            flush()  # records read before a damaged tail are whole: keep them
            if found.explicit:
                report(ImportResult(origin, "failed", message=f"{origin}: {exc}"))
            else:
                report(ImportResult(origin, "skipped", message=f"{origin}: {exc}"))
            continue
        except OSError as exc:
            flush()
            report(ImportResult(origin, "failed", message=f"{origin}: {exc.strerror or exc}"))
            continue
        flush()
    flush()
    return summary


@dataclass(slots=True)
class ReparseReport:
    checked: int = 0
    changed: int = 0
    failed: int = 0
    diffs: dict[int, list[str]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


_COMPARED = (
    "title", "text", "url", "author", "editor", "source", "reprinted_from", "published",
    "published_raw", "updated", "categories", "tags", "lead_image", "images", "body_html",
    "site", "lang", "parser_version",
)


def reparse(
    archive: Archive, ids: Sequence[int] | None = None, *, progress: Progress | None = None
) -> ReparseReport:
    """Re-derive articles from their newest usable capture with the current parser."""
    report = ReparseReport()
    where = ""
    params: list[object] = []
    if ids is not None:
        ids = [i for i in ids if 0 < i < 2**63]  # no id is outside SQLite's 64-bit integers
        where = f"WHERE id IN ({', '.join('?' for _ in ids)})"
        params = list(ids)
    rows = archive.conn.execute(
        f"SELECT id, key FROM articles {where} ORDER BY id", params
    ).fetchall()
    pending: list[tuple[str, int, datetime, int, Article]] = []

    def flush() -> None:
        # One transaction and one index call per batch: indexing is fast in bulk.
        with archive.transaction():
            for key, capture_id, fetched, _, article in pending:
                archive.put_article(key, capture_id, fetched, article)
            _index(archive, [(article_id, article) for *_, article_id, article in pending])
        if progress:
            progress(len(pending))
        pending.clear()

    for article_id, key in rows:
        report.checked += 1
        capture_row = archive.conn.execute(
            "SELECT MAX(id) FROM captures WHERE key = ? AND flag IS NULL", (key,)
        ).fetchone()
        old = archive.get(article_id).article
        try:
            capture = archive.capture(capture_row[0])
            decoded = decode_capture(capture)
            new = derive(capture, decoded.text)
        except ArchiverError as exc:
            report.failed += 1
            report.errors.append(f"article {article_id}: {exc}")
            continue
        changed = [name for name in _COMPARED if getattr(old, name) != getattr(new, name)]
        if not changed:
            continue
        report.changed += 1
        report.diffs[article_id] = changed
        pending.append((key, capture_row[0], capture.fetched_at, article_id, new))
        if len(pending) >= BATCH:
            flush()
    if pending:
        flush()
    return report


def parse_file(
    path: str | Path, *, url: str | None = None, fetched_at: datetime | None = None
) -> tuple[Article, Decoded]:
    """Parse a saved HTML page (bytes in, charset policy applied) without any archive."""
    try:
        files.check_regular(Path(path))
        if Path(path).stat().st_size > files.MAX_DOCUMENT:
            raise files.InputError(f"larger than {files.MAX_DOCUMENT // 2**20} MB, not a page")
        raw = Path(path).read_bytes()
    except files.InputError as exc:
        raise files.InputError(f"{path}: {exc}") from exc
    except OSError as exc:
        raise files.InputError(f"{path}: {exc.strerror or exc}") from exc
    capture = Capture(
        kind=KIND_WEB, body=raw, fetched_at=fetched_at or datetime.now(timezone.utc), url=url,
        origin=str(path),
    )
    decoded = decode_capture(capture)
    return derive(capture, decoded.text), decoded


def export(
    archive: Archive,
    refs: Iterable[str | int] = (),
    *,
    ids: Sequence[int] | None = None,
    query: str | None = None,
    source: str | None = None,
    author: str | None = None,
    category: str | None = None,
    site: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    fmt: str = "md",
    profile: str | None = None,
    out: str | Path | TextIO,
    images: bool = False,
    fetch_options: FetchOptions | None = None,
    on_article: Callable[[ExportedArticle], None] | None = None,
) -> ExportResult:
    """Export articles (see :func:`archiver.export.export_articles`), composing the stages:
    ``query`` (with the search filters ``source``, ``author``, ``category``) selects every
    article the search matches; ``fmt="warc"`` writes the articles' captures as WARC records;
    ``images`` takes each image from the archive when it was downloaded, else downloads it now
    (article URL as Referer)."""
    # Imported here: only an export needs the fetcher, warcio and the Markdown writer.
    from archiver.capture.fetch import Fetcher
    from archiver.capture.images import archive_image_source, download_image_source
    from archiver.capture.warc import write_warc
    from archiver.export import ExportedArticle, ExportResult, export_articles, first_of
    from archiver.export.run import select

    if query is not None:
        from archiver.search.query import matching_ids

        found = matching_ids(archive, query, source=source, site=site, author=author,
                             category=category)
        ids = sorted(found | set(ids or ()))
    elif source or author or category:
        raise QueryError("source, author and category filters go with a search query")
    if fmt == "warc":
        if not isinstance(out, (str, Path)):
            raise ValueError("a WARC export needs a file path")
        chosen = [s.id for s in select(archive, refs, ids=ids, site=site, since=since,
                                       until=until)]
        write_warc(archive, out, article_ids=chosen)
        return ExportResult(
            format="warc", profile=None, path=Path(out),
            articles=tuple(ExportedArticle(article_id=i, path=Path(out)) for i in chosen),
        )
    source = None
    if images:
        source = first_of(archive_image_source(archive),
                          download_image_source(Fetcher(fetch_options)))
    return export_articles(
        archive, refs, ids=ids, site=site, since=since, until=until, fmt=fmt, profile=profile,
        out=out, images=images, image_source=source, on_article=on_article,
    )
