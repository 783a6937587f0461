"""What an export holds, read in one snapshot on a worker thread (`Database.snapshot`)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.admin import Refused
from bot.campaigns.model import STORED_DEFINITION, Campaign, Form, FormKind
from storage import export_reads
from storage.export_reads import MissingUnit
from storage.reads import UnitRow, unit
from storage.timefmt import parse_ts


@dataclass(frozen=True)
class Entry:
    """One submission (one work, for a `multiple` form) in its current version."""

    unit_code: str
    unit_name: str
    parent_name: str | None
    submission_id: int
    work_id: int | None
    version: int
    first_at: datetime  # UTC
    last_at: datetime
    late_days: int
    answers: dict[str, Any]


@dataclass(frozen=True)
class Export:
    """One form of one campaign over one subtree: its submissions and its missing units."""

    campaign: Campaign
    form: Form
    root: UnitRow  # where the subtree starts (the campaign's scope unless a unit was asked)
    expected: int  # units of the form's level in the subtree
    entries: list[Entry] = field(default_factory=list)
    missing: list[MissingUnit] = field(default_factory=list)

    @property
    def submitted(self) -> int:
        """Units that have sent at least one submission."""
        return len({entry.unit_code for entry in self.entries})

    @property
    def late(self) -> int:
        """Units whose first submission came after the deadline (as the digest counts them)."""
        first: dict[str, Entry] = {}
        for entry in self.entries:
            seen = first.get(entry.unit_code)
            if seen is None or entry.first_at < seen.first_at:
                first[entry.unit_code] = entry
        return sum(1 for entry in first.values() if entry.late_days > 0)

    @property
    def is_registration(self) -> bool:
        """True for a registration form (its file is the registration list)."""
        return self.form.kind == FormKind.REGISTRATION


def _refused(vi: str, en: str) -> Refused:
    return Refused([f"{vi} / {en}"])


def read_export(
    conn: sqlite3.Connection, *, campaign_code: str, form_id: str, unit_code: str | None
) -> Export:
    """Read everything an export of this form needs; Refused naming an unknown campaign, form
    or unit, or a unit the campaign does not cover."""
    stored = export_reads.campaign(conn, campaign_code)
    if stored is None:
        raise _refused(
            f"không có đợt thi đua mã {campaign_code!r} (xem thidua campaign list)",
            f"unknown campaign {campaign_code!r} (see thidua campaign list)",
        )
    parsed = Campaign.model_validate(
        json.loads(stored.definition), context={STORED_DEFINITION: True}
    )
    typed = form_id.strip()
    form = next((f for f in parsed.forms if f.id == typed), None) or next(
        (f for f in parsed.forms if f.id.casefold() == typed.casefold()), None
    )
    if form is None:
        ids = ", ".join(f.id for f in parsed.forms)
        raise _refused(
            f"đợt thi đua {stored.code} không có mẫu {form_id!r} (có: {ids})",
            f"campaign {stored.code} has no form {form_id!r} (it has: {ids})",
        )
    scope = unit(conn, stored.scope)
    if scope is None:  # the tree lost the scope unit since the campaign was loaded
        raise _refused(
            f"không có đơn vị phạm vi {stored.scope} của đợt thi đua {stored.code}",
            f"the scope unit {stored.scope} of campaign {stored.code} is not in the tree",
        )
    root = scope
    if unit_code is not None:
        asked = unit(conn, unit_code)
        if asked is None:
            raise _refused(f"không có đơn vị mã {unit_code!r}", f"unknown unit {unit_code!r}")
        if asked.path.startswith(scope.path):
            root = asked  # a unit inside the scope: its subtree only
        elif not scope.path.startswith(asked.path):
            raise _refused(
                f"đợt thi đua {stored.code} không áp dụng cho đơn vị {asked.code} (phạm vi"
                f" {stored.scope})",
                f"campaign {stored.code} does not cover unit {asked.code} (its scope is"
                f" {stored.scope})",
            )
    entries = [
        Entry(
            row.unit_code,
            row.unit_name,
            row.parent_name,
            row.submission_id,
            row.work_id,
            row.version,
            parse_ts(row.first_at),
            parse_ts(row.last_at),
            row.late_days,
            json.loads(row.answers),
        )
        for row in export_reads.submissions(
            conn, campaign_code=stored.code, form_id=form.id, root_path=root.path
        )
    ]
    missing = export_reads.missing_units(
        conn, campaign_code=stored.code, form_id=form.id, level=form.level, root_path=root.path
    )
    expected = export_reads.expected_count(conn, level=form.level, root_path=root.path)
    return Export(parsed, form, root, expected, entries, missing)
