"""Commands over the extractor: ``parse`` (a saved page, no archive) and ``reparse``."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import click

from archiver.cli.base import ExitStatus, cli, echo_json, open_db
from archiver.export.formats import article_fields
from archiver.pipeline import parse_file, reparse


def _when(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not an ISO 8601 time (try 2021-06-12T12:18:00+08:00)",
            param_hint="--fetched",
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


@cli.command("parse")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--url", help="The page's URL (picks the site rule, resolves links).")
@click.option("--fetched", help="Capture time, ISO 8601 (anchors 昨天/3小时前/yearless dates; "
                                "default: now).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
def parse_cmd(file: Path, url: str | None, fetched: str | None, as_json: bool) -> None:
    """Parse a saved HTML page offline and print the article (touches no archive)."""
    article, decoded = parse_file(file, url=url, fetched_at=_when(fetched))
    if as_json:
        echo_json({**article_fields(article), "text": article.text,
                   "body_html": article.body_html, "charset": decoded.charset,
                   "charset_reason": decoded.reason})
        return
    click.echo(click.style(article.title, bold=True))
    for label, value in (
        ("url", article.url),
        ("published", article.published.isoformat() if article.published else None),
        ("site", article.site),
        ("author", article.author),
        ("editor", article.editor),
        ("source", article.source),
        ("reprinted from", article.reprinted_from),
        ("images", len(article.images) or None),
        ("charset", f"{decoded.charset} ({decoded.reason})"),
    ):
        if value:
            click.echo(f"{label + ':':<16}{value}")
    click.echo()
    click.echo(article.text)


@cli.command("reparse")
@click.argument("ids", nargs=-1, type=int)
@click.option("--all", "all_", is_flag=True, help="Every article in the archive.")
@click.option("--diff", is_flag=True, help="Name the fields that changed, per article.")
@click.pass_context
def reparse_cmd(ctx: click.Context, ids: tuple[int, ...], all_: bool, diff: bool) -> None:
    """Re-derive articles from their stored captures with the current parser."""
    if bool(ids) == all_:
        raise click.UsageError("give article IDs or --all (not both)")
    report = reparse(open_db(ctx), None if all_ else list(ids))
    if diff:
        for article_id, fields in sorted(report.diffs.items()):
            click.echo(f"{article_id}: {', '.join(fields)}")
    for error in report.errors:
        click.echo(f"error: {error}", err=True)
    click.echo(f"{report.checked} checked, {report.changed} changed, {report.failed} failed",
               err=True)
    if report.failed:
        ctx.exit(ExitStatus.ERROR)
