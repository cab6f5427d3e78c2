"""The ``archiver parse`` command, in process."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from archiver.cli import cli

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_parse_json_of_a_gb18030_free_utf8_page() -> None:
    result = run("parse", str(PAGES / "thepaper.html"), "--url",
                 "https://www.thepaper.cn/newsDetail_forward_7732983",
                 "--fetched", "2020-06-07T00:00:00+08:00", "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["title"] == "柳叶刀：味觉嗅觉丧失是新冠感染最强预测指标，优于发烧咳嗽"
    assert (data["author"], data["editor"], data["source"]) == ("贺梨萍", "李跃群", "澎湃新闻")
    assert data["published"] == "2020-06-06T10:08:00+08:00"
    assert data["url"] == "https://www.thepaper.cn/newsDetail_forward_7732983"
    for key in ("reprinted_from", "published_raw", "text", "images", "site"):
        assert key in data


def test_parse_plain_output(tmp_path: Path) -> None:
    result = run("parse", str(PAGES / "people.html"), "--url",
                 "http://culture.people.com.cn/n1/2019/0615/c1013-31153719.html")
    assert result.exit_code == 0
    first, *rest = result.output.splitlines()
    assert first == "女儿出嫁，郑板桥画了几笔兰花当嫁妆"
    assert "editor:         汤诗瑶、丁涛" in rest


def test_parse_not_an_article_exits_1(tmp_path: Path) -> None:
    page = tmp_path / "captcha.html"
    page.write_text("<html><head><title>Just a moment...</title></head><body></body></html>")
    result = run("parse", str(page))
    assert result.exit_code == 1
    assert "not an article" in result.output


def test_parse_bad_fetched_is_a_usage_error() -> None:
    result = run("parse", str(PAGES / "people.html"), "--fetched", "yesterday")
    assert result.exit_code == 2


def test_reparse_needs_ids_or_all(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "a.db"), "reparse"])
    assert result.exit_code == 2


def test_reparse_all_on_an_empty_archive(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "a.db"), "reparse", "--all", "--diff"])
    assert result.exit_code == 0
    assert "0 checked, 0 changed, 0 failed" in result.output


def test_reparse_an_imported_page(cli_run, tmp_path: Path) -> None:
    page = tmp_path / "thepaper.html"
    page.write_bytes((PAGES / "thepaper.html").read_bytes())
    assert cli_run("import", str(page)).exit_code == 0
    result = cli_run("reparse", "--all", "--diff")
    assert result.exit_code == 0
    assert "1 checked, 0 changed, 0 failed" in result.output
    shown = json.loads(cli_run("show", "1", "--json").output)
    assert shown["author"] == "贺梨萍" and shown["parser_version"] == "extract-1"
