"""`archiver export` in-process against a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from tests.conftest import FIXTURES

POSTS = FIXTURES / "posts"


def _imported(cli_run):
    assert cli_run("import", str(POSTS)).exit_code == 0


def test_export_all_to_a_folder_then_again_unchanged(cli_run, tmp_path: Path):
    _imported(cli_run)
    out = tmp_path / "out"
    result = cli_run("export", "--all", "--profile", "hexo", "-o", str(out))
    assert result.exit_code == 0
    assert result.stderr.strip() == f"7 exported to {out} (7 written, 0 unchanged)"
    files = sorted(out.glob("*.md"))
    assert len(files) == 7
    for path in files:
        text = path.read_text(encoding="utf-8")
        head = text[4:text.index("\n---\n", 4)]
        meta = yaml.safe_load(head)
        assert isinstance(meta["title"], str) and isinstance(meta["archiver_id"], int)
    again = cli_run("export", "--all", "--profile", "hexo", "-o", str(out))
    assert again.stderr.strip() == f"7 exported to {out} (0 written, 7 unchanged)"


def test_export_one_to_stdout(cli_run):
    _imported(cli_run)
    result = cli_run("export", "1")
    assert result.exit_code == 0
    assert result.stdout.startswith("---\ntitle: ")
    assert "\narchiver_id: 1\n---\n\n" in result.stdout


def test_json_and_jsonl_use_show_json_fields(cli_run):
    _imported(cli_run)
    shown = json.loads(cli_run("show", "1", "--json").stdout)
    exported = json.loads(cli_run("export", "1", "--format", "json").stdout)
    assert exported == [shown]
    lines = cli_run("export", "--all", "--format", "jsonl").stdout.splitlines()
    assert len(lines) == 7 and all(json.loads(line).keys() == shown.keys() for line in lines)


def test_txt_and_html(cli_run, tmp_path: Path):
    _imported(cli_run)
    txt = cli_run("export", "1", "--format", "txt").stdout
    assert txt.splitlines()[1] == ""
    out = tmp_path / "html"
    assert cli_run("export", "--all", "--format", "html", "-o", str(out)).exit_code == 0
    page = next(out.glob("*.html")).read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<article data-archiver-id=" in page


def test_filters_select_articles(cli_run):
    _imported(cli_run)
    lines = cli_run("export", "--since", "2021-07-01", "--until", "2021-08-01",
                    "--format", "jsonl").stdout.splitlines()
    dates = [json.loads(line)["published"][:7] for line in lines]
    assert dates and set(dates) == {"2021-07"}


def test_usage_errors_exit_2(cli_run, tmp_path: Path):
    _imported(cli_run)
    assert cli_run("export").exit_code == 2  # nothing named
    assert cli_run("export", "--all", "--images").exit_code == 2  # images need a folder
    assert cli_run("export", "--all", "--format", "json", "--profile", "hugo").exit_code == 2
    assert cli_run("export", "--all", "--format", "warc").exit_code == 2
    missing = cli_run("export", "999999")
    assert missing.exit_code == 2 and missing.stderr.startswith("error: no article")


def test_export_has_help(cli_run):
    result = cli_run("export", "--help")
    assert result.exit_code == 0 and "--profile [hexo|hugo|obsidian]" in result.stdout


def test_export_a_search(cli_run):
    _imported(cli_run)
    lines = cli_run("export", "--query", "比特币 挖矿", "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line)["title"] for line in lines] == ["多地整顿比特币挖矿，云南矿场或已关停"]
    none = cli_run("export", "--query", "比特币", "--category", "编程", "--format", "jsonl")
    assert none.exit_code == 0 and none.stdout == ""
    some = cli_run("export", "-q", "硬盘", "--category", "ZAKER", "--format", "jsonl").stdout
    assert some and all("ZAKER" in json.loads(line)["categories"] for line in some.splitlines())
    assert cli_run("export", "--source", "新华社").exit_code == 2
