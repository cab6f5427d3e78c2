"""export_articles: select articles from the archive and write them in one format."""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TextIO

from archiver.errors import InputError
from archiver.export import formats
from archiver.export.images import ImageSource, image_filename
from archiver.export.names import NameAllocator, article_stem
from archiver.export.profiles import LAYOUTS, PROFILES
from archiver.models import StoredArticle
from archiver.store.archive import Archive

log = logging.getLogger("archiver")


@dataclass(frozen=True, slots=True)
class MissingImage:
    """An image that could not be written; its remote URL was kept in the Markdown."""

    article_id: int
    url: str
    reason: str


@dataclass(frozen=True, slots=True)
class ExportedArticle:
    article_id: int
    path: Path | None  # None when written to a stream
    images: int = 0  # images written next to it
    changed: bool = True  # False when the file already held exactly this content


@dataclass(frozen=True, slots=True)
class ExportResult:
    format: str
    profile: str | None
    articles: tuple[ExportedArticle, ...]
    missing_images: tuple[MissingImage, ...] = ()
    path: Path | None = None  # the single file of a jsonl export into a folder

    @property
    def count(self) -> int:
        return len(self.articles)


def select(
    archive: Archive,
    refs: Iterable[str | int] = (),
    *,
    ids: Sequence[int] | None = None,
    site: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int | None = None,
) -> Iterator[StoredArticle]:
    """The articles to export, newest first.

    ``refs`` (ids or URLs, resolved like ``show``) and ``ids`` (e.g. from a search) name
    articles; without either, every article is selected. The filters apply in both cases.
    Raises NotFound for a ref that names no article.
    """
    wanted: list[int] | None = None
    refs = list(refs)
    if refs or ids is not None:
        wanted = [archive.resolve(ref) for ref in refs]
        wanted += [int(i) for i in ids or ()]
        wanted = list(dict.fromkeys(wanted))
        if not wanted:
            return iter(())
    return archive.iter_articles(ids=wanted, site=site, since=since, until=until, limit=limit)


def _write(path: Path, data: bytes) -> bool:
    """Write ``data`` atomically; leave the file alone (and its mtime) if it already holds it."""
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    _mkdir(path.parent)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".archiver-", dir=path.parent)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):  # disk full, quota …
            raise InputError(f"cannot write {path}: {exc.strerror or exc}") from exc
        raise
    return True


