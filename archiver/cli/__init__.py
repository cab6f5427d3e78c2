"""Command line interface: a thin layer over the library (see ``archiver --help``)."""

from __future__ import annotations

import sys

from archiver.cli.base import ExitStatus, cli


def main(argv: list[str] | None = None) -> int:
    """Console entry point."""
    try:
        cli.main(args=argv, prog_name="archiver", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (ExitStatus.ERROR if code else ExitStatus.OK)
    return ExitStatus.OK


__all__ = ["cli", "main"]

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
