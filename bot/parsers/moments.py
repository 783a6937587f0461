"""A moment typed as a time and a day: "8:00 28/8", "28/8 lúc 8h", "8 giờ 30 ngày 28/8/2024 ạ".

For scheduling (a broadcast sent later): the day is read as `parse_date` reads one, the time of
day as people write it (8:00, 8h, 8h30, 8 giờ 30, 14g). A day without a time, or a time
without a day, is not a moment: the caller asks again with an example.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from bot.parsers.dates import parse_date
from bot.parsers.politeness import politely

# "8:00", "8h", "8h30", "8 giờ", "8 gio 30", "14g" — hours then optional minutes.
_TIME = re.compile(
    r"(?:lúc|luc)?\s*(?P<h>\d{1,2})\s*(?:giờ|gio|:|h|g)\s*(?P<m>\d{2}(?![/.\d]))?\s*(?:phút|phut)?",
    re.IGNORECASE,
)
_MAX_TEXT = 60  # a moment is a few words; anything longer is not one


def parse_moment(text: str, *, today: date, zone: ZoneInfo) -> datetime | None:
    """Return the moment meant (in `zone`), or None when the time or the day is unclear.

    A day without a year is the next such day from `today` on (within a year).
    """
    if len(text) > _MAX_TEXT:
        return None
    return politely(lambda typed: _moment(typed, today, zone), text)


def _moment(text: str, today: date, zone: ZoneInfo) -> datetime | None:
    found = _TIME.search(text)
    if found is None or ("/" in found.group(0)):
        return None
    hour, minute = int(found["h"]), int(found["m"] or 0)
    if hour > 23 or minute > 59:
        return None
    rest = (text[: found.start()] + " " + text[found.end() :]).strip(" ,")
    rest = re.sub(r"^(?:ngày|ngay)\s+", "", rest, flags=re.IGNORECASE)
    day = parse_date(rest, period=(today, date(today.year + 1, today.month, 1)))
    if day is None:
        return None
    return datetime.combine(day.value, time(hour, minute), tzinfo=zone)
