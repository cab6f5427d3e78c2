"""Bylines: who wrote it (author), who edited it (editor), which outlet (source), where it was
reprinted from. An editor is never the author; an outlet is never the author.

Two entry points:

* :func:`take_tail_bylines` handles the trailing lines of feed items, e.g. ``（编辑：崔崔）``
  and ``（文章整理自澎湃新闻）`` at the end of ZAKER items, removing them from the clean body
  once they are captured in fields.
* :func:`parse_byline` reads one short "info" line of a web page (``来源：新华网　作者：张三
  责任编辑：李四``) into a :class:`Byline`; :func:`dateline_author` finds the reporters named in
  a news dateline (``新华社北京3月5日电（记者 张三 李四）``, ``澎湃新闻记者 张三``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from lxml import etree

_OPEN = r"[（(【\[]"
_CLOSE = r"[）)】\]]"
_NAME = r"[^（()）【】\[\]\n]{1,40}?"
# Editor, at the end of a text: "（编辑：崔崔）", "责任编辑：王五", "（责编：李四）".
_EDITOR = re.compile(
    rf"(?:{_OPEN}\s*)?(?:责任编辑|编辑|责编|编审|校对)\s*[:：]\s*(?P<name>{_NAME})\s*(?:{_CLOSE})?\s*$"
)
# Reprint notes: "（文章整理自澎湃新闻）", "本文来自微信公众号：X", "转载自X".
_REPRINT = re.compile(
    rf"(?:{_OPEN}\s*)?(?:文章|本文|内容)?(?:整理自|转载自|转自|来自|摘自|编译自)\s*[:：]?\s*"
    rf"(?P<name>{_NAME})\s*(?:{_CLOSE})?\s*[。.]?\s*$"
)
# "（来源：新华社）" at the end.
_SOURCE = re.compile(
    rf"(?:{_OPEN}\s*)?(?:来源|稿源|出处)\s*[:：]\s*(?P<name>{_NAME})\s*(?:{_CLOSE})?\s*$"
)
_TRAILING_PUNCT = re.compile(r"[\s,，。.;；、]+$")


@dataclass(frozen=True, slots=True)
class TailByline:
    editor: str | None = None
    reprinted_from: str | None = None
    source: str | None = None


def _clean_name(name: str) -> str | None:
    name = _TRAILING_PUNCT.sub("", name.strip())
    # A name with sentence punctuation is a sentence, not a name.
    if not name or re.search(r"[，。！？；]", name):
        return None
    return name


def _match_tail(text: str) -> tuple[str, str, int] | None:
    """``(field, value, start)`` when ``text`` ends with a byline note."""
    for field, pattern in (("editor", _EDITOR), ("reprinted_from", _REPRINT), ("source", _SOURCE)):
        match = pattern.search(text)
        if not match:
            continue
        start = match.start()
        before = text[:start]
        # The note must stand alone or be bracketed after a finished sentence.
        bracketed = bool(re.match(_OPEN, text[start:]))
        if before.strip() and not (bracketed and re.search(r"[。！？!?.）)”\"]\s*$", before)):
            continue
        name = _clean_name(match.group("name"))
        if name:
            return field, name, start
    return None


def take_tail_bylines(root: etree._Element, *, max_blocks: int = 3) -> TailByline:
    """Remove byline notes from the last paragraphs of a clean block tree and return them."""
    found: dict[str, str] = {}
    for _ in range(max_blocks * 2):
        if not len(root) or root[-1].tag != "p":
            break
        para = root[-1]
        full = "".join(para.itertext()).rstrip()
        hit = _match_tail(full)
        if not hit:
            break
        field, value, start = hit
        note_length = len(full) - start
        if not full[:start].strip():
            root.remove(para)
        else:
            # Trim the note from the paragraph's last text node, when it lies wholly inside it.
            last = para[-1] if len(para) else None
            node = (last.tail if last is not None else para.text) or ""
            node = node.rstrip()
            if len(node) < note_length:
                break  # the note spans markup; leave the paragraph as it is
            trimmed = node[: len(node) - note_length].rstrip()
            if last is not None:
                last.tail = trimmed
            else:
                para.text = trimmed
        found.setdefault(field, value)
    return TailByline(
        editor=found.get("editor"),
        reprinted_from=found.get("reprinted_from"),
        source=found.get("source"),
    )


def take_tail_bylines_from_paragraphs(paragraphs: list[str], *, max_blocks: int = 3) -> tuple[
    list[str], TailByline
]:
    """The same as :func:`take_tail_bylines` for plain-text paragraphs."""
    paragraphs = list(paragraphs)
    found: dict[str, str] = {}
    for _ in range(max_blocks * 2):
        if not paragraphs:
            break
        hit = _match_tail(paragraphs[-1].rstrip())
        if not hit:
            break
        field, value, start = hit
        found.setdefault(field, value)
        remainder = paragraphs[-1][:start].rstrip()
        if remainder:
            paragraphs[-1] = remainder
        else:
            paragraphs.pop()
    return paragraphs, TailByline(
        editor=found.get("editor"),
        reprinted_from=found.get("reprinted_from"),
        source=found.get("source"),
    )


# --------------------------------------------------------------------------------------------
# The full byline model for web pages.

@dataclass(frozen=True, slots=True)
class Byline:
    """Who wrote, who edited, which outlet, reprinted from where (any may be None)."""

    author: str | None = None
    editor: str | None = None
    source: str | None = None
    reprinted_from: str | None = None

    def merged(self, other: Byline) -> Byline:
        """Fields of ``self``, with the gaps filled from ``other``."""
        return replace(
            self,
            author=self.author or other.author,
            editor=self.editor or other.editor,
            source=self.source or other.source,
            reprinted_from=self.reprinted_from or other.reprinted_from,
        )

    def __bool__(self) -> bool:
        return bool(self.author or self.editor or self.source or self.reprinted_from)


# Labels, longest first so that "责任编辑" wins over "编辑" and "文章来源" over "来源".
_LABELS: tuple[tuple[str, str], ...] = (
    ("责任编辑", "editor"), ("值班编辑", "editor"), ("本文编辑", "editor"), ("编辑", "editor"),
    ("责编", "editor"), ("主编", "editor"),
    ("文章整理自", "reprinted_from"), ("本文转载自", "reprinted_from"),
    ("本文来自", "reprinted_from"),
    ("转载自", "reprinted_from"), ("整理自", "reprinted_from"), ("转自", "reprinted_from"),
    ("摘自", "reprinted_from"),
    ("文章来源", "source"), ("新闻来源", "source"), ("信息来源", "source"), ("来源", "source"),
    ("稿源", "source"), ("出处", "source"),
    ("作者", "author"), ("撰文", "author"), ("撰稿", "author"), ("采写", "author"),
    ("执笔", "author"), ("文字", "author"), ("记者", "author"), ("通讯员", "author"),
    ("文", "author"),
    # Credits that are not bylines: they end the value before them and are not kept.
    ("摄影", "credit"), ("摄像", "credit"), ("图片", "credit"), ("制图", "credit"),
    ("审核", "credit"), ("校对", "credit"), ("审校", "credit"), ("监制", "credit"),
    ("出品", "credit"),
)
_LABEL_RE = re.compile(
    r"(?P<label>" + "|".join(re.escape(k) for k, _ in _LABELS) + r")"
    r"\s*(?P<sep>[:：/｜|]|\s)?\s*"
)
_LABEL_FIELD = dict(_LABELS)
# Words that end a value: the next info item, dates, page furniture.
_STOP = re.compile(
    r"\s{2,}|[\u3000|｜【】\[\]<>]|\d{4}[-年/.]\d|\d{1,2}:\d\d|发布时间|发布于|发表于|时间[:：]|"
    r"字号|分享|打印|评论|阅读[(（:：\d]|浏览|点击|举报|关注|收藏|原标题|出自|发表于|发布于|$"
)
_NAME_TOKEN = re.compile(r"^(?:[\u3400-\u9fff·•]{2,5}|[A-Za-z][A-Za-z0-9_.\-]{1,30})$")
# Prefixes of a reporter's title that are not part of the name.
_ROLE_PREFIX = re.compile(
    r"^(?:(?:本报|本刊|本台|本网|新华社|中新社|中新网|人民网|央视网|澎湃新闻|南都|新京报|[\u4e00-\u9fff]{2,6}?)?"
    r"(?:首席|特约|特派|见习|实习|驻[\u4e00-\u9fff]{1,4})?(?:记者|通讯员|实习生|编辑))+\s*"
)
_NAME_SUFFIX = re.compile(
    r"(?:报道|摄影|摄|图|文|/图|发自[\u4e00-\u9fff]{1,6}|综合报道|编译|整理|通讯员|实习生)$"
)
_NOT_NAMES = {
    "报道", "本报", "综合", "编辑", "记者", "通讯员", "整理", "来源", "网络", "佚名", "未知",
    "原创", "转载", "本站", "管理员", "admin", "name", "author", "编者", "完", "图片", "视频",
    "新闻", "摄影",
}
_SPLIT_NAMES = re.compile(r"[\s、，,&＆;；/]+|和|及|与")
_OUTLET_END = re.compile(r"[\s,，。;；、)）】\]·\-—]+$")


def _value_after(text: str, start: int) -> str:
    """The value that starts at ``start``: up to the next label or stop word."""
    rest = text[start:]
    end = len(rest)
    stop = _STOP.search(rest)
    if stop:
        end = stop.start()
    for match in _LABEL_RE.finditer(rest):
        if match.start() == 0:
            continue
        # A single-character label ("文") only ends a value when a separator follows it.
        if match["label"] == "文" and not match["sep"]:
            continue
        # "南都见习记者": a role word glued to the words before it is part of the value.
        glued = match.start() > 0 and re.match(r"[\u4e00-\u9fff]", rest[match.start() - 1])
        if (match["sep"] and match["sep"].strip()) or (len(match["label"]) >= 2 and not glued):
            end = min(end, match.start())
            break
    return rest[:end].strip()


def clean_names(raw: str) -> str | None:
    """People's names from a byline value, joined by one space, or None.

    >>> clean_names("澎湃新闻记者 段彦超 廖艳")
    '段彦超 廖艳'
    >>> clean_names("叨叨姐、胡一刀&李小飞刀")
    '叨叨姐 胡一刀 李小飞刀'
    >>> clean_names("南都见习记者 林子沛")
    '林子沛'
    """
    # Notes in brackets are titles or affiliations: "张三（北京大学教授）".
    raw = re.sub(r"[（(][^（()）]*[）)]", " ", raw).strip().strip("（()）:：")
    names: list[str] = []
    for part in _SPLIT_NAMES.split(raw):
        part = _ROLE_PREFIX.sub("", part.strip(" ·:：()（）")).strip()
        if names and part.endswith(("报道", "电")) and len(part) > 2:
            continue  # "张三 山东冠县报道": the place the report was filed from
        part = _NAME_SUFFIX.sub("", part).strip()
        if not part or part in _NOT_NAMES:
            continue
        if not _NAME_TOKEN.match(part):
            # Not a name: stop before sentences or outlets sneak in.
            break
        names.append(part)
    return " ".join(dict.fromkeys(names)) or None


def clean_outlet(raw: str) -> str | None:
    """An outlet name ("新华社", "人民网-文化频道") from a 来源 value, or None."""
    value = raw.strip().strip(":：")
    value = re.split(r"\s", value, maxsplit=1)[0] if value else value
    value = _OUTLET_END.sub("", value.strip("（(【[「《》」]）)"))
    if not value or len(value) > 30 or re.search(r"[。！？，]", value):
        return None
    return value


def clean_editor(raw: str) -> str | None:
    """An editor's name as printed ("汤诗瑶、丁涛", "HN666")."""
    value = raw.strip().strip(":：")
    value = re.split(r"\s", value, maxsplit=1)[0] if value else value
    value = value.strip("（()）[]【】")
    value = _TRAILING_PUNCT.sub("", value)
    value = re.sub(r"^(?:本文编辑|编辑)[:：]?", "", value)
    # Staff ids appended by CMSs: "史建磊_NBJ11331".
    value = re.sub(r"_[A-Za-z]+\d+$", "", value)
    if not value or len(value) > 20 or re.search(r"[。！？，]", value):
        return None
    return value


