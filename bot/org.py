"""The organisation tree: CSV import (all or nothing), paths, display names."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from bot import official_units
from bot.config import OrgConfig
from bot.words import fold
from storage.models import Unit
from storage.repos import Repos

HEADER = ["code", "name", "level", "parent"]
# Excel writes semicolons (or tabs) where the locale's decimal mark is a comma, as in Vietnam.
DELIMITERS = (",", ";", "\t")
# Categories refused inside a cell: controls (NUL, bell…), invisible format characters
# (zero-width space, soft hyphen…) and line/paragraph separators. They cannot be seen in a
# spreadsheet, so a name that has one cannot be found again by typing it.
_INVISIBLE = {"Cc", "Cf", "Zl", "Zp"}
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
    # Said, not refused: a commune's name the official list does not have, a merged unit.
    warnings: list[RowProblem] = field(default_factory=list)
    new: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class _Row:
    line: int
    code: str
    name: str
    level: str
    parent: str


def _header(cells: list[str]) -> list[str]:
    """Return header cells as compared: trimmed, lower case, without Excel's empty tail."""
    names = [cell.strip().lower() for cell in cells]
    while names and not names[-1]:
        names.pop()
    return names


def _delimiter(first_line: str) -> str | None:
    """Return the delimiter with which the first line reads as the expected header."""
    for delimiter in DELIMITERS:
        try:
            cells = next(csv.reader([first_line], delimiter=delimiter), [])
        except csv.Error:
            continue  # e.g. a first line longer than a field may be: not our header anyway
        if _header(cells) == HEADER:
            return delimiter
    return None


def _invisible(text: str) -> str | None:
    """Return the first control or invisible character inside `text` (edges may be spaces)."""
    return next(
        (ch for ch in text.strip(" \t\r\n") if unicodedata.category(ch) in _INVISIBLE), None
    )


def _records(content: str, delimiter: str) -> list[tuple[int, list[str] | str]]:
    """Return each CSV record with the line it starts on, or the csv module's error there."""
    reader = csv.reader(io.StringIO(content), delimiter=delimiter)
    records: list[tuple[int, list[str] | str]] = []
    last = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return records
        except csv.Error as exc:
            # The reader goes on with the next line after an error, so every bad row is listed.
            records.append((reader.line_num, str(exc)))
        else:
            records.append((last + 1, cells))
        last = reader.line_num


def _read_rows(content: str, problems: list[RowProblem]) -> list[_Row]:
    # Old Mac files end lines with a lone CR, which the csv module refuses outside quotes.
    content = content.replace("\r\n", "\n").replace("\r", "\n")
    if not content.strip():
        problems.append(RowProblem(1, "", "tệp trống", "the file is empty"))
        return []
    delimiter = _delimiter(content.partition("\n")[0])
    if delimiter is None:
        problems.append(
            RowProblem(
                1,
                "",
                f"dòng tiêu đề phải là {','.join(HEADER)}, phân cách bằng dấu phẩy,"
                " dấu chấm phẩy hoặc tab",
                f"the header must be {','.join(HEADER)}, separated by commas, semicolons or tabs",
            )
        )
        return []
    result: list[_Row] = []
    for number, cells in _records(content, delimiter)[1:]:
        if isinstance(cells, str):
            problems.append(_csv_problem(number, cells))
            continue
        if not any(cell.strip() for cell in cells):
            continue  # blank lines are harmless
        if len(cells) > len(HEADER) and not any(cell.strip() for cell in cells[len(HEADER) :]):
            cells = cells[: len(HEADER)]  # Excel pads every row to the widest one
        if len(cells) != len(HEADER):
            problems.append(
                RowProblem(
                    number,
                    _label(cells),
                    f"cần {len(HEADER)} cột, có {len(cells)}",
                    f"expected {len(HEADER)} columns, found {len(cells)}",
                )
            )
            continue
        problem = _invisible_problem(number, cells)
        if problem:
            problems.append(problem)
            continue
        # NFC: the same name typed on another system (NFD on macOS) must be the same text.
        code, name, level, parent = (unicodedata.normalize("NFC", c).strip() for c in cells)
        result.append(_Row(number, code, name, level, parent))
    return result


def _csv_problem(line: int, error: str) -> RowProblem:
    """Explain a csv module error on a line."""
    if "field larger than field limit" in error:
        limit = csv.field_size_limit()
        vi_limit = f"{limit:,}".replace(",", ".")  # 131.072 in Vietnamese
        return RowProblem(
            line,
            "",
            f"một ô dài quá {vi_limit} ký tự",
            f"a field is longer than {limit:,} characters",
        )
    return RowProblem(line, "", f"dòng CSV không hợp lệ ({error})", f"not valid CSV: {error}")


def _label(cells: list[str]) -> str:
    """Return the row's code for a problem line, or "" when it would print an invisible char."""
    code = cells[0].strip() if cells else ""
    return "" if _invisible(code) else code


def _invisible_problem(line: int, cells: list[str]) -> RowProblem | None:
    """Refuse a row with a control or invisible character in any cell, naming it and the column."""
    for column, cell in zip(HEADER, cells, strict=True):
        found = _invisible(cell)
        if found is not None:
            char = f"U+{ord(found):04X}"
            return RowProblem(
                line,
                _label(cells),
                f"cột {column} có ký tự điều khiển hoặc ký tự ẩn {char}",
                f"the {column} column has a control or invisible character {char}",
            )
    return None


