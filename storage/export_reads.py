"""The reads of an export (Excel list, Word report), run on a worker thread (Database.snapshot).

Plain sync functions over a `sqlite3.Connection`, like storage/reads.py: a subtree is the path
range `path >= root AND path < root || U+FFFF`. Submissions and amendments are yielded from the
cursor with their answers as stored JSON text: the caller decodes and writes them row by row, so a
national export of 100,000 works never holds them all (the writer runs inside the snapshot).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from typing import Any, NamedTuple

from storage.reads import LIVE, PATH_END


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
    answers: dict[str, Any]  # question id -> stored value
    work_answers: dict[str, Any] | None  # the work's current answers (update forms), else None


class Tally(NamedTuple):
    """How much of a form a subtree has sent: submissions, units, late units."""

    submissions: int
    units: int  # units with at least one submission
    late_units: int  # units whose earliest submission was late


class VersionStep(NamedTuple):
    """One amendment: a version of a submission next to the version before it."""

    unit_code: str
    unit_name: str
    unit_path: str
    parent_name: str | None
    submission_id: int
    version: int  # the new version (2 or more)
    submitted_at: str  # storage time text (UTC) of the new version
    member_name: str | None  # display name of who sent the new version
    before: str  # JSON answers of version - 1
    after: str  # JSON answers of this version
    current: str  # JSON answers of the submission's current version (its name today)
    work_answers: str | None  # JSON of the work's current version (update forms), else None


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


# Rows fetched at a time, for the amendments.
BATCH = 500
# Submissions read per page (one statement, one row of JSON).
PAGE = 500


def _batched(cursor: sqlite3.Cursor) -> Iterator[Any]:
    """The cursor's rows, fetched BATCH at a time."""
    while rows := cursor.fetchmany(BATCH):
        yield from rows


# The current version of the work an update is about (NULL for other submissions).
_WORK_JOIN = (
    " LEFT JOIN submissions AS w ON w.id = s.work_id"
    " LEFT JOIN submission_versions AS wv"
    "   ON wv.submission_id = w.id AND wv.version = w.current_version"
)
# One page of submissions after a (path, first sent, id) key, as one JSON array. sqlite3 lets go
# of the GIL for every row it steps to: a writer taking rows between its cells let go every few
# microseconds, and then Python never forces a switch to the event loop (it does so only after
# 5 ms without one), so the bot stalled for whole seconds. A page is one step (the GIL let go
# once, for all of its rows) and its answers arrive already decoded.
_PAGE_SQL = (
    "SELECT json_group_array(json_array(path, first_at, id, code, name, parent, work_id,"
    " version, last_at, late, json(answers), json(work_answers))) FROM ("
    " SELECT s.id AS id, u.code AS code, u.name AS name, u.path AS path, p.name AS parent,"
    " s.work_id AS work_id, s.current_version AS version, s.first_submitted_at AS first_at,"
    " v.submitted_at AS last_at, s.late_days AS late, v.answers AS answers,"
    " wv.answers AS work_answers"
    # CROSS JOIN keeps the units (on the path index, from the page's first path) outside: each
    # page reads its own rows, not the whole form again.
    " FROM units AS u"
    " CROSS JOIN submissions AS s"
    "   ON s.campaign_code = ? AND s.form_id = ? AND s.unit_code = u.code"
    " JOIN submission_versions AS v"
    "   ON v.submission_id = s.id AND v.version = s.current_version"
    " LEFT JOIN units AS p ON p.code = u.parent_code"
    + _WORK_JOIN
    + " WHERE u.path >= ? AND u.path < ?"
    "   AND (u.path, s.first_submitted_at, s.id) > (?, ?, ?)"
    " ORDER BY u.path, s.first_submitted_at, s.id LIMIT ?)"
)


