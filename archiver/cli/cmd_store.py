"""Commands over the archive itself: import, show, list, stats."""

from __future__ import annotations

import sys
import time
from datetime import datetime
from pathlib import Path

import click

from archiver.cli.base import cli, echo_json, end_batch, open_db
from archiver.export.formats import article_record
from archiver.extract.dates import parse_date
from archiver.models import ImportResult
from archiver.pipeline import import_paths


class _Ticker:
    """A one-line progress counter on stderr, only when stderr is a terminal."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.done = 0
        self.enabled = sys.stderr.isatty()
        self.last = 0.0

    def __call__(self, advance: int) -> None:
        self.done += advance
        now = time.monotonic()
        if self.enabled and now - self.last > 0.2:
            self.last = now
            click.echo(f"\r{self.label} {self.done:,} …", err=True, nl=False)

    def close(self) -> None:
        if self.enabled and self.done:
            click.echo("\r" + " " * 40 + "\r", err=True, nl=False)


def parse_when(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    moment = parse_date(value)
    if moment is None:
        raise click.BadParameter(f"{value!r} is not a date (try 2021-06-12)", param_hint=option)
    return moment


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-v", "--verbose", is_flag=True, help="Name every input and what became of it.")
@click.pass_context
def import_cmd(ctx: click.Context, paths: tuple[Path, ...], verbose: bool) -> None:
    """Import Hexo/Markdown posts, JSON Lines (.jsonl, .jsonl.gz) and saved HTML pages.

    PATHS are files or folders (searched recursively); formats are recognised by content.
    """
    archive = open_db(ctx)
    ticker = _Ticker("importing")

    def on_result(result: ImportResult) -> None:
        if result.status in ("failed", "refused"):
            click.echo(f"\rerror: {result.message}", err=True)
        elif verbose:
            detail = f" ({result.message})" if result.message else ""
            click.echo(f"{result.status}: {result.origin}{detail}", err=True)

    summary = import_paths(archive, paths, on_result=on_result, progress=ticker)
    ticker.close()
    counts = [f"{summary.imported} imported", f"{summary.updated} updated",
              f"{summary.unchanged} unchanged"]
    end_batch(ctx, summary, counts, "not an article or not a supported format")


@cli.command()
@click.argument("ref")
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
@click.pass_context
def show(ctx: click.Context, ref: str, as_json: bool) -> None:
    """Show one article (by id or URL) with its metadata."""
    stored = open_db(ctx).get(ref)
    if as_json:
        echo_json(article_record(stored))
        return
    a = stored.article
    click.echo(click.style(a.title, bold=True))
    for label, value in (
        ("id", stored.id),
        ("url", a.url),
        ("published", a.published.isoformat() if a.published else a.published_raw),
        ("site", a.site),
        ("author", a.author),
        ("editor", a.editor),
        ("source", a.source),
        ("reprinted from", a.reprinted_from),
        ("categories", " / ".join(a.categories) or None),
        ("tags", ", ".join(a.tags) or None),
        ("images", len(a.images) or None),
        ("fetched", stored.fetched.isoformat()),
    ):
        if value:
            click.echo(f"{label + ':':<16}{value}")
    click.echo()
    click.echo(a.text)


@cli.command("list")
@click.option("--limit", type=click.IntRange(min=0), default=20, show_default=True)
@click.option("--site", help="Only this site or feed (e.g. ZAKER, sina.com.cn).")
@click.option("--since", help="Only articles published on or after this date.")
@click.option("--json", "as_json", is_flag=True, help="JSON Lines, one article a line.")
@click.pass_context
def list_cmd(ctx: click.Context, limit: int, site: str | None, since: str | None,
             as_json: bool) -> None:
    """List articles, newest first."""
    archive = open_db(ctx)
    for stored in archive.iter_articles(limit=limit, site=site,
                                        since=parse_when(since, "--since")):
        if as_json:
            echo_json(article_record(stored, with_text=False))
            continue
        a = stored.article
        if a.published is None:
            when = "????-??-??      "
        elif a.published_raw and len(a.published_raw.strip()) <= 10:  # a day, no time given
            when = a.published.strftime("%Y-%m-%d      ")
        else:
            when = a.published.strftime("%Y-%m-%d %H:%M")
        click.echo(f"{stored.id:>6}  {when}  {a.site or '-':<10}  {a.title}")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Counts: articles and captures, by site and by month."""
    data = open_db(ctx).stats()
    if as_json:
        echo_json(data)
        return
    click.echo(f"articles: {data['articles']}")
    click.echo(
        f"captures: {data['captures']} ({data['capture_bytes']:,} bytes raw; "
        f"{data['flagged_captures']} flagged not-article)"
    )
    for kind, count in data["captures_by_kind"].items():
        click.echo(f"  {kind:<12}{count:>8}")
    click.echo("by site:")
    for site, count in data["by_site"].items():
        click.echo(f"  {count:>8}  {site}")
    click.echo("by month:")
    for month, count in data["by_month"].items():
        click.echo(f"  {count:>8}  {month}")
