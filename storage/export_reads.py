"""The reads of an export (Excel list, Word report), run on a worker thread (Database.snapshot).

Plain sync functions over a `sqlite3.Connection`, like storage/reads.py: a subtree is the path
range `path >= root AND path < root || U+FFFF`. Answers come back as their stored JSON text; the
caller decodes them row by row while writing, so a national export never holds them all twice.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import NamedTuple

from storage.reads import PATH_END


class StoredCampaign(NamedTuple):
    """A loaded campaign's code, scope and validated definition (JSON text)."""

    code: str
    scope: str
    definition: str


class SubmissionRow(NamedTuple):
    """One submission in its current version, with where its unit sits."""

    submission_id: int
    unit_code: str
    unit_name: str
    unit_path: str
    parent_name: str | None
    work_id: int | None
    version: int
    first_at: str  # storage time text (UTC)
    last_at: str  # when the current version was sent
    late_days: int  # of the first submission
    answers: str  # JSON: question id -> stored value


class MissingUnit(NamedTuple):
    """A unit expected to send the form that has sent nothing, with its parent."""

    code: str
    name: str
    parent_code: str | None
    parent_name: str | None


def campaign(conn: sqlite3.Connection, typed: str) -> StoredCampaign | None:
    """Return the campaign with this code (exactly, else ignoring case), or None."""
    rows = conn.execute("SELECT code, scope, definition FROM campaigns ORDER BY code").fetchall()
    code = typed.strip()
    found = next((r for r in rows if r[0] == code), None) or next(
        (r for r in rows if str(r[0]).casefold() == code.casefold()), None
    )
    return None if found is None else StoredCampaign(str(found[0]), str(found[1]), str(found[2]))


def submissions(
    conn: sqlite3.Connection, *, campaign_code: str, form_id: str, root_path: str
) -> Iterator[SubmissionRow]:
    """Yield the form's submissions under `root_path` in their current version, in tree order
    (then in the order they were first sent)."""
    cursor = conn.execute(
        "SELECT s.id, u.code, u.name, u.path, p.name, s.work_id, s.current_version,"
        " s.first_submitted_at, v.submitted_at, s.late_days, v.answers"
        " FROM units AS u"
        " JOIN submissions AS s"
        "   ON s.campaign_code = ? AND s.form_id = ? AND s.unit_code = u.code"
        " JOIN submission_versions AS v"
        "   ON v.submission_id = s.id AND v.version = s.current_version"
        " LEFT JOIN units AS p ON p.code = u.parent_code"
        " WHERE u.path >= ? AND u.path < ?"
        " ORDER BY u.path, s.first_submitted_at, s.id",
        (campaign_code, form_id, root_path, root_path + PATH_END),
    )
    for r in cursor:
        yield SubmissionRow(
            int(r[0]),
            str(r[1]),
            str(r[2]),
            str(r[3]),
            None if r[4] is None else str(r[4]),
            None if r[5] is None else int(r[5]),
            int(r[6]),
            str(r[7]),
            str(r[8]),
            int(r[9] or 0),
            str(r[10]),
        )


def expected_count(conn: sqlite3.Connection, *, level: str, root_path: str) -> int:
    """Return how many units of `level` lie under `root_path` (those expected to send)."""
    row = conn.execute(
        "SELECT count(*) FROM units WHERE path >= ? AND path < ? AND level = ?",
        (root_path, root_path + PATH_END, level),
    ).fetchone()
    return int(row[0])


def missing_units(
    conn: sqlite3.Connection, *, campaign_code: str, form_id: str, level: str, root_path: str
) -> list[MissingUnit]:
    """Return the units of `level` under `root_path` that sent nothing of the form, in tree
    order, each with its parent."""
    rows = conn.execute(
        "SELECT u.code, u.name, u.parent_code, p.name FROM units AS u"
        " LEFT JOIN units AS p ON p.code = u.parent_code"
        " WHERE u.path >= ? AND u.path < ? AND u.level = ?"
        " AND NOT EXISTS (SELECT 1 FROM submissions AS s"
        "   WHERE s.campaign_code = ? AND s.form_id = ? AND s.unit_code = u.code)"
        " ORDER BY u.path",
        (root_path, root_path + PATH_END, level, campaign_code, form_id),
    ).fetchall()
    return [
        MissingUnit(str(r[0]), str(r[1]), None if r[2] is None else str(r[2]), r[3]) for r in rows
    ]
