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


def _post(title: str, stamp: str, paragraphs: list[str]) -> str:
    body = "<br><br>".join(paragraphs)
    return (f"<div class='post'><table><tr><td class='post-title'>{title}</td>"
            f"<td class='post-date'>{stamp}</td></tr></table>"
            f"<div class='post-body'>{body}</div>"
            f"<div class='post-footer'>由博主张贴 @ <a href='/p'>{stamp}</a> "
            f"<a href='/c'>发表评论</a></div></div>")


def test_blog_archive_page_keeps_the_first_post_only() -> None:
    older = [p.replace("十三届", "十二届") for p in STORY] * 3
    posts = (_post("今天的会议", "2022-03-05 10:12:00", STORY)
             + _post("去年的会议", "2021-03-05 09:00:00", older)
             + _post("前年的会议", "2020-05-22 09:00:00", STORY[:2]))
    html = page(f"<div id='nav'>{NAV}</div><div class='posts'>{posts}</div>", title="我的博客")
    article = parse_html(html, fetched_at=FETCHED)
    assert article.text.split("\n\n") == STORY
    assert article.published.isoformat() == "2022-03-05T10:12:00+08:00"
    assert article.title == "今天的会议"  # the post's title, not the blog's


def test_story_with_dated_paragraphs_is_not_an_entry_list() -> None:
    dated = [f"<div class='item'><p>2022年3月{i}日</p><p>{p}</p></div>"
             for i, p in enumerate(STORY, start=1)]
    html = page(f"<h1>全国人大五次会议开幕</h1><div class='article'>"
                f"<p>{STORY[0]}{STORY[1]}{STORY[2]}</p>{''.join(dated)}</div>")
    assert STORY[3] in parse_html(html, fetched_at=FETCHED).text


def test_official_notice_keeps_its_number_and_signature() -> None:
    lines = "".join(f"<div>{p}</div>" for p in STORY)
    html = page(f"<div id='nav'>{NAV}</div><div class='doc'><div><b>关于会议的通告</b></div>"
                f"<div>国发〔2022〕1号</div>{lines}<div>特此通告。</div><div>&nbsp;</div>"
                f"<div>国务院办公厅</div><div>2022年3月4日</div></div>", title="关于会议的通告")
    text = parse_html(html, fetched_at=FETCHED).text
    assert "国发〔2022〕1号" in text and text.endswith("国务院办公厅\n\n2022年3月4日")


def test_forum_post_footer_statement_and_replies_stay_out() -> None:
    story = "".join(f"<p>{p}</p>" for p in STORY)
    rules = "".join(f"<tr><td>{i}. 禁止发表违反国家法律、法规的言论；</td></tr>"
                    for i in range(1, 5))
    replies = "".join(f"<li><a href='/m{i}'>回复{i}</a> 网友{i} 09:0{i}:51 5/23/06 (无内容)</li>"
                      for i in range(2))
    html = page(f"<div>{NAV}</div><table><tr><td><font>{story}</font>"
                f"<center>本贴由大卫于2022年3月5日16:12:21在〖时事论坛〗发表.</center><hr>"
                f"<table><tr><td>郑 重 声 明</td></tr>{rules}</table><ul>{replies}</ul>"
                f"</td></tr></table>")
    article = parse_html(html, fetched_at=FETCHED)
    assert article.text.split("\n\n") == STORY
    assert article.author == "大卫"


def test_blog_archive_with_date_headings_keeps_the_first_post_only() -> None:
    older = [p.replace("十三届", "十二届") for p in STORY] * 3
    posts = "".join(
        f"<h2 class='date-header'>{day}</h2><div class='post'><h3>{title}</h3>"
        f"<div class='post-body'>{''.join(f'<p>{p}</p>' for p in paras)}</div>"
        f"<div class='post-footer'>posted by 博主 at 10:12 <a href='/c'>评论</a></div></div>"
        for day, title, paras in (("2022年3月5日 星期六", "今天的会议", STORY),
                                  ("2021年3月5日 星期五", "去年的会议", older)))
    html = page(f"<div id='nav'>{NAV}</div><div class='blog-posts'>{posts}</div>", title="我的博客")
    assert parse_html(html, fetched_at=FETCHED).text.split("\n\n") == STORY


def test_headline_under_a_site_prefixed_title_and_an_english_stamp_leave_the_text() -> None:
    story = "".join(f"<p>{p}</p>" for p in STORY)
    html = page(f"<div id='nav'>{NAV}</div><div class='post'>"
                f"<p>Saturday, March 5th, 2022 10:56 am</p><p>全国人大五次会议开幕</p>"
                f"{story}</div>",
                title="某某博客 » 全国人大五次会议开幕")
    article = parse_html(html, fetched_at=FETCHED)
    assert article.text.split("\n\n") == STORY
    assert article.published.date().isoformat() == "2022-03-05"


def test_story_followed_by_dated_cards_is_not_an_entry_list() -> None:
    story = "".join(f"<p>{p}</p>" for p in STORY)
    cards = "".join(
        f"<div class='card'><div class='time'>2022-03-0{i} 10:00</div>"
        f"<div class='blurb'>{STORY[i % 4]}{STORY[(i + 1) % 4]}{STORY[(i + 2) % 4]}</div></div>"
        for i in range(1, 9))
    html = page(f"<div class='main'><div class='story'>{story}</div>{cards}</div>")
    assert parse_html(html, fetched_at=FETCHED).text.split("\n\n")[:4] == STORY


def test_cookie_dialog_longer_than_the_story_stays_out() -> None:
    story = "".join(f"<p>{p}</p>" for p in STORY)
    policy = "".join("<p>This website uses cookies to improve your experience while you navigate "
                     "through the website. Necessary cookies are stored on your browser.</p>"
                     for _ in range(6))
    html = page(f"<h1>全国人大五次会议开幕</h1><div class='article'>{story}</div>"
                f"<div class='cli-modal' id='settingsPopup'><div>{policy}</div></div>")
    assert parse_html(html, fetched_at=FETCHED).text.split("\n\n") == STORY


def test_english_by_line_names_the_author_when_metadata_does_not() -> None:
    story = "".join(f"<p>{p} It was a long day for everyone in the hall.</p>" for p in STORY)
    html = page(f"<h1>Parliament opens</h1><p>By Jane Smith, Staff Writer</p>"
                f"<div class='article'>{story}</div>", title="Parliament opens")
    assert parse_html(html, fetched_at=FETCHED).author == "Jane Smith"


def test_info_line_with_a_day_first_date_leaves_the_text() -> None:
    story = "".join(f"<p>{p}</p>" for p in STORY)
    html = page(f"<h1>全国人大五次会议开幕</h1><div class='article'>"
                f"<p>发表时间： 05/03/2022 - 13:48</p>{story}</div>")
    assert parse_html(html, fetched_at=FETCHED).text.split("\n\n") == STORY


def test_post_heading_beats_the_blog_name_heading() -> None:
    story = "".join(f"<p>{p}</p>" for p in STORY)
    html = ("<html><head><title>Silicon Notes: Parliament opens its fifth session</title>"
            "</head><body><h1>Silicon Notes</h1><div class='post'><h3 class='post-title'>"
            f"Parliament opens its fifth session</h3>{story}</div></body></html>")
    assert parse_html(html, fetched_at=FETCHED).title == "Parliament opens its fifth session"
