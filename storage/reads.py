"""The long reads of digests, run on a worker thread with its own connection (Database.snapshot).

Plain sync functions over a `sqlite3.Connection`, each one set-based query. A subtree is the
path range `path >= root AND path < root || U+FFFF` on the `units_path` index. Rows come back as
named tuples rather than pydantic models: a national digest reads about 100,000 of them, and
validating each would cost more than the query.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

# Above every character a unit code may hold: "/X/" ≤ every path under it < "/X/" + this.
PATH_END = "\uffff"
# The live tree: a merged unit (`thidua units merge`) stays as history, expected by no form.
LIVE = "merged_into IS NULL"


class UnitRow(NamedTuple):
    """One unit of the tree."""

    code: str
    name: str
    level: str
    parent_code: str | None
    path: str
    depth: int


class CampaignRow(NamedTuple):
    """A loaded campaign with where its scope sits in the tree."""

    code: str
    title: str
    starts_on: str  # ISO date
    ends_on: str
    scope: UnitRow


class FormRow(NamedTuple):
    """The SQL-queryable facts of one form (spec: who submits it, when it is due)."""

    form_id: str
    title: str
    kind: str
    level: str
    multiple: bool
    opens_on: str  # ISO date
    due_on: str
    late: str  # "allow" | "refuse"


class UnitTally(NamedTuple):
    """What one expected unit has sent of one form."""

    code: str
    name: str
    path: str
    depth: int
    first_at: str | None  # its earliest submission (storage time text), None = nothing sent
    late_days: int  # of that earliest submission
    entries: int  # submissions (works, for a registration)
    new_entries: int  # submissions first sent at or after `since`
    amended: bool  # a submission of it changed (version > 1) at or after `since`


class MemberFacts(NamedTuple):
    """Who a chat's sender is, for a digest: their role, unit and last digest."""

    member_id: int
    role: str
    unit_code: str
    last_digest_at: str | None


UNIT_COLUMNS = "code, name, level, parent_code, path, depth"


def unit_row(row: Sequence[Any]) -> UnitRow:
    """A unit read in the order of UNIT_COLUMNS."""
    return UnitRow(
        str(row[0]),
        str(row[1]),
        str(row[2]),
        None if row[3] is None else str(row[3]),
        str(row[4]),
        int(row[5]),
    )


def unit(conn: sqlite3.Connection, code: str) -> UnitRow | None:
    """Return the unit with this code, or None."""
    row = conn.execute(f"SELECT {UNIT_COLUMNS} FROM units WHERE code = ?", (code,)).fetchone()
    return unit_row(row) if row else None


def children(conn: sqlite3.Connection, code: str) -> list[UnitRow]:
    """Return the units directly below `code` (the groups of a big digest), in tree order."""
    rows = conn.execute(
        f"SELECT {UNIT_COLUMNS} FROM units WHERE parent_code = ? AND {LIVE} ORDER BY path", (code,)
    ).fetchall()
    return [unit_row(row) for row in rows]


def campaigns_touching(conn: sqlite3.Connection, path: str) -> list[CampaignRow]:
    """Return the campaigns whose scope holds the unit at `path`, or lies below it."""
    # Campaigns are few (tens); the tree test is done on their scope paths, by prefix.
    rows = conn.execute(
        "SELECT c.code, c.title, c.starts_on, c.ends_on, "
        + ", ".join(f"u.{column.strip()}" for column in UNIT_COLUMNS.split(","))
        + " FROM campaigns AS c JOIN units AS u ON u.code = c.scope"
        " ORDER BY c.starts_on, c.code"
    ).fetchall()
    found: list[CampaignRow] = []
    for row in rows:
        scope = unit_row(row[4:])
        if path.startswith(scope.path) or scope.path.startswith(path):
            found.append(CampaignRow(str(row[0]), str(row[1]), str(row[2]), str(row[3]), scope))
    return found


