"""Hostile pages for parse_html and parse_file: an Article, or NotAnArticle/ParseError in one
line. Anything else (ValueError, RecursionError, lxml errors, UnicodeError …) is a bug."""

from __future__ import annotations

import os
from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archiver.capture.encoding import decode, normalise_charset
from archiver.errors import NotAnArticle, ParseError
from archiver.extract.parse import parse_html
from archiver.models import Article
from archiver.pipeline import parse_file

T = datetime(2024, 1, 1, tzinfo=timezone.utc)
ZH = "这是一段很长的中文新闻正文，用于测试解析器是否稳健。镕堃" * 12
ZH_HANT = "這是一段很長的中文新聞正文，用於測試解析器是否穩健。" * 12
URLS = [None, "http://www.sina.com.cn/a.html", "https://news.example.com/a.html"]


def page(head: str = "", body: str = "") -> str:
    return (f"<html><head>{head}<title>标题</title></head><body>{body}<h1>标题</h1>"
            f"<p>{ZH}</p><p>{ZH}</p></body></html>")


def _allowed(html: str, url: str | None = None) -> Article | None:
    try:
        article = parse_html(html, url=url, fetched_at=T)
    except (NotAnArticle, ParseError) as exc:
        assert str(exc) and "\n" not in str(exc)
        return None
    assert isinstance(article, Article)
    return article


HOSTILE = {
    "empty": "",
    "blank": " \r\n\t ",
    "nul only": "\x00" * 100,
    "nul inside": page(body="\x00<b>\x00</b>"),
    "controls": page(body="\x01\x02\x0b\x1b\x7f"),
    "lone surrogate": page(body="\ud800\udfff"),
    "100k nested div": "<div>" * 100_000 + ZH,
    "100k nested closed": "<div>" * 100_000 + ZH + "</div>" * 100_000,
    "nested inline": "<b><i>" * 30_000 + ZH,
    "nested tables": "<table><tr><td>" * 5_000 + ZH,
    "huge attribute": page(body=f'<div title="{"a" * 5_000_000}">x</div>'),
    "many attributes": page(body="<div " + " ".join(f"a{i}=x" for i in range(50_000)) + ">"),
    "unclosed comment": page(body="<!-- never closed "),
    "unclosed cdata": page(body="<![CDATA[ never closed "),
    "unclosed script": page(body="<script>var a = '"),
    "unclosed style": "<html><body><style>" + ZH,
    "xml decl wrong": '<?xml version="1.0" encoding="nonsense"?>' + page(),
    "xml decl utf16": '<?xml version="1.0" encoding="utf-16"?>' + page(),
    "frameset only": "<html><frameset><frame src='a.html'><frame src='b.html'></frameset></html>",
    "meta nonsense": page('<meta charset="nonsense">'),
    "processing instr": "<?php echo 1; ?>" + page(),
    "doctype junk": "<!DOCTYPE " + "x" * 10_000 + ">" + page(),
    "svg math": page(body="<svg><foreignObject><math><mi>x</mi>" * 100),
    "bad json-ld": page('<script type="application/ld+json">{"datePublished": 99999999999, '
                        '"author": [1, {"name": 5}], "headline": ["a"]}</script>'),
    "deep json-ld": page('<script type="application/ld+json">' + "[" * 100_000 + "</script>"),
    "bad dates": page('<meta property="article:published_time" content="0000-00-00">',
                      "<p>2021年13月45日 25:61</p><p>2021-06-12T12:18:00+99:99</p>"),
    "bad links": page('<base href="http://[::1"><meta property="og:image" content="http://[x">',
                      '<a href="http://a:99999/">l</a><img src="http://[::1"><img src="\x00">'),
    "javascript links": page(body='<a href="javascript:alert(1)">x</a><img src="javascript:1">'),
    "30 MB script": page(body="<script>" + "var a=1;" * 4_000_000 + "</script>"),
    "30 MB comment": page(body="<!--" + "x" * 30_000_000 + "-->"),
}




@pytest.mark.parametrize("html", HOSTILE.values(), ids=list(HOSTILE))
def test_hostile_html(html):
    # The big ones once (seconds each), the small ones with and without a site rule.
    for url in URLS[:1] if len(html) > 100_000 else URLS:
        _allowed(html, url)


def test_deep_json_ld_does_not_hide_the_article():
    article = _allowed(HOSTILE["deep json-ld"])
    assert article is not None and "中文新闻正文" in article.text