def submissions(
    conn: sqlite3.Connection, *, campaign_code: str, form_id: str, root_path: str
) -> Iterator[SubmissionRow]:
    """Yield the form's submissions under `root_path` in their current version, in tree order
    (then in the order they were first sent), read PAGE at a time in the caller's snapshot."""
    key: tuple[str, str, int] = (root_path, "", 0)  # before every row of the subtree
    while True:
        (page,) = conn.execute(
            _PAGE_SQL,
            (campaign_code, form_id, key[0], root_path + PATH_END, *key, PAGE),
        ).fetchone()
        rows = json.loads(page)
        if not rows:
            return
        rows.sort(key=lambda r: (r[0], r[1], r[2]))  # an aggregate's order is not promised
        for r in rows:
            yield SubmissionRow(
                r[2], r[3], r[4], r[0], r[5], r[6], r[7], r[1], r[8], r[9] or 0, r[10], r[11]
            )
        key = (rows[-1][0], rows[-1][1], rows[-1][2])


def tally(conn: sqlite3.Connection, *, campaign_code: str, form_id: str, root_path: str) -> Tally:
    """Count the form's submissions under `root_path`, the units that sent, and those whose
    earliest submission was late (as the digest counts them)."""
    # `late_days` is a bare column beside the only min(): SQLite takes it from the row with the
    # earliest submission of each unit (storage/reads.form_tallies counts the same way).
    row = conn.execute(
        "SELECT coalesce(sum(n), 0), count(*), coalesce(sum(late > 0), 0) FROM ("
        " SELECT count(*) AS n, min(s.first_submitted_at), s.late_days AS late"
        " FROM units AS u"
        " JOIN submissions AS s"
        "   ON s.campaign_code = ? AND s.form_id = ? AND s.unit_code = u.code"
        " WHERE u.path >= ? AND u.path < ?"
        " GROUP BY u.code)",
        (campaign_code, form_id, root_path, root_path + PATH_END),
    ).fetchone()
    return Tally(int(row[0]), int(row[1]), int(row[2]))


def amendments(
    conn: sqlite3.Connection, *, campaign_code: str, form_id: str, root_path: str
) -> Iterator[VersionStep]:
    """Yield every amendment of the form's submissions under `root_path` (each version after
    the first, beside the one before it), in tree order, then in the order they were sent."""
    cursor = conn.execute(
        "SELECT u.code, u.name, u.path, p.name, s.id, v.version, v.submitted_at, m.display_name,"
        " b.answers, v.answers, c.answers, wv.answers"
        " FROM units AS u"
        " JOIN submissions AS s"
        "   ON s.campaign_code = ? AND s.form_id = ? AND s.unit_code = u.code"
        "   AND s.current_version > 1"
        " JOIN submission_versions AS v ON v.submission_id = s.id AND v.version > 1"
        " JOIN submission_versions AS b"
        "   ON b.submission_id = s.id AND b.version = v.version - 1"
        " JOIN submission_versions AS c"
        "   ON c.submission_id = s.id AND c.version = s.current_version"
        " LEFT JOIN members AS m ON m.id = v.member_id"
        " LEFT JOIN units AS p ON p.code = u.parent_code"
        + _WORK_JOIN
        + " WHERE u.path >= ? AND u.path < ?"
        " ORDER BY u.path, v.submitted_at, s.id, v.version",
        (campaign_code, form_id, root_path, root_path + PATH_END),
    )
    for r in _batched(cursor):
        yield VersionStep(
            str(r[0]),
            str(r[1]),
            str(r[2]),
            None if r[3] is None else str(r[3]),
            int(r[4]),
            int(r[5]),
            str(r[6]),
            None if r[7] is None else str(r[7]),
            str(r[8]),
            str(r[9]),
            str(r[10]),
            None if r[11] is None else str(r[11]),
        )


def expected_count(conn: sqlite3.Connection, *, level: str, root_path: str) -> int:
    """Return how many units of `level` lie under `root_path` (those expected to send)."""
    row = conn.execute(
        f"SELECT count(*) FROM units WHERE path >= ? AND path < ? AND level = ? AND {LIVE}",
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
        f" WHERE u.path >= ? AND u.path < ? AND u.level = ? AND u.{LIVE}"
        " AND NOT EXISTS (SELECT 1 FROM submissions AS s"
        "   WHERE s.campaign_code = ? AND s.form_id = ? AND s.unit_code = u.code)"
        " ORDER BY u.path",
        (root_path, root_path + PATH_END, level, campaign_code, form_id),
    ).fetchall()
    return [
        MissingUnit(str(r[0]), str(r[1]), None if r[2] is None else str(r[2]), r[3]) for r in rows
    ]