def _mkdir(folder: Path) -> None:
    """Create an output folder, or one line saying why it cannot be."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = "a file is in the way" if isinstance(exc, FileExistsError) else (
            exc.strerror or str(exc))
        raise InputError(f"cannot create the folder {folder}: {reason}",
                         hint="-o names a folder (or - for standard output)") from exc


def _inside(root: Path, path: Path) -> Path:
    """``path``, after checking that it lies inside ``root`` (names are safe; this is a guard)."""
    resolved = path.resolve()
    if root.resolve() not in resolved.parents:
        raise ValueError(f"refusing to write outside the output folder: {path}")
    return path


def export_articles(
    archive: Archive,
    refs: Iterable[str | int] = (),
    *,
    ids: Sequence[int] | None = None,
    site: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int | None = None,
    fmt: str = "md",
    profile: str | None = None,
    out: str | os.PathLike[str] | TextIO,
    images: bool = False,
    image_source: ImageSource | None = None,
    on_article: Callable[[ExportedArticle], None] | None = None,
) -> ExportResult:
    """Export articles from ``archive``.

    ``out`` is a folder (created if needed; one file per article, ``<date>-<slug>.<ext>``; a
    ``jsonl`` export writes ``articles.jsonl`` there) or a text stream (all articles in one:
    Markdown documents one after the other, a JSON array, JSON Lines, texts, one HTML page).
    Re-exporting writes the same names, and leaves files whose content did not change untouched.

    ``images`` (Markdown into a folder only): each article's images are written next to it
    and linked by relative path; they come from ``image_source(url, referer)`` (the pipeline's
    ``export`` passes the archive's stored images, then a download). An image that cannot be had
    keeps its remote URL and is listed in ``ExportResult.missing_images``; it never fails the
    export.
    """
    if fmt not in formats.FORMATS:
        raise ValueError(f"unknown format {fmt!r} (one of {', '.join(formats.FORMATS)})")
    if profile is not None and profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r} (one of {', '.join(PROFILES)})")
    is_stream = hasattr(out, "write")
    if images and (is_stream or fmt != "md"):
        raise ValueError("images are written only with Markdown into a folder")
    chosen = select(archive, refs, ids=ids, site=site, since=since, until=until, limit=limit)
    if is_stream:
        return _to_stream(chosen, out, fmt=fmt, profile=profile,  # type: ignore[arg-type]
                          on_article=on_article)
    folder = Path(out)  # type: ignore[arg-type]
    _mkdir(folder)
    if fmt == "jsonl":
        return _jsonl_file(chosen, folder / "articles.jsonl", on_article=on_article)
    if images and image_source is None:
        raise ValueError("images=True needs an image_source (see archiver.pipeline.export)")
    return _to_folder(chosen, folder, fmt=fmt, profile=profile,
                      source=image_source if images else None,
                      on_article=on_article)


def _to_stream(chosen: Iterable[StoredArticle], stream: TextIO, *, fmt: str,
               profile: str | None,
               on_article: Callable[[ExportedArticle], None] | None) -> ExportResult:
    done: list[ExportedArticle] = []
    pieces_html: list[str] = []
    titles: list[str] = []
    for number, stored in enumerate(chosen):
        if fmt == "md":
            stream.write(("\n" if number else "") + formats.to_markdown(stored, profile=profile))
        elif fmt == "json":
            record = formats.to_json(stored, indent=None)
            stream.write(("[\n" if number == 0 else ",\n") + record)
        elif fmt == "jsonl":
            stream.write(formats.to_jsonl_line(stored))
        elif fmt == "txt":
            stream.write(("\n" + "=" * 40 + "\n\n" if number else "") + formats.to_text(stored))
        else:
            pieces_html.append(formats.article_html(stored))
            titles.append(stored.article.title)
        item = ExportedArticle(stored.id, None)
        done.append(item)
        if on_article:
            on_article(item)
    if fmt == "json":
        stream.write("\n]\n" if done else "[]\n")
    if fmt == "html":
        title = titles[0] if len(titles) == 1 else "archiver export"
        stream.write(formats.html_page("".join(pieces_html), title=title))
    return ExportResult(fmt, profile, tuple(done))


def _jsonl_file(chosen: Iterable[StoredArticle], path: Path, *,
                on_article: Callable[[ExportedArticle], None] | None) -> ExportResult:
    done: list[ExportedArticle] = []
    lines: list[str] = []
    for stored in chosen:
        lines.append(formats.to_jsonl_line(stored))
        item = ExportedArticle(stored.id, path)
        done.append(item)
        if on_article:
            on_article(item)
    _write(path, "".join(lines).encode("utf-8"))
    return ExportResult("jsonl", None, tuple(done), path=path)


def _to_folder(chosen: Iterable[StoredArticle], folder: Path, *, fmt: str, profile: str | None,
               source: ImageSource | None,
               on_article: Callable[[ExportedArticle], None] | None) -> ExportResult:
    layout = LAYOUTS[profile]
    bundle = layout.bundle and source is not None
    names = NameAllocator()
    done: list[ExportedArticle] = []
    missing: list[MissingImage] = []
    ext = formats.EXTENSIONS[fmt]
    for stored in chosen:
        a = stored.article
        stem = article_stem(a.title, a.published or stored.fetched, stored.id,
                            reserve=0 if bundle else len(ext))
        if bundle:
            stem = names.take(stem, "", stored.id)
            path = folder / stem / "index.md"
        else:
            name = names.take(stem, ext, stored.id)
            stem = name[: -len(ext)]
            path = folder / name
        written_images = 0
        if fmt == "md":
            links: dict[str, str] = {}
            if source is not None:
                links, lost = _fetch_images(stored, folder / stem, source)
                missing += lost
                written_images = len(links)
                if not layout.link_from_folder:
                    links = {url: f"{stem}/{name}" for url, name in links.items()}
            text = formats.to_markdown(stored, profile=profile, image_links=links)
        elif fmt == "json":
            text = formats.to_json(stored) + "\n"
        elif fmt == "txt":
            text = formats.to_text(stored)
        else:
            text = formats.to_html(stored)
        changed = _write(_inside(folder, path), text.encode("utf-8"))
        item = ExportedArticle(stored.id, path, written_images, changed)
        done.append(item)
        if on_article:
            on_article(item)
    return ExportResult(fmt, profile, tuple(done), tuple(missing))


def _fetch_images(stored: StoredArticle, image_dir: Path,
                  source: ImageSource) -> tuple[dict[str, str], list[MissingImage]]:
    """Write the article's images into ``image_dir``; ``{url: file name}`` and what is missing."""
    links: dict[str, str] = {}
    missing: list[MissingImage] = []
    referer = stored.article.url
    for url in dict.fromkeys(img.url for img in stored.article.images if img.url):
        try:
            data = source(url, referer)
        except Exception as exc:  # noqa: BLE001 - any failure of a source is a missing image
            missing.append(MissingImage(stored.id, url, str(exc) or type(exc).__name__))
            continue
        if not data:
            missing.append(MissingImage(stored.id, url, "not available"))
            continue
        name = image_filename(url, data)
        _write(_inside(image_dir.parent, image_dir / name), data)
        links[url] = name
    if missing:
        log.info("article %s: %d image(s) missing", stored.id, len(missing))
    return links, missing
