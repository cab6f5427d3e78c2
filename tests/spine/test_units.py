"""Small pure pieces of the spine: front matter recovery, URL identity, charset policy, cleaning."""

from __future__ import annotations

import pytest

from archiver.capture.encoding import decode
from archiver.errors import FormatError
from archiver.extract.byline import take_tail_bylines
from archiver.extract.clean import clean_html, finish
from archiver.extract.frontmatter import split_post
from archiver.urls import canonical_url, unwrap_proxy, url_key


def test_front_matter_recovered_when_yaml_is_invalid():
    post = split_post("---\ntitle: \"a\"b'c\"\ncategories:\n - 新媒体\n - ZAKER\n"
                      "date: 2021-07-08 14:07:50\n---\n<p>x</p>\n")
    assert post.recovered
    assert post.meta == {"title": "a\"b'c", "categories": ["新媒体", "ZAKER"],
                         "date": "2021-07-08 14:07:50"}
    assert post.body == "<p>x</p>\n"


def test_front_matter_dates_stay_strings_and_braces_decode():
    post = split_post("---\ntitle: 'x&#123;y&#125;'\ndate: 2021-07-08 14:07:50\n---\nbody")
    assert post.meta["title"] == "x{y}" and post.meta["date"] == "2021-07-08 14:07:50"


@pytest.mark.parametrize("text", ["no front matter", "---\ntitle: x\n", ""])
def test_front_matter_missing_or_unclosed(text):
    with pytest.raises(FormatError):
        split_post(text)


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTP://Example.COM:80/a?utm_source=x&b=1#frag", "http://example.com/a?b=1"),
        ("https://m.example.com/a.html?spm=1.2&id=7", "https://m.example.com/a.html?id=7"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/%E6%96%B0%E9%97%BB", "https://example.com/%E6%96%B0%E9%97%BB"),
        ("https://example.com/新闻", "https://example.com/%E6%96%B0%E9%97%BB"),
    ],
)
def test_canonical_url(url, canonical):
    assert canonical_url(url) == canonical
    assert url_key(url) == "url:" + canonical


def test_unwrap_proxy_nested_and_plain():
    assert unwrap_proxy("https://a.dev/?https://b.dev/?http://c.cn/x.jpg") == "http://c.cn/x.jpg"
    assert unwrap_proxy("http://c.cn/x.jpg?w=1") == "http://c.cn/x.jpg?w=1"


@pytest.mark.parametrize(
    ("raw", "content_type", "charset", "reason"),
    [
        ("朱镕基 堃 𠮷".encode("gb18030"), "text/html; charset=gb2312", "gb18030", "header"),
        (b"<meta charset='gbk'>" + "新闻标题".encode("gbk"), None, "gb18030", "meta"),
        (b"\xef\xbb\xbf<p>\xe4\xb8\xad</p>", "text/html; charset=gbk", "utf-8", "bom"),
        ("中文".encode(), None, "utf-8", "utf-8-valid"),
    ],
)
def test_charset_policy(raw, content_type, charset, reason):
    decoded = decode(raw, content_type)
    assert decoded.charset == charset and decoded.reason == reason


def test_declared_charset_that_fails_is_overruled():
    raw = "这是一段用GBK编码的中文新闻正文，用来检测字符集的判断是否正确。".encode("gbk")
    decoded = decode(raw, "text/html; charset=utf-8")
    assert decoded.text.startswith("这是一段用GBK编码")
    assert "overruled header:utf-8" in decoded.reason


def test_clean_keeps_structure_and_drops_noise():
    html = (
        "<div><h1>小标题</h1><p>第一段&nbsp;&nbsp;文字<br>第二行</p><script>x()</script>"
        "<ul><li>甲</li><li>乙</li></ul><blockquote><p>引用</p></blockquote>"
        "<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>"
        "<div class='recommend_bottom'></div><p>\u200b</p><style>.a{}</style>尾巴文字</div>"
    )
    tree = clean_html(html)
    body = finish(tree)
    assert [el.tag for el in tree] == ["h2", "p", "ul", "blockquote", "table", "p"]
    assert body.text == (
        "小标题\n\n第一段 文字\n第二行\n\n甲\n乙\n\n引用\n\na | b\n1 | 2\n\n尾巴文字"
    )


def test_double_br_splits_paragraphs():
    tree = clean_html("<p>一<br><br>二<br />三</p>")
    assert finish(tree).text == "一\n\n二\n三"


@pytest.mark.parametrize(
    ("last", "field", "value", "kept"),
    [
        ("（编辑：崔崔）", "editor", "崔崔", ""),
        ("责任编辑：王小明", "editor", "王小明", ""),
        ("风险提示。（文章整理自澎湃新闻）", "reprinted_from", "澎湃新闻", "风险提示。"),
        ("（来源：新华社）", "source", "新华社", ""),
        ("他说（编辑：不是这样的，大家好）", None, None, "他说（编辑：不是这样的，大家好）"),
    ],
)
def test_tail_bylines(last, field, value, kept):
    tree = clean_html(f"<p>正文第一段。</p><p>{last}</p>")
    byline = take_tail_bylines(tree)
    text = finish(tree).text
    if field:
        assert getattr(byline, field) == value
    else:
        assert byline.editor is None and byline.source is None and byline.reprinted_from is None
    assert text == "正文第一段。" + (f"\n\n{kept}" if kept else "")


def test_declared_charset_with_a_few_bad_bytes_is_kept():
    raw = ("<meta charset=gb2312>" + "朱镕基与王堃的新闻正文。" * 40).encode("gb18030")
    raw = raw[:300] + b"\xff\xfe" + raw[300:]
    decoded = decode(raw)
    assert decoded.charset == "gb18030" and decoded.reason.startswith("meta (")
    assert "bad bytes replaced" in decoded.reason
    assert decoded.text.count("朱镕基与王堃的新闻正文。") >= 38
