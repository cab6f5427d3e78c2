"""Second pass over a clean block tree: keep page furniture and byline lines out of the text.

The container the content detector picks often still holds the title again, an info line
(``2019-09-07 来源：新华社``), share bars, a "相关阅读" list and the ``责任编辑`` line. Bylines
and dates found here are captured into fields before their lines are removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from archiver.extract.byline import Byline, parse_byline
from archiver.extract.clean import block_text

# A short block with one of these starts the tail of recommendations: it and all after it go.
_END_MARKERS = re.compile(
    r"^[【\[「]?\s*(?:相关阅读|推荐阅读|热门推荐|相关新闻|相关报道|延伸阅读|猜你喜欢|更多精彩|热点推荐|"
    r"相关文章|大家都在看|精彩推荐|热门文章|往期回顾|往期推荐|点击排行|最新文章|今日推荐|"
    r"为[您你]推荐|热门阅读|相关推荐|推荐文章|编辑推荐|猜你爱看|看了又看|相关专题|热门新闻|精彩图集|网友评论|我要评论|发表评论|文章评论|热门评论|最新评论|"
    r"Related (?:articles|stories|posts)|Read more|More from)\s*[】\]」:：]?\s*$",
    re.IGNORECASE,
)
# Short lines that are page furniture wherever they stand.
_FURNITURE = re.compile(
    r"^(?:分享到|分享至|分享：|打印|关闭窗口|关闭|【纠错】|纠错|扫一扫|返回顶部|返回首页|"
    r"版权所有|Copyright|©|\(c\)|免责声明|点击进入|字号[:：]|手机看|收藏|举报|"
    r"(?:上一篇|下一篇)[:：]|\[?责任编辑|点击图片进入下一页|(?:本文)?原标题[:：]|"
    r"本文来源[:：]|阅读全文|展开全文|APP内打开|打开APP|微信扫一扫|您所在的位置|当前位置[:：]|"
    r"您的位置[:：]|声明[:：]|更多.{0,20}(?:请.{0,6}关注|请访问|请登录|请点击)|(?:字号|关注|简介|视频简介|主要内容|超大大标准小|大中小)$|特别声明|免责声明|返回.{0,8}首页|.{0,30}(?:请下载|下载.{0,10}(?:APP|客户端)))",
    re.IGNORECASE,
)
# An info line under the headline: "发布: 2021-1-29 13:18|点击: 313|来自: 互联网".
_INFO_WORDS = re.compile(r"发布|点击|来源|来自|时间|作者|浏览|阅读|编辑|字号|评论")
_DATED = re.compile(r"(?:19|20)\d\d[-/.年]\d{1,2}[-/.月]\d{1,2}")
_DATE_ONLY = re.compile(r"^[\s\d\-/:：.年月日时分秒T+]+$")
_SENTENCE = re.compile(r"[。！？!?]")
# Why 80: info lines ("2019-09-07 19:53 来源：每日经济新闻 作者：X 责任编辑：Y") stay well
# under it; a real first paragraph that merely names a 记者 is longer and keeps its place.
_INFO_MAX = 80
_HEAD_BLOCKS = 4
_STORY_PARAGRAPH = 40
# Recommendation blurbs are one or two lines; a story paragraph after the marker is longer.
_LONG_PARAGRAPH = 100
_BLURB_MEAN = 60
_TAIL_BLOCKS = 6


@dataclass(slots=True)
class Tidied:
    """What the tidy pass captured while removing lines."""

    byline: Byline = field(default_factory=Byline)
    info_lines: list[str] = field(default_factory=list)


def _link_density(block: etree._Element, text: str) -> float:
    if not text:
        return 0.0
    linked = sum(len("".join(a.itertext()).strip()) for a in block.iter("a"))
    return linked / max(1, len(text.replace(" ", "")))


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


# Why 30: captions under news photos are a short noun phrase; a line of story is longer or
# ends a sentence.
_CAPTION_MAX = 30
_CAPTION_MARK = re.compile(r"^(?:[▲△↑▼]|图[:：/]|资料图|图为|（图|\(图)")
_CAPTION_MARKED_MAX = 120


def _caption_after_image(blocks: list[etree._Element], index: int) -> bool:
    """A short unpunctuated line right under an uncaptioned image is its caption."""
    if index == 0 or blocks[index].tag != "p":
        return False
    figure = blocks[index - 1]
    if figure.tag != "figure" or figure.find("figcaption") is not None:
        return False
    if figure.getparent() is None:
        return False
    text = block_text(blocks[index]).strip()
    if "\n" in text:
        return False  # caption and story lines share the paragraph: leave it whole
    if _CAPTION_MARK.match(text) and len(text) <= _CAPTION_MARKED_MAX:
        return True  # "▲ 航站楼外景。资料图": marked as a caption by the page itself
    return 0 < len(text) <= _CAPTION_MAX and not re.search(r"[。！？!?；;，,]", text)


def tidy(tree: etree._Element, *, title: str | None) -> Tidied:
    """Remove furniture, title repeats and byline lines from ``tree`` (in place)."""
    result = Tidied()
    blocks = list(tree)
    total = len(blocks)
    title_key = _norm(title or "")
    truncate_at: int | None = None
    sizes = [len(_norm(block_text(b))) for b in blocks]
    story_started = False
    seen_text = ""
    for index, block in enumerate(blocks):
        if block.tag == "figure":
            continue
        if _caption_after_image(blocks, index):
            figure = blocks[index - 1]
            etree.SubElement(figure, "figcaption").text = block_text(block).strip()
            tree.remove(block)
            continue
        text = block_text(block).strip()
        flat = _norm(text)
        if not flat:
            continue
        if len(flat) >= 10:
            # Pages that print the story twice (a hidden copy for mobile, sharing or printing),
            # sometimes with the paragraphs joined differently: text already seen goes.
            if flat in seen_text:
                tree.remove(block)
                continue
        seen_text += flat
        # Everything above the first paragraph of story is header: title, info line, labels.
        near_head = index < _HEAD_BLOCKS or not story_started
        near_tail = index >= total - _TAIL_BLOCKS
        # A "相关阅读" heading ends the story only once the story has begun (a paragraph of
        # prose is behind us) and what follows looks like blurbs rather than more story:
        # above the story it is a sidebar the container happened to hold.
        if len(flat) <= 24 and _END_MARKERS.match(text):
            before = sum(sizes[:index])
            after = sizes[index + 1:]
            lengths = [n for n in after if n]
            blurbs = not lengths or (max(lengths) < _LONG_PARAGRAPH
                                     or sum(lengths) / len(lengths) < _BLURB_MEAN)
            if story_started and (before >= sum(after) or blurbs):
                truncate_at = index
                break
            tree.remove(block)
            continue
        if title_key and near_head and (flat == title_key or (
                block.tag in ("h2", "h3") and title_key.startswith(flat) and len(flat) > 6)):
            tree.remove(block)
            continue
        if len(flat) <= _INFO_MAX and (near_head or near_tail) and not _SENTENCE.search(text):
            byline = parse_byline(text)
            if byline:
                result.byline = result.byline.merged(byline)
                result.info_lines.append(text)
                tree.remove(block)
                continue
            if near_head and (_DATE_ONLY.match(text) or (
                    _INFO_WORDS.search(text) and _DATED.search(text))):
                result.info_lines.append(text)
                tree.remove(block)
                continue
        if len(flat) <= _INFO_MAX * 2 and _FURNITURE.match(flat.lstrip("（(【[")):
            tree.remove(block)
            continue
        if block.tag in ("p", "ul", "ol", "h2", "h3", "h4") and _link_density(block, text) > 0.5:
            tree.remove(block)
            continue
        if len(flat) >= _STORY_PARAGRAPH and _SENTENCE.search(text):
            story_started = True
    if truncate_at is not None:
        for block in blocks[truncate_at:]:
            if block.getparent() is tree:
                tree.remove(block)
    return result