def test_pages_with_bad_links_or_dates_still_parse():
    for name in ("bad links", "bad dates", "bad json-ld", "huge attribute"):
        article = _allowed(HOSTILE[name], "http://www.example.com/a.html")
        assert article is not None and article.title == "标题", name


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_random_unicode(text):
    _allowed(text)


_TAGS = st.sampled_from([
    "<div>", "</div>", "<p>", "</p>", "<script>", "</script>", "<!--", "-->", "<![CDATA[",
    "]]>", "<table>", "<td>", "<h1>", "</h1>", "<title>", "</title>", "<br/>", "<img src=x>",
    "<a href='//[::1'>", "<meta charset=gbk>", "<frameset>", "<svg>", "<math>", "<", ">", "&",
    "&#0;", "&#xD800;", "&#99999999;", "\x00", ZH[:30], "正文", "责任编辑：张三",
    "2021-06-12 12:18",
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_TAGS, max_size=60).map("".join), st.sampled_from(URLS))
def test_random_tag_soup(html, url):
    _allowed(html, url)


# -- bytes: the charset policy in front of the parser ---------------------------------------

def _parse_bytes(tmp_path, raw: bytes):
    path = tmp_path / "page.html"
    path.write_bytes(raw)
    try:
        return parse_file(path, fetched_at=T)
    except (NotAnArticle, ParseError) as exc:
        assert "\n" not in str(exc)
        return None


@pytest.mark.parametrize("raw", [
    os.urandom(5000), b"%PDF-1.4\n" + os.urandom(2000), b"\x89PNG\r\n\x1a\n" + os.urandom(2000),
    b"\x1f\x8b\x08\x00" + os.urandom(2000), b"\x00" * 1000, b"",
], ids=["random", "pdf", "png", "gzip", "nuls", "empty"])
def test_binary_is_not_an_article(tmp_path, raw):
    assert _parse_bytes(tmp_path, raw) is None


@pytest.mark.parametrize("meta", ["gbk", "gb2312", "utf-8", "nonsense"])
def test_big5_with_a_wrong_meta_is_read_as_big5(tmp_path, meta):
    raw = (f'<html><head><meta charset="{meta}"><title>標題</title></head><body><h1>標題</h1>'
           f"<p>{ZH_HANT}</p><p>{ZH_HANT}</p></body></html>").encode("big5hkscs")
    article, decoded = _parse_bytes(tmp_path, raw)
    assert decoded.charset == "big5hkscs"
    assert "中文新聞正文" in article.text


@pytest.mark.parametrize("meta", ["big5", "utf-8", "punycode", "idna", "undefined",
                                  "unicode_escape", "utf-7", "rot13", "base64"])
def test_gbk_with_a_wrong_or_absurd_meta(tmp_path, meta):
    raw = page(f'<meta charset="{meta}">').encode("gb18030")
    article, decoded = _parse_bytes(tmp_path, raw)
    assert decoded.charset == "gb18030"
    assert "镕堃" in article.text


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-16", "utf-32"])
def test_utf16_with_or_without_bom(tmp_path, codec):
    article, _ = _parse_bytes(tmp_path, page().encode(codec))
    assert "中文新闻正文" in article.text


@pytest.mark.parametrize("name", ["punycode", "idna", "undefined", "rot13", "base64", "zip",
                                  "unicode_escape", "utf-7"])
def test_no_python_only_codec_is_a_page_charset(name):
    assert normalise_charset(name) is None
    decode(b"\xd6\xd0\xce\xc4" * 20, f"text/html; charset={name}")  # never raises


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from([None, "text/html", "text/html; charset=gbk",
                                                 "text/html; charset=punycode", "charset=\xff"]))
def test_decode_never_raises(raw, content_type):
    decoded = decode(raw, content_type)
    assert isinstance(decoded.text, str)


@pytest.mark.parametrize("depth", [600, 1000, 2000])
@pytest.mark.parametrize("tag", ["font", "div", "span"])
def test_hundreds_of_unclosed_wrappers_still_give_the_article(tag, depth):
    html = ("<html><head><title>标题</title></head><body><h1>标题</h1>" + f"<{tag}>" * depth
            + f"<p>{ZH}</p><p>{ZH}</p><img src='/a.jpg'></body></html>")
    article = parse_html(html, url="http://news.example.com/a.html", fetched_at=T)
    assert article.title == "标题" and article.text.count("镕堃") >= 12
    assert article.images and article.images[0].url == "http://news.example.com/a.jpg"


def test_nesting_beyond_what_libxml2_keeps_is_a_parse_error():
    with pytest.raises(ParseError, match="nested too deeply"):
        parse_html("<div>" * 3000 + f"<p>{ZH}</p>", fetched_at=T)
