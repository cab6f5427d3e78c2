"""Site rule files: validated when loaded, errors name the file and the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from archiver.errors import RuleError
from archiver.extract.rules import RuleBook, default_rulebook, load_rule_file


def write(tmp_path: Path, text: str, name: str = "site.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_rules_load_and_cover_ten_portals() -> None:
    book = default_rulebook()
    assert len(book.rules) >= 10
    for rule in book.rules:
        assert rule.paths("body") and rule.paths("title")


@pytest.mark.parametrize(("url", "slug"), [
    ("https://finance.sina.com.cn/roll/2018-12-28/doc-x.shtml", "sina"),
    ("https://news.163.com/19/0907/19/X.html", "netease"),
    ("https://mp.weixin.qq.com/s?__biz=1", "wechat"),
    ("https://finance.qq.com/a/20190923/000843.htm", "qq"),
    ("http://culture.people.com.cn/n1/2019/0615/c1013-31153719.html", "people"),
])
def test_lookup_by_host_most_specific_first(url: str, slug: str) -> None:
    rule = default_rulebook().for_url(url)
    assert rule is not None and rule.slug == slug


@pytest.mark.parametrize("url", [None, "", "https://example.com/a", "https://notsina.com.cn.evil.org/"])
def test_no_rule(url: str | None) -> None:
    assert default_rulebook().for_url(url) is None


@pytest.mark.parametrize(("text", "problem"), [
    ("- just a list", "mapping"),
    ("name: X\nhosts: [x.com]\nbody: '//div[@id=\"a\"'", "invalid XPath"),
    ("name: X\nhosts: [x.com]\nbodyy: //div", "unknown keys"),
    ("hosts: [x.com]\nbody: //div", "'name' is required"),
    ("name: X\nbody: //div", "'hosts'"),
    ("name: X\nhosts: [X.com/path]\nbody: //div", "lower-case host"),
    ("name: X\nhosts: [x.com]", "at least one XPath"),
    ("name: X\nhosts: [x.com]\ntitle: []", "'title'"),
    ("name: [unclosed\n", "YAML"),
])
def test_invalid_rule_files(tmp_path: Path, text: str, problem: str) -> None:
    path = write(tmp_path, text, "broken.yaml")
    with pytest.raises(RuleError, match=problem) as info:
        load_rule_file(path)
    assert "broken.yaml" in str(info.value)


def test_a_directory_of_rules(tmp_path: Path) -> None:
    write(tmp_path, "name: 示例\nhosts: [example.cn]\nbody: //article\n", "example.yaml")
    book = RuleBook.from_directory(tmp_path)
    rule = book.for_url("https://news.example.cn/a")
    assert rule is not None and rule.name == "示例" and rule.slug == "example"
