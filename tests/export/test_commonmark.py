"""The same body through a CommonMark renderer (what Hexo's marked, Hugo's goldmark and Obsidian
follow), when markdown-it-py is installed: emphasis after Chinese punctuation, escapes, lists."""

from __future__ import annotations

import pytest

from archiver.export.markdown import body_markdown
from archiver.extract.clean import clean_html, finish
from archiver.extract.posts import _captioned_figures
from tests.export.conftest import RICH_HTML

markdown_it = pytest.importorskip("markdown_it")


def _clean(fragment: str):
    tree = clean_html(fragment)
    return finish(tree)


def test_rich_body_renders_to_the_same_text_under_commonmark():
    md = markdown_it.MarkdownIt("commonmark").enable("table")
    for braces in (False, True):
        body = _clean(RICH_HTML)
        rendered = _clean(_captioned_figures(md.render(body_markdown(body.html, braces=braces))))
        assert rendered.text == body.text
