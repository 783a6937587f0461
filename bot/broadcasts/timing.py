"""When a broadcast starts: `--at` read in the configured zone, quiet hours respected.

Every moment comes from the caller's `now` (the project clock, which may be simulated).
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.broadcasts.model import BroadcastRefused, Reason
from bot.quiet_hours import is_quiet, next_allowed

_CLOCK_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")


def parse_at(text: str, now: datetime, zone: ZoneInfo) -> datetime:
    """Read a start time: ISO-8601 (an offset is kept, none means the configured zone), or a
    bare time of day ('22:30'), which is its next occurrence after `now`."""
    value = text.strip()
    bare = _CLOCK_TIME.fullmatch(value)
    try:
        if bare is not None:
            hour, minute, second = (int(part or 0) for part in bare.groups())
            local = now.astimezone(zone)
            moment = datetime.combine(local.date(), time(hour, minute, second), tzinfo=zone)
            return moment if moment > now else moment + timedelta(days=1)
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise BroadcastRefused(
            Reason.AT,
            text,
            f"{text!r}: cần thời điểm ISO-8601, ví dụ 2023-11-21T07:30 hoặc 22:30",
            f"{text!r}: expected an ISO-8601 time, e.g. 2023-11-21T07:30 or 22:30",
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


def start_time(
    at: datetime | None,
    now: datetime,
    window: tuple[time, time] | None,
    zone: ZoneInfo,
) -> datetime | None:
    """When a broadcast starts; None = at once. An `at` in the past counts as now; an `at`
    inside the quiet hours is refused with the next allowed time; without `at`, a broadcast
    queued inside them starts when they end."""
    if at is not None and at > now:
        if is_quiet(at, window, zone):
            assert window is not None
            allowed = next_allowed(at, window, zone)
            hours = f"{window[0]:%H:%M}-{window[1]:%H:%M}"
            shown, earliest = at.astimezone(zone), allowed.astimezone(zone)
            raise BroadcastRefused(
                Reason.QUIET,
                at.isoformat(),
                f"{shown:%H:%M %d/%m/%Y} nằm trong giờ yên lặng ({hours}); sớm nhất là"
                f" {earliest:%H:%M %d/%m/%Y}",
                f"{shown:%H:%M on %d/%m/%Y} is inside the quiet hours ({hours}); the earliest is"
                f" {earliest:%H:%M on %d/%m/%Y}",
                when=allowed,
            )
        return at
    if is_quiet(now, window, zone):
        return next_allowed(now, window, zone)
    return None
