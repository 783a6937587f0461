"""Invite codes: short, unambiguous on a phone keypad, stored only as a hash, single-use."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from storage.models import Attempts, Invite, Member, Role, Unit
from storage.repos import Repos

# No 0/O, 1/I/L: nothing a person could misread from a screen or a phone call.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
DEFAULT_EXPIRY = timedelta(days=7)


def new_code() -> str:
    """Return a fresh random code of CODE_LENGTH characters from ALPHABET."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """Upper-case and drop spaces and dashes, so 'k7mp-q3rx' reads as 'K7MPQ3RX'."""
    return re.sub(r"[\s\-_.]", "", text).upper()


def looks_like_code(text: str) -> bool:
    """True when the text is shaped like an invite code (an attempt, right or wrong)."""
    candidate = normalise_code(text)
    return len(candidate) == CODE_LENGTH and candidate.isascii() and candidate.isalnum()


def hash_code(code: str) -> str:
    """Return the stored form of a code."""
    return hashlib.sha256(normalise_code(code).encode("ascii", "replace")).hexdigest()


def parse_duration(text: str) -> timedelta:
    """Read '7d', '12h', '30m' or '2w'; raise ValueError otherwise."""
    match = re.fullmatch(r"\s*(\d{1,5})\s*([wdhm])\s*", text.lower())
    if not match:
        raise ValueError(text)
    amount, unit = int(match.group(1)), match.group(2)
    delta = {
        "w": timedelta(weeks=amount),
        "d": timedelta(days=amount),
        "h": timedelta(hours=amount),
        "m": timedelta(minutes=amount),
    }[unit]
    if delta <= timedelta(0):
        raise ValueError(text)
    return delta


@dataclass(frozen=True)
class CreatedInvite:
    """A new invite and its plain code (shown once, never stored)."""

    code: str
    invite: Invite


async def create_invite(
    repos: Repos,
    *,
    unit: Unit,
    role: Role,
    now: datetime,
    expires_in: timedelta = DEFAULT_EXPIRY,
    created_by: Member | None = None,
) -> CreatedInvite:
    """Create and store a single-use invite for `unit` with `role`."""
    code = new_code()
    invite = await repos.invites.create(
        code_hash=hash_code(code),
        unit_code=unit.code,
        role=role,
        now=now,
        expires_at=now + expires_in,
        created_by=created_by.id if created_by else None,
    )
    return CreatedInvite(code, invite)


class Redemption(StrEnum):
    """How an attempt to use a code ended."""

    OK = "ok"
    WRONG = "wrong"
    EXPIRED = "expired"
    USED = "used"
    LOCKED = "locked"


@dataclass(frozen=True)
class RedeemResult:
    """The outcome of an attempt, with what the reply needs."""

    outcome: Redemption
    member: Member | None = None
    unit: Unit | None = None
    invite: Invite | None = None
    tries_left: int = 0
    locked_until: datetime | None = None
    was_member: bool = False


async def redeem(
    repos: Repos,
    *,
    code: str,
    channel: str,
    user_id: str,
    chat_id: str,
    display_name: str,
    now: datetime,
) -> RedeemResult:
    """Try a code from one chat: throttle, check, enrol, and count failures."""
    attempts = await repos.attempts.get(channel, chat_id)
    if attempts.locked_until and attempts.locked_until > now:
        return RedeemResult(Redemption.LOCKED, locked_until=attempts.locked_until)
    invite = await repos.invites.by_hash(hash_code(code))
    if invite is None:
        return await _count_failure(repos, channel, chat_id, attempts, now)
    if invite.used_at is not None:
        return RedeemResult(Redemption.USED, invite=invite)
    if invite.expires_at <= now:
        return RedeemResult(Redemption.EXPIRED, invite=invite)
    unit = await repos.units.get(invite.unit_code)
    # A code made for a unit that was merged since (`thidua units merge`) enrols into the unit
    # it was merged into; a merge moves unused codes itself, this catches one made mid-merge.
    # No loop: a unit is only ever merged into a live one, so the chain ends.
    while unit is not None and unit.merged_into is not None:
        unit = await repos.units.get(unit.merged_into)
    if unit is None:  # the unit was removed after the invite was made
        return RedeemResult(Redemption.EXPIRED, invite=invite)
    was_member = await repos.members.find(channel, user_id) is not None
    member = await repos.members.enrol(
        channel=channel,
        user_id=user_id,
        chat_id=chat_id,
        display_name=display_name,
        unit_code=unit.code,
        role=invite.role,
        now=now,
    )
    if not await repos.invites.mark_used(invite.id, member.id, now):
        raise RuntimeError("invite used concurrently")  # rolls the enrolment back
    await repos.attempts.clear(channel, chat_id)
    return RedeemResult(
        Redemption.OK, member=member, unit=unit, invite=invite, was_member=was_member
    )


async def _count_failure(
    repos: Repos, channel: str, chat_id: str, attempts: Attempts, now: datetime
) -> RedeemResult:
    failures = attempts.failures + 1
    if failures >= MAX_FAILURES:
        locked = Attempts(failures=0, locked_until=now + LOCKOUT)
        await repos.attempts.save(channel, chat_id, locked)
        return RedeemResult(Redemption.LOCKED, locked_until=locked.locked_until)
    await repos.attempts.save(channel, chat_id, Attempts(failures=failures))
    return RedeemResult(Redemption.WRONG, tries_left=MAX_FAILURES - failures)
