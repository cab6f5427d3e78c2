"""Hostile URLs: canonical_url gives a URL or one InputError line; its callers never crash."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.errors import ArchiverError, InputError
from archiver.extract.parse import parse_html
from archiver.urls import canonical_url, check_url, host_of, join_url, site_of, url_key

T = datetime(2024, 1, 1, tzinfo=timezone.utc)
BODY = "<p>" + "这是一段很长的中文新闻正文，用于测试解析器是否稳健。" * 12 + "</p>"

BAD = ["http://[::1", "http://a.com:99999/", "http://a.com:abc/", "http://a.com:-1/",
       "http://\udcff.com/", "http://a.com/?\ud800=1"]


@pytest.mark.parametrize("url", BAD)
def test_unparseable_url_is_one_input_error(url):
    with pytest.raises(InputError) as info:
        canonical_url(url)
    assert "invalid URL" in str(info.value) and "\n" not in str(info.value)
    assert isinstance(host_of(url), str) and join_url(url, "x.jpg").endswith("x.jpg")


def test_ipv6_host_keeps_its_brackets():
    assert canonical_url("http://[::1]:8080/a#x") == "http://[::1]:8080/a"
    assert canonical_url("HTTP://[::1]:80/") == "http://[::1]/"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "http:///x"])
def test_check_url_refuses_what_cannot_be_fetched(url):
    with pytest.raises(InputError):
        check_url(url)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60)
       | st.from_regex(r"https?://[^/]{0,12}(:\d{0,6})?/.{0,10}", fullmatch=True))
def test_canonical_url_is_total_up_to_input_error(url):
    try:
        key = url_key(url)
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    assert key.startswith("url:")
    site_of(url)  # never raises


@pytest.mark.parametrize("page_url", [None, "http://www.sina.com.cn/a.html", "http://a.com/"])
@pytest.mark.parametrize("hostile", [
    '<img src="http://[::1">', '<a href="http://[x">l</a>', '<img src="http://a:99999/x.jpg">',
])
def test_bad_links_in_a_page_do_not_stop_it(page_url, hostile):
    html = (f'<html><head><meta property="og:image" content="http://[::1">'
            f'<link rel="canonical" href="http://[::1"></head><body><h1>标题</h1>'
            f'{BODY}{hostile}{BODY}</body></html>')
    article = parse_html(html, url=page_url, fetched_at=T)
    assert article.url == page_url


def test_invalid_page_url_is_one_line():
    from archiver.extract import derive
    from archiver.models import KIND_WEB, Capture

    html = f"<html><body><h1>标题</h1>{BODY}</body></html>"
    capture = Capture(kind=KIND_WEB, body=html.encode(), fetched_at=T, url="http://[::1")
    with pytest.raises(ArchiverError) as info:
        derive(capture, html)
    assert "invalid URL" in str(info.value)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.none() | st.datetimes(timezones=st.just(timezone.utc)))
def test_file_names_from_any_title_are_safe(title, when):
    from archiver.export.names import article_stem, safe_component

    for name in (article_stem(title, when, 7), safe_component(title)):
        assert name and len(name.encode("utf-8")) <= 255
        assert not set(name) & set('/\\\x00:*?"<>|'), name
        assert name not in (".", "..") and not name.endswith((" ", "."))
        assert name.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT1"}
