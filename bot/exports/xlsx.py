"""The Excel file of an export: the list of submissions and the units that have not sent.

openpyxl in write-only mode: rows stream to the file, so a national list of 100,000 works does
not hold a cell object per answer. Numbers and money are numeric cells (money in đồng), dates are
date cells; the formats say how Excel shows them (its own locale's separators).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Final

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from bot.campaigns.model import Question
from bot.exports.rows import Entry, Export
from bot.forms.kinds import QuestionKind, load_date
from bot.forms.render import label_of, show_value
from bot.texts import VI

REGISTRATION_TITLE: Final = "DANH SÁCH ĐĂNG KÝ CÔNG TRÌNH, PHẦN VIỆC THI ĐUA"
MISSING_SHEET: Final = "Chưa gửi"
MISSING_TITLE: Final = "DANH SÁCH ĐƠN VỊ CHƯA GỬI"
STT, UNIT, PARENT, CODE, NOTE = "STT", "Đơn vị", "Thuộc", "Mã đơn vị", "Ghi chú"
HEADER_ROW: Final = 4  # title, subtitle, a blank row, then the column headers
INTEGER_FORMAT: Final = "#,##0"
DAY_FORMAT: Final = "dd/mm/yyyy"
MONTH_FORMAT: Final = "mm/yyyy"

_WIDTH: Final = {
    QuestionKind.TEXT: 30,
    QuestionKind.LONGTEXT: 45,
    QuestionKind.MULTICHOICE: 28,
    QuestionKind.MONEY: 16,
    QuestionKind.DATE: 12,
    QuestionKind.INTEGER: 11,
    QuestionKind.NUMBER: 11,
    QuestionKind.YESNO: 8,
}
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BOLD = Font(name="Times New Roman", bold=True, size=12)
_TITLE = Font(name="Times New Roman", bold=True, size=14)
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)


def cell_value(question: Question, value: Any) -> tuple[Any, str | None]:
    """An answer as a cell: its value and number format (None: a text cell as shown in chats)."""
    if value is None:
        return None, None
    kind = question.kind
    try:
        if kind in (QuestionKind.INTEGER, QuestionKind.MONEY) and isinstance(value, int):
            return value, INTEGER_FORMAT
        if kind is QuestionKind.NUMBER:
            number = Decimal(str(value))
            places = max(0, -int(number.as_tuple().exponent))
            shown = INTEGER_FORMAT + ("." + "0" * places if places else "")
            return (int(number) if places == 0 else float(number)), shown
        if kind is QuestionKind.DATE:
            stored = load_date(str(value))
            layout = MONTH_FORMAT if stored.precision == "month" else DAY_FORMAT
            return stored.value, layout
    except (ValueError, TypeError, InvalidOperation):
        pass  # a value stored under an older version of the form: shown as text
    return show_value(question, value, VI), None


def _note(entry: Entry) -> str:
    parts = []
    if entry.late_days > 0:
        parts.append(f"Gửi muộn {entry.late_days} ngày")
    if entry.version > 1:
        parts.append(f"Đã sửa {entry.version - 1} lần")
    return "; ".join(parts)


def _cell(
    sheet: WriteOnlyWorksheet,
    value: Any,
    *,
    font: Font | None = None,
    layout: str | None = None,
    boxed: bool = True,
    centre: bool = False,
) -> Cell:
    cell = WriteOnlyCell(sheet, value=value)
    if font is not None:
        cell.font = font
    if layout is not None:
        cell.number_format = layout
    if boxed:
        cell.border = _BOX
    if centre:
        cell.alignment = _CENTRE
    return cell  # fmt: skip


def _prepare(sheet: Any, widths: list[float]) -> None:
    """Widths, frozen headers, landscape A4 with the title rows on every page (before rows).

    `sheet` is a WriteOnlyWorksheet: it forwards these attributes to a worksheet, which the
    type stubs do not know.
    """
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.print_title_rows = f"1:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = 9  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _titles(sheet: WriteOnlyWorksheet, title: str, subtitle: str, headers: list[str]) -> None:
    sheet.append([_cell(sheet, title, font=_TITLE, boxed=False)])
    sheet.append([_cell(sheet, subtitle, font=Font(name="Times New Roman", italic=True),
                        boxed=False)])  # fmt: skip
    sheet.append([])
    sheet.append([_cell(sheet, h, font=_BOLD, centre=True) for h in headers])


def list_title(export: Export) -> str:
    """The first sheet's title: the registration list, or the form's title in capitals."""
    return REGISTRATION_TITLE if export.is_registration else export.form.title.upper()


def write_xlsx(export: Export, path: Path, created: datetime) -> int:
    """Write the export to `path` (`created`: the project clock's local time); return its rows."""
    book = Workbook(write_only=True)
    questions = list(export.form.questions)
    subtitle = f"{export.campaign.campaign.title} — {export.root.name}"

    sheet = book.create_sheet(export.form.title[:31].replace("/", "-") or "Danh sách")
    headers = [STT, UNIT, *(label_of(q) for q in questions), NOTE]
    _prepare(sheet, [6, 20, *(_WIDTH.get(q.kind, 20) for q in questions), 24])
    _titles(sheet, list_title(export), subtitle, headers)
    for number, entry in enumerate(export.entries, start=1):
        cells = [_cell(sheet, number), _cell(sheet, entry.unit_name)]
        for question in questions:
            value, layout = cell_value(question, entry.answers.get(question.id))
            cells.append(_cell(sheet, value, layout=layout))
        cells.append(_cell(sheet, _note(entry)))
        sheet.append(cells)

    missing = book.create_sheet(MISSING_SHEET)
    _prepare(missing, [6, 28, 14, 28])
    _titles(missing, MISSING_TITLE, f"{export.form.title} — {subtitle}", [STT, UNIT, CODE, PARENT])
    for number, unit in enumerate(export.missing, start=1):
        missing.append(
            [_cell(missing, number), _cell(missing, unit.name), _cell(missing, unit.code),
             _cell(missing, unit.parent_name or "")]
        )  # fmt: skip
    book.properties.creator = "thidua-bot"
    book.properties.created = created.replace(tzinfo=None)  # Excel keeps local, naive times
    book.save(path)
    return len(export.entries)
