"""The annex table of the Word report: the registration list grouped by unit with subtotals and
a grand total in Vietnamese numbers (or the first answers of each submission), on a landscape
page, its header row repeated on every page, listing at most ANNEX_LIMIT works.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Sequence
from typing import Final

from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.styles.style import ParagraphStyle
from docx.table import _Cell

from bot.exports import numbers
from bot.exports.registration import (
    REGISTRATION_HEADERS,
    Columns,
    Sums,
    UnitWorks,
    Work,
    by_unit,
    roman,
    short_date,
    subtotal_label,
)
from bot.exports.rows import Entry, Export
from bot.forms.render import label_of, show_value
from bot.texts import VI

TABLE_SIZE: Final = Pt(11)
TABLE_ANSWERS: Final = 4  # the first few answers fit a landscape page
ANNEX_LIMIT: Final = 2000  # works (submissions) listed in the annex
WORK: Final = "Công trình"
_LANDSCAPE_WIDTH: Final = 297 - 20 - 15  # mm between the margins
# Millimetres per column of the registration list (they add up to the landscape width).
_STT_WIDTH: Final = 13
_REGISTRATION_WIDTHS: Final = [_STT_WIDTH, 20, 40, 50, 32, 23, 20, 26, 17, 21]
_NUMBERS: Final = (6, 8)  # kinh phí and số hộ: right-aligned


def _put(
    cell: _Cell, text: str, *, bold: bool = False, centre: bool = False, right: bool = False
) -> None:
    """Write a table cell (its paragraph has the annex's style); nothing for an empty text."""
    if not text:
        return
    paragraph = cell.paragraphs[0]
    if centre:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.add_run(text).bold = bold or None


class _Grid:
    """An annex table grown by copies of one blank row.

    python-docx's `add_row` sizes every new cell from the grid again, and `merge` walks the
    whole table for every merge (quadratic: 30 s for 2,000 groups); a copied row costs neither.
    The header row repeats at the top of every page (w:tblHeader).
    """

    def __init__(
        self,
        document: WordDocument,
        headers: list[str],
        widths: Sequence[float],
        style: ParagraphStyle,
    ) -> None:
        self.table = document.add_table(rows=2, cols=len(headers))
        self.table.style = "Table Grid"
        self.table.autofit = False
        first, blank = self.table.rows
        for column, width in zip(self.table.columns, widths, strict=True):
            column.width = Mm(width)
        for row in (first, blank):
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Mm(width)
                cell.paragraphs[0].style = style
        for cell, text in zip(first.cells, headers, strict=True):
            _put(cell, text, bold=True, centre=True)
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        first._tr.get_or_add_trPr().append(repeat)
        self._blank = blank._tr
        self._tbl = self.table._tbl
        self._tbl.remove(self._blank)
        # A group row: the number, then one cell across the other columns.
        self._band = copy.deepcopy(self._blank)
        cells = self._band.tc_lst
        for tc in cells[2:]:
            self._band.remove(tc)
        cells[1].grid_span = len(headers) - 1
        cells[1].width = Mm(sum(widths[1:]))

    def row(self) -> list[_Cell]:
        """A new blank row's cells."""
        tr = copy.deepcopy(self._blank)
        self._tbl.append(tr)
        return [_Cell(tc, self.table) for tc in tr.tc_lst]

    def band(self) -> list[_Cell]:
        """A new group row's two cells: its number, and one across the rest."""
        tr = copy.deepcopy(self._band)
        self._tbl.append(tr)
        return [_Cell(tc, self.table) for tc in tr.tc_lst]


def _annex_style(document: WordDocument) -> ParagraphStyle:
    """The annex table's paragraphs: 11 pt, no spacing (a landscape page holds more rows)."""
    style = document.styles.add_style("Bảng phụ lục", WD_STYLE_TYPE.PARAGRAPH)
    assert isinstance(style, ParagraphStyle)
    style.base_style = document.styles["Normal"]
    style.font.size = TABLE_SIZE
    style.paragraph_format.space_before = Pt(0)
    style.paragraph_format.space_after = Pt(0)
    return style


def _work_cells(cells: list[_Cell], number: int, entry: Entry, work: Work) -> None:
    period = work.period
    shown = {
        0: str(number),
        2: work.name,
        3: work.content,
        4: work.place,
        5: period if isinstance(period, str) else short_date(period) if period else "",
        6: "" if work.money is None else numbers.millions(work.money),
        7: work.source,
        8: "" if work.households is None else numbers.integer(work.households),
        9: entry.note,
    }
    for index, text in shown.items():
        _put(cells[index], text, centre=index in (0, 5), right=index in _NUMBERS)


def _sums_cells(cells: list[_Cell], label: str, sums: Sums, columns: Columns) -> None:
    _put(cells[2], label, bold=True)
    if columns.money is not None and sums.money is not None:
        _put(cells[6], numbers.millions(sums.money), bold=True, right=True)
    if columns.households is not None and sums.households is not None:
        _put(cells[8], numbers.integer(sums.households), bold=True, right=True)


def _registration_annex(
    grid: _Grid, columns: Columns, units: Iterator[UnitWorks]
) -> tuple[int, Sums]:
    """The registration list grouped by unit, up to ANNEX_LIMIT works; every work is summed."""
    total, shown, full = Sums(), 0, False
    for group, unit in enumerate(units, start=1):
        total.add(unit.sums)
        if full:
            continue  # counted in the total, listed only in the Excel file
        room = ANNEX_LIMIT - shown
        if len(unit.works) > room and shown > 0:
            full = True  # a unit is listed whole or not at all, unless it is the first one
            continue
        number_cell, label_cell = grid.band()
        _put(number_cell, roman(group), bold=True, centre=True)
        _put(label_cell, unit.label, bold=True)
        for number, (entry, work) in enumerate(unit.works[:room], start=1):
            _work_cells(grid.row(), number, entry, work)
        shown += min(len(unit.works), room)
        if len(unit.works) > room:
            full = True
        else:
            _sums_cells(grid.row(), subtotal_label(unit.sums), unit.sums, columns)
    _sums_cells(grid.row(), subtotal_label(total, grand=True), total, columns)
    return shown, total


def answer_headers(export: Export) -> list[str]:
    """The annex's columns for a form other than a registration: its first answers."""
    questions = list(export.form.questions)[:TABLE_ANSWERS]
    update = export.about is not None
    return ["STT", "Đơn vị", *([WORK] if update else []), *(label_of(q) for q in questions)]


def _answers_annex(grid: _Grid, export: Export, rows: Iterator[Entry]) -> tuple[int, Sums]:
    """The first answers of each submission, up to ANNEX_LIMIT rows; every one is counted."""
    questions = list(export.form.questions)[:TABLE_ANSWERS]
    update = export.about is not None
    total = Sums()
    for number, entry in enumerate(rows, start=1):
        total.works += 1
        if number > ANNEX_LIMIT:
            continue
        cells = grid.row()
        _put(cells[0], str(number), centre=True)
        _put(cells[1], entry.unit_name)
        if update:
            _put(cells[2], entry.work_name)
        for cell, question in zip(cells[2 + update :], questions, strict=True):
            value = entry.answers.get(question.id)
            _put(cell, "" if value is None else show_value(question, value, VI))
    return min(total.works, ANNEX_LIMIT), total


def write_annex(
    document: WordDocument, export: Export, columns: Columns, rows: Iterator[Entry]
) -> tuple[int, Sums]:
    """Add the annex table at the end of `document`; return how many works it lists and the sums
    of them all (every submission is read, listed or not)."""
    small = _annex_style(document)
    if export.is_registration:
        grid = _Grid(document, list(REGISTRATION_HEADERS), _REGISTRATION_WIDTHS, small)
        return _registration_annex(grid, columns, by_unit(rows, columns, export.root.path))
    headers = answer_headers(export)
    rest = (_LANDSCAPE_WIDTH - _STT_WIDTH) / (len(headers) - 1)
    grid = _Grid(document, headers, [_STT_WIDTH, *[rest] * (len(headers) - 1)], small)
    return _answers_annex(grid, export, rows)
