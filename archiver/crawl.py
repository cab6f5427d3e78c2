"""Archiving from the web: fetch (many threads) → store (one writer). Composes
:mod:`archiver.capture.fetch`, :mod:`archiver.capture.feeds`, :mod:`archiver.capture.images` and
:func:`archiver.pipeline.store_capture`.

Threads only fetch. Every archive write happens in the calling thread, which is the single
writer SQLite wants; results stream back to it through a queue. Work is handed out per host:
a host is never fetched by two workers at once, and a free worker takes the host whose
politeness delay ends soonest, so ``--concurrency`` spreads across hosts without ever
hammering one.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests

from archiver.capture.feeds import parse_feed
from archiver.capture.fetch import ACCEPT_FEED, ACCEPT_HTML, Fetcher, FetchOptions, Validators
from archiver.capture.images import ImageDownload, download_images, image_urls, store_images
from archiver.errors import ArchiverError, InputError, NotAnArticle
from archiver.models import KIND_WEB, Capture, CaptureInfo, ImportResult, Summary
from archiver.pipeline import decode_capture, store_capture
from archiver.store.archive import Archive
from archiver.urls import canonical_url, check_url, is_valid_url, url_key

log = logging.getLogger("archiver")

OnResult = Callable[[ImportResult], None]
Progress = Callable[[int], None]


@dataclass(slots=True)
class _Outcome:
    url: str
    capture: Capture | None = None
    error: ArchiverError | None = None
    images: list[ImageDownload] = field(default_factory=list)
    not_modified: bool = False


class _Frontier:
    """URLs grouped by host; hands out one URL at a time, one host per worker."""

    def __init__(self, urls: Iterable[str], fetcher: Fetcher) -> None:
        self.hosts: OrderedDict[str, deque[str]] = OrderedDict()
        for url in urls:
            self.hosts.setdefault(urlsplit(url).netloc.lower(), deque()).append(url)
        self.busy: set[str] = set()
        self.fetcher = fetcher
        self.cond = threading.Condition()
        self.stopped = False

    def take(self) -> tuple[str, str] | None:
        with self.cond:
            while not self.stopped:
                free = [h for h, q in self.hosts.items() if q and h not in self.busy]
                if free:
                    host = min(free, key=self.fetcher.ready_at)  # stable: first seen wins ties
                    self.busy.add(host)
                    return host, self.hosts[host].popleft()
                if not any(self.hosts.values()):
                    return None
                self.cond.wait()
            return None

    def done(self, host: str) -> None:
        with self.cond:
            self.busy.discard(host)
            self.cond.notify_all()

    def stop(self) -> None:
        with self.cond:
            self.stopped = True
            self.cond.notify_all()


def _fetch_one(fetcher: Fetcher, url: str, *, images: bool,
               validators: Validators | None = None) -> _Outcome:
    try:
        got = fetcher.fetch(url, accept=ACCEPT_HTML, validators=validators)
    except ArchiverError as exc:
        return _Outcome(url, error=exc)
    if got.not_modified:
        return _Outcome(url, not_modified=True)
    capture = got.to_capture(kind=KIND_WEB, origin=url)
    outcome = _Outcome(url, capture=capture)
    if images and capture.body.strip():
        outcome.images = _page_images(fetcher, capture)
    return outcome


def _page_images(fetcher: Fetcher, capture: Capture) -> list[ImageDownload]:
    """Images of a page, derived here only to learn their URLs (the writer derives again)."""
    from archiver.extract import derive

    try:
        article = derive(capture, decode_capture(capture).text)
    except ArchiverError:
        return []
    return download_images(fetcher, image_urls(article),
                           referer=article.url or capture.final_url or capture.url)


def _fetch_all(fetcher: Fetcher, urls: list[str], *, concurrency: int, images: bool,
               validators: dict[str, Validators] | None = None) -> Iterator[_Outcome]:
    frontier = _Frontier(urls, fetcher)
    validators = validators or {}
    workers = max(1, min(concurrency, len(frontier.hosts)))
    if workers == 1:
        while (job := frontier.take()) is not None:
            host, url = job
            try:
                yield _fetch_one(fetcher, url, images=images, validators=validators.get(url))
            finally:
                frontier.done(host)
        return
    results: queue.Queue[_Outcome | None] = queue.Queue()

    def work() -> None:
        try:
            while (job := frontier.take()) is not None:
                host, url = job
                try:
                    outcome = _fetch_one(fetcher, url, images=images,
                                         validators=validators.get(url))
                except Exception as exc:  # a bug must not hang the writer: report it
                    log.exception("fetching %s failed", url)
                    outcome = _Outcome(url, error=ArchiverError(f"internal error: {exc!r}"))
                finally:
                    frontier.done(host)
                results.put(outcome)
        finally:
            results.put(None)

    threads = [threading.Thread(target=work, name=f"archiver-fetch-{i}", daemon=True)
               for i in range(workers)]
    for thread in threads:
        thread.start()
    running = workers
    try:
        while running:
            item = results.get()
            if item is None:
                running -= 1
                continue
            yield item
    finally:
        frontier.stop()  # on interrupt: workers finish their current URL and quit
        for thread in threads:
            thread.join(timeout=0.1)


def _known(archive: Archive, capture: Capture) -> tuple[int | None, str | None] | None:
    """``(article_id, flag)`` when these exact bytes were already captured for this URL."""
    url = capture.final_url or capture.url
    if not url:
        return None
    key = url_key(url)
    row = archive.conn.execute(
        "SELECT flag FROM captures WHERE key = ? AND sha256 = ?", (key, capture.sha256)
    ).fetchone()
    if row is None:
        return None
    return archive.article_id_for_key(key), row[0]


def _validators(archive: Archive, url: str) -> Validators | None:
    """ETag / Last-Modified of the newest good web capture of ``url`` that has an article."""
    key = url_key(url)
    if archive.article_id_for_key(key) is None:
        return None
    row = archive.conn.execute(
        """SELECT headers FROM captures WHERE key = ? AND kind = ? AND flag IS NULL
           ORDER BY id DESC LIMIT 1""", (key, KIND_WEB)
    ).fetchone()
    if row is None:
        return None
    return Validators.from_headers(tuple(tuple(h) for h in json.loads(row[0] or "[]")))


def store_fetched(archive: Archive, capture: Capture, *, origin: str) -> ImportResult:
    """Store one fetched capture: unchanged bytes are recognised without re-deriving, empty
    bodies are refused, anything else goes through :func:`archiver.pipeline.store_capture`."""
    if not capture.body.strip():
        return ImportResult(origin, "refused",
                            message=f"{origin}: not an article: empty response body "
                                    f"(HTTP {capture.status}, {len(capture.body)} bytes)")
    known = _known(archive, capture)
    if known is not None:
        article_id, flag = known
        if flag:
            return ImportResult(origin, "refused", message=f"{origin}: not an article, same bytes "
                                                          f"as last time ({flag})")
        if article_id is not None:
            return ImportResult(origin, "unchanged", article_id)
    return store_capture(archive, capture, origin=origin)


def _normalise_urls(urls: Iterable[str], bad: list[ImportResult] | None = None) -> list[str]:
    """URLs stripped and deduplicated by identity; unusable ones become failed results."""
    seen: set[str] = set()
    out = []
    for url in urls:
        url = url.strip()
        if not url or url.startswith("#"):
            continue
        try:
            key = canonical_url(check_url(url))  # messages cut long or binary lines short
        except InputError as exc:
            if bad is not None:
                bad.append(ImportResult(url, "failed", message=str(exc)))
            continue
        if key not in seen:
            seen.add(key)
            out.append(url)
    return out


def _report(summary: Summary, on_result: OnResult | None, result: ImportResult) -> None:
    summary.add(result)
    if on_result:
        on_result(result)


def archive_urls(
    archive: Archive,
    urls: Iterable[str],
    *,
    options: FetchOptions | None = None,
    session: requests.Session | None = None,
    fetcher: Fetcher | None = None,
    concurrency: int = 1,
    images: bool = False,
    on_result: OnResult | None = None,
    progress: Progress | None = None,
) -> Summary:
    """Fetch and archive web pages. Never raises for one bad URL: each failure is one result
    (status ``failed`` or ``refused``) with a one-line message. Pass ``session`` to control
    networking (tests, proxies) or a ready ``fetcher`` to share politeness state."""
    summary = Summary()
    bad: list[ImportResult] = []
    todo = _normalise_urls(urls, bad)
    for result in bad:
        _report(summary, on_result, result)
    fetcher = fetcher or Fetcher(options, session=session, pool_size=max(10, concurrency))
    _archive_pages(archive, fetcher, todo, concurrency=concurrency, images=images,
                   summary=summary, on_result=on_result, progress=progress)
    return summary


def _archive_pages(archive: Archive, fetcher: Fetcher, todo: list[str], *, concurrency: int,
                   images: bool, summary: Summary, on_result: OnResult | None,
                   progress: Progress | None) -> None:
    """Fetch pages in worker threads and store each outcome in this (the writer's) thread."""
    # Read here, in the writer's thread: workers never touch the archive.
    validators = {url: v for url in todo if (v := _validators(archive, url)) is not None}
    for outcome in _fetch_all(fetcher, todo, concurrency=concurrency, images=images,
                              validators=validators):
        _report(summary, on_result, _store_outcome(archive, outcome))
        if progress:
            progress(1)


def _store_outcome(archive: Archive, outcome: _Outcome) -> ImportResult:
    url = outcome.url
    if outcome.not_modified:
        return ImportResult(url, "unchanged", archive.article_id_for_key(url_key(url)),
                            message="304 Not Modified")
    if outcome.error is not None:
        exc = outcome.error
        status = "refused" if isinstance(exc, NotAnArticle) else "failed"
        prefix = "not an article: " if status == "refused" else ""
        message = f"{url}: {prefix}{exc}" + (f" (hint: {exc.hint})" if exc.hint else "")
        return ImportResult(url, status, message=message)
    assert outcome.capture is not None
    result = store_fetched(archive, outcome.capture, origin=url)
    if outcome.images and result.article_id is not None:
        report = store_images(archive, outcome.images)
        for error in report.errors:
            log.warning("%s", error)
    return result


def archive_feeds(
    archive: Archive,
    feed_urls: Iterable[str],
    *,
    options: FetchOptions | None = None,
    session: requests.Session | None = None,
    fetch_links: bool = False,
    images: bool = False,
    concurrency: int = 1,
    on_result: OnResult | None = None,
    progress: Progress | None = None,
) -> Summary:
    """Fetch feeds and archive each item (its XML as a capture, and the article it carries).

    Items whose bytes did not change since the last run count as ``unchanged``; items that are
    only a link are ``skipped`` (their capture is kept). With ``fetch_links`` every item's link
    page is archived too, as :func:`archive_urls` does.
    """
    summary = Summary()
    fetcher = Fetcher(options, session=session, pool_size=max(10, concurrency))
    links: list[str] = []
    bad: list[ImportResult] = []
    feed_list = _normalise_urls(feed_urls, bad)
    for result in bad:
        _report(summary, on_result, result)
    for feed_url in feed_list:
        try:
            got = fetcher.fetch(feed_url, accept=ACCEPT_FEED)
            feed = parse_feed(got.body, feed_url=got.final_url, fetched_at=got.fetched_at,
                              content_type=got.content_type)
        except ArchiverError as exc:
            hint = f" (hint: {exc.hint})" if exc.hint else ""
            _report(summary, on_result,
                    ImportResult(feed_url, "failed", message=f"{feed_url}: {exc}{hint}"))
            continue
        for item in feed.items:
            origin = item.url or f"{feed_url} item {item.meta_value('item')}"
            try:
                result = store_fetched(archive, item, origin=origin)
            except ArchiverError as exc:  # one bad item never stops the rest of the feed
                result = ImportResult(origin, "failed", message=f"{origin}: {exc}")
            if result.status == "refused":  # a bare link: kept, not a failure
                result = ImportResult(origin, "skipped", message=result.message)
            elif images and result.article_id is not None and result.status != "unchanged":
                article = archive.get(result.article_id).article
                store_images(archive, download_images(fetcher, image_urls(article),
                                                       referer=article.url))
            _report(summary, on_result, result)
            if progress:
                progress(1)
            if fetch_links and item.url:
                links.append(item.url)
    if links:
        _archive_pages(archive, fetcher, _normalise_urls(links), concurrency=concurrency,
                       images=images, summary=summary, on_result=on_result, progress=progress)
    return summary


def history(archive: Archive, url: str) -> list[CaptureInfo]:
    """Every capture of a URL, oldest first: by its canonical identity (so ``?utm_source=…``
    variants and redirects that ended there count) as well as by the URL exactly as given."""
    found = {info.id: info for info in archive.history(url)}
    if url.startswith(("http://", "https://")) and is_valid_url(url):
        found.update((info.id, info) for info in archive.history(url_key(url)))
    return sorted(found.values(), key=lambda info: (info.fetched_at, info.id))
