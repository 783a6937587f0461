"""What an export covers, read in one snapshot on a worker thread (`Database.snapshot`).

`read_export` reads the summary (the form, the subtree, the counts, the units that have not
sent); `entries` then streams the submissions from the same snapshot, a page of them at a time
(storage/export_reads.PAGE), so a national export of 100,000 works never holds a list of them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.admin import Refused
from bot.campaigns.model import STORED_DEFINITION, Campaign, Form, FormKind
from bot.forms.catalogue import work_title
from storage import export_reads
from storage.export_reads import MissingUnit
from storage.reads import UnitRow, unit
from storage.timefmt import parse_ts


@dataclass(frozen=True)
class Entry:
    """One submission (one work, for a `multiple` form) in its current version."""

    unit_code: str
    unit_name: str
    unit_path: str
    parent_name: str | None
    submission_id: int
    work_id: int | None
    version: int
    first_at: datetime  # UTC
    last_at: datetime
    late_days: int
    answers: dict[str, Any]
    work_name: str = ""  # update forms: the name of the work it is about

    @property
    def note(self) -> str:
        """'Gửi muộn 2 ngày; Đã sửa 1 lần', or ''."""
        parts = []
        if self.late_days > 0:
            parts.append(f"Gửi muộn {self.late_days} ngày")
        if self.version > 1:
            parts.append(f"Đã sửa {self.version - 1} lần")
        return "; ".join(parts)


@dataclass(frozen=True)
class Export:
    """One form of one campaign over one subtree: its counts and its missing units."""

    campaign: Campaign
    form: Form
    root: UnitRow  # where the subtree starts (the campaign's scope unless a unit was asked)
    expected: int  # units of the form's level in the subtree
    rows: int = 0  # submissions (one per work for a `multiple` form)
    submitted: int = 0  # units that have sent at least one submission
    late: int = 0  # units whose first submission came after the deadline (as the digest counts)
    missing: list[MissingUnit] = field(default_factory=list)

    @property
    def is_registration(self) -> bool:
        """True for a registration form (its file is the registration list)."""
        return self.form.kind == FormKind.REGISTRATION

    @property
    def about(self) -> Form | None:
        """The registration form an update form is about, else None."""
        if self.form.about is None:
            return None
        return next((f for f in self.campaign.forms if f.id == self.form.about), None)


def _refused(vi: str, en: str) -> Refused:
    return Refused([f"{vi} / {en}"])


def read_export(
    conn: sqlite3.Connection, *, campaign_code: str, form_id: str, unit_code: str | None
) -> Export:
    """Read the summary of an export of this form; Refused naming an unknown campaign, form
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
    where = {"campaign_code": stored.code, "form_id": form.id, "root_path": root.path}
    counted = export_reads.tally(conn, **where)
    missing = export_reads.missing_units(conn, level=form.level, **where)
    expected = export_reads.expected_count(conn, level=form.level, root_path=root.path)
    return Export(
        parsed, form, root, expected, counted.submissions, counted.units, counted.late_units,
        missing,
    )  # fmt: skip


def entries(conn: sqlite3.Connection, export: Export) -> Iterator[Entry]:
    """Yield the export's submissions in tree order, one at a time, in the same snapshot."""
    about = export.about
    for row in export_reads.submissions(
        conn,
        campaign_code=export.campaign.campaign.code,
        form_id=export.form.id,
        root_path=export.root.path,
    ):
        work = ""
        if about is not None and row.work_answers is not None:
            work = work_title(row.work_answers, about)
        yield Entry(
            row.unit_code,
            row.unit_name,
            row.unit_path,
            row.parent_name,
            row.submission_id,
            row.work_id,
            row.version,
            parse_ts(row.first_at),
            parse_ts(row.last_at),
            row.late_days,
            row.answers,
            work,
        )
