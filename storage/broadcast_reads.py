"""The reads of a broadcast (who gets it, who was not reached), on a worker thread's connection.

Plain sync functions over a `sqlite3.Connection`, run by `Database.snapshot`. A subtree is the
path range `path >= root AND path < root || U+FFFF` (storage/reads.py); a national audience is
about 50,000 rows, so they come back as named tuples, not pydantic models.
"""

from __future__ import annotations

import sqlite3
from typing import NamedTuple

from storage.reads import PATH_END, UNIT_COLUMNS, UnitRow, unit_row
from storage.reads import unit as unit_by_code

__all__ = [
    "FormFacts",
    "NotReached",
    "Recipient",
    "campaign_matches",
    "form_matches",
    "has_level",
    "levels",
    "members",
    "merged_into",
    "not_reached",
    "unit_by_code",
    "units_nocase",
]


class Recipient(NamedTuple):
    """One enrolled member who gets a broadcast."""

    member_id: int
    channel: str
    chat_id: str
    unit_code: str
    unit_name: str
    display_name: str
    reachable: bool  # False: they blocked the bot or their chat is gone (known so far)


class FormFacts(NamedTuple):
    """A form as an audience needs it: which campaign, which form, which level submits it."""

    campaign_code: str
    form_id: str
    level: str
    scope_path: str  # the campaign's scope: units outside it were never asked for the form


class NotReached(NamedTuple):
    """One recipient a broadcast did not reach, for the report."""

    member_id: int
    unit_code: str
    unit_name: str
    display_name: str
    channel: str
    state: str  # failed | unreachable | cancelled | pending


def units_nocase(conn: sqlite3.Connection, typed: str) -> list[UnitRow]:
    """The units whose code is `typed` in any case (one, unless an old import made two)."""
    rows = conn.execute(
        f"SELECT {UNIT_COLUMNS} FROM units WHERE code = ? COLLATE NOCASE ORDER BY code", (typed,)
    ).fetchall()
    return [unit_row(row) for row in rows]


def merged_into(conn: sqlite3.Connection, code: str) -> str | None:
    """The unit `code` was merged into (`thidua units merge`), or None for a live unit."""
    row = conn.execute("SELECT merged_into FROM units WHERE code = ?", (code,)).fetchone()
    return str(row[0]) if row is not None and row[0] is not None else None


def has_level(conn: sqlite3.Connection, level: str) -> bool:
    """True when some unit is of this level (one probe of `units_level_path`)."""
    return (
        conn.execute("SELECT 1 FROM units WHERE level = ? LIMIT 1", (level,)).fetchone() is not None
    )


def levels(conn: sqlite3.Connection) -> list[str]:
    """The levels the tree's units have (for a sentence naming them)."""
    return [str(r[0]) for r in conn.execute("SELECT DISTINCT level FROM units ORDER BY level")]


def campaign_matches(conn: sqlite3.Connection, typed: str) -> list[str]:
    """The codes of the campaigns called `typed` in any case, the exact spelling first."""
    rows = conn.execute(
        "SELECT code FROM campaigns WHERE code = ? COLLATE NOCASE ORDER BY code <> ?, code",
        (typed, typed),
    ).fetchall()
    return [str(r[0]) for r in rows]


def form_matches(conn: sqlite3.Connection, campaign_code: str, typed: str) -> list[FormFacts]:
    """The forms of a campaign called `typed` in any case, the exact spelling first."""
    rows = conn.execute(
        "SELECT f.form_id, f.level, u.path FROM forms AS f"
        " JOIN campaigns AS c ON c.code = f.campaign_code JOIN units AS u ON u.code = c.scope"
        " WHERE f.campaign_code = ? AND f.form_id = ? COLLATE NOCASE"
        " ORDER BY f.form_id <> ?, f.form_id",
        (campaign_code, typed, typed),
    ).fetchall()
    return [FormFacts(campaign_code, str(r[0]), str(r[1]), str(r[2])) for r in rows]


def members(
    conn: sqlite3.Connection,
    *,
    root_path: str,
    level: str | None = None,
    role: str | None = None,
    missing: tuple[str, str] | None = None,
) -> list[Recipient]:
    """The members enrolled in the subtree at `root_path` (its root included), in tree order:
    only in units of `level`, only of `role`, only in units without a submission of `missing`
    (campaign, form) — each given one narrows. One query: the subtree's units on the path
    index (or `units_level_path`), their members on `members_unit`, the submissions probed on
    `submissions_form_unit`."""
    where = ["u.path >= ?", "u.path < ?"]
    params: list[object] = [root_path, root_path + PATH_END]
    if level is not None:
        where.append("u.level = ?")
        params.append(level)
    if role is not None:
        where.append("m.role = ?")
        params.append(role)
    if missing is not None:
        where.append(
            "NOT EXISTS (SELECT 1 FROM submissions AS s"
            " WHERE s.campaign_code = ? AND s.form_id = ? AND s.unit_code = u.code)"
        )
        params.extend(missing)
    rows = conn.execute(
        "SELECT m.id, m.channel, m.chat_id, u.code, u.name, m.display_name, m.reachable"
        " FROM units AS u JOIN members AS m ON m.unit_code = u.code"
        f" WHERE {' AND '.join(where)} ORDER BY u.path, m.id",
        params,
    ).fetchall()
    return [
        Recipient(int(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]), str(r[5]), bool(r[6]))
        for r in rows
    ]


def not_reached(conn: sqlite3.Connection, ref: str) -> list[NotReached]:
    """The recipients of a broadcast (outbox ref) whose row is anything but sent, in tree order
    of the unit each member belongs to now."""
    rows = conn.execute(
        "SELECT m.id, u.code, u.name, m.display_name, o.channel, o.state FROM outbox AS o"
        " JOIN members AS m ON m.id = o.member_id JOIN units AS u ON u.code = m.unit_code"
        " WHERE o.kind = 'broadcast' AND o.ref = ? AND o.state <> 'sent'"
        " ORDER BY u.path, m.id",
        (ref,),
    ).fetchall()
    return [
        NotReached(int(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]), str(r[5])) for r in rows
    ]
