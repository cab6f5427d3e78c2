"""Article images: downloaded with the article URL as Referer, size-capped, kept content-addressed.

Bytes live once in ``blobs`` (keyed by sha256); ``images`` maps each image URL to its blob and
remembers the last failure. Downloading (:func:`download_images`) touches only the network and
is safe in worker threads; storing (:func:`store_images`) touches only the archive and belongs to
the single writer. A failed image never fails its article.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone

import requests

from archiver.capture.fetch import ACCEPT_IMAGE, Fetcher, FetchOptions, media_type
from archiver.errors import ArchiverError
from archiver.models import Article
from archiver.store.archive import Archive, utc_iso


@dataclass(frozen=True, slots=True)
class ImageDownload:
    """The outcome of one image download (``body`` is None when it failed)."""

    url: str
    referer: str | None
    fetched_at: datetime
    body: bytes | None = None
    content_type: str | None = None
    status: int | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class StoredImage:
    url: str
    sha256: str
    content_type: str | None
    body: bytes


@dataclass(slots=True)
class ImageReport:
    downloaded: int = 0
    already: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def image_urls(article: Article) -> list[str]:
    """The article's image URLs (lead image first), without duplicates."""
    urls = [article.lead_image] if article.lead_image else []
    urls += [image.url for image in article.images]
    return [u for u in dict.fromkeys(urls) if u and u.startswith(("http://", "https://"))]


def download_images(fetcher: Fetcher, urls: Iterable[str], *, referer: str | None
                    ) -> list[ImageDownload]:
    """Download each URL (network only). Failures are results, never exceptions."""
    results = []
    for url in urls:
        try:
            got = fetcher.fetch(url, accept=ACCEPT_IMAGE, referer=referer)
        except ArchiverError as exc:
            results.append(ImageDownload(url, referer, datetime.now(timezone.utc),
                                         error=str(exc)))
            continue
        results.append(ImageDownload(
            url, referer, got.fetched_at, body=got.body,
            content_type=media_type(got.content_type) or None, status=got.status,
        ))
    return results


def store_images(archive: Archive, downloads: Iterable[ImageDownload]) -> ImageReport:
    """Record downloads in the archive (blobs deduplicated by content)."""
    report = ImageReport()
    with archive.transaction():
        for item in downloads:
            if item.body is None:
                report.failed += 1
                report.errors.append(f"image {item.url}: {item.error}")
                # Keep an earlier good download; only remember the failure.
                archive.conn.execute(
                    """INSERT INTO images (url, referer, fetched_at, error) VALUES (?, ?, ?, ?)
                       ON CONFLICT(url) DO UPDATE SET error = excluded.error,
                           fetched_at = excluded.fetched_at
                       WHERE images.sha256 IS NULL""",
                    (item.url, item.referer, utc_iso(item.fetched_at), item.error),
                )
                continue
            sha = hashlib.sha256(item.body).hexdigest()
            archive.conn.execute(
                "INSERT OR IGNORE INTO blobs (sha256, size, content_type, body) VALUES (?,?,?,?)",
                (sha, len(item.body), item.content_type, item.body),
            )
            archive.conn.execute(
                """INSERT INTO images (url, sha256, content_type, status, referer, fetched_at)
                   VALUES (?, ?, ?, ?, ?, ?)
                   ON CONFLICT(url) DO UPDATE SET sha256 = excluded.sha256,
                       content_type = excluded.content_type, status = excluded.status,
                       referer = excluded.referer, fetched_at = excluded.fetched_at,
                       error = NULL""",
                (item.url, sha, item.content_type, item.status, item.referer,
                 utc_iso(item.fetched_at)),
            )
            report.downloaded += 1
    return report


def missing_images(archive: Archive, urls: Iterable[str]) -> list[str]:
    """The URLs among ``urls`` not yet downloaded."""
    out = []
    for url in urls:
        row = archive.conn.execute("SELECT sha256 FROM images WHERE url = ?", (url,)).fetchone()
        if row is None or row[0] is None:
            out.append(url)
    return out


def fetch_images(
    archive: Archive,
    article_id: int,
    *,
    session: requests.Session | None = None,
    options: FetchOptions | None = None,
    fetcher: Fetcher | None = None,
) -> ImageReport:
    """Download the images of one stored article that are not in the archive yet."""
    stored = archive.get(article_id)
    urls = image_urls(stored.article)
    todo = missing_images(archive, urls)
    fetcher = fetcher or Fetcher(options, session=session)
    report = store_images(archive, download_images(fetcher, todo, referer=stored.article.url))
    report.already = len(urls) - len(todo)
    return report


def stored_image(archive: Archive, url: str) -> StoredImage | None:
    """The downloaded bytes of an image URL, or None when it was never downloaded."""
    row = archive.conn.execute(
        """SELECT b.sha256, COALESCE(i.content_type, b.content_type), b.body
           FROM images i JOIN blobs b ON b.sha256 = i.sha256 WHERE i.url = ?""",
        (url,),
    ).fetchone()
    if row is None:
        return None
    return StoredImage(url=url, sha256=row[0], content_type=row[1], body=bytes(row[2]))


def archive_image_source(archive: Archive) -> Callable[[str, str | None], bytes | None]:
    """An image source for the export (``source(url, referer) -> bytes | None``) that serves
    the images downloaded into the archive and never touches the network. Compose it with a
    downloader: ``first_of(archive_image_source(archive), download_image_source(fetcher))``."""

    def source(url: str, referer: str | None = None) -> bytes | None:
        found = stored_image(archive, url)
        return found.body if found is not None else None

    return source


def download_image_source(fetcher: Fetcher) -> Callable[[str, str | None], bytes | None]:
    """An image source that downloads now, with the fetcher's caps, politeness and robots.txt,
    the article URL as Referer. A failure raises :class:`~archiver.errors.FetchError` (the
    export reports the image as missing with its message)."""

    def source(url: str, referer: str | None = None) -> bytes | None:
        return fetcher.fetch(url, accept=ACCEPT_IMAGE, referer=referer).body

    return source