def forms_of(conn: sqlite3.Connection, campaign_code: str) -> list[FormRow]:
    """Return a campaign's forms in file order."""
    rows = conn.execute(
        "SELECT form_id, title, kind, level, multiple, opens_on, due_on, late FROM forms"
        " WHERE campaign_code = ? ORDER BY position",
        (campaign_code,),
    ).fetchall()
    return [
        FormRow(
            str(r[0]), str(r[1]), str(r[2]), str(r[3]), bool(r[4]), str(r[5]), str(r[6]), str(r[7])
        )
        for r in rows
    ]


def form_tallies(
    conn: sqlite3.Connection,
    *,
    campaign_code: str,
    form_id: str,
    level: str,
    root_path: str,
    since: str | None,
) -> list[UnitTally]:
    """Every unit of `level` under `root_path` with what it has sent of the form, in tree order.

    One pass: the subtree's units on the path index, each joined to its submissions through
    `submissions_form_unit`. The LEFT JOIN keeps the units that sent nothing (the missing ones)
    and makes the units the outer loop, so a commune's digest never scans a national form.
    `late_days` is a bare column next to the only min()/max(): SQLite takes it from the row with
    the earliest submission (so no other min() or max() may join this query).
    """
    # No `since`: a time after every stored one, so nothing counts as new.
    after = since if since is not None else "9999"
    rows = conn.execute(
        "SELECT u.code, u.name, u.path, u.depth, min(s.first_submitted_at), s.late_days,"
        " count(s.id), coalesce(sum(s.first_submitted_at >= ?), 0),"
        " coalesce(sum(EXISTS (SELECT 1 FROM submission_versions AS v"
        "   WHERE v.submission_id = s.id AND v.version > 1 AND v.submitted_at >= ?)), 0)"
        " FROM units AS u"
        " LEFT JOIN submissions AS s"
        "   ON s.campaign_code = ? AND s.form_id = ? AND s.unit_code = u.code"
        f" WHERE u.path >= ? AND u.path < ? AND u.level = ? AND u.{LIVE}"
        " GROUP BY u.path ORDER BY u.path",
        (after, after, campaign_code, form_id, root_path, root_path + PATH_END, level),
    ).fetchall()
    return [_tally(r) for r in rows]


def _tally(r: Sequence[Any]) -> UnitTally:
    """A row of (code, name, path, depth, first, late, entries, new_entries, changed)."""
    first = None if r[4] is None else str(r[4])
    return UnitTally(
        str(r[0]), str(r[1]), str(r[2]), int(r[3]), first, int(r[5] or 0), int(r[6]),
        int(r[7]), bool(r[8]),
    )  # fmt: skip


class GroupTally(NamedTuple):
    """One form's sums over the expected units below one child of the root."""

    group: str  # the child's code (the unit's own code when it is the child)
    expected: int
    submitted: int
    late: int
    entries: int
    new_entries: int
    new: int
    amended: int
    depth: int  # the deepest of its units (deeper than the child: the digest groups by child)


# One row per expected unit, as in form_tallies, for the sums per group to add up.
_PER_UNIT = (
    "SELECT substr(u.path, ?, instr(substr(u.path, ?), '/') - 1) AS grp, u.depth AS depth,"
    " min(s.first_submitted_at) AS first, s.late_days AS late, count(s.id) AS entries,"
    " coalesce(sum(s.first_submitted_at >= ?), 0) AS new_entries,"
    " coalesce(sum(EXISTS (SELECT 1 FROM submission_versions AS v"
    "   WHERE v.submission_id = s.id AND v.version > 1 AND v.submitted_at >= ?)), 0) AS changed"
    " FROM units AS u"
    " LEFT JOIN submissions AS s"
    "   ON s.campaign_code = ? AND s.form_id = ? AND s.unit_code = u.code"
    f" WHERE u.path >= ? AND u.path < ? AND u.level = ? AND u.{LIVE}"
    " GROUP BY u.path"
)


