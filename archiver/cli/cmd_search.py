"""Commands over the search index: search, reindex."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from archiver.cli.base import cli, echo_json, is_terminal, open_db
from archiver.errors import QueryError
from archiver.models import Hit

# Piped output marks hits with brackets a reader (or grep) can see.
OPEN_MARK, CLOSE_MARK = "【", "】"


def _marked(text: str, spans: tuple[tuple[int, int], ...], colour: bool) -> str:
    out, last = [], 0
    for start, end in spans:
        out.append(text[last:start])
        piece = text[start:end]
        out.append(
            click.style(piece, fg="red", bold=True) if colour else OPEN_MARK + piece + CLOSE_MARK
        )
        last = end
    out.append(text[last:])
    return "".join(out)


def _render(number: int, hit: Hit, colour: bool) -> str:
    title = _marked(hit.title, hit.title_highlights, colour)
    if colour:
        title = click.style(title, bold=True)
    facts = [hit.published.date().isoformat() if hit.published else "undated"]
    facts += [x for x in (hit.source, hit.url) if x]
    meta = " · ".join(facts)
    if colour:
        meta = click.style(meta, dim=True)
    return f"{number}. {title}\n   {meta}\n   {_marked(hit.snippet, hit.highlights, colour)}\n"


@cli.command("search")
@click.argument("query", nargs=-1, required=True)
@click.option("--source", help="Only articles whose source (来源) contains this.")
@click.option("--site", help="Only articles whose site contains this.")
@click.option("--author", help="Only articles whose author contains this.")
@click.option("--category", help="Only articles in this category.")
@click.option("--since", help="Published on or after this date (YYYY[-MM[-DD]], Beijing time).")
@click.option("--until", help="Published on or before this date (inclusive).")
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance",
              show_default=True)
@click.option("--limit", type=click.IntRange(min=0), default=20, show_default=True)
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True)
@click.option("--json", "as_json", is_flag=True,
              help="JSON Lines: {id, url, title, published, source, score, snippet}.")
@click.pass_context
def search_cmd(
    ctx: click.Context,
    query: tuple[str, ...],
    source: str | None,
    site: str | None,
    author: str | None,
    category: str | None,
    since: str | None,
    until: str | None,
    sort: str,
    limit: int,
    offset: int,
    as_json: bool,
) -> None:
    """Search the archive.

    \b
    Words separated by spaces must all occur; a word typed without spaces is cut into words
    that must each occur (云南矿场关停), characters left single stay together as typed.
    "exact phrase"   -excluded   this OR that
    Traditional/simplified, full-/half-width and case do not matter.
    """
    from archiver.search.query import search  # keeps `archiver --help` from loading search

    archive = open_db(ctx)
    try:
        result = search(
            archive, " ".join(query), source=source, site=site, author=author,
            category=category, since=since, until=until, sort=sort, limit=limit, offset=offset,
        )
    except QueryError as exc:
        raise click.UsageError(str(exc) + (f" ({exc.hint})" if exc.hint else "")) from exc
    if result.unindexed:
        click.echo(f"note: {result.unindexed:,} articles are not in the search index; "
                   "run `archiver reindex`", err=True)
    if as_json:
        for hit in result.hits:
            echo_json({
                "id": hit.id,
                "url": hit.url,
                "title": hit.title,
                "published": hit.published.isoformat() if hit.published else None,
                "source": hit.source,
                "score": hit.score,
                "snippet": hit.snippet,
            })
        return
    colour = is_terminal()
    shown = f"{offset + 1}–{offset + len(result.hits)} of " if result.hits else ""
    click.echo(f"{shown}{result.total:,} result{'s' if result.total != 1 else ''}\n")
    for number, hit in enumerate(result.hits, start=offset + 1):
        click.echo(_render(number, hit, colour))


@cli.command("reindex")
@click.option("--dict", "user_dict", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="User dictionary (jieba format: word [freq] [tag]); kept in the archive.")
@click.pass_context
def reindex_cmd(ctx: click.Context, user_dict: Path | None) -> None:
    """Rebuild the search index from the stored articles."""
    from archiver.search.index import reindex

    archive = open_db(ctx)
    show = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if show:
            click.echo(f"\rindexing {done:,}/{total:,} …", err=True, nl=False)

    count = reindex(archive, progress=progress, user_dict=user_dict)
    if show:
        click.echo("\r" + " " * 40 + "\r", err=True, nl=False)
    click.echo(f"reindexed {count:,} article{'s' if count != 1 else ''}", err=True)