def parse_byline(line: str) -> Byline:
    """Read a short info line into a :class:`Byline`.

    >>> parse_byline("来源：人民网-文化频道　　责任编辑：汤诗瑶、丁涛")
    Byline(author=None, editor='汤诗瑶、丁涛', source='人民网-文化频道', reprinted_from=None)
    >>> parse_byline("2019-09-26 12:11 来源：证券时报网 作者：李在山").author
    '李在山'
    """
    found: dict[str, str] = {}
    for match in _LABEL_RE.finditer(line):
        label, sep = match["label"], match["sep"]
        field = _LABEL_FIELD[label]
        before = line[: match.start()]
        # Labels inside running text are not labels ("对南都记者说"): the label must start the
        # line, follow a separator, or carry its own ":"; "记者" may follow an outlet name.
        at_boundary = not before.strip() or re.search(r"[\s|｜/（(【\[:：·,，;；》」]$", before)
        if label == "文" and not (sep and sep.strip() and at_boundary):
            continue
        if not sep and label not in ("记者", "通讯员") and not at_boundary:
            continue
        if not (sep and sep.strip()) and not at_boundary and label not in ("记者", "通讯员"):
            continue
        value = _value_after(line, match.end())
        if not value or field == "credit" or (field in found and field != "author"):
            continue
        if field == "author":
            name = clean_names(value)
            if name and "author" in found:
                # "本报记者 王五 通讯员 赵六": every labelled person is an author.
                name = " ".join(dict.fromkeys((found["author"] + " " + name).split()))
        elif field == "editor":
            name = clean_editor(value)
        else:
            name = clean_outlet(value)
        if name:
            found[field] = name
    return Byline(**found)


