"""The long reads of the reminder tick, run on a worker thread (`Database.snapshot`)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from storage.reads import LIVE


@dataclass(frozen=True)
class Recipient:
    """A representative of a unit that has not submitted a form nor been reminded for it."""

    unit_code: str
    unit_name: str
    member_id: int
    channel: str
    chat_id: str


def unreminded(
    conn: sqlite3.Connection,
    *,
    campaign_code: str,
    form_id: str,
    scope_code: str,
    level: str,
    offset_text: str,
    due_on: str,
) -> list[Recipient]:
    """The reachable representatives of the units of `level` under `scope_code` that have no
    submission of the form and no reminder (form, unit, offset, deadline) yet — one query."""
    row = conn.execute("SELECT path FROM units WHERE code = ?", (scope_code,)).fetchone()
    if row is None:
        return []
    path = str(row[0])
    rows = conn.execute(
        "SELECT u.code, u.name, m.id, m.channel, m.chat_id"
        " FROM units AS u"
        " JOIN members AS m ON m.unit_code = u.code AND m.role = 'rep' AND m.reachable = 1"
        f" WHERE u.level = ? AND u.path >= ? AND u.path < ? AND u.{LIVE}"
        " AND NOT EXISTS (SELECT 1 FROM submissions AS s WHERE s.campaign_code = ?"
        "   AND s.form_id = ? AND s.unit_code = u.code)"
        " AND NOT EXISTS (SELECT 1 FROM reminders_sent AS r WHERE r.campaign_code = ?"
        "   AND r.form_id = ? AND r.unit_code = u.code AND r.offset_text = ? AND r.due_on = ?)"
        " ORDER BY u.path, m.id",
        (
            level,
            path,
            path + "\uffff",
            campaign_code,
            form_id,
            campaign_code,
            form_id,
            offset_text,
            due_on,
        ),
    ).fetchall()
    return [Recipient(str(r[0]), str(r[1]), int(r[2]), str(r[3]), str(r[4])) for r in rows]


def recently_reminded(
    conn: sqlite3.Connection,
    *,
    campaign_code: str,
    form_id: str,
    due_on: str,
    since: str,
    units: list[str],
) -> set[str]:
    """The units among `units` that were reminded of this deadline since `since`."""
    if not units:
        return set()
    found: set[str] = set()
    for start in range(0, len(units), 500):  # SQLite's parameter limit
        chunk = units[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            "SELECT DISTINCT unit_code FROM reminders_sent WHERE campaign_code = ? AND form_id = ?"
            f" AND due_on = ? AND planned_at >= ? AND unit_code IN ({marks})",
            (campaign_code, form_id, due_on, since, *chunk),
        ).fetchall()
        found.update(str(row[0]) for row in rows)
    return found
