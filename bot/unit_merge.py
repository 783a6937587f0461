"""Merging units (`thidua units merge OLD... --into NEW`): the one rule of what may be merged.

Residential areas (and communes) are merged by decision, and people go on working in the merged
unit. What the old units had moves to the new one in the caller's transaction
(storage/unit_merges.py); the old units stay as history, out of menus, digests and exports.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.admin import Refused, find_unit
from storage.models import Unit
from storage.repos import Repos
from storage.unit_merges import Moved, UnitMergeRepo


@dataclass(frozen=True)
class MergeReport:
    """Which units were merged into which, and what moved."""

    into: Unit
    merged: tuple[Unit, ...]
    moved: Moved


def _sentence(vi: str, en: str) -> Refused:
    return Refused([f"{vi} / {en}"])


async def merge_units(
    repos: Repos, old_codes: list[str], new_code: str, *, force: bool, now: datetime
) -> MergeReport:
    """Merge the units typed as `old_codes` into `new_code`, in the caller's transaction.

    Refused (nothing moves) when a unit is unknown or already merged, when one would be merged
    into itself, into its own subtree or into a unit of another level, when an old unit is a
    campaign's scope, or — unless `force` — when the units have different parents.
    """
    new = await find_unit(repos, new_code)
    olds: list[Unit] = []
    for typed in old_codes:
        old = await find_unit(repos, typed)
        if old.code not in {u.code for u in olds}:  # typed twice is meant once
            olds.append(old)
    if not olds:
        raise _sentence("cần ít nhất một đơn vị để gộp", "at least one unit to merge is needed")
    for old in olds:
        if old.code == new.code:
            raise _sentence(
                f"không gộp {old.code} vào chính nó", f"{old.code} cannot be merged into itself"
            )
        if old.contains(new) or new.contains(old):
            raise _sentence(
                f"{old.code} và {new.code} là cấp trên, cấp dưới của nhau",
                f"{old.code} and {new.code} are one above the other",
            )
        if old.level != new.level:
            raise _sentence(
                f"{old.code} ở cấp {old.level}, {new.code} ở cấp {new.level}: chỉ gộp được các"
                " đơn vị cùng cấp",
                f"{old.code} is at level {old.level} and {new.code} at level {new.level}: only"
                " units of one level can be merged",
            )
        if old.parent_code != new.parent_code and not force:
            raise _sentence(
                f"{old.code} thuộc {old.parent_code}, {new.code} thuộc {new.parent_code}: khác"
                " đơn vị cấp trên; nếu đúng là vậy, thêm --force",
                f"{old.code} is under {old.parent_code} and {new.code} under"
                f" {new.parent_code}: different parents; add --force if that is meant",
            )
    merges = UnitMergeRepo(repos.units.conn)
    scoped = await merges.campaigns_scoped_at([u.code for u in olds])
    if scoped:
        code, campaigns = next(iter(scoped.items()))
        raise _sentence(
            f"{code} là phạm vi của đợt thi đua {', '.join(campaigns)}; hãy đổi phạm vi trước",
            f"{code} is the scope of campaign {', '.join(campaigns)}; change the scope first",
        )
    moved = Moved()
    for old in olds:
        # Re-read: an earlier old unit's subtree may have moved under `new` (paths changed).
        current = await repos.units.get(old.code)
        target = await repos.units.get(new.code)
        assert current is not None and target is not None
        moved += await merges.move(current, target, now)
    return MergeReport(new, tuple(olds), moved)