def plan_import(content: str, existing: list[Unit], org: OrgConfig) -> ImportPlan:
    """Check a units CSV against the tree; every bad row is reported, nothing is applied."""
    plan = ImportPlan()
    rows = _read_rows(content, plan.problems)
    levels = set(org.level_ids())
    by_code: dict[str, _Row] = {}
    # Codes are typed case-insensitively everywhere (`--unit kp-01`), so two codes that differ
    # only in case would be one code to a person: the second is refused, and a parent typed in
    # another case is the unit it names.
    folded: dict[str, str] = {u.code.casefold(): u.code for u in existing}
    for row in rows:
        problem = _row_problem(row, levels, by_code) or _case_problem(row, folded)
        if problem:
            plan.problems.append(problem)
        else:
            by_code[row.code] = row
            folded.setdefault(row.code.casefold(), row.code)
    by_code = {
        code: _with_parent(row, folded.get(row.parent.casefold(), row.parent))
        for code, row in by_code.items()
    }
    merged: dict[str, str] = {u.code: u.merged_into for u in existing if u.merged_into}
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
        elif row.parent in merged:
            plan.problems.append(
                RowProblem(
                    row.line,
                    row.code,
                    f"đơn vị cấp trên {row.parent} đã được gộp vào {merged[row.parent]}",
                    f"the parent {row.parent} was merged into {merged[row.parent]}",
                )
            )
    plan.problems.sort(key=lambda p: p.line)
    if plan.problems:
        return plan
    names = {u.code: (u.name, u.level) for u in existing}
    names.update({code: (row.name, row.level) for code, row in by_code.items()})
    plan.units = _with_paths(parent_of, names)
    plan.warnings = _warnings(by_code.values(), plan.units, merged, org)
    before = {u.code: (u.name, u.level, u.parent_code) for u in existing}
    for code, row in by_code.items():
        if code not in before:
            plan.new += 1
        elif before[code] != (row.name, row.level, row.parent or None):
            plan.updated += 1
        else:
            plan.unchanged += 1
    return plan


def _warnings(
    rows: Iterable[_Row], units: list[Unit], merged: dict[str, str], org: OrgConfig
) -> list[RowProblem]:
    """What an import says without refusing: a row that updates a merged unit (history), and a
    commune-level row under an official province whose name the official 2025 list does not
    have there (with the official or the closest name)."""
    levels = org.level_ids()
    by_code = {u.code: u for u in units}
    # Units under one parent by name as people read it: the same name twice is one unit twice.
    by_name: dict[tuple[str | None, str], list[str]] = {}
    for unit in units:
        if unit.code not in merged:
            by_name.setdefault((unit.parent_code, fold(unit.name)), []).append(unit.code)
    warnings: list[RowProblem] = []
    ordered = sorted(rows, key=lambda r: r.line)
    lines = {row.code: row.line for row in ordered}
    for row in ordered:
        # Two rows of the file alike: the later one is told (the earlier one stands).
        twins = [
            code
            for code in by_name.get((row.parent or None, fold(row.name)), [])
            if code != row.code and lines.get(code, 0) < row.line
        ]
        if twins and row.code not in merged:
            twin = by_code[twins[0]]
            warnings.append(
                RowProblem(
                    row.line,
                    row.code,
                    f"cùng tên với {twin.code} ({twin.name}) đã có trong cùng đơn vị cấp trên;"
                    f" nếu là một, hãy dùng mã {twin.code}",
                    f"same name as {twin.code} ({twin.name}) under the same parent; if they are"
                    f" one, use the code {twin.code}",
                )
            )
        if row.code in merged:
            warnings.append(
                RowProblem(
                    row.line,
                    row.code,
                    f"đơn vị này đã được gộp vào {merged[row.code]}, chỉ còn là lịch sử",
                    f"this unit was merged into {merged[row.code]} and is kept only as history",
                )
            )
            continue
        parent = by_code.get(row.parent)
        if len(levels) < 2 or row.level != levels[1] or parent is None or parent.level != levels[0]:
            continue
        province = official_units.province_of(parent)
        found = province.commune_warning(row.name) if province else None
        if found:
            warnings.append(RowProblem(row.line, row.code, *found))
    return warnings


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


def _case_problem(row: _Row, folded: dict[str, str]) -> RowProblem | None:
    """Refuse a code that differs from a known one only in case (KP-01 and kp-01)."""
    known = folded.get(row.code.casefold())
    if known is None or known == row.code:
        return None
    return RowProblem(
        row.line,
        row.code,
        f"mã này trùng với {known} (mã đơn vị không phân biệt chữ hoa, chữ thường)",
        f"this code is {known} in another case (unit codes ignore case)",
    )


def _with_parent(row: _Row, parent: str) -> _Row:
    """Return the row with its parent spelled as the unit's own code."""
    return row if parent == row.parent else replace(row, parent=parent)


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
    """Return the units as indented lines, 'CODE  Name (Level)', a merged one marked."""
    return [
        f"{'  ' * (u.depth - base_depth)}{u.code}  {u.name} ({org.label(u.level)})"
        + (f" [đã gộp vào / merged into {u.merged_into}]" if u.merged_into else "")
        for u in units
    ]
