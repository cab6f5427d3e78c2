"""The CLI in-process: exit codes, summaries, JSON output, help for every command."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import click

from archiver.cli import cli
from tests.conftest import FIXTURES

POSTS = FIXTURES / "posts"
README = Path(__file__).resolve().parents[2] / "README.md"


def test_import_summary_and_exit_code(cli_run):
    result = cli_run("import", str(POSTS))
    assert result.exit_code == 0
    assert result.stderr.strip().splitlines()[-1] == "7 imported, 0 updated, 0 unchanged, 0 failed"
    again = cli_run("import", str(POSTS))
    assert "0 imported, 0 updated, 7 unchanged, 0 failed" in again.stderr


def test_import_failure_is_one_line_and_exit_1(cli_run, tmp_path: Path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = cli_run("import", str(empty), str(POSTS / "seed-zaker.txt"))
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {empty}: empty file"]
    assert "1 imported" in result.stderr


def test_usage_error_exits_2(cli_run):
    assert cli_run("import").exit_code == 2
    assert cli_run("list", "--since", "not a date").exit_code == 2
    assert cli_run("no-such-command").exit_code == 2


def test_show_json_and_text(cli_run):
    cli_run("import", str(POSTS / "seed-zaker.txt"))
    data = json.loads(cli_run("show", "1", "--json").stdout)
    assert data["id"] == 1 and data["title"] == "多地整顿比特币挖矿，云南矿场或已关停"
    assert data["published"] == "2021-06-12T04:18:40+00:00"
    assert data["editor"] == "崔崔" and data["reprinted_from"] == "澎湃新闻"
    for key in ("url", "author", "source", "categories", "images", "text", "fetched", "site"):
        assert key in data
    text = cli_run("show", "1").stdout
    assert text.splitlines()[0] == "多地整顿比特币挖矿，云南矿场或已关停"
    assert "editor:         崔崔" in text


def test_show_missing_is_a_clear_error(cli_run):
    result = cli_run("show", "42")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: no article '42'")


def test_list_newest_first_with_filters(cli_run):
    cli_run("import", str(POSTS))
    rows = [json.loads(line) for line in cli_run("list", "--json").stdout.splitlines()]
    assert len(rows) == 7 and "text" not in rows[0]
    moments = [datetime.fromisoformat(r["published"]) for r in rows]
    assert moments == sorted(moments, reverse=True)
    zaker = cli_run("list", "--site", "ZAKER", "--json").stdout.splitlines()
    assert len(zaker) == 3
    recent = cli_run("list", "--since", "2021-08-01", "--json").stdout.splitlines()
    assert all(json.loads(r)["published"] >= "2021-08" for r in recent) and len(recent) == 3
    assert len(cli_run("list", "--limit", "2").stdout.splitlines()) == 2


def test_stats(cli_run):
    cli_run("import", str(POSTS))
    data = json.loads(cli_run("stats", "--json").stdout)
    assert data["articles"] == 7 and data["captures"] == 7
    assert data["by_site"]["ZAKER"] == 3
    assert sum(data["by_month"].values()) == 7


def test_every_command_has_help_and_is_in_the_readme():
    readme = README.read_text(encoding="utf-8")
    ctx = click.Context(cli)
    names = cli.list_commands(ctx)
    assert {"import", "show", "list", "stats", "archive", "feed", "history", "parse",
            "reparse", "search", "reindex", "export"} <= set(names)
    for name in names:
        command = cli.get_command(ctx, name)
        assert command is not None and command.help, name
        assert re.search(rf"archiver[^\n`]*\b{name}\b", readme), f"{name} not in README"


def test_db_from_environment(tmp_path: Path, monkeypatch):
    from click.testing import CliRunner

    target = tmp_path / "env.db"
    monkeypatch.setenv("ARCHIVER_DB", str(target))
    result = CliRunner().invoke(cli, ["import", str(POSTS / "seed-zaker.txt")])
    assert result.exit_code == 0 and target.exists()
