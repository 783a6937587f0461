"""Digest building as a pure function of the rows read: no database, no clock, any tree depth.

For a unit X and a campaign whose scope holds X (or lies below it), the digest covers the
deeper of the two (the "root"). Per form: the expected units are those of the form's level
under the root; a unit has submitted once it has one submission (one work, for a registration
with several); it is late when its first submission was; missing = expected − submitted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.digest.model import (
    AreaShare,
    CampaignDigest,
    Counted,
    Digest,
    FormDigest,
    Group,
    LateUnit,
    UnitRef,
)
from storage.reads import CampaignRow, FormRow, GroupTally, UnitRow, UnitTally
from storage.timefmt import ts


@dataclass(frozen=True)
class CampaignFacts:
    """What was read for one campaign: where it applies, its forms' tallies, the area counts."""

    campaign: CampaignRow
    root: UnitRow
    children: Sequence[UnitRow]  # the units directly below the root: the groups of a big digest
    forms: Sequence[tuple[FormRow, Sequence[UnitTally]]]
    areas: AreaShare | None = None
    # Counted in SQL instead (a big subtree): the forms' digests, already built.
    counted: Sequence[FormDigest] | None = None


def is_open(campaign: CampaignRow, today: date) -> bool:
    """True while the campaign runs (today between its first and last day)."""
    return date.fromisoformat(campaign.starts_on) <= today <= date.fromisoformat(campaign.ends_on)


def root_of(unit: UnitRow, scope: UnitRow) -> UnitRow:
    """The subtree a campaign's digest covers: the unit's, or the scope's where that is below."""
    return scope if scope.path.startswith(unit.path) else unit


def group_of(tally: UnitTally | UnitRow, root: UnitRow) -> str | None:
    """The code of the unit directly below `root` that holds this one (None: it is that unit)."""
    if tally.depth <= root.depth + 1:
        return None
    # "/T/X/KP/": segment 1 is depth 0, so the root's child sits at segment root.depth + 2.
    return tally.path.split("/")[root.depth + 2]


def form_digest(
    form: FormRow,
    tallies: Iterable[UnitTally],
    root: UnitRow,
    children: Sequence[UnitRow],
    since: datetime | None,
) -> FormDigest:
    """Count one form across the subtree from its per-unit tallies (tree order kept)."""
    after = ts(since) if since is not None else None
    submitted: list[UnitRef] = []
    late: list[LateUnit] = []
    missing: list[UnitRef] = []
    new: list[UnitRef] = []
    amended: list[UnitRef] = []
    entries = new_entries = 0
    by_group: dict[str, list[int]] = {}  # group code -> [expected, submitted, late]
    deep = False
    for tally in tallies:
        group = group_of(tally, root)
        deep = deep or group is not None
        ref = UnitRef(tally.code, tally.name, group)
        counts = by_group.setdefault(group or tally.code, [0, 0, 0])
        counts[0] += 1
        if tally.first_at is None:
            missing.append(ref)
            continue
        counts[1] += 1
        submitted.append(ref)
        entries += tally.entries
        new_entries += tally.new_entries
        if tally.late_days > 0:
            late.append(LateUnit(ref, tally.late_days))
            counts[2] += 1
        if after is not None and tally.first_at >= after:
            new.append(ref)
        elif tally.amended:
            amended.append(ref)
    return FormDigest(
        **_about(form),
        expected=len(submitted) + len(missing),
        submitted_units=tuple(submitted),
        late_units=tuple(late),
        missing_units=tuple(missing),
        entries=entries,
        groups=_groups(by_group, children) if deep else (),
        new_units=tuple(new),
        new_entries=new_entries,
        amended_units=tuple(amended),
    )


def _about(form: FormRow) -> dict[str, Any]:
    """What a form digest says of the form itself, whichever way its units were counted."""
    return {
        "id": form.form_id,
        "title": form.title,
        "kind": form.kind,
        "level": form.level,
        "multiple": form.multiple,
        "opens_on": date.fromisoformat(form.opens_on),
        "due_on": date.fromisoformat(form.due_on),
        "refuses_late": form.late == "refuse",
    }


def form_summary(
    form: FormRow,
    groups: Sequence[GroupTally],
    root: UnitRow,
    children: Sequence[UnitRow],
    missing: Sequence[UnitTally],
    late: Sequence[UnitTally],
) -> FormDigest:
    """One form of a big subtree from its sums per group; only the few names it shows, if any."""
    by_group = {group.group: [group.expected, group.submitted, group.late] for group in groups}
    deep = any(group.depth > root.depth + 1 for group in groups)
    return FormDigest(
        **_about(form),
        expected=sum(group.expected for group in groups),
        submitted_units=(),
        late_units=tuple(
            LateUnit(UnitRef(t.code, t.name, group_of(t, root)), t.late_days) for t in late
        ),
        missing_units=tuple(UnitRef(t.code, t.name, group_of(t, root)) for t in missing),
        entries=sum(group.entries for group in groups),
        groups=_groups(by_group, children) if deep else (),
        new_entries=sum(group.new_entries for group in groups),
        counted=Counted(
            submitted=sum(group.submitted for group in groups),
            late=sum(group.late for group in groups),
            missing=sum(group.expected - group.submitted for group in groups),
            new=sum(group.new for group in groups),
            amended=sum(group.amended for group in groups),
        ),
    )


def _groups(by_group: dict[str, list[int]], children: Sequence[UnitRow]) -> tuple[Group, ...]:
    """The groups, worst first: the lowest share submitted, then the most missing, then by name."""
    known = {child.code: child for child in children}
    groups = [
        Group(
            code=code,
            name=known[code].name if code in known else code,
            level=known[code].level if code in known else "",
            expected=expected,
            submitted=sent,
            late=late,
        )
        for code, (expected, sent, late) in by_group.items()
    ]
    groups.sort(key=lambda g: (g.submitted / g.expected, -g.missing, g.name, g.code))
    return tuple(groups)


def build(
    unit: UnitRow, at: datetime, since: datetime | None, facts: Iterable[CampaignFacts]
) -> Digest:
    """The digest of `unit` at `at` from what was read for each campaign."""
    campaigns = tuple(
        CampaignDigest(
            code=item.campaign.code,
            title=item.campaign.title,
            starts_on=date.fromisoformat(item.campaign.starts_on),
            ends_on=date.fromisoformat(item.campaign.ends_on),
            scope=item.campaign.scope.code,
            root_code=item.root.code,
            root_name=item.root.name,
            forms=tuple(item.counted)
            if item.counted is not None
            else tuple(
                form_digest(form, tallies, item.root, item.children, since)
                for form, tallies in item.forms
            ),
            areas=item.areas,
        )
        for item in facts
    )
    return Digest(
        unit_code=unit.code,
        unit_name=unit.name,
        unit_level=unit.level,
        at=at,
        since=since,
        campaigns=campaigns,
    )
