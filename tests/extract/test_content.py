"""Generic main-content detection on small pages built like real ones."""

from __future__ import annotations

from datetime import datetime, timezone

from archiver.extract.parse import parse_html

FETCHED = datetime(2026, 1, 1, tzinfo=timezone.utc)
STORY = [
    "新华社北京3月5日电（记者 张三）十三届全国人大五次会议5日上午在人民大会堂开幕。",
    "会议听取了政府工作报告，代表们认为，报告实事求是、总结成绩全面客观。",
    "报告提出，今年发展主要预期目标是：国内生产总值增长百分之五点五左右；城镇新增就业一千一百万人以上。",
    "代表们表示，要坚持稳字当头、稳中求进，推动经济实现质的有效提升和量的合理增长。",
]
NAV = "".join(f'<a href="/c{i}">频道{i}</a> | ' for i in range(30))
RELATED = "".join(f'<li><a href="/n{i}.html">另一条新闻的标题第{i}条</a></li>' for i in range(12))


def page(body: str, title: str = "全国人大五次会议开幕") -> str:
    return f"<html><head><title>{title}_新华网</title></head><body>{body}</body></html>"


def test_table_layout_story_in_a_cell() -> None:
    cells = "<br><br>".join(STORY)
    html = page(
        f"<table><tr><td colspan=2>{NAV}</td></tr><tr><td width=150>{NAV}</td>"
        f"<td><font size=4><b>全国人大五次会议开幕</b></font><br>"
        f"2022年03月05日 10:12 来源：新华网<br><br>{cells}<br><br>（责任编辑：李四）</td></tr>"
        f"<tr><td colspan=2>Copyright © 2022 新华网 版权所有</td>"
        f"</tr></table>"
    )
    article = parse_html(html, url="http://www.example-news.cn/a.htm", fetched_at=FETCHED)
    assert article.title == "全国人大五次会议开幕"
    assert article.text.split("\n\n") == STORY
    assert (article.author, article.editor, article.source) == ("张三", "李四", "新华网")
    assert article.published.isoformat() == "2022-03-05T10:12:00+08:00"


def test_comment_thread_longer_than_the_story_stays_out() -> None:
    story = "".join(f"<p>{p}</p>" for p in STORY)
    comments = "".join(
        f"<li><p>网友{i}：这条新闻很重要，我们应该认真学习，认真领会会议精神，希望各项目标都能实现。</p></li>"
        for i in range(40)
    )
    html = page(f"<h1>全国人大五次会议开幕</h1><div class='article'>{story}</div>"
                f"<div class='comment-list'><ul>{comments}</ul></div>")
    text = parse_html(html, fetched_at=FETCHED).text
    assert text.split("\n\n") == STORY


def test_paragraphs_loose_in_a_layout_cell_are_gathered() -> None:
    story = "".join(f"<p>{p}</p>" for p in STORY)
    html = page(f"<div id='wrap'><h1>全国人大五次会议开幕</h1>{story}<ul>{RELATED}</ul>"
                f"<div>{NAV}</div><p>相关阅读</p></div>")
    assert parse_html(html, fetched_at=FETCHED).text.split("\n\n") == STORY


def test_related_reading_after_the_story_is_cut() -> None:
    story = "".join(f"<p>{p}</p>" for p in STORY)
    blurbs = "".join(f"<p>又一条推荐新闻的摘要，第{i}条。</p>" for i in range(8))
    html = page(f"<h1>全国人大五次会议开幕</h1><div class='content'>{story}"
                f"<h3>相关阅读</h3>{blurbs}</div>")
    assert parse_html(html, fetched_at=FETCHED).text.split("\n\n") == STORY


def test_a_timestamped_live_feed_loses_to_a_short_story() -> None:
    story = "".join(f"<p>{p}</p>" for p in STORY[:2])
    feed = "".join(
        f"<li>分析师{i}今天 12:{i:02d}:48 指数午前高开低走，板块红盘居多，"
        f"表现强势的是科技股，后市继续关注。</li>"
        for i in range(12)
    )
    html = page(f"<h1>全国人大五次会议开幕</h1><div class='a'>{story}</div>"
                f"<div class='live'><ul>{feed}</ul></div>")
    assert parse_html(html, fetched_at=FETCHED).text.split("\n\n") == STORY[:2]


def test_text_below_255_unclosed_tags_is_not_lost() -> None:
    html = page("<h1>全国人大五次会议开幕</h1>" + "<font>" * 300 + "".join(STORY))
    assert parse_html(html, fetched_at=FETCHED).text == "".join(STORY)


def test_pathological_nesting_is_a_parse_error_not_a_crash() -> None:
    import pytest

    from archiver.errors import ParseError

    html = page("<h1>全国人大五次会议开幕</h1>" + "<font>" * 5000 + "".join(STORY))
    with pytest.raises(ParseError, match="nested too deeply"):
        parse_html(html, fetched_at=FETCHED)
