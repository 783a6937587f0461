"""The organisation tree: CSV import (all or nothing), paths, display names."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from bot.config import OrgConfig
from storage.models import Unit
from storage.repos import Repos

HEADER = ["code", "name", "level", "parent"]
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}$")


@dataclass(frozen=True)
class RowProblem:
    """One refused row of a units file, with its line number and the reason in two languages."""

    line: int
    code: str
    vi: str
    en: str

    def render(self, filename: str) -> str:
        """Return 'FILE:LINE: CODE: vi / en'."""
        label = self.code or "-"
        return f"{filename}:{self.line}: {label}: {self.vi} / {self.en}"


@dataclass
class ImportPlan:
    """What a units file would change, or why it is refused."""

    units: list[Unit] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    new: int = 0
    updated: int = 0


@dataclass(frozen=True)
class _Row:
    line: int
    code: str
    name: str
    level: str
    parent: str


def _read_rows(content: str, problems: list[RowProblem]) -> list[_Row]:
    reader = csv.reader(io.StringIO(content))
    rows = list(reader)
    if not rows:
        problems.append(RowProblem(1, "", "tệp trống", "the file is empty"))
        return []
    header = [cell.strip().lower() for cell in rows[0]]
    if header != HEADER:
        problems.append(
            RowProblem(
                1,
                "",
                f"dòng tiêu đề phải là {','.join(HEADER)}",
                f"the header must be {','.join(HEADER)}",
            )
        )
        return []
    result: list[_Row] = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue  # blank lines are harmless
        if len(cells) != len(HEADER):
            problems.append(
                RowProblem(
                    number,
                    cells[0].strip() if cells else "",
                    f"cần {len(HEADER)} cột, có {len(cells)}",
                    f"expected {len(HEADER)} columns, found {len(cells)}",
                )
            )
            continue
        code, name, level, parent = (cell.strip() for cell in cells)
        result.append(_Row(number, code, name, level, parent))
    return result


def plan_import(content: str, existing: list[Unit], org: OrgConfig) -> ImportPlan:
    """Check a units CSV against the tree; every bad row is reported, nothing is applied."""
    plan = ImportPlan()
    rows = _read_rows(content, plan.problems)
    levels = set(org.level_ids())
    by_code: dict[str, _Row] = {}
    for row in rows:
        problem = _row_problem(row, levels, by_code)
        if problem:
            plan.problems.append(problem)
        else:
            by_code[row.code] = row
    # The tree after the import: existing units, overridden by the file.
    parent_of: dict[str, str | None] = {u.code: u.parent_code for u in existing}
    parent_of.update({code: (row.parent or None) for code, row in by_code.items()})
    for row in by_code.values():
        if row.parent and row.parent not in parent_of:
            plan.problems.append(
                RowProblem(
                    row.line,
                    row.code,
                    f"không có đơn vị cấp trên {row.parent!r}",
                    f"unknown parent {row.parent!r}",
                )
            )
        elif row.parent and _in_cycle(row.code, parent_of):
            plan.problems.append(
                RowProblem(
                    row.line,
                    row.code,
                    "đơn vị cấp trên tạo thành vòng lặp",
                    "the parent chain loops back to this unit",
                )
            )
    plan.problems.sort(key=lambda p: p.line)
    if plan.problems:
        return plan
    names = {u.code: (u.name, u.level) for u in existing}
    names.update({code: (row.name, row.level) for code, row in by_code.items()})
    plan.units = _with_paths(parent_of, names)
    existing_codes = {u.code for u in existing}
    plan.new = sum(1 for code in by_code if code not in existing_codes)
    plan.updated = len(by_code) - plan.new
    return plan


def _row_problem(row: _Row, levels: set[str], seen: dict[str, _Row]) -> RowProblem | None:
    if not row.code:
        return RowProblem(row.line, "", "thiếu mã đơn vị", "the code is empty")
    if not CODE_PATTERN.match(row.code):
        return RowProblem(
            row.line,
            row.code,
            "mã chỉ gồm chữ không dấu, số, '-', '_' hoặc '.', tối đa 40 ký tự",
            "codes are ASCII letters, digits, '-', '_' or '.', at most 40 characters",
        )
    if row.code in seen:
        return RowProblem(
            row.line,
            row.code,
            f"mã trùng với dòng {seen[row.code].line}",
            f"duplicate code (also on line {seen[row.code].line})",
        )
    if not row.name:
        return RowProblem(row.line, row.code, "thiếu tên đơn vị", "the name is empty")
    if row.level not in levels:
        return RowProblem(
            row.line,
            row.code,
            f"cấp {row.level!r} không có trong [org].levels ({', '.join(sorted(levels))})",
            f"level {row.level!r} is not one of [org].levels",
        )
    if row.parent == row.code:
        return RowProblem(
            row.line,
            row.code,
            "đơn vị không thể là cấp trên của chính nó",
            "a unit cannot be its own parent",
        )
    return None


def _in_cycle(code: str, parent_of: dict[str, str | None]) -> bool:
    seen = {code}
    current = parent_of.get(code)
    while current is not None:
        if current in seen:
            return True
        seen.add(current)
        current = parent_of.get(current)
    return False


def _with_paths(parent_of: dict[str, str | None], names: dict[str, tuple[str, str]]) -> list[Unit]:
    """Compute every unit's materialised path, parents before children."""
    paths: dict[str, str] = {}

    def path_of(code: str) -> str:
        if code not in paths:
            parent = parent_of[code]
            paths[code] = (path_of(parent) if parent else "/") + code + "/"
        return paths[code]

    units = [
        Unit(
            code=code,
            name=names[code][0],
            level=names[code][1],
            parent_code=parent_of[code],
            path=path_of(code),
            depth=path_of(code).count("/") - 2,
        )
        for code in parent_of
    ]
    units.sort(key=lambda u: u.depth)
    return units


async def apply_import(repos: Repos, plan: ImportPlan) -> None:
    """Write a clean plan's units (the caller's transaction makes it all or nothing)."""
    if plan.problems:
        raise ValueError("a refused plan cannot be applied")
    await repos.units.upsert_many(plan.units)


async def unit_title(repos: Repos, unit: Unit, org: OrgConfig) -> str:
    """Return 'Ban công tác Mặt trận Khu phố 1, Phường Mẫu': the body, the unit, its parent."""
    title = f"{org.body(unit.level)} {unit.name}"
    if unit.parent_code:
        parent = await repos.units.get(unit.parent_code)
        if parent:
            title += f", {parent.name}"
    return title


def render_tree(units: list[Unit], org: OrgConfig, base_depth: int = 0) -> list[str]:
    """Return the units as indented lines, 'CODE  Name (Level)'."""
    return [
        f"{'  ' * (u.depth - base_depth)}{u.code}  {u.name} ({org.label(u.level)})" for u in units
    ]
