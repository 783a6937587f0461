"""Quiet hours: no proactive message arrives between, say, 21:00 and 07:00 local time."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo


def is_quiet(moment: datetime, window: tuple[time, time] | None, zone: ZoneInfo) -> bool:
    """True when `moment` falls inside the window (which may run over midnight)."""
    if window is None:
        return False
    start, end = window
    local = moment.astimezone(zone).time()
    if start <= end:
        return start <= local < end
    return local >= start or local < end


def next_allowed(moment: datetime, window: tuple[time, time] | None, zone: ZoneInfo) -> datetime:
    """`moment` itself, or the end of the quiet hours it falls in."""
    if not is_quiet(moment, window, zone):
        return moment
    assert window is not None
    local = moment.astimezone(zone)
    opening = datetime.combine(local.date(), window[1], tzinfo=zone)
    if opening <= local:
        opening += timedelta(days=1)
    return opening