def form_group_tallies(
    conn: sqlite3.Connection,
    *,
    campaign_code: str,
    form_id: str,
    level: str,
    root_path: str,
    since: str | None,
) -> list[GroupTally]:
    """form_tallies summed per child of the root, in SQL: a national digest reads 34 rows, not
    100,000 (one Python object per unit would hold the event loop through the GIL)."""
    after = since if since is not None else "9999"
    start = len(root_path) + 1  # 1-based: the first character after the root's path
    rows = conn.execute(
        "SELECT grp, count(*), count(first), sum(first IS NOT NULL AND late > 0), sum(entries),"
        " sum(new_entries), sum(first >= ?), sum(first IS NOT NULL AND first < ? AND changed > 0),"
        f" max(depth) FROM ({_PER_UNIT}) GROUP BY grp ORDER BY grp",
        (after, after, start, start, after, after, campaign_code, form_id, root_path,
         root_path + PATH_END, level),
    ).fetchall()  # fmt: skip
    return [GroupTally(str(r[0]), *(int(v or 0) for v in r[1:])) for r in rows]


def form_tallies_of(
    conn: sqlite3.Connection,
    *,
    campaign_code: str,
    form_id: str,
    level: str,
    root_path: str,
    since: str | None,
    missing: bool,
    limit: int,
) -> list[UnitTally]:
    """At most `limit` of the units that sent nothing (`missing`) or sent late: the names a big
    digest still shows when there are few of them."""
    after = since if since is not None else "9999"
    having = "first IS NULL" if missing else "first IS NOT NULL AND late > 0"
    rows = conn.execute(
        "SELECT u.code, u.name, u.path, u.depth, t.first, t.late, t.entries, t.new_entries,"
        f" t.changed FROM ({_PER_UNIT.replace('AS grp,', 'AS grp, u.code AS code,')}) AS t"
        f" JOIN units AS u ON u.code = t.code WHERE {having} ORDER BY u.path LIMIT ?",
        (len(root_path) + 1, len(root_path) + 1, after, after, campaign_code, form_id,
         root_path, root_path + PATH_END, level, limit),
    ).fetchall()  # fmt: skip
    return [_tally(r) for r in rows]


def units_with_work(
    conn: sqlite3.Connection,
    *,
    campaign_code: str,
    form_ids: Iterable[str],
    level: str,
    root_path: str,
) -> tuple[int, int]:
    """Return (units of `level` under `root_path`, those with at least one of these forms sent)."""
    ids = list(form_ids)
    if not ids:
        return 0, 0
    marks = ",".join("?" for _ in ids)
    row = conn.execute(
        "SELECT count(*), coalesce(sum(EXISTS (SELECT 1 FROM submissions AS s"
        f"   WHERE s.campaign_code = ? AND s.form_id IN ({marks}) AND s.unit_code = u.code)), 0)"
        f" FROM units AS u WHERE u.path >= ? AND u.path < ? AND u.level = ? AND u.{LIVE}",
        (campaign_code, *ids, root_path, root_path + PATH_END, level),
    ).fetchone()
    return int(row[0]), int(row[1])


def member_facts(conn: sqlite3.Connection, channel: str, user_id: str) -> MemberFacts | None:
    """Return the member behind (channel, user) with their last digest time, or None."""
    row = conn.execute(
        "SELECT m.id, m.role, m.unit_code, d.last_at FROM members AS m"
        " LEFT JOIN digests_sent AS d ON d.member_id = m.id"
        " WHERE m.channel = ? AND m.user_id = ?",
        (channel, user_id),
    ).fetchone()
    if row is None:
        return None
    return MemberFacts(int(row[0]), str(row[1]), str(row[2]), row[3])


def last_digest_of_unit(conn: sqlite3.Connection, unit_code: str) -> str | None:
    """Return when a secretary or admin of the unit last got a digest (the latest), or None."""
    row = conn.execute(
        "SELECT max(d.last_at) FROM members AS m JOIN digests_sent AS d ON d.member_id = m.id"
        " WHERE m.unit_code = ? AND m.role IN ('secretary', 'admin')",
        (unit_code,),
    ).fetchone()
    return None if row is None or row[0] is None else str(row[0])


def probe(conn: sqlite3.Connection) -> int:
    """Read the schema table through `conn` (a new connection: the file is there and readable)."""
    return int(conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])
