"""Pages that are not articles give a clear NotAnArticle, never garbage."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from archiver.errors import NotAnArticle
from archiver.extract.gate import body_reason, page_reason
from archiver.extract.parse import parse_html

FETCHED = datetime(2026, 1, 1, tzinfo=timezone.utc)

SAFELINE = """<!DOCTYPE html><html><head><title>访问验证</title>
<script>window.captcha = {"token": "abc"}; </script></head>
<body><div id="app"></div><script src="/.safeline/static/captcha.js"></script></body></html>"""
CLOUDFLARE = """<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="refresh" content="390"></head><body><div class="main-wrapper">
<h1>www.example.cn</h1><h2>Checking if the site connection is secure</h2>
<script>window._cf_chl_opt={cvId: '2'};</script></div></body></html>"""
BROWSER_CHECK = """<html><head><title>Please wait</title></head><body>
<p>Checking your browser before accessing example.com.</p></body></html>"""
DELETED = """<html><head><title>微信公众平台</title></head><body><div class="weui-msg">
<p class="title">该内容已被发布者删除</p></div></body></html>"""
GONE = """<html><head><title>新浪网</title></head><body><div class="nav"><a href="/">首页</a>
<a href="/news">新闻</a></div><div class="err">抱歉，原文已被删除</div></body></html>"""
NOT_FOUND = """<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1>
<p>The requested URL was not found on this server.</p></body></html>"""
LIST_PAGE = "<html><head><title>国内新闻_新浪网</title></head><body><ul>" + "".join(
    f'<li><a href="/n/{i}.shtml">某地召开第{i}次工作会议部署下一阶段重点工作</a>'
    f' 06-{i % 28 + 1:02d}</li>'
    for i in range(60)
) + "</ul></body></html>"
EMPTY = "<html><head><title>空白</title></head><body><div></div></body></html>"


@pytest.mark.parametrize(("html", "words"), [
    (SAFELINE, "SafeLine"),
    (CLOUDFLARE, "Cloudflare"),
    (BROWSER_CHECK, "browser-check"),
    (DELETED, "该内容已被发布者删除"),
    (GONE, "原文已被删除"),
    (NOT_FOUND, "error page"),
])
def test_page_reason_names_the_kind_of_page(html: str, words: str) -> None:
    reason = page_reason(html)
    assert reason is not None and words in reason


@pytest.mark.parametrize("html", [SAFELINE, CLOUDFLARE, DELETED, GONE, NOT_FOUND, LIST_PAGE, EMPTY,
                                  "", "   "])
def test_parse_html_refuses(html: str) -> None:
    with pytest.raises(NotAnArticle, match="not an article|empty"):
        parse_html(html, url="https://news.example.cn/a.html", fetched_at=FETCHED)


def test_an_article_quoting_a_placeholder_is_still_an_article() -> None:
    story = "".join(
        f"<p>第{i}段：有读者反映，点开链接只看到“该内容已被发布者删除”，记者就此联系了平台方，"
        f"平台表示将核实情况并尽快答复。</p>" for i in range(8)
    )
    html = (f"<html><head><title>调查</title></head><body><h1>调查</h1>"
            f"<div>{story}</div></body></html>")
    assert page_reason(html) is None
    article = parse_html(html, fetched_at=FETCHED)
    assert "该内容已被发布者删除" in article.text


def test_body_reason() -> None:
    assert body_reason("") == "no article body found"
    assert "characters" in (body_reason("太短了。") or "")
    assert body_reason("正文。" * 40) is None


def test_a_list_page_with_summaries_is_not_an_article() -> None:
    items = "".join(
        f'<div class="item"><h3><a href="/n/{i}.html">某地召开第{i}次工作会议部署重点工作</a></h3>'
        f"<p>会议指出，要坚持稳中求进工作总基调，全面贯彻新发展理念，第{i}项。</p>"
        f"<span>2021-06-{i % 28 + 1:02d}</span></div>"
        for i in range(20)
    )
    html = (f"<html><head><title>国内新闻_某某网</title></head><body>"
            f"<div class='nav'><a href='/'>首页</a></div>"
            f"<div class='list'>{items}</div></body></html>")
    with pytest.raises(NotAnArticle, match="not an article"):
        parse_html(html, url="https://news.example.cn/china/", fetched_at=FETCHED)
