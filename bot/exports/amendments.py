"""What each amendment changed: one row per changed question per version step (v1→v2, v2→v3).

Read in the export's snapshot from `submission_versions` (storage/export_reads.amendments), one
step at a time: only the submissions that were amended are read, and nothing is kept.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.campaigns.model import Question
from bot.exports.registration import unit_label
from bot.exports.rows import Export
from bot.forms.catalogue import work_title
from storage import export_reads
from storage.timefmt import parse_ts


@dataclass(frozen=True)
class Change:
    """One question whose answer an amendment changed."""

    unit_label: str  # the unit's name (and its parent's, as in the registration list)
    title: str  # the work's name, or the submission's first text answer
    question: Question
    before: Any  # None: not answered in the earlier version
    after: Any
    member_name: str  # who sent the new version ("" when unknown)
    at: datetime  # UTC, when the new version was sent
    version: int  # the new version


def changes(conn: sqlite3.Connection, export: Export) -> Iterator[Change]:
    """Yield the export's amendments in tree order, then in the order they were sent."""
    about = export.about
    for step in export_reads.amendments(
        conn,
        campaign_code=export.campaign.campaign.code,
        form_id=export.form.id,
        root_path=export.root.path,
    ):
        before, after = json.loads(step.before), json.loads(step.after)
        # An update is known by its work's name; a registration or report by its own answer.
        if about is not None and step.work_answers is not None:
            title = work_title(json.loads(step.work_answers), about)
        else:
            title = work_title(json.loads(step.current), export.form)
        at = parse_ts(step.submitted_at)
        unit = unit_label(step.unit_name, step.unit_path, step.parent_name, export.root.path)
        for question in export.form.questions:
            old, new = before.get(question.id), after.get(question.id)
            if old != new:
                yield Change(
                    unit, title, question, old, new, step.member_name or "", at,
                    step.version,
                )  # fmt: skip
