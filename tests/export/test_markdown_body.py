"""The body: Markdown rendered by a Markdown library gives back every paragraph of the text."""

from __future__ import annotations

import html
import re

import markdown
from hypothesis import example, given, settings
from hypothesis import strategies as st

from archiver.export.markdown import body_markdown, escape_text
from archiver.extract.clean import clean_html, finish
from archiver.extract.posts import _captioned_figures
from tests.export.conftest import RICH_HTML

MD_EXTENSIONS = ["tables", "fenced_code", "sane_lists"]


def _clean(fragment: str):
    tree = clean_html(fragment)
    return finish(tree)


def _rendered(md_text: str):
    """Markdown → HTML (Python-Markdown) → archiver's clean body."""
    return _clean(_captioned_figures(markdown.markdown(md_text, extensions=MD_EXTENSIONS)))


def test_every_paragraph_of_the_text_survives_rendering():
    body = _clean(RICH_HTML)
    md_text = body_markdown(body.html)
    rendered = _rendered(md_text)
    for paragraph in body.text.split("\n\n"):
        assert paragraph in rendered.text
    assert rendered.text == body.text


def test_captions_and_images_survive():
    body = _clean(RICH_HTML)
    rendered = _rendered(body_markdown(body.html))
    assert [(i.url, i.alt, i.caption) for i in rendered.images] == [
        (i.url, i.alt, i.caption) for i in body.images
    ]
    figure = '![替代文字](https://img.example.com/a.jpg "图1 有说明的图")'
    assert figure in body_markdown(body.html)


def test_markdown_constructs_are_markdown_not_html():
    md_text = body_markdown(_clean(RICH_HTML).html)
    assert "## 一、小标题 #1" in md_text
    assert "- 甲\n- 乙 \\*星\\*" in md_text
    assert "1. 一\n2. 二" in md_text
    assert "> 引用第一段\n>\n> 引用第二段" in md_text
    assert "| 名称 | 数值 |\n| --- | --- |\n| a\\|b | 1 |" in md_text
    assert "**加粗**" in md_text and "*强调*" in md_text
    assert "[链接 \\[1\\]](https://example.com/a_(b))" in md_text
    assert "第一行  \n第二行  \n第三行" in md_text
    # Left as HTML only where Markdown has no form every renderer reads.
    leftovers = set(re.findall(r"<(\w+)", md_text))
    assert leftovers <= {"sup", "sub", "del", "strong"}, leftovers


def test_no_hard_wraps_inside_paragraphs():
    long_paragraph = "中文句子，没有换行。" * 60
    md_text = body_markdown(f"<p>{long_paragraph}</p>")
    assert md_text == long_paragraph


def test_line_start_syntax_is_escaped():
    cases = ["1. 不是列表", "1) 不是列表", "# 不是标题", "* 不是列表", "- 不是列表", "+ 不是列表",
             "> 不是引用", "_不是强调_", "[不是链接]", "<div>不是标签", "=== 不是下划线",
             "~~~ 不是代码", "--- 不是分隔线", "    四个空格"]
    for case in cases:
        md_text = body_markdown(f"<p>{html.escape(case)}</p>")
        rendered = markdown.markdown(md_text, extensions=MD_EXTENSIONS)
        assert rendered.startswith("<p>"), (case, md_text, rendered)
        assert _clean(rendered).text == case.strip(), (case, md_text)


def test_emphasis_after_chinese_punctuation_falls_back_to_html():
    # CommonMark cannot close ** after "：" when a letter follows: "**消息：**11" stays literal.
    md_text = body_markdown("<p><strong>消息：</strong>11 月</p>")
    assert md_text == "<strong>消息：</strong>11 月"
    assert body_markdown("<p>前文<strong>重点。</strong></p>") == "前文**重点。**"


def test_adjacent_lists_stay_apart():
    body = _clean("<ul><li>a</li></ul><ul><li>b</li></ul>")
    assert _rendered(body_markdown(body.html)).text == body.text == "a\n\nb"


def test_table_with_merged_cells_stays_html():
    table = ('<table><tr><th colspan="2">合并</th></tr><tr><td>a</td><td>b</td></tr>'
             "<tr><td>c</td><td>d</td></tr></table>")
    md_text = body_markdown(table)
    assert md_text.startswith("<table>") and 'colspan="2"' in md_text


def test_code_block_with_backtick_fence_inside():
    body = _clean("<pre>```\ncode\n```</pre>")
    md_text = body_markdown(body.html)
    assert md_text.startswith("````\n")
    assert _rendered(md_text).text == body.text


def test_hexo_braces_become_entities_and_render_back():
    body = _clean("<p>{{ title }} {% raw %} <code>{{ x }}</code></p>")
    md_text = body_markdown(body.html, braces=True)
    assert "{" not in md_text.replace("&#123;", "")
    assert _rendered(md_text).text == body.text


def test_plain_text_fallback_without_html():
    md_text = body_markdown("", "第一段\n\n1. 第二段\n第二行")
    assert md_text == "第一段\n\n1\\. 第二段  \n第二行"


def test_escape_text_leaves_ordinary_text_alone():
    text = "多地整顿比特币挖矿，云南矿场或已关停（2021年6月12日）Win11_Win10 1+1=2"
    assert escape_text(text) == text


# -- generated paragraphs --------------------------------------------------------------------
_CHARS = list("中文字，。：！？“”「」（）《》abcXYZ019 *_`[]()<>&#!+-=~|{}\\/.:;'\"%$^@")
_WORDS = st.text(alphabet=_CHARS, min_size=1, max_size=14)
_SEGMENT = st.tuples(st.sampled_from(["", "strong", "em", "code", "a", "sup", "br"]), _WORDS)


def _paragraph_html(segments: list[tuple[str, str]]) -> str:
    parts = []
    for tag, words in segments:
        text = html.escape(words, quote=False)
        if tag == "":
            parts.append(text)
        elif tag == "br":
            parts.append("<br>" + text)
        elif tag == "a":
            parts.append(f'<a href="https://example.com/{len(words)}">{text}</a>')
        else:
            parts.append(f"<{tag}>{text}</{tag}>")
    return "<p>" + "".join(parts) + "</p>"


@settings(max_examples=120, deadline=None)
@given(paragraphs=st.lists(st.lists(_SEGMENT, min_size=1, max_size=5), min_size=1, max_size=4),
       braces=st.booleans())
@example(paragraphs=[[("", "|"), ("br", "|")]], braces=False)  # lines of pipes read as a table
@example(paragraphs=[[("a", "]:")]], braces=False)  # "[\]:](…)" read as a reference definition
@example(paragraphs=[[("", "0"), ("br", " "), ("code", "0")]], braces=False)
def test_generated_paragraphs_survive_rendering(paragraphs, braces):
    body = _clean("".join(_paragraph_html(p) for p in paragraphs))
    md_text = body_markdown(body.html, braces=braces)
    assert _rendered(md_text).text == body.text, md_text