_DATELINE = re.compile(
    r"[（(]\s*(?P<inner>(?:[\u4e00-\u9fff]{0,8}?(?:记者|通讯员|实习生)\s*[^（()）]{2,40}?))\s*[）)]"
)
_LEADING_REPORTER = re.compile(
    r"^\s*(?:[\u4e00-\u9fff]{0,8}?(?:记者|作者|文|撰文|采写|执笔|文字)\s*[:：/｜|]?\s*)"
    r"(?P<names>[^，。！？；:：（()）]{2,40})$"
)


def dateline_author(text: str) -> str | None:
    """Reporters named in a news dateline or a leading byline paragraph.

    >>> dateline_author("新京报快讯（记者 裴剑飞）今日（12月28日）有网友爆料")
    '裴剑飞'
    >>> dateline_author("新华社北京3月5日电（记者张三、李四）")
    '张三 李四'
    >>> dateline_author("澎湃新闻记者 段彦超 廖艳")
    '段彦超 廖艳'
    """
    head = text[:200]
    match = _DATELINE.search(head)
    if match:
        names = []
        for chunk in re.split(r"(?=记者|通讯员|实习生)", match["inner"]):
            if not re.match(r"记者|通讯员|实习生", chunk):
                continue  # the outlet before the role ("总台记者")
            chunk = re.sub(r"^(?:记者|通讯员|实习生)", "", chunk).strip()
            if chunk:
                cleaned = clean_names(chunk)
                if cleaned:
                    names.append(cleaned)
        if names:
            return " ".join(names)
    if len(text) <= 40:
        match = _LEADING_REPORTER.match(text)
        if match:
            return clean_names(match["names"])
    return None


_POSTED_BY = re.compile(
    r"(?:本[贴帖文]由|由)\s*(?P<a>[^\s，。:：]{2,20}?)\s*于\s*(?:19|20)\d\d|"
    r"(?:^|[\s\]】|｜])(?P<b>[^\s，。:：\[\]【】]{2,20})\s+(?:发表于|发布于|发表时间[:：]?)\s*(?:19|20)\d\d"
)


def posted_by(line: str) -> str | None:
    """The poster named in forum and blog lines: "本贴由 大卫 于2005年…", "ggjjzhzz 发表于 2005-…".

    >>> posted_by("本贴由 大卫 于2005年8月12日16:12:21")
    '大卫'
    >>> posted_by("[湖湘文化] 陈天华《警世钟》 ggjjzhzz 发表于 2005-9-15 11:46:00")
    'ggjjzhzz'
    """
    match = _POSTED_BY.search(line)
    if not match:
        return None
    return clean_names(match["a"] or match["b"])
