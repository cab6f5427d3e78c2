"""archiver export: articles → Markdown (Hexo/Hugo/Obsidian), JSON, JSON Lines, text, HTML."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from archiver.cli.base import ExitStatus, cli, open_db
from archiver.cli.cmd_store import parse_when
from archiver.export import FORMATS, PROFILES, ExportedArticle
from archiver.pipeline import export


@cli.command("export")
@click.argument("refs", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Every article (filters still apply).")
@click.option("--since", help="Only articles published on or after this date.")
@click.option("--until", help="Only articles published before this date.")
@click.option("--site", help="Only this site or feed (e.g. ZAKER, sina.com.cn).")
@click.option("-q", "--query", help="Every article this search matches (see archiver search).")
@click.option("--source", help="With --query: only this outlet (来源).")
@click.option("--author", help="With --query: only this author.")
@click.option("--category", help="With --query: only this category.")
@click.option("--format", "fmt", type=click.Choice((*FORMATS, "warc")), default="md",
              show_default=True, help="warc: the articles' raw captures (needs -o FILE).")
@click.option("--profile", type=click.Choice(PROFILES),
              help="Front-matter keys for this tool (Markdown only).")
@click.option("-o", "--output", default="-", show_default=True,
              help="Output folder (one file per article), or - for standard output.")
@click.option("--images", is_flag=True,
              help="Write each article's images next to its Markdown (needs -o DIR).")
@click.option("-v", "--verbose", is_flag=True, help="Name every file written.")
@click.pass_context
def export_cmd(ctx: click.Context, refs: tuple[str, ...], all_: bool, since: str | None,
               until: str | None, site: str | None, query: str | None, source: str | None,
               author: str | None, category: str | None, fmt: str, profile: str | None, output: str,
               images: bool, verbose: bool) -> None:
    """Export articles (by id or URL, or --all / --query / --since / --until / --site).

    Markdown files are named <date>-<slug>.md; re-exporting rewrites the same files, so an
    export folder can be synced. Missing images keep their remote URL and are reported.
    """
    if not (refs or all_ or since or until or site or query):
        raise click.UsageError(
            "name articles (ID or URL), or use --all, --query, --since, --until or --site"
        )
    if (source or author or category) and not query:
        raise click.UsageError("--source, --author and --category go with --query")
    if profile and fmt != "md":
        raise click.UsageError("--profile applies to --format md only")
    to_stream = output == "-"
    if fmt == "warc" and (to_stream or images or profile):
        raise click.UsageError("--format warc needs -o FILE.warc.gz (and no --images/--profile)")
    if images and (to_stream or fmt != "md"):
        raise click.UsageError("--images needs --format md and -o DIR")
    archive = open_db(ctx)

    def on_article(item: ExportedArticle) -> None:
        if verbose and item.path is not None:
            state = "written" if item.changed else "unchanged"
            click.echo(f"{state}: {item.path}", err=True)

    result = export(
        archive,
        refs,
        query=query,
        source=source,
        author=author,
        category=category,
        site=site,
        since=parse_when(since, "--since"),
        until=parse_when(until, "--until"),
        fmt=fmt,
        profile=profile,
        out=sys.stdout if to_stream else Path(output),
        images=images,
        on_article=on_article,
    )
    for miss in result.missing_images:
        click.echo(f"missing image (article {miss.article_id}): {miss.url}: {miss.reason}",
                   err=True)
    if not to_stream:
        changed = sum(1 for a in result.articles if a.changed)
        where = result.path or output
        message = f"{result.count} exported to {where}"
        if result.path is None:
            message += f" ({changed} written, {result.count - changed} unchanged"
            if images:
                message += f", {sum(a.images for a in result.articles)} images"
                message += f", {len(result.missing_images)} missing"
            message += ")"
        click.echo(message, err=True)
    if result.count == 0 and refs:
        ctx.exit(ExitStatus.ERROR)
