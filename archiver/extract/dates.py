"""Dates: raw strings → aware datetimes, anchored to the capture time.

A date without a zone is Asia/Shanghai. Relative and yearless dates are resolved against the
capture time (``reference``), never against "now", so re-parsing later gives the same answer.
A yearless date is never after the reference: "12-30" captured on 2022-01-02 is 2021-12-30.

Forms understood (all common on Chinese portals): ISO 8601 and RFC 2822, ``2021-06-12 12:18``,
``2021年6月12日 12:18``, ``2021/06/12``, two-digit years ``21-06-12 12:18``, yearless
``06-12 12:18`` and ``6月12日``, and relative ``刚刚``, ``3分钟前``, ``3小时前``, ``2天前``,
``今天 12:18``, ``昨天 12:18``, ``前天``, ``周五`` / ``星期五``, plus English month names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
_REF_MIN = datetime(200, 1, 1, tzinfo=timezone.utc)
_REF_MAX = datetime(9800, 1, 1, tzinfo=timezone.utc)

_TIME = (
    r"(?:[T\s]*(?:(?:星期|周)[一二三四五六日天]\s*)?(?P<ampm>上午|下午|晚上|凌晨|中午|早上)?\s*"
    r"(?P<H>\d{1,2})\s*[:：时]\s*(?P<M>\d{1,2})(?:\s*[:：分]\s*(?P<S>\d{1,2}))?"
    r"(?:\.\d+)?\s*(?:秒)?(?:\s*(?P<ampm2>[AaPp]\.?[Mm]\.?)(?![A-Za-z]))?)?"
)
_ISO = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d\d)\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?:(?!\d)|(?=\d\d[:：]\d\d))\s*日?"
    + _TIME
    + r"\s*(?P<tz>Z(?![a-z])|[+-]\d\d:?\d\d|GMT|UTC)?",
    re.IGNORECASE,
)
# "18-03-08 23:16" (baijiahao): a two-digit year only counts with a time after it.
_SHORT_YEAR = re.compile(
    r"(?<![\d\-/.])(?P<y>\d\d)-(?P<m>\d{1,2})-(?P<d>\d{1,2})\s+(?P<H>\d{1,2}):(?P<M>\d\d)(?::(?P<S>\d\d))?(?!\d)"
)
# Yearless: "06-12 12:18", "6月12日", "6月12日 12:18".
_YEARLESS = re.compile(
    r"(?<![\d\-/.年])(?:(?P<m>\d{1,2})月(?P<d>\d{1,2})日|(?P<m2>\d{1,2})-(?P<d2>\d{1,2})(?=\s+\d{1,2}:\d\d))"
    r"(?:\s*(?P<H>\d{1,2})[:：](?P<M>\d\d)(?:[:：](?P<S>\d\d))?)?(?![\d\-])"
)
_AGO = re.compile(r"(?P<n>\d{1,3})\s*(?P<unit>秒|分钟|小时|天|周|个月)前")
_DAYWORD = re.compile(
    r"(?P<word>今天|昨天|前天|刚刚|周[一二三四五六日天]|星期[一二三四五六日天])"
    r"(?:\s*(?P<H>\d{1,2})[:：](?P<M>\d\d))?"
)
_RFC2822 = re.compile(r"^[A-Za-z]{3},?\s+\d|\d\d:\d\d(:\d\d)?\s+(GMT|[+-]\d{4})$")
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_MONTHS = {m: i + 1 for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}
_ENGLISH = re.compile(
    r"(?:(?P<d1>\d{1,2})\s+(?P<mon1>[A-Za-z]{3,9})\.?,?\s+(?P<y1>(?:19|20)\d\d))|"
    r"(?:(?P<mon2>[A-Za-z]{3,9})\.?\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y2>(?:19|20)\d\d))"
)


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date found in text: the value, the raw string and where it was found."""

    value: datetime
    raw: str
    start: int
    exact: bool  # has a full year (not yearless or relative)


def _zone(tz: str | None) -> timezone | ZoneInfo | None:
    """The zone of an offset; None for an impossible one ("+99:99")."""
    if not tz:
        return SHANGHAI
    tz = tz.upper()
    if tz in ("Z", "GMT", "UTC"):
        return timezone.utc
    sign = -1 if tz[0] == "-" else 1
    digits = tz[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4])
    if hours > 23 or minutes > 59:
        return None
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _hour(match: re.Match[str]) -> str | None:
    """The 24-hour clock hour of a match with 上午/下午 or AM/PM."""
    hour = match["H"]
    if hour is None:
        return None
    value = int(hour)
    marker = (match["ampm"] or match["ampm2"] or "").lower().replace(".", "")
    if marker in ("下午", "晚上", "pm") and value < 12:
        value += 12
    elif marker == "中午" and value < 11:
        value += 12
    elif marker in ("上午", "凌晨", "早上", "am") and value == 12:
        value = 0
    return str(value)


def _local_reference(reference: datetime | None) -> datetime | None:
    if reference is None:
        return None
    if reference.tzinfo is None:
        reference = reference.replace(tzinfo=timezone.utc)
    # Relative forms reach back at most 999 months: a reference near year 1 or 9999 (never a
    # real capture time) is clamped so that no date arithmetic overflows.
    if not _REF_MIN <= reference <= _REF_MAX:
        reference = min(max(reference, _REF_MIN), _REF_MAX)
    return reference.astimezone(SHANGHAI)


