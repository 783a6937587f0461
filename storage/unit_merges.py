"""The statements of a unit merge (`thidua units merge`), run in the caller's transaction.

A merged unit keeps its row as history (`units.merged_into`, `merged_at`); what it had moves to
the unit it was merged into: members (and with them their drafts, which are theirs), submissions
(every version untouched; `merged_from` remembers where each was sent from), unused invites, its
children with their whole subtree, and the reminders it was already sent (so the merged unit is
not reminded of the same deadline again).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.models import Unit
from storage.reads import PATH_END
from storage.repos import _Repo
from storage.timefmt import parse_ts_or_none, ts


@dataclass(frozen=True)
class Moved:
    """What one merge moved from one unit to another."""

    members: int = 0
    drafts: int = 0
    submissions: int = 0
    invites: int = 0
    children: int = 0
    reminders: int = 0

    def __add__(self, other: Moved) -> Moved:
        return Moved(
            self.members + other.members,
            self.drafts + other.drafts,
            self.submissions + other.submissions,
            self.invites + other.invites,
            self.children + other.children,
            self.reminders + other.reminders,
        )


class UnitMergeRepo(_Repo):
    """Moving what a unit has to the unit it is merged into."""

    async def campaigns_scoped_at(self, codes: list[str]) -> dict[str, list[str]]:
        """Unit code -> the campaigns whose scope it is, for the units among `codes`."""
        marks = ",".join("?" for _ in codes)
        rows = await self._all(
            f"SELECT scope, code FROM campaigns WHERE scope IN ({marks}) ORDER BY code",
            tuple(codes),
        )
        found: dict[str, list[str]] = {}
        for row in rows:
            found.setdefault(str(row[0]), []).append(str(row[1]))
        return found

    async def _count(self, sql: str, params: tuple[object, ...]) -> int:
        cursor = await self.conn.execute(sql, params)
        return max(cursor.rowcount, 0)

    async def move(self, old: Unit, new: Unit, now: datetime) -> Moved:
        """Move everything of `old` to `new` and mark `old` merged into it."""
        drafts = await self._one(
            "SELECT count(*) FROM drafts AS d JOIN members AS m ON m.id = d.member_id"
            " WHERE m.unit_code = ?",
            (old.code,),
        )
        members = await self._count(
            "UPDATE members SET unit_code = ? WHERE unit_code = ?", (new.code, old.code)
        )
        submissions = await self._count(
            "UPDATE submissions SET merged_from = coalesce(merged_from, unit_code), unit_code = ?"
            " WHERE unit_code = ?",
            (new.code, old.code),
        )
        # A used invite is a record of who enrolled where; an unused one enrols into `new`.
        invites = await self._count(
            "UPDATE invites SET unit_code = ? WHERE unit_code = ? AND used_at IS NULL",
            (new.code, old.code),
        )
        reminders = await self._count(
            "INSERT INTO reminders_sent"
            " (campaign_code, form_id, unit_code, offset_text, due_on, planned_at)"
            " SELECT campaign_code, form_id, ?, offset_text, due_on, planned_at"
            " FROM reminders_sent WHERE unit_code = ? ON CONFLICT DO NOTHING",
            (new.code, old.code),
        )
        # The subtree below `old` (history included) goes under `new`: paths rewritten from the
        # first character after old's path, depths shifted by the difference of the two.
        await self.conn.execute(
            "UPDATE units SET path = ? || substr(path, ?), depth = depth + ?"
            " WHERE path > ? AND path < ?",
            (
                new.path,
                len(old.path) + 1,
                new.depth - old.depth,
                old.path,
                old.path + PATH_END,
            ),
        )
        children = await self._count(
            "UPDATE units SET parent_code = ? WHERE parent_code = ?", (new.code, old.code)
        )
        await self.conn.execute(
            "UPDATE units SET merged_into = ?, merged_at = ? WHERE code = ?",
            (new.code, ts(now), old.code),
        )
        return Moved(
            members, int(drafts[0]) if drafts else 0, submissions, invites, children, reminders
        )

    async def moved_from(self, code: str) -> list[int]:
        """The ids of the submissions a merge moved away from the unit `code`, oldest first."""
        rows = await self._all(
            "SELECT id FROM submissions WHERE merged_from = ? ORDER BY id", (code,)
        )
        return [int(row[0]) for row in rows]

    async def merged_at(self, code: str) -> datetime | None:
        """When the unit `code` was merged into another, or None."""
        row = await self._one("SELECT merged_at FROM units WHERE code = ?", (code,))
        return None if row is None else parse_ts_or_none(row[0])
