"""Who gets a broadcast: an `Audience` resolved against the tree, the campaigns and the members.

Sync functions over a `sqlite3.Connection`, so the whole selection runs in one snapshot on a
worker thread (`Database.snapshot`); the SQL is in storage/broadcast_reads.py. Every name that
does not resolve (unit, level, role, campaign, form) is refused with a sentence naming it.
"""

from __future__ import annotations

import sqlite3

from bot.admin import merged_unit, several_units, unknown_unit
from bot.broadcasts.model import Audience, BroadcastRefused, Reason, Selection
from storage import broadcast_reads as reads
from storage.broadcast_reads import FormFacts, Recipient
from storage.models import Role, Unit
from storage.reads import UnitRow

ROLES = tuple(role.value for role in Role)


def recipients(conn: sqlite3.Connection, audience: Audience) -> list[Recipient]:
    """The members `audience` reaches, each once, in tree order; BroadcastRefused for a name
    that does not resolve."""
    return select(conn, audience).recipients


def select(
    conn: sqlite3.Connection, audience: Audience, inside: Unit | UnitRow | None = None
) -> Selection:
    """Resolve `audience` (names in any case) and read its recipients, each member once; with
    `inside` (the admin's own unit), a unit outside that subtree is refused."""
    named = [_unit(conn, code) for code in audience.unit_codes]
    for unit in named:
        if inside is not None and not within(inside, unit):
            raise BroadcastRefused(
                Reason.OUTSIDE,
                unit.code,
                f"đơn vị {unit.code} ({unit.name}) không thuộc {inside.name}",
                f"unit {unit.code} ({unit.name}) is not under {inside.code}",
            )
    level = _level(conn, audience.level) if audience.level is not None else None
    role = _role(audience.role) if audience.role is not None else None
    subtrees = outermost(named)
    roots, missing = [unit.path for unit in subtrees], None
    if audience.missing is not None:
        form = _form(conn, *audience.missing)
        roots = [_inside_scope(unit, form) for unit in subtrees]
        if level is not None and level != form.level:
            raise BroadcastRefused(
                Reason.LEVEL,
                level,
                f"mẫu {form.form_id} do các đơn vị cấp {form.level} gửi, không phải cấp {level}",
                f"form {form.form_id} is submitted by level {form.level}, not {level}",
            )
        level, missing = form.level, (form.campaign_code, form.form_id)
    # Subtrees that do not overlap hold different members: each is read once, in tree order.
    people = [
        person
        for root in _outermost_paths(roots)
        for person in reads.members(conn, root_path=root, level=level, role=role, missing=missing)
    ]
    # As asked, in canonical spelling: the form's level is implied by `missing`, not asked.
    asked_level = level if audience.level is not None else None
    first, *more = [unit.code for unit in subtrees]
    resolved = Audience(first, level=asked_level, role=role, missing=missing, also=tuple(more))
    return Selection(resolved, _common_ancestor(conn, subtrees), people, tuple(subtrees))


def outermost(units: list[UnitRow]) -> list[UnitRow]:
    """The units not below another of them, once each, in tree order ("the ward and KP-01"
    is the ward)."""
    kept: list[UnitRow] = []
    for unit in sorted(units, key=lambda u: u.path):
        if not kept or not unit.path.startswith(kept[-1].path):
            kept.append(unit)
    return kept


