"""Import of the feed-mirroring blog's Hexo posts: each trap of the format."""

from __future__ import annotations

import re
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from archiver.pipeline import import_paths
from tests.conftest import FIXTURES

POSTS = FIXTURES / "posts"
NO_MARKUP = re.compile(r"<[A-Za-z/!][^>]*>|&(?:[a-z]+|#\d+|#x[0-9a-f]+);", re.IGNORECASE)


def _import_one(archive, name: str):
    summary = import_paths(archive, [POSTS / name])
    assert summary.failed == 0, summary.errors
    (stored,) = list(archive.iter_articles())
    return stored.article


def test_seed_post_fields(archive):
    a = _import_one(archive, "seed-zaker.txt")
    assert a.title == "多地整顿比特币挖矿，云南矿场或已关停"
    assert a.published == datetime(2021, 6, 12, 4, 18, 40, tzinfo=timezone.utc)
    assert a.published.utcoffset() == timedelta(0)
    assert a.published_raw == "Sat, 12 Jun 2021 04:18:40 GMT"
    assert a.categories == ("新媒体", "ZAKER", "channel")
    assert a.site == "ZAKER" and a.author is None  # the feed's name is not a person
    assert a.lead_image == "http://zkres2.myzaker.com/202106/60c493948e9f093c832f6ec7_1024.jpg"


def test_zaker_tail_bylines_become_fields_and_leave_the_text(archive):
    a = _import_one(archive, "seed-zaker.txt")
    assert a.editor == "崔崔"
    assert a.reprinted_from == "澎湃新闻"
    assert "编辑：" not in a.text and "文章整理自" not in a.text
    assert a.text.endswith("本文不构成任何形式的投资鼓励和建议。")


def test_text_outside_paragraphs_between_image_blocks_is_kept(archive):
    a = _import_one(archive, "seed-zaker.txt")
    # In the raw HTML this sentence follows an image div, outside any <p>.
    assert "虚拟货币挖矿过程中，最重要的成本就是 \" 矿机 \" 运行所需的电费" in a.text
    paragraphs = a.text.split("\n\n")
    assert any(p.startswith("虚拟货币挖矿过程中") for p in paragraphs)


def test_images_unwrapped_lazy_preferred_and_sized(archive):
    a = _import_one(archive, "seed-zaker.txt")
    assert [i.url for i in a.images] == [
        "http://zkres2.myzaker.com/202106/60c493948e9f093c832f6ec7_1024.jpg",
        "http://zkres2.myzaker.com/202106/60c493948e9f093c832f6ec8_1024.jpg",
    ]
    assert (a.images[0].width, a.images[0].height) == (474, 248)
    assert all("workers.dev" not in i.url for i in a.images)


def test_no_markup_or_entities_in_text(archive):
    import_paths(archive, [POSTS])
    for stored in archive.iter_articles():
        assert not NO_MARKUP.search(stored.article.text), stored.article.title
        assert "\u00a0" not in stored.article.text and "\u200b" not in stored.article.text
        assert "\n\n\n" not in stored.article.text


def test_title_with_single_quote_in_double_quotes(archive):
    a = _import_one(archive, "zaker-quote-title.md")
    assert a.title == "+_&~_%！'^……"


def test_image_caption_attached(archive):
    a = _import_one(archive, "zaker-quote-title.md")
    captions = [i.caption for i in a.images if i.caption]
    assert "大银线蝠幼崽。｜图片来源：Michael Stifter and Ahana Fernandez, CC BY-ND" in captions


def test_literal_less_than_in_broken_html_survives(archive):
    a = _import_one(archive, "zaker-literal-lt.md")
    assert "（延迟：主控 SRAM<HMB<FTL）" in a.text


def test_blank_title_kept_and_placeholder_image_dropped(archive):
    a = _import_one(archive, "oschina-space-title.md")
    assert a.title == " "
    assert a.lead_image is None
    assert not any("picsum.photos" in i.url for i in a.images)
    assert "13、【更新】登录页，验证码调整为随机 滑动/点选 模式" in a.text


def test_brace_entities_and_inline_style_removed(archive):
    a = _import_one(archive, "juejin-braces.md")
    assert a.title == "iOS开发面试只需知道这些，技术基本通关！（UI篇）"
    assert ".markdown-body" not in a.text and "&#123;" not in a.text


def test_naive_date_is_shanghai_time(archive):
    a = _import_one(archive, "dockone-naive-date.md")
    assert a.published.isoformat() == "2021-07-08T14:07:50+08:00"


def test_editor_line_of_other_feeds(archive):
    a = _import_one(archive, "kkj-editor.md")
    assert a.editor == "宪瑞"
    assert "责任编辑" not in a.text


@pytest.mark.parametrize(
    ("title_line", "expected"),
    [
        ("title: \"他说\"别走'了\"", "他说\"别走'了"),
        ("title: '它''s fine'", "它's fine"),
        ("title: \"C:\\new 路径'\"", "C:\\new 路径'"),
    ],
)
def test_titles_as_the_writer_meant_them(tmp_path: Path, archive, title_line, expected):
    text = (POSTS / "seed-zaker.txt").read_text(encoding="utf-8")
    post = tmp_path / "post.md"
    post.write_text(re.sub(r"(?m)^title: .*$", lambda _: title_line, text, count=1),
                    encoding="utf-8")
    assert _import_one(archive, str(post)).title == expected


def test_reimport_changes_nothing(archive):
    first = import_paths(archive, [POSTS])
    before = archive.stats()
    second = import_paths(archive, [POSTS])
    assert first.imported == 7 and second.imported == 0 and second.unchanged == 7
    assert archive.stats() == before


def test_edited_file_is_a_new_capture_that_updates_the_article(tmp_path: Path, archive):
    post = tmp_path / "post.txt"
    shutil.copy(POSTS / "seed-zaker.txt", post)
    import_paths(archive, [post])
    post.write_text(post.read_text(encoding="utf-8").replace("接下来，就看四川的动作了。",
                                                           "接下来，就看贵州的动作了。"),
                    encoding="utf-8")
    summary = import_paths(archive, [post])
    assert summary.updated == 1
    assert archive.stats()["captures"] == 2 and archive.stats()["articles"] == 1
    (stored,) = list(archive.iter_articles())
    assert "就看贵州的动作了" in stored.article.text
    assert len(archive.history(stored.key)) == 2
