"""Commands that fetch from the web: archive, feed, history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TextIO

import click

from archiver.capture.fetch import MB, FetchOptions
from archiver.cli.base import cli, echo_json, end_batch, open_db
from archiver.cli.cmd_store import _Ticker
from archiver.crawl import archive_feeds, archive_urls, history
from archiver.errors import NotFound
from archiver.models import ImportResult, Summary


class _Finite(click.FloatRange):
    """A float from ``minimum`` up to a day (seconds) or a terabyte (MB): "nan", "inf" and
    1e309 would reach time.sleep and int() and fail there with a traceback."""

    def __init__(self, minimum: float, maximum: float = 86_400.0) -> None:
        super().__init__(minimum, maximum)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None
                ) -> Any:
        number = super(click.FloatRange, self).convert(value, param, ctx)
        if number != number:  # NaN compares unequal to itself and passes every range check
            self.fail(f"{value!r} is not a number", param, ctx)
        return super().convert(number, param, ctx)


def _fetch_options(func: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--concurrency", type=click.IntRange(1, 64), default=4, show_default=True,
                     help="Hosts fetched at the same time (one host is never fetched twice "
                          "at once)."),
        click.option("--delay", type=_Finite(0), default=1.0, show_default=True,
                     help="Seconds between two requests to the same host (robots.txt "
                          "Crawl-delay may ask for more)."),
        click.option("--timeout", type=_Finite(0.1), default=30.0, show_default=True,
                     help="Seconds to wait for a connection or for data; a whole download "
                          "may take ten times this."),
        click.option("--max-size", type=_Finite(0.001, 1_000_000.0), default=20.0,
                     show_default=True, help="Largest page in MB (after decompression)."),
        click.option("--ignore-robots", is_flag=True, help="Do not obey robots.txt."),
        click.option("--images", is_flag=True, help="Also download the articles' images."),
        click.option("-v", "--verbose", is_flag=True, help="Name every URL and its outcome."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _make_options(delay: float, timeout: float, max_size: float, ignore_robots: bool
                  ) -> FetchOptions:
    return FetchOptions(
        connect_timeout=min(timeout, 10.0), read_timeout=timeout,
        # A whole download may take ten read timeouts (300 s by default) however it trickles.
        total_timeout=timeout * 10, max_bytes=int(max_size * MB), delay=delay,
        obey_robots=not ignore_robots,
    )


def _reporter(verbose: bool, ticker: _Ticker) -> Callable[[ImportResult], None]:
    # On a terminal, a message first wipes the progress line; elsewhere no control characters.
    wipe = "\r" + " " * 40 + "\r" if ticker.enabled else ""

    def on_result(result: ImportResult) -> None:
        if result.status in ("failed", "refused"):
            click.echo(f"{wipe}error: {result.message}", err=True)
        elif verbose:
            detail = f" ({result.message})" if result.message else ""
            click.echo(f"{wipe}{result.status}: {result.origin}{detail}", err=True)
    return on_result


def _finish(ctx: click.Context, summary: Summary) -> None:
    counts = [f"{summary.imported + summary.updated} archived",
              f"{summary.unchanged} unchanged"]
    end_batch(ctx, summary, counts, "items without article text")


def _read_urls(urls: tuple[str, ...], handle: TextIO | None) -> list[str]:
    found = list(urls)
    if handle is not None:
        found += [line.strip() for line in handle if line.strip()
                  and not line.lstrip().startswith("#")]
    return found


@cli.command("archive")
@click.argument("urls", nargs=-1)
@click.option("-i", "--input", "input_file",
              type=click.File("r", encoding="utf-8", errors="replace"),
              help="Read URLs from FILE, one a line ('-' reads standard input).")
@_fetch_options
@click.pass_context
def archive_cmd(ctx: click.Context, urls: tuple[str, ...], input_file: TextIO | None,
                concurrency: int, delay: float, timeout: float, max_size: float,
                ignore_robots: bool, images: bool, verbose: bool) -> None:
    """Fetch web pages and archive them (raw bytes kept, article derived).

    Re-archiving asks the server whether the page changed (ETag / Last-Modified); a page that
    did not change, or whose bytes are the same, is reported unchanged and adds nothing.
    Challenge/captcha pages and non-HTML responses are refused.
    """
    todo = _read_urls(urls, input_file)
    if not todo:
        raise click.UsageError("give one or more URLs, or -i FILE")
    archive = open_db(ctx)
    ticker = _Ticker("archiving")
    summary = archive_urls(
        archive, todo, options=_make_options(delay, timeout, max_size, ignore_robots),
        concurrency=concurrency, images=images, on_result=_reporter(verbose, ticker),
        progress=ticker,
    )
    ticker.close()
    _finish(ctx, summary)


@cli.command("feed")
@click.argument("urls", nargs=-1, required=True)
@click.option("--fetch-links", is_flag=True, help="Also archive each item's linked page.")
@_fetch_options
@click.pass_context
def feed_cmd(ctx: click.Context, urls: tuple[str, ...], fetch_links: bool, concurrency: int,
             delay: float, timeout: float, max_size: float, ignore_robots: bool, images: bool,
             verbose: bool) -> None:
    """Fetch RSS/Atom feeds and archive their items (only new or changed items are added)."""
    archive = open_db(ctx)
    ticker = _Ticker("archiving")
    summary = archive_feeds(
        archive, urls, options=_make_options(delay, timeout, max_size, ignore_robots),
        fetch_links=fetch_links, images=images, concurrency=concurrency,
        on_result=_reporter(verbose, ticker), progress=ticker,
    )
    ticker.close()
    _finish(ctx, summary)


@cli.command("history")
@click.argument("url")
@click.option("--json", "as_json", is_flag=True, help="JSON Lines, one capture a line.")
@click.pass_context
def history_cmd(ctx: click.Context, url: str, as_json: bool) -> None:
    """List the captures of a URL, oldest first: date, size, sha256, status."""
    archive = open_db(ctx)
    captures = history(archive, url)
    if not captures:
        raise NotFound(f"no captures of {url} in {archive.path}",
                       hint=f"archive it with `archiver archive {url}`")
    for info in captures:
        if as_json:
            echo_json({
                "id": info.id, "fetched_at": info.fetched_at.isoformat(), "status": info.status,
                "size": info.size, "sha256": info.sha256, "kind": info.kind, "url": info.url,
                "final_url": info.final_url, "charset": info.charset,
                "charset_reason": info.charset_reason, "flag": info.flag,
            })
            continue
        when = info.fetched_at.strftime("%Y-%m-%d %H:%M:%S")
        status = str(info.status) if info.status is not None else "-"
        line = (f"{info.id:>6}  {when}  {status:>3}  {info.size:>10,}  {info.sha256[:16]}  "
                f"{info.kind:<9}  {info.charset or '-'} ({info.charset_reason or '-'})")
        if info.flag:
            line += f"  [{info.flag}]"
        click.echo(line)
