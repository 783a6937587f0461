"""The submission rules, in one place: when a form takes answers, when they are late or refused,
whether something sent may still be changed, what counts as already sent, and whether a unit
has submitted. The form conversation and trangthai use them now; reminders and digests next.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.campaigns.model import Form, Late
from bot.forms.catalogue import Slot
from bot.forms.deadlines import Window, days_left, window
from storage.models import Submission


def window_of(slot: Slot, now: datetime, zone: ZoneInfo) -> Window:
    """The form's window at `now`: opened yet, days late, refused."""
    return window(slot.opens_on, slot.form.due_on, slot.form.late is Late.REFUSE, now, zone)


class Opening(StrEnum):
    """Whether a new submission can be started now."""

    NOT_OPEN = "not_open"  # before the form opens
    CLOSED = "closed"  # past the deadline of a form that refuses late answers
    OPEN = "open"  # on time, or late where late answers are allowed (and marked)


def opening(slot: Slot, now: datetime, zone: ZoneInfo) -> Opening:
    """Whether the form takes a new submission now."""
    state = window_of(slot, now, zone)
    if not state.opened:
        return Opening.NOT_OPEN
    return Opening.CLOSED if state.refused else Opening.OPEN


def late_days(slot: Slot, now: datetime, zone: ZoneInfo) -> int:
    """Days past the deadline a submission made now is marked with (0 = on time)."""
    return window_of(slot, now, zone).late


def may_amend(slot: Slot, now: datetime, zone: ZoneInfo) -> bool:
    """Something sent may be changed until the end of the due day, never after."""
    return window_of(slot, now, zone).late == 0


def already_sent(form: Form, sent: list[Submission], work: int | None = None) -> Submission | None:
    """What was already sent where the form takes one submission (per work, for updates)."""
    if form.multiple:
        return None
    return next((item for item in sent if item.work_id == work), None)


def has_submitted(sent: list[Submission]) -> bool:
    """A unit has submitted a form once it has one submitted entry (one work, for registrations)."""
    return bool(sent)


class Standing(StrEnum):
    """Where a form not yet sent stands against its deadline."""

    DAYS_LEFT = "left"
    TODAY = "today"
    OVERDUE = "overdue"  # late answers still taken
    CLOSED = "closed"  # late answers refused


@dataclass(frozen=True)
class Due:
    """A form's standing and the number of days it is about."""

    standing: Standing
    days: int


def due(slot: Slot, now: datetime, zone: ZoneInfo) -> Due:
    """How a form stands against its deadline at `now`."""
    left = days_left(slot.form.due_on, now, zone)
    if left > 0:
        return Due(Standing.DAYS_LEFT, left)
    if left == 0:
        return Due(Standing.TODAY, 0)
    if slot.form.late is Late.REFUSE:
        return Due(Standing.CLOSED, -left)
    return Due(Standing.OVERDUE, -left)
