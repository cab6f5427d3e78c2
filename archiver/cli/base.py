"""The click group, exit codes and the one place where exceptions become messages."""

from __future__ import annotations

import importlib
import json
import sys
from enum import IntEnum
from pathlib import Path
from typing import Any

import click

from archiver import __version__
from archiver.errors import ArchiverError, NotFound
from archiver.models import Summary
from archiver.store import Archive, default_db_path


class ExitStatus(IntEnum):
    OK = 0
    ERROR = 1  # some inputs failed, or the command failed
    USAGE = 2  # bad options or arguments (click's own code too)


# Each command's module, imported only when the command runs (or help lists it): a one-shot
# `archiver search` must not pay for requests, warcio and lxml.
COMMANDS = {
    "import": "cmd_store",
    "show": "cmd_store",
    "list": "cmd_store",
    "stats": "cmd_store",
    "archive": "cmd_fetch",
    "feed": "cmd_fetch",
    "history": "cmd_fetch",
    "parse": "cmd_extract",
    "reparse": "cmd_extract",
    "search": "cmd_search",
    "reindex": "cmd_search",
    "export": "cmd_export",
}


class _Group(click.Group):
    """Loads commands lazily; maps archiver's exceptions to one-line messages and exit codes,
    in one place."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(COMMANDS) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMANDS.get(cmd_name)
        if module is not None and cmd_name not in self.commands:
            importlib.import_module(f"archiver.cli.{module}")  # registers its commands
        return self.commands.get(cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ArchiverError as exc:
            if ctx.meta.get("archiver.traceback"):
                raise
            message = f"error: {exc}"
            if exc.hint:
                message += f" (hint: {exc.hint})"
            click.echo(message, err=True)
            ctx.exit(ExitStatus.USAGE if isinstance(exc, NotFound) else ExitStatus.ERROR)
        except OSError as exc:
            # Last resort: the library wraps what it expects; a file system surprise (a file
            # vanishing, a full disk) still gets one line, not a traceback.
            if ctx.meta.get("archiver.traceback"):
                raise
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"error: {where}{exc.strerror or exc}", err=True)
            ctx.exit(ExitStatus.ERROR)
        except KeyboardInterrupt:
            click.echo("interrupted; everything committed so far is kept", err=True)
            ctx.exit(130)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Archive database (default: $ARCHIVER_DB or ./archive.db).",
)
@click.option("--traceback", is_flag=True, help="Show the Python traceback of errors.")
@click.version_option(__version__, prog_name="archiver")
@click.pass_context
def cli(ctx: click.Context, db: Path | None, traceback: bool) -> None:
    """Archive Chinese news articles, search them, export them."""
    ctx.ensure_object(dict)
    ctx.obj["db"] = db or default_db_path()
    ctx.meta["archiver.traceback"] = traceback


def open_db(ctx: click.Context) -> Archive:
    """The archive named by ``--db``; closed when the command ends."""
    archive = Archive(ctx.find_root().obj["db"])
    ctx.call_on_close(archive.close)
    return archive


def end_batch(ctx: click.Context, summary: Summary, counts: list[str], skipped_why: str) -> None:
    """The one-line summary of a batch on stderr; exit 1 when any input failed."""
    parts = [*counts, f"{summary.failed + summary.refused} failed"]
    if summary.skipped:
        parts.append(f"{summary.skipped} skipped ({skipped_why}; -v names them)")
    click.echo(", ".join(parts), err=True)
    if not summary.ok:
        ctx.exit(ExitStatus.ERROR)


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False))


def is_terminal(stream: Any = None) -> bool:
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())
