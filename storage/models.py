"""Pydantic models the repositories return."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Role(StrEnum):
    """What a member may do: representative of one unit, secretary or admin of a subtree."""

    REP = "rep"
    SECRETARY = "secretary"
    ADMIN = "admin"


class Unit(BaseModel):
    """One unit of the organisation tree."""

    model_config = ConfigDict(frozen=True)

    code: str
    name: str
    level: str
    parent_code: str | None = None
    path: str = ""
    depth: int = 0
    # The unit it was merged into (`thidua units merge`): kept as history, out of the live tree.
    merged_into: str | None = None

    def contains(self, other: Unit) -> bool:
        """True when `other` is this unit or below it."""
        return other.path.startswith(self.path)

    def is_above(self, other: Unit) -> bool:
        """True when `other` is strictly below this unit."""
        return other.path != self.path and other.path.startswith(self.path)


class Member(BaseModel):
    """A person on one channel, bound to one unit with one role."""

    model_config = ConfigDict(frozen=True)

    id: int
    channel: str
    user_id: str
    chat_id: str
    display_name: str = ""
    unit_code: str
    role: Role
    enrolled_at: datetime
    reachable: bool = True


class Invite(BaseModel):
    """A single-use invite code (only its hash is stored)."""

    model_config = ConfigDict(frozen=True)

    id: int
    code_hash: str
    unit_code: str
    role: Role
    created_at: datetime
    expires_at: datetime
    created_by: int | None = None
    used_at: datetime | None = None
    used_by: int | None = None


class Conversation(BaseModel):
    """Where a chat stands: which flow, which step, and the flow's working data."""

    flow: str = ""
    step: str = ""
    data: dict[str, Any] = Field(default_factory=dict)

    @property
    def idle(self) -> bool:
        """True when nothing is in progress."""
        return not self.flow

    def reset(self) -> None:
        """Go back to the calm state."""
        self.flow, self.step, self.data = "", "", {}

    def start(self, flow: str, step: str, data: dict[str, Any] | None = None) -> None:
        """Enter `flow` at `step`."""
        self.flow, self.step, self.data = flow, step, dict(data or {})


class Attempts(BaseModel):
    """Wrong invite codes from one chat, and until when it is locked out."""

    failures: int = 0
    locked_until: datetime | None = None


class Submission(BaseModel):
    """A unit's submitted form (a work, for registrations), with its current answers."""

    id: int
    campaign_code: str
    form_id: str
    unit_code: str
    work_id: int | None = None
    version: int
    first_submitted_at: datetime
    last_submitted_at: datetime
    late_days: int = 0
    answers: dict[str, Any] = Field(default_factory=dict)


class SubmissionVersion(BaseModel):
    """One version of a submission: who sent which answers when."""

    submission_id: int
    version: int
    answers: dict[str, Any]
    member_id: int | None
    submitted_at: datetime
    late_days: int = 0


class Draft(BaseModel):
    """Unfinished answers of one member for one form (or one amendment)."""

    id: int
    member_id: int
    draft_key: str
    state: dict[str, Any]
    updated_at: datetime


class StoredCampaign(BaseModel):
    """A loaded campaign: its JSON definition and bookkeeping."""

    code: str
    title: str
    scope: str
    definition: dict[str, Any]
    revision: int
    loaded_at: datetime


# --- outbox ---


class OutboxKind(StrEnum):
    """Why a proactive message exists."""

    REMINDER = "reminder"
    DIGEST = "digest"
    BROADCAST = "broadcast"


class OutboxState(StrEnum):
    """Where an outbox row stands; only `pending` rows are ever sent."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # gave up: refused, or still failing after the last retry
    UNREACHABLE = "unreachable"  # the person blocked the bot or the chat is gone
    CANCELLED = "cancelled"


class OutboxMessage(BaseModel):
    """One pending outbox row as the sender claims it."""

    model_config = ConfigDict(frozen=True)

    id: int
    channel: str
    chat_id: str
    member_id: int | None
    kind: OutboxKind
    ref: str
    payload: str  # the Outbound as JSON
    not_before: datetime
    attempts: int
    # False when the row's member is known to be unreachable (it is then not tried at all).
    reachable: bool = True


# --- broadcasts ---


class Broadcast(BaseModel):
    """An admin's announcement: who sent what to which audience, and when it starts."""

    model_config = ConfigDict(frozen=True)

    id: int
    unit_code: str
    # {"level": id or None, "role": rep|secretary|admin or None, "missing": "CAMPAIGN/FORM" or None,
    #  and "units": [codes] when it went to several subtrees (`unit_code` is then their ancestor)}
    audience: dict[str, str | list[str] | None]
    text: str  # as the admin wrote it
    payload: str  # the Outbound JSON every recipient gets (header line, text, photo)
    photo_ref: str | None = None
    created_by: int | None = None  # None: the command line
    created_at: datetime
    scheduled_at: datetime | None = None  # None: at once
    recipients: int
    cancelled_at: datetime | None = None
    done_reported_at: datetime | None = None