def _outermost_paths(paths: list[str]) -> list[str]:
    """The subtree paths not inside another of them (two units above a campaign's scope both
    narrow to the scope itself)."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return kept


def _common_ancestor(conn: sqlite3.Connection, units: list[UnitRow]) -> UnitRow:
    """The nearest unit at or above every one of `units` (the one unit itself when alone)."""
    if len(units) == 1:
        return units[0]
    split = [unit.path.strip("/").split("/") for unit in units]
    shared: list[str] = []
    for codes in zip(*split, strict=False):
        if len(set(codes)) != 1:
            break
        shared.append(codes[0])
    found = reads.unit_by_code(conn, shared[-1]) if shared else None
    if found is None:  # two roots: no unit holds both; the first stands for them
        return units[0]
    return found


def within(outer: Unit | UnitRow, inner: Unit | UnitRow) -> bool:
    """True when `inner` is `outer` or lies below it (an admin reaches only their subtree)."""
    return inner.path.startswith(outer.path)


def parse_missing(text: str) -> tuple[str, str]:
    """Read 'CAMPAIGN/FORM' (spaces around either part ignored); BroadcastRefused otherwise."""
    campaign, slash, form = text.partition("/")
    if not slash or not campaign.strip() or not form.strip() or "/" in form:
        raise BroadcastRefused(
            Reason.MISSING,
            text,
            f"{text!r}: cần dạng ĐỢT/MẪU, ví dụ dai-hoi-mttq-2024/dang-ky",
            f"{text!r}: expected CAMPAIGN/FORM, e.g. dai-hoi-mttq-2024/dang-ky",
        )
    return campaign.strip(), form.strip()


def _unit(conn: sqlite3.Connection, typed: str) -> UnitRow:
    """The unit typed, found as admin.find_unit finds it (exact code first, then any case),
    refused in its words."""
    code = typed.strip()
    exact = reads.unit_by_code(conn, code) if code else None
    matches = [exact] if exact else reads.units_nocase(conn, code) if code else []
    if len(matches) > 1:
        codes = [u.code for u in matches]
        raise BroadcastRefused(Reason.UNIT, typed, *several_units(typed, codes))
    if not matches:
        raise BroadcastRefused(Reason.UNIT, typed, *unknown_unit(typed))
    into = reads.merged_into(conn, matches[0].code)
    if into is not None:  # its people are in the unit it was merged into now
        raise BroadcastRefused(Reason.UNIT, matches[0].code, *merged_unit(matches[0].code, into))
    return matches[0]


def _level(conn: sqlite3.Connection, typed: str) -> str:
    """A level some unit has (level ids are lower case)."""
    level = typed.strip().lower()
    if level and reads.has_level(conn, level):
        return level
    known = ", ".join(reads.levels(conn))
    raise BroadcastRefused(
        Reason.LEVEL,
        typed,
        f"không có cấp {typed!r} (các cấp: {known})",
        f"unknown level {typed!r} (levels: {known})",
    )


def _role(typed: str) -> str:
    role = typed.strip().lower()
    if role in ROLES:
        return role
    known = ", ".join(ROLES)
    raise BroadcastRefused(
        Reason.ROLE,
        typed,
        f"không có vai trò {typed!r} (các vai trò: {known})",
        f"unknown role {typed!r} (roles: {known})",
    )


def _form(conn: sqlite3.Connection, campaign_typed: str, form_typed: str) -> FormFacts:
    """The form of `--missing CAMPAIGN/FORM` (either in any case, the exact spelling first)."""
    campaigns = reads.campaign_matches(conn, campaign_typed.strip())
    if not campaigns:
        raise BroadcastRefused(
            Reason.CAMPAIGN,
            campaign_typed,
            f"không có đợt thi đua mã {campaign_typed!r} (xem thidua campaign list)",
            f"unknown campaign {campaign_typed!r} (see thidua campaign list)",
        )
    forms = reads.form_matches(conn, campaigns[0], form_typed.strip())
    if not forms:
        raise BroadcastRefused(
            Reason.FORM,
            form_typed,
            f"đợt thi đua {campaigns[0]} không có mẫu {form_typed!r} (xem thidua campaign list)",
            f"campaign {campaigns[0]} has no form {form_typed!r} (see thidua campaign list)",
        )
    return forms[0]


def _inside_scope(unit: UnitRow, form: FormFacts) -> str:
    """The path of the part of `unit`'s subtree that the form's campaign covers: units outside
    its scope were never asked for the form, so they cannot be missing it."""
    if unit.path.startswith(form.scope_path):
        return unit.path
    if form.scope_path.startswith(unit.path):
        return form.scope_path
    raise BroadcastRefused(
        Reason.SCOPE,
        form.campaign_code,
        f"đợt thi đua {form.campaign_code} không áp dụng cho đơn vị {unit.code}",
        f"campaign {form.campaign_code} does not cover unit {unit.code}",
    )
