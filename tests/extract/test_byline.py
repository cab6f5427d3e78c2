"""The byline model on real-world strings: author, editor, source, reprinted_from."""

from __future__ import annotations

import pytest
from lxml import etree

from archiver.extract.byline import (
    Byline,
    clean_editor,
    clean_names,
    dateline_author,
    parse_byline,
    take_tail_bylines,
)

INFO_LINES = [
    # (line as printed on the page, expected Byline)
    ("来源：人民网-文化频道　　责任编辑：汤诗瑶、丁涛",
     Byline(editor="汤诗瑶、丁涛", source="人民网-文化频道")),
    ("2019-09-26 12:11来源：证券时报网作者：李在山", Byline(author="李在山", source="证券时报网")),
    ("2019-09-07 19:53:27　来源: 每日经济新闻　举报", Byline(source="每日经济新闻")),
    ("2020-06-06 10:08 来源：澎湃新闻", Byline(source="澎湃新闻")),
    ("澎湃新闻记者 贺梨萍", Byline(author="贺梨萍")),
    ("责任编辑：霍琦", Byline(editor="霍琦")),
    ("（责编：汤诗瑶、丁涛）", Byline(editor="汤诗瑶、丁涛")),
    ("责任编辑: 刘响", Byline(editor="刘响")),
    ("（责任编辑： HN666）", Byline(editor="HN666")),
    ("责任编辑：史建磊_NBJ11331", Byline(editor="史建磊")),
    ("来源 : 央视网", Byline(source="央视网")),
    ("来源：新华网 作者：张三 李四", Byline(author="张三 李四", source="新华网")),
    ("采写：南都见习记者 林子沛", Byline(author="林子沛")),
    ("文/王五", Byline(author="王五")),
    ("撰文｜陈六", Byline(author="陈六")),
    ("执笔/叨叨姐、胡一刀&李小飞刀", Byline(author="叨叨姐 胡一刀 李小飞刀")),
    ("《棱镜》作者 周纯", Byline(author="周纯")),
    ("本文来自微信公众号：未闻Code", Byline(reprinted_from="微信公众号：未闻Code")),
    ("文章来源：吉林省人民政府", Byline(source="吉林省人民政府")),
    ("时间：2004年10月21日14:18  作者：郭励弘", Byline(author="郭励弘")),
    ("本报记者 王五 通讯员 赵六", Byline(author="王五 赵六")),
    ("撰文/张三 摄影/李四", Byline(author="张三")),
    ("作者：张三（北京大学教授）", Byline(author="张三")),
    ("文 | 新京报记者 张三", Byline(author="张三")),
    ("记者 张三 北京报道", Byline(author="张三")),
    ("□ 本报记者 张三", Byline(author="张三")),
    ("文｜张三 编辑｜李四", Byline(author="张三", editor="李四")),
    ("责任编辑：张三 校对：李四", Byline(editor="张三")),
    ("2021-06-12 12:18 来源：新华社 作者：记者 王五", Byline(author="王五", source="新华社")),
    ("来源：人民日报 2021年06月12日", Byline(source="人民日报")),
    ("作者：zboygirl 阅读(123) 评论(4)", Byline(author="zboygirl")),
    ("（本文转载自微信公众号“侠客岛”）", Byline(reprinted_from="微信公众号“侠客岛”")),
    ("图/视觉中国", Byline()),
]


@pytest.mark.parametrize(("line", "expected"), INFO_LINES)
def test_info_line(line: str, expected: Byline) -> None:
    assert parse_byline(line) == expected


@pytest.mark.parametrize("line", [
    "温先生对南都记者说，又像在喃喃自语",
    "他在文中写道，这是一个好消息",
    "据新华社报道，会议于今日召开",
])
def test_running_text_names_nobody(line: str) -> None:
    assert parse_byline(line).author is None


@pytest.mark.parametrize("line", ["责任编辑：王五", "编辑：崔崔", "责编：李四"])
def test_an_editor_is_never_the_author(line: str) -> None:
    byline = parse_byline(line)
    assert byline.author is None and byline.editor


@pytest.mark.parametrize("line", ["来源：新华网", "来源：新华社", "稿源：澎湃新闻"])
def test_an_outlet_is_never_the_author(line: str) -> None:
    byline = parse_byline(line)
    assert byline.author is None and byline.source == line.split("：")[1]


@pytest.mark.parametrize(("text", "expected"), [
    ("新京报快讯（记者 裴剑飞）今日（12月28日）有网友爆料", "裴剑飞"),
    ("新华社北京3月5日电（记者张三、李四）十三届全国人大", "张三 李四"),
    ("本报讯（记者 王五 通讯员 赵六）昨日", "王五 赵六"),
    ("澎湃新闻记者 段彦超 廖艳", "段彦超 廖艳"),
    ("中新网3月5日电 据外媒报道，某地发生地震。", None),
    ("（总台记者 张倩）", "张倩"),
])
def test_dateline_author(text: str, expected: str | None) -> None:
    assert dateline_author(text) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("新京报记者 彭冲 山东冠县报道", "彭冲"),
    ("本报记者 张三", "张三"),
    ("John Smith", "John Smith"),
    ("综合报道", None),
])
def test_clean_names(raw: str, expected: str | None) -> None:
    assert clean_names(raw) == expected


def test_clean_editor_keeps_the_printed_list() -> None:
    assert clean_editor("汤诗瑶、丁涛）") == "汤诗瑶、丁涛"


def test_tail_bylines_still_strip_feed_notes() -> None:
    root = etree.fromstring(
        "<div><p>正文。</p><p>（编辑：崔崔）</p><p>（文章整理自澎湃新闻）</p></div>")
    found = take_tail_bylines(root)
    assert (found.editor, found.reprinted_from) == ("崔崔", "澎湃新闻")
    assert [p.text for p in root] == ["正文。"]
