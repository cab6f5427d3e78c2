"""`archiver search` and `archiver reindex`, run in process."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from archiver.store import Archive

from .helpers import article, store


@pytest.fixture
def filled(db_path: Path) -> list[int]:
    with Archive(db_path) as archive:
        return store(archive, [
            article("比特币再创新高", "比特币价格上涨，市场关注。", url="https://a.example/1",
                    source="新华社", published=datetime(2024, 3, 5, tzinfo=timezone.utc)),
            article("光伏产业", "光伏组件出口增长。", url="https://a.example/2", source="人民日报"),
        ])


def test_piped_output_marks_hits_and_counts(cli_run, filled: list[int]) -> None:
    result = cli_run("search", "比特幣")
    assert result.exit_code == 0
    assert result.output.startswith("1–1 of 1 result\n")
    assert "【比特币】再创新高" in result.output
    assert "【比特币】价格上涨" in result.output
    assert "2024-03-05 · 新华社 · https://a.example/1" in result.output


def test_json_lines(cli_run, filled: list[int]) -> None:
    result = cli_run("search", "光伏", "--json")
    assert result.exit_code == 0
    [line] = result.output.splitlines()
    data = json.loads(line)
    assert set(data) == {"id", "url", "title", "published", "source", "score", "snippet"}
    assert data["id"] == filled[1] and data["published"] is None


def test_filters_and_paging(cli_run, filled: list[int]) -> None:
    assert "0 results" in cli_run("search", "比特币", "--source", "人民日报").output
    result = cli_run("search", "比特币 OR 光伏", "--limit", "1", "--offset", "1", "--json")
    assert len(result.output.splitlines()) == 1


def test_bad_date_is_a_usage_error(cli_run, filled: list[int]) -> None:
    result = cli_run("search", "比特币", "--since", "someday")
    assert result.exit_code == 2
    assert "someday" in result.output


def test_reindex_with_user_dictionary(cli_run, filled: list[int], tmp_path: Path) -> None:
    user = tmp_path / "dict.txt"
    user.write_text("光伏组件 3000 n\n", encoding="utf-8")
    result = cli_run("reindex", "--dict", str(user))
    assert result.exit_code == 0
    assert "reindexed 2 articles" in result.output
    assert "【光伏组件】" in cli_run("search", "光伏组件").output
def test_articles_missing_from_the_index_get_a_hint(tmp_path):
    from click.testing import CliRunner

    from archiver.cli import cli
    from archiver.pipeline import import_paths
    from archiver.store import Archive
    from tests.conftest import FIXTURES

    db = tmp_path / "old.db"
    with Archive(db) as archive:
        import_paths(archive, [FIXTURES / "posts" / "seed-zaker.txt"])
        # As if filled before the index existed: the derived index is empty.
        archive.conn.execute("DELETE FROM search_docs")
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", str(db), "search", "比特币"])
    assert result.exit_code == 0
    assert "1 articles are not in the search index; run `archiver reindex`" in result.stderr
    assert runner.invoke(cli, ["--db", str(db), "reindex"]).exit_code == 0
    again = runner.invoke(cli, ["--db", str(db), "search", "比特币"])
    assert "1 result" in again.stdout and "not in the search index" not in again.stderr
