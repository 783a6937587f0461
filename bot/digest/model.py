"""What a digest says, as data: per campaign, per form, who submitted, is late, is missing.

`Digest.as_json` is the shape of `thidua digest --json` (spec/interface.md §1.1): its keys may
grow, never be renamed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class UnitRef:
    """A unit named in a digest, with the group (the unit just below the root) it falls in."""

    code: str
    name: str
    group: str | None = None  # None: the unit is the digest's root or directly below it


@dataclass(frozen=True)
class LateUnit:
    """A unit whose first submission came after the deadline, and by how many days."""

    unit: UnitRef
    days: int


@dataclass(frozen=True)
class Group:
    """The counts of one unit just below the root, for digests too big to name every unit."""

    code: str
    name: str
    level: str
    expected: int
    submitted: int
    late: int

    @property
    def missing(self) -> int:
        """Units of the group that have sent nothing."""
        return self.expected - self.submitted


@dataclass(frozen=True)
class Counted:
    """A form's counts read as sums in SQL (a big subtree's digest names no unit one by one)."""

    submitted: int
    late: int
    missing: int
    new: int
    amended: int


@dataclass(frozen=True)
class FormDigest:
    """One form across the subtree."""

    id: str
    title: str
    kind: str  # registration | report | update
    level: str
    multiple: bool
    opens_on: date
    due_on: date
    refuses_late: bool
    expected: int
    submitted_units: tuple[UnitRef, ...]
    late_units: tuple[LateUnit, ...]
    missing_units: tuple[UnitRef, ...]
    entries: int  # submissions in all (works, for a registration)
    # By the units just below the root, worst first; empty when the units sit right below it.
    groups: tuple[Group, ...] = ()
    new_units: tuple[UnitRef, ...] = ()  # first submission at or after `since`
    new_entries: int = 0  # submissions first sent at or after `since`
    amended_units: tuple[UnitRef, ...] = ()  # changed since, among units that were not new
    # Set for a digest counted in SQL: the unit tuples then hold only the names it shows.
    counted: Counted | None = None

    @property
    def submitted(self) -> int:
        """Units with at least one submission."""
        return self.counted.submitted if self.counted else len(self.submitted_units)

    @property
    def late(self) -> int:
        """Submitted units whose first submission was late."""
        return self.counted.late if self.counted else len(self.late_units)

    @property
    def missing(self) -> int:
        """Expected units that have sent nothing."""
        return self.counted.missing if self.counted else len(self.missing_units)

    @property
    def new(self) -> int:
        """Units whose first submission came since the last digest."""
        return self.counted.new if self.counted else len(self.new_units)

    @property
    def amended(self) -> int:
        """Units, not new, that changed something they sent since the last digest."""
        return self.counted.amended if self.counted else len(self.amended_units)


@dataclass(frozen=True)
class AreaShare:
    """The award criterion of the plans: lowest-level units with at least one work."""

    level: str
    total: int
    with_work: int


@dataclass(frozen=True)
class CampaignDigest:
    """One campaign across the part of the subtree it covers."""

    code: str
    title: str
    starts_on: date
    ends_on: date
    scope: str
    root_code: str  # the digest's unit, or the campaign's scope where that lies below it
    root_name: str
    forms: tuple[FormDigest, ...]
    areas: AreaShare | None = None  # None: the campaign has no registration form


@dataclass(frozen=True)
class Digest:
    """Everything a secretary's digest says, at one moment."""

    unit_code: str
    unit_name: str
    unit_level: str
    at: datetime
    since: datetime | None
    campaigns: tuple[CampaignDigest, ...]

    def as_json(self, zone: ZoneInfo) -> dict[str, Any]:
        """The §1.1 object of `thidua digest --json` (plus a few keys of our own)."""
        return {
            "unit": self.unit_code,
            "at": self.at.astimezone(zone).isoformat(timespec="seconds"),
            "since": self.since.astimezone(zone).isoformat(timespec="seconds")
            if self.since
            else None,
            "campaigns": [
                _campaign_json(c, self.at.astimezone(zone).date()) for c in self.campaigns
            ],
        }


def _campaign_json(campaign: CampaignDigest, today: date) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "code": campaign.code,
        "title": campaign.title,
        "scope": campaign.scope,
        "forms": [_form_json(form, today) for form in campaign.forms],
    }
    if campaign.areas is not None:
        payload["areas"] = {
            "level": campaign.areas.level,
            "total": campaign.areas.total,
            "with_work": campaign.areas.with_work,
        }
    return payload


def _form_json(form: FormDigest, today: date) -> dict[str, Any]:
    return {
        "id": form.id,
        "title": form.title,
        "kind": form.kind,
        "due_on": form.due_on.isoformat(),
        "expected": form.expected,
        "submitted": form.submitted,
        "late": form.late,
        "missing": form.missing,
        "submitted_units": [unit.code for unit in form.submitted_units],
        "late_units": [late.unit.code for late in form.late_units],
        "missing_units": [unit.code for unit in form.missing_units],
        # Our additions (the spec allows keys to be added, never renamed).
        "level": form.level,
        "opens_on": form.opens_on.isoformat(),
        "days_left": (form.due_on - today).days,
        "entries": form.entries,
        "new_units": [unit.code for unit in form.new_units],
        "amended_units": [unit.code for unit in form.amended_units],
    }
