"""What a broadcast is made of: its audience, its preview, its status, and why one is refused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from bot.admin import Refused
from storage.broadcast_reads import Recipient
from storage.reads import UnitRow


@dataclass(frozen=True)
class Audience:
    """Who gets a broadcast: the enrolled members of `unit_code`'s subtree (the unit included)
    and of the subtrees of `also`, narrowed by the level of their unit, by role, and/or to the
    units of a form's level that have not submitted it (`missing` = (campaign, form)). Spelled
    as typed until resolved."""

    unit_code: str
    level: str | None = None
    role: str | None = None
    missing: tuple[str, str] | None = None
    also: tuple[str, ...] = ()  # more subtrees: "KP-01 and KP-03"

    @property
    def unit_codes(self) -> tuple[str, ...]:
        """Every subtree named, the first one first."""
        return (self.unit_code, *self.also)

    def as_json(self) -> dict[str, str | list[str] | None]:
        """The `broadcasts.audience` column: {"level", "role", "missing": "CAMPAIGN/FORM"}, and
        "units": [...] when it names several subtrees (the row's unit is then their ancestor)."""
        missing = "/".join(self.missing) if self.missing is not None else None
        found: dict[str, str | list[str] | None] = {
            "level": self.level,
            "role": self.role,
            "missing": missing,
        }
        if self.also:
            found["units"] = list(self.unit_codes)
        return found


class Reason(StrEnum):
    """Why a broadcast was refused: the chat flow words its own sentence from this."""

    UNIT = "unit"  # no unit with that code (or several differing only in case)
    OUTSIDE = "outside"  # the unit is not in the admin's subtree
    LEVEL = "level"  # no such level, or it cannot go with the form's level
    ROLE = "role"
    MISSING = "missing"  # --missing is not CAMPAIGN/FORM
    CAMPAIGN = "campaign"
    FORM = "form"
    SCOPE = "scope"  # the campaign does not cover the unit's subtree
    TEXT = "text"  # empty, a control character, too long
    AT = "at"  # a start time that cannot be read
    QUIET = "quiet"  # a start time inside the quiet hours (`when`: the next allowed time)
    NOBODY = "nobody"  # the audience is empty: nothing to queue
    UNKNOWN = "unknown"  # no broadcast with that id


class BroadcastRefused(Refused):
    """A broadcast refused: one line 'Vietnamese / English', plus `reason` and `subject` (what
    was named) for a chat to say it its own way, and `when` for a time inside quiet hours."""

    def __init__(
        self, reason: Reason, subject: str, vi: str, en: str, when: datetime | None = None
    ) -> None:
        super().__init__([f"{vi} / {en}"])
        self.reason, self.subject, self.vi, self.en, self.when = reason, subject, vi, en, when

    def __reduce__(self) -> tuple[Any, ...]:
        # Refused comes back whole from another process; so must this.
        return (BroadcastRefused, (self.reason, self.subject, self.vi, self.en, self.when))


@dataclass(frozen=True)
class Selection:
    """An audience resolved: its canonical spelling, its unit (the nearest unit above or at
    every subtree it names), the subtrees themselves, and who it reaches now."""

    audience: Audience
    unit: UnitRow
    recipients: list[Recipient]
    units: tuple[UnitRow, ...] = ()  # the subtrees, outermost only, in tree order


@dataclass(frozen=True)
class Preview:
    """What a broadcast would do: how many people get it, per channel, how long at the
    `[outbox]` pace, when it starts (None: at once), and who (`people`: each member once, in
    tree order)."""

    recipients: int
    channels: dict[str, int]
    seconds: float
    starts_at: datetime | None
    unit: UnitRow
    audience: Audience
    people: list[Recipient]
    units: tuple[UnitRow, ...] = ()  # the subtrees it goes to, when more than `unit`'s one

    @property
    def unreachable(self) -> int:
        """How many of them are already known to have blocked the bot (they are not tried)."""
        return sum(1 for person in self.people if not person.reachable)

    def as_json(self, zone: ZoneInfo, broadcast_id: int | None = None) -> dict[str, Any]:
        """The spec's object (§1.2): id (None for a preview), recipients, channels, scheduled_at."""
        return {
            "id": broadcast_id,
            "recipients": self.recipients,
            "channels": dict(self.channels),
            "scheduled_at": _iso(self.starts_at, zone),
        }


@dataclass(frozen=True)
class Queued:
    """A broadcast written: its id and the preview it was queued with."""

    id: int
    preview: Preview


class State(StrEnum):
    """Where a broadcast stands."""

    SCHEDULED = "scheduled"  # nothing sent yet, and its start is still to come
    SENDING = "sending"
    DONE = "done"  # nothing pending any more
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Status:
    """A broadcast's delivery counts, from its outbox rows (`cancelled`: stopped, not sent)."""

    id: int
    state: State
    recipients: int
    sent: int
    failed: int
    unreachable: int
    pending: int
    cancelled: int = 0
    scheduled_at: datetime | None = None
    cancelled_at: datetime | None = None

    @property
    def ended(self) -> int:
        """Recipients whose message was tried to the end: sent, failed or unreachable."""
        return self.sent + self.failed + self.unreachable

    @property
    def missed(self) -> int:
        """Recipients it did not reach: failed, unreachable, or stopped before their turn."""
        return self.failed + self.unreachable + self.cancelled

    def as_json(self) -> dict[str, Any]:
        """The spec's object (§1.2): id, state, recipients, sent, failed, unreachable, pending."""
        return {
            "id": self.id,
            "state": self.state.value,
            "recipients": self.recipients,
            "sent": self.sent,
            "failed": self.failed,
            "unreachable": self.unreachable,
            "pending": self.pending,
        }


def _iso(moment: datetime | None, zone: ZoneInfo) -> str | None:
    return moment.astimezone(zone).isoformat(timespec="seconds") if moment is not None else None
