"""The click group, exit codes and the one place where exceptions become messages."""

from __future__ import annotations

import json
import sys
from enum import IntEnum
from pathlib import Path
from typing import Any

import click

from archiver import __version__
from archiver.errors import ArchiverError, NotFound
from archiver.export.formats import article_record as article_json  # noqa: F401
from archiver.store import Archive, default_db_path


class ExitStatus(IntEnum):
    OK = 0
    ERROR = 1  # some inputs failed, or the command failed
    USAGE = 2  # bad options or arguments (click's own code too)


class _Group(click.Group):
    """Maps archiver's exceptions to one-line messages and exit codes, in one place."""

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


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False))


def is_terminal(stream: Any = None) -> bool:
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())
