"""The Excel file of an export: the registration list, every answer, the units that have not
sent, and every amendment (issue 13).

openpyxl in write-only mode, fed inside the export's snapshot: rows stream from the database
cursor to the file, so a national list of 100,000 works holds one unit's works at a time
(bot/exports/cells.py makes the cells). Numbers and money are numeric cells, dates date cells;
the formats say how Excel shows them (its own locale's separators). Totals are written as values,
not formulas, so that every reader and viewer sees the numbers.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime, tzinfo
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Final

from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter

from bot.campaigns.model import Question
from bot.exports.amendments import changes
from bot.exports.cells import CENTRED, HEADER_ROW, TEXT, Book, Look
from bot.exports.registration import (
    REGISTRATION_HEADERS,
    REGISTRATION_TITLE,
    Sums,
    by_unit,
    registration_columns,
    roman,
    subtotal_label,
)
from bot.exports.rows import Entry, Export, entries
from bot.forms.kinds import QuestionKind, load_date
from bot.forms.render import label_of, show_value
from bot.texts import VI

REGISTRATION_SHEET: Final = "Danh sách đăng ký"
ANSWERS_SHEET: Final = "Trả lời"
MISSING_SHEET: Final = "Chưa gửi"
CHANGES_SHEET: Final = "Sửa đổi"
MISSING_TITLE: Final = "DANH SÁCH ĐƠN VỊ CHƯA GỬI"
CHANGES_TITLE: Final = "CÁC LẦN SỬA ĐỔI"
STT, UNIT, PARENT, CODE, NOTE = "STT", "Đơn vị", "Thuộc", "Mã đơn vị", "Ghi chú"
WORK, SENT, AMENDED = "Công trình", "Ngày gửi", "Lần sửa"
CHANGES_HEADERS: Final = (
    STT, UNIT, "Công trình / Lần gửi", "Câu hỏi", "Giá trị cũ", "Giá trị mới", "Người sửa",
    "Thời gian",
)  # fmt: skip
INTEGER_FORMAT: Final = "#,##0"
# Money in đồng shown in millions: each trailing comma divides by 1,000 (Excel and LibreOffice
# alike: 45.000.000 shows 45,0 and 1.250.000 shows 1,25 in a Vietnamese locale); "0.0##" keeps
# one digit after the separator, as Excel would otherwise show "45.".
MILLIONS_FORMAT: Final = "#,##0.0##,,"
DAY_FORMAT: Final = "dd/mm/yyyy"
MONTH_FORMAT: Final = "mm/yyyy"
TIME_FORMAT: Final = "dd/mm/yyyy hh:mm"

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
_REGISTRATION_WIDTHS: Final = [6, 18, 30, 40, 22, 17, 14, 24, 10, 20]


def cell_value(question: Question, value: Any) -> tuple[Any, str | None]:
    """An answer as a cell: its value and number format (None: a text cell as shown in chats)."""
    if value is None:
        return None, None
    kind = question.kind
    try:
        if kind in (QuestionKind.INTEGER, QuestionKind.MONEY) and type(value) is int:
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


def _subtitle(export: Export) -> str:
    return f"{export.campaign.campaign.title} — {export.root.name}"


def _registration(book: Book, export: Export, rows: Iterator[Entry]) -> int:
    """The registration list: a group row per unit, its works, its subtotal; the grand total.

    Cells left out are not written at all: the boxes of their neighbours draw them (a group
    row reads as one band), and a national list has 300,000 rows.
    """
    sheet = book.sheet(
        REGISTRATION_SHEET, _REGISTRATION_WIDTHS, REGISTRATION_TITLE, _subtitle(export),
        list(REGISTRATION_HEADERS),
    )  # fmt: skip
    columns = registration_columns(export.form)
    style, cell = book.style, sheet.cell
    text, centred = style(TEXT), style(CENTRED)
    money, households = style(Look(layout=MILLIONS_FORMAT)), style(Look(layout=INTEGER_FORMAT))
    dates = {
        "month": style(Look(centre=True, layout=MONTH_FORMAT)),
        "day": style(Look(centre=True, layout=DAY_FORMAT)),
    }
    bold, group_number = style(Look(bold=True, wrap=True)), style(Look(bold=True, centre=True))
    money_sum = style(Look(bold=True, layout=MILLIONS_FORMAT))
    households_sum = style(Look(bold=True, layout=INTEGER_FORMAT))
    total = Sums()

    def sums_row(label: str, sums: Sums) -> None:
        sheet.append(
            [cell(1, None, centred), cell(3, label, bold),
             cell(7, sums.money if columns.money else None, money_sum),
             cell(9, sums.households if columns.households else None, households_sum),
             cell(10, None, text)]
        )  # fmt: skip

    for group, unit in enumerate(by_unit(rows, columns, export.root.path), start=1):
        sheet.append(
            [cell(1, roman(group), group_number), cell(2, unit.label, bold), cell(10, None, text)]
        )
        for number, (entry, work) in enumerate(unit.works, start=1):
            period = work.period
            if period is None or isinstance(period, str):
                when = cell(6, period, centred)
            else:  # the one date of a one-date form
                when = cell(6, period.value, dates[period.precision])
            # The unit's name is on its group row above: the list repeats it nowhere else.
            sheet.append(
                [cell(1, number, centred), cell(3, work.name, text),
                 cell(4, work.content, text), cell(5, work.place, text), when,
                 cell(7, work.money, money), cell(8, work.source, text),
                 cell(9, work.households, households), cell(10, entry.note, text)]
            )  # fmt: skip
        sums_row(subtotal_label(unit.sums), unit.sums)
        total.add(unit.sums)
    sums_row(subtotal_label(total, grand=True), total)
    return total.works


def _answers(book: Book, export: Export, rows: Iterator[Entry], zone: tzinfo) -> int:
    """Every answer: one row per submission, one column per question, as typed cells.

    A data sheet to filter and sort: unstyled cells, except where a number format is needed.
    """
    questions = list(export.form.questions)
    update = export.about is not None
    headers = [STT, UNIT, PARENT, *([WORK] if update else []), *(label_of(q) for q in questions),
               SENT, AMENDED, NOTE]  # fmt: skip
    widths = [6, 20, 20, *([30] if update else []), *(_WIDTH.get(q.kind, 20) for q in questions),
              12, 8, 24]  # fmt: skip
    sheet = book.sheet(
        ANSWERS_SHEET, widths, export.form.title.upper(), _subtitle(export), headers,
        fit_rows=False,
    )  # fmt: skip
    cell = sheet.cell
    layouts: dict[str, StyleArray] = {}

    def formatted(layout: str) -> StyleArray:
        found = layouts.get(layout)
        if found is None:
            found = layouts[layout] = book.style(Look(layout=layout, boxed=False, times=False))
        return found

    first = 4 + update  # the first question's column
    after = first + len(questions)
    count = 0
    for count, entry in enumerate(rows, start=1):
        line = [cell(1, count), cell(2, entry.unit_name)]
        if entry.parent_name is not None:
            line.append(cell(3, entry.parent_name))
        if update:
            line.append(cell(4, entry.work_name))
        for column, question in enumerate(questions, start=first):
            value, layout = cell_value(question, entry.answers.get(question.id))
            if value is not None:
                line.append(cell(column, value, None if layout is None else formatted(layout)))
        sent = entry.first_at.astimezone(zone).date()
        line += [cell(after, sent, formatted(DAY_FORMAT)), cell(after + 1, entry.version - 1)]
        remark = entry.note
        if remark:
            line.append(cell(after + 2, remark))
        sheet.append(line)
    last = get_column_letter(len(headers))
    ws: Any = sheet.ws  # forwards `auto_filter` to a worksheet, which the stubs do not know
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + count}"
    return count


def _missing(book: Book, export: Export) -> None:
    sheet = book.sheet(
        MISSING_SHEET, [6, 28, 14, 28], MISSING_TITLE, f"{export.form.title} — {_subtitle(export)}",
        [STT, UNIT, CODE, PARENT],
    )  # fmt: skip
    cell, text, centred = sheet.cell, book.style(TEXT), book.style(CENTRED)
    for number, unit in enumerate(export.missing, start=1):
        sheet.append(
            [cell(1, number, centred), cell(2, unit.name, text), cell(3, unit.code, text),
             cell(4, unit.parent_name or "", text)]
        )  # fmt: skip


def _changes(book: Book, conn: sqlite3.Connection, export: Export, zone: tzinfo) -> None:
    sheet = book.sheet(
        CHANGES_SHEET, [6, 20, 30, 28, 28, 28, 18, 17], CHANGES_TITLE,
        f"{export.form.title} — {_subtitle(export)}", list(CHANGES_HEADERS),
    )  # fmt: skip
    style, cell = book.style, sheet.cell
    text, centred, at = style(TEXT), style(CENTRED), style(Look(layout=TIME_FORMAT, centre=True))
    for number, change in enumerate(changes(conn, export), start=1):
        old, old_layout = cell_value(change.question, change.before)
        new, new_layout = cell_value(change.question, change.after)
        when = change.at.astimezone(zone).replace(tzinfo=None)  # Excel keeps local, naive times
        sheet.append(
            [cell(1, number, centred), cell(2, change.unit_label, text),
             cell(3, change.title, text), cell(4, label_of(change.question), text),
             cell(5, old, style(Look(layout=old_layout, wrap=old_layout is None))),
             cell(6, new, style(Look(layout=new_layout, wrap=new_layout is None))),
             cell(7, change.member_name, text), cell(8, when, at)]
        )  # fmt: skip


def write_xlsx(
    conn: sqlite3.Connection, export: Export, path: Path, created: datetime, zone: tzinfo
) -> int:
    """Write the export to `path` from the snapshot `conn` (`created`: the project clock's
    local time; `zone`: the project's time zone); return its submissions."""
    book = Book()
    if export.is_registration:
        _registration(book, export, entries(conn, export))
    count = _answers(book, export, entries(conn, export), zone)
    _missing(book, export)
    _changes(book, conn, export, zone)
    book.book.properties.creator = "thidua-bot"
    book.book.properties.created = created.replace(tzinfo=None)  # Excel keeps local, naive times
    book.book.save(path)
    return count
