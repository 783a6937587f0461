"""Deadlines in the configured time zone: a form is due at the end of its `due_on` day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo


def local_day(now: datetime, zone: ZoneInfo) -> date:
    """Return the calendar day `now` falls on where the ward is."""
    return now.astimezone(zone).date()


def late_days(due_on: date, now: datetime, zone: ZoneInfo) -> int:
    """Days after the due day (0 while on time, 1 the day after the deadline, …)."""
    return max(0, (local_day(now, zone) - due_on).days)


def days_left(due_on: date, now: datetime, zone: ZoneInfo) -> int:
    """Days until the due day (0 on the day itself, negative once past)."""
    return (due_on - local_day(now, zone)).days


@dataclass(frozen=True)
class Window:
    """Whether a form takes submissions today."""

    opened: bool
    late: int  # days past due (0 = on time)
    refused: bool  # past due and the form says late = "refuse"


def window(
    opens_on: date, due_on: date, refuse_late: bool, now: datetime, zone: ZoneInfo
) -> Window:
    """Return the form's window as seen at `now`."""
    today = local_day(now, zone)
    late = late_days(due_on, now, zone)
    return Window(opened=today >= opens_on, late=late, refused=late > 0 and refuse_late)
