"""`archiver feed`: ZAKER-style RSS items become captures and articles; re-runs add only changes."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner

from archiver.capture.feeds import parse_feed
from archiver.cli import cli
from archiver.extract.feeditem import parse_feed_item

FAST = ["--delay", "0", "--timeout", "2"]


def run(db, *args):
    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)


def counts(db):
    conn = sqlite3.connect(db)
    try:
        return (conn.execute("SELECT COUNT(*) FROM captures").fetchone()[0],
                conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    finally:
        conn.close()


def zaker_feed(server, load, *, replace=()):
    """The ZAKER-style fixture with its links and images pointing at the local server."""
    raw = load("zaker-feed.xml").replace(b"IMGHOST", server.base.encode())
    raw = raw.replace(b"http://www.myzaker.com", server.base.encode())
    for old, new in replace:
        raw = raw.replace(old.encode(), new.encode())
    return server.page("/feed.xml", raw, content_type="application/rss+xml; charset=utf-8")


def show(db, ref):
    result = run(db, "show", "--json", ref)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_feed_items_become_articles(tmp_path, server, load):
    db = tmp_path / "a.db"
    url = zaker_feed(server, load)
    result = run(db, "feed", *FAST, url)
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == ("2 archived, 0 unchanged, 0 failed, 1 skipped (items "
                                     "without article text; -v names them)")
    first = show(db, server.url("/article/60c4939a8e9f09/"))
    assert first["title"] == "多地整顿比特币挖矿，云南矿场或已关停"
    assert first["site"] == "ZAKER 科技频道"
    assert first["editor"] == "崔崔"
    assert first["categories"] == ["科技", "区块链"]
    # data-original survives (feedparser's sanitiser would have dropped it); proxy unwrapped
    assert [i["url"] for i in first["images"]] == [server.url("/zaker/60c4_1024.jpg")]
    assert "矿场往往聚集在电力充足" in first["text"]
    assert "编辑" not in first["text"]
    # 06月12日 12:18 has no year: the most recent 12 June not after the capture
    published = datetime.fromisoformat(first["published"])
    assert (published.month, published.day, published.hour) == (6, 12, 12)
    assert published <= datetime.now(timezone.utc) + timedelta(days=1)
    assert published > datetime.now(timezone.utc) - timedelta(days=367)
    assert first["published_raw"] == "06月12日 12:18"

    second = show(db, server.url("/article/60c4939b8e9f0a/"))
    assert second["author"] == "李明"
    assert second["reprinted_from"] == "澎湃新闻"
    assert second["published"] == "2021-06-12T04:18:40+00:00"
    assert second["url"] == server.url("/article/60c4939b8e9f0a/?utm_source=rss")


def test_item_capture_is_the_item_xml(tmp_path, server, load):
    db = tmp_path / "a.db"
    run(db, "feed", *FAST, zaker_feed(server, load))
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT kind, origin, meta, charset_reason, body, compression "
                        "FROM captures ORDER BY id").fetchall()
    conn.close()
    assert [r[0] for r in rows] == ["feed-item"] * 3
    assert json.loads(rows[0][2])["feed"] == server.url("/feed.xml")
    assert json.loads(rows[0][2])["guid"] == "60c4939a8e9f09"
    assert rows[2][0] == "feed-item"  # the bare-link item is kept, flagged
    import zlib

    body = zlib.decompress(rows[0][4]) if rows[0][5] == "zlib" else rows[0][4]
    assert body.startswith(b"<?xml version='1.0' encoding='utf-8'?>\n<item")
    assert b"data-original" in body


def test_rerun_adds_only_new_or_changed_items(tmp_path, server, load):
    db = tmp_path / "a.db"
    url = zaker_feed(server, load)
    run(db, "feed", *FAST, url)
    before = counts(db)
    again = run(db, "feed", *FAST, url)
    assert again.exit_code == 0
    assert again.stderr.startswith("0 archived, 2 unchanged, 0 failed, 1 skipped")
    assert counts(db) == before
    zaker_feed(server, load, replace=[("新硬件的支持", "新硬件和新显卡的支持")])
    changed = run(db, "feed", *FAST, url)
    assert changed.stderr.startswith("1 archived, 1 unchanged, 0 failed")
    assert counts(db) == (before[0] + 1, before[1])
    assert "新显卡" in show(db, server.url("/article/60c4939b8e9f0a/"))["text"]


def test_malformed_feed_is_one_clear_error(tmp_path, server, load):
    db = tmp_path / "a.db"
    good = zaker_feed(server, load)
    run(db, "feed", *FAST, good)
    before = counts(db)
    bad = server.page("/bad.xml", load("malformed.xml"), content_type="application/rss+xml")
    result = run(db, "feed", *FAST, bad)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1
    assert errors[0].startswith(f"error: {bad}: not well-formed XML (")
    assert "descrption" in errors[0]
    assert counts(db) == before


def test_html_page_is_not_a_feed(tmp_path, server, load):
    db = tmp_path / "a.db"
    page = server.page("/page.html", load("utf8.html"))
    result = run(db, "feed", *FAST, page)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"error: {page}: an HTML page, not an RSS or Atom feed (hint: archive the page with "
        f"`archiver archive {page}`)")


def test_fetch_links_archives_pages_and_keeps_item_article_over_captcha(tmp_path, server, load):
    db = tmp_path / "a.db"
    url = zaker_feed(server, load)
    server.page("/article/60c4939a8e9f09/", load("safeline.html"))
    server.page("/article/60c4939b8e9f0a/", load("utf8.html"))
    server.page("/article/60c4939c8e9f0b/", load("big5.html"))
    result = run(db, "feed", *FAST, "--fetch-links", url)
    assert result.exit_code == 1  # the captcha page is refused, and said so
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "captcha" in errors[0]
    # The item article is kept in front of the challenge page.
    assert show(db, server.url("/article/60c4939a8e9f09/"))["title"] == \
        "多地整顿比特币挖矿，云南矿场或已关停"
    # The page of the bare-link item became its article.
    assert show(db, server.url("/article/60c4939c8e9f0b/"))["title"] == "香港上半年經濟溫和增長"


def test_yearless_item_date_is_never_in_the_future(load):
    raw = load("zaker-feed.xml")
    fetched = datetime(2021, 1, 5, 3, 0, tzinfo=timezone.utc)
    feed = parse_feed(raw, feed_url="http://feed.test/zaker", fetched_at=fetched)
    article = parse_feed_item(feed.items[0], feed.items[0].body.decode("utf-8"))
    assert article.published.isoformat() == "2020-06-12T12:18:00+08:00"
    assert dict(article.provenance)["published"] == "feed-item:published"


def test_atom_feed(load):
    raw = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>博客</title><id>urn:x</id>
<entry><title>第一篇</title><link href="https://blog.test/1"/><id>urn:1</id>
<updated>2021-06-12T08:00:00+08:00</updated><author><name>作者甲</name></author>
<content type="html">&lt;p&gt;这是一篇用来测试 Atom 格式的文章正文。&lt;/p&gt;</content></entry>
</feed>""".encode()
    feed = parse_feed(raw, feed_url="https://blog.test/atom.xml",
                      fetched_at=datetime(2021, 7, 1, tzinfo=timezone.utc))
    assert feed.format == "atom" and len(feed.items) == 1
    item = feed.items[0]
    assert item.url == "https://blog.test/1"
    article = parse_feed_item(item, item.body.decode())
    assert (article.title, article.author, article.text) == (
        "第一篇", "作者甲", "这是一篇用来测试 Atom 格式的文章正文。")
    assert article.published.isoformat() == "2021-06-12T08:00:00+08:00"


def test_feed_declaring_gb2312_with_gbk_only_characters(tmp_path, server):
    raw = """<?xml version="1.0" encoding="gb2312"?>
<rss version="2.0"><channel><title>地方新闻</title>
<item><title>朱镕基旧居对外开放</title><link>http://news.test/1</link>
<description>&lt;p&gt;记者王堃报道：朱镕基同志旧居经过修缮后今日起对外开放，吸引了大批市民前来参观。&lt;/p&gt;
</description></item></channel></rss>""".encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("gb2312")  # really beyond GB2312
    feed = parse_feed(raw, feed_url="http://news.test/rss", fetched_at=datetime.now(timezone.utc))
    item = feed.items[0]
    article = parse_feed_item(item, item.body.decode("utf-8"))
    assert article.title == "朱镕基旧居对外开放"
    assert article.text.startswith("记者王堃报道：朱镕基同志旧居")
