"""Dates on real-world strings, resolved against the capture time."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from archiver.extract.dates import SHANGHAI, iter_dates, parse_date

# Captured on Friday 2021-06-18, 12:00 in Beijing.
REF = datetime(2021, 6, 18, 4, 0, tzinfo=timezone.utc)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.mark.parametrize(("raw", "expected"), [
    ("2021-06-12 12:18", local(2021, 6, 12, 12, 18)),
    ("2021年6月12日 12:18", local(2021, 6, 12, 12, 18)),
    ("2021年06月12日12:18", local(2021, 6, 12, 12, 18)),
    ("2021/06/12", local(2021, 6, 12)),
    ("2021.6.12", local(2021, 6, 12)),
    ("发布时间：2019-09-07 19:53:27 来源: 每日经济新闻", local(2019, 9, 7, 19, 53, 27)),
    ("2019-09-3007:42", local(2019, 9, 30, 7, 42)),
    ("06-12 12:18", local(2021, 6, 12, 12, 18)),
    ("6月12日", local(2021, 6, 12)),
    ("6月12日 08:30", local(2021, 6, 12, 8, 30)),
    ("发布时间：18-03-08 23:16", local(2018, 3, 8, 23, 16)),
    ("昨天 12:18", local(2021, 6, 17, 12, 18)),
    ("今天 09:05", local(2021, 6, 18, 9, 5)),
    ("前天", local(2021, 6, 16)),
    ("3小时前", local(2021, 6, 18, 9, 0)),
    ("25分钟前", local(2021, 6, 18, 11, 35)),
    ("2天前", local(2021, 6, 16, 12, 0)),
    ("刚刚", local(2021, 6, 18, 12, 0)),
    ("周五", local(2021, 6, 18)),
    ("星期一", local(2021, 6, 14)),
    ("周六 10:00", local(2021, 6, 12, 10, 0)),
    ("June 12, 2021", local(2021, 6, 12)),
    ("12 Jun 2021", local(2021, 6, 12)),
    ("1581418070", datetime(2020, 2, 11, 10, 47, 50, tzinfo=timezone.utc)),
    ("2021/6/12 下午 3:05", local(2021, 6, 12, 15, 5)),
    ("2021年6月12日 上午12:30", local(2021, 6, 12, 0, 30)),
    ("2021年6月12日星期六 12:18", local(2021, 6, 12, 12, 18)),
    ("2021-06-12 3:05 PM", local(2021, 6, 12, 15, 5)),
    ("2021年06月12日 12时18分", local(2021, 6, 12, 12, 18)),
    ("昨天12:18", local(2021, 6, 17, 12, 18)),
    ("3 分钟前", local(2021, 6, 18, 11, 57)),
    ("2021-06-12T12:18:00.000Z", datetime(2021, 6, 12, 12, 18, tzinfo=timezone.utc)),
    ("2021-06-12T12:18:00+0800", local(2021, 6, 12, 12, 18)),
])
def test_forms(raw: str, expected: datetime) -> None:
    assert parse_date(raw, reference=REF) == expected


def test_iso_with_offset_keeps_it() -> None:
    value = parse_date("2021-06-12T04:18:40+00:00")
    assert value is not None and value.utcoffset().total_seconds() == 0


def test_a_yearless_date_is_never_after_the_capture() -> None:
    assert parse_date("12-30 08:00", reference=REF) == local(2020, 12, 30, 8, 0)
    assert parse_date("12月30日", reference=REF) == local(2020, 12, 30)


def test_relative_dates_follow_the_capture_not_the_clock() -> None:
    later = datetime(2031, 6, 18, 4, 0, tzinfo=timezone.utc)
    assert parse_date("昨天 12:18", reference=later) == local(2031, 6, 17, 12, 18)


def test_relative_forms_need_a_reference() -> None:
    assert parse_date("昨天 12:18") is None
    assert parse_date("06-12 12:18") is None


@pytest.mark.parametrize("raw", ["", "   ", "版权所有", "第12期", "2021年", "13-45 99:99"])
def test_no_date(raw: str) -> None:
    assert parse_date(raw, reference=REF) is None


def test_iter_dates_in_order() -> None:
    found = list(iter_dates("更新于2021-06-13，首发于2021年6月12日", reference=REF))
    assert [f.value.day for f in found] == [13, 12]
    assert all(f.exact for f in found)
