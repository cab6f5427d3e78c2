"""Dates: raw strings → aware datetimes, anchored to the capture time.

A date without a zone is Asia/Shanghai. Relative and yearless dates are resolved against the
capture time (``reference``), never against "now", so re-parsing later gives the same answer.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

_ISO = re.compile(
    r"(?P<y>(?:19|20)\d\d)\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:[T\s]*(?P<H>\d{1,2})\s*[:：时]\s*(?P<M>\d{1,2})(?:\s*[:：分]\s*(?P<S>\d{1,2}))?"
    r"(?:\.\d+)?\s*(?:秒)?)?"
    r"\s*(?P<tz>Z|[+-]\d\d:?\d\d|GMT|UTC)?",
    re.IGNORECASE,
)


_RFC2822 = re.compile(r"^[A-Za-z]{3},?\s+\d|\d\d:\d\d(:\d\d)?\s+(GMT|[+-]\d{4})$")


def _zone(tz: str | None) -> timezone | ZoneInfo:
    if not tz:
        return SHANGHAI
    tz = tz.upper()
    if tz in ("Z", "GMT", "UTC"):
        return timezone.utc
    sign = -1 if tz[0] == "-" else 1
    digits = tz[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4])))


def parse_date(raw: str | None, *, reference: datetime | None = None) -> datetime | None:
    """An aware datetime for ``raw``, or None when it holds no recognisable date.

    >>> parse_date("Sat, 12 Jun 2021 04:18:40 GMT").isoformat()
    '2021-06-12T04:18:40+00:00'
    >>> parse_date("2021-07-08 14:07:50").isoformat()
    '2021-07-08T14:07:50+08:00'
    >>> parse_date("2021年6月12日 12:18").isoformat()
    '2021-06-12T12:18:00+08:00'
    """
    if not raw:
        return None
    text = raw.strip()
    if not text:
        return None
    if _RFC2822.search(text):
        try:
            value = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            value = None
        if value is not None:
            return value if value.tzinfo else value.replace(tzinfo=SHANGHAI)
    match = _ISO.search(text)
    if match:
        try:
            return datetime(
                int(match["y"]), int(match["m"]), int(match["d"]),
                int(match["H"] or 0), int(match["M"] or 0), int(match["S"] or 0),
                tzinfo=_zone(match["tz"]),
            )
        except ValueError:
            return None
    return None