def _make(y: int, m: int, d: int, hh: str | None, mm: str | None, ss: str | None,
          tz: timezone | ZoneInfo | None = SHANGHAI) -> datetime | None:
    if tz is None:
        return None
    try:
        return datetime(y, m, d, int(hh or 0), int(mm or 0), int(ss or 0), tzinfo=tz)
    except ValueError:
        return None


def iter_dates(text: str, *, reference: datetime | None = None) -> Iterator[FoundDate]:
    """Every date in ``text``, in order of position.

    Yearless and relative forms are only produced when ``reference`` is given.
    """
    ref = _local_reference(reference)
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    found: list[FoundDate] = []
    for match in _ISO.finditer(text):
        value = _make(int(match["y"]), int(match["m"]), int(match["d"]), _hour(match),
                      match["M"], match["S"], _zone(match["tz"]))
        if value is not None:
            taken.append(match.span())
            found.append(FoundDate(value, match.group().strip(), match.start(), True))
    for match in _ENGLISH.finditer(text):
        mon = (match["mon1"] or match["mon2"] or "")[:3].lower()
        if mon not in _MONTHS or not free(*match.span()):
            continue
        year, day = int(match["y1"] or match["y2"]), int(match["d1"] or match["d2"])
        value = _make(year, _MONTHS[mon], day, None, None, None)
        if value is not None:
            taken.append(match.span())
            found.append(FoundDate(value, match.group().strip(), match.start(), True))
    for match in _SHORT_YEAR.finditer(text):
        if not free(*match.span()):
            continue
        value = _make(2000 + int(match["y"]), int(match["m"]), int(match["d"]), match["H"],
                      match["M"], match["S"])
        if value is not None and (ref is None or value <= ref + timedelta(days=1)):
            taken.append(match.span())
            found.append(FoundDate(value, match.group().strip(), match.start(), True))
    if ref is not None:
        for match in _YEARLESS.finditer(text):
            if not free(*match.span()):
                continue
            month = int(match["m"] or match["m2"])
            day = int(match["d"] or match["d2"])
            value = _make(ref.year, month, day, match["H"], match["M"], match["S"])
            if value is not None and value > ref + timedelta(hours=1):
                value = _make(ref.year - 1, month, day, match["H"], match["M"], match["S"])
            if value is not None:
                taken.append(match.span())
                found.append(FoundDate(value, match.group().strip(), match.start(), False))
        for match in _AGO.finditer(text):
            if not free(*match.span()):
                continue
            n, unit = int(match["n"]), match["unit"]
            delta = {
                "秒": timedelta(seconds=n), "分钟": timedelta(minutes=n),
                "小时": timedelta(hours=n), "天": timedelta(days=n), "周": timedelta(weeks=n),
                "个月": timedelta(days=30 * n),
            }[unit]
            taken.append(match.span())
            found.append(FoundDate(ref - delta, match.group(), match.start(), False))
        for match in _DAYWORD.finditer(text):
            if not free(*match.span()):
                continue
            word = match["word"]
            if word == "刚刚":
                value = ref
            else:
                if word in ("今天", "昨天", "前天"):
                    days = {"今天": 0, "昨天": 1, "前天": 2}[word]
                else:
                    # The most recent such weekday, today included.
                    days = (ref.weekday() - _WEEKDAYS[word[-1]]) % 7
                day = (ref - timedelta(days=days)).date()
                value = _make(day.year, day.month, day.day, match["H"], match["M"], None)
            if value is not None:
                taken.append(match.span())
                found.append(FoundDate(value, match.group(), match.start(), False))
    found.sort(key=lambda f: f.start)
    yield from found


def parse_date(raw: str | None, *, reference: datetime | None = None) -> datetime | None:
    """An aware datetime for ``raw``, or None when it holds no recognisable date.

    >>> parse_date("Sat, 12 Jun 2021 04:18:40 GMT").isoformat()
    '2021-06-12T04:18:40+00:00'
    >>> parse_date("2021-07-08 14:07:50").isoformat()
    '2021-07-08T14:07:50+08:00'
    >>> parse_date("2021年6月12日 12:18").isoformat()
    '2021-06-12T12:18:00+08:00'
    >>> ref = datetime(2021, 6, 12, 8, 0, tzinfo=timezone.utc)
    >>> parse_date("昨天 12:18", reference=ref).isoformat()
    '2021-06-11T12:18:00+08:00'
    >>> parse_date("12-30 08:00", reference=ref).isoformat()
    '2020-12-30T08:00:00+08:00'
    """
    if not raw:
        return None
    text = raw.strip()
    if not text:
        return None
    if _RFC2822.search(text):
        try:
            value = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError, OverflowError):  # e.g. a +1400199… offset
            value = None
        # Year 1 or 9999 with an offset cannot even be converted to UTC (nor stored).
        if value is not None and 1000 <= value.year <= 9000:
            return value if value.tzinfo else value.replace(tzinfo=SHANGHAI)
    if re.fullmatch(r"1[0-9]{9}(?:[0-9]{3})?", text):
        # Unix timestamps in seconds or milliseconds (data attributes, JSON).
        seconds = int(text[:10])
        return datetime.fromtimestamp(seconds, tz=timezone.utc).astimezone(SHANGHAI)
    for found in iter_dates(text, reference=reference):
        return found.value
    return None
