"""The Word report of an export, in the administrative format of Nghị định 30/2020/NĐ-CP.

Two-block header (issuing body left, national motto right), the number line, the italic
place-and-date line, the bold title in capitals, the counts and totals in sentences, the units
that have not sent, and the signature block; Times New Roman 13 pt on portrait A4. Then an annex
in a landscape section: the registration list grouped by unit with subtotals and a grand total
(or the first answers of each submission), its header row repeated on every page, cut at
`annex.ANNEX_LIMIT` works (the Excel file has them all: a national Word file must not take
minutes).
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import Final

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.section import Section
from docx.shared import Length, Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from bot.exports import numbers
from bot.exports.annex import write_annex
from bot.exports.registration import (
    REGISTRATION_TITLE,
    WORKS,
    Columns,
    Sums,
    registration_columns,
)
from bot.exports.rows import Export, entries

FONT: Final = "Times New Roman"
SIZE: Final = Pt(13)
MOTTO: Final = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_LINE: Final = "Độc lập - Tự do - Hạnh phúc"
NUMBER_LINE: Final = "Số:       /BC-MTTQ"
ANNEX: Final = "PHỤ LỤC"
# Units named in the body; a national list of them is the Excel file's "Chưa gửi" sheet (and
# 2,000 styled paragraphs held the bot's loop for a quarter of a second).
MISSING_LIMIT: Final = 200
MISSING_HEADING: Final = "Các đơn vị chưa gửi:"
NONE_MISSING: Final = "Tất cả các đơn vị đã gửi."
SEE_ANNEX: Final = "Chi tiết tại Phụ lục kèm theo."


def place_date(place: str, day: date) -> str:
    """'Phường Mẫu, ngày 05 tháng 01 năm 2024': days under 10 and months 1–2 zero-padded."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def report_title(export: Export) -> str:
    """'BÁO CÁO KẾT QUẢ …' with the form's title (the body is a report: its number is …/BC)."""
    title = export.form.title
    for lead in ("Báo cáo kết quả ", "Báo cáo "):
        if title.casefold().startswith(lead.casefold()):
            title = title[len(lead) :]
            break
    return f"BÁO CÁO KẾT QUẢ {title.upper()}"


def annex_title(export: Export) -> str:
    """The registration list's title, or the form's title in capitals."""
    return REGISTRATION_TITLE if export.is_registration else export.form.title.upper()


def counts_sentence(export: Export, level_label: str, day: date) -> str:
    """The units in a sentence: expected, sent, late, missing."""
    level = level_label.lower()
    late = (
        f"trong đó {export.late} {level} gửi muộn"
        if export.late
        else f"không có {level} nào gửi muộn"
    )
    missing = len(export.missing)
    left = f"{missing} {level} chưa gửi" if missing else f"không còn {level} nào chưa gửi"
    return (
        f"Tính đến ngày {day:%d/%m/%Y}, {export.submitted}/{export.expected} {level} thuộc"
        f" {export.root.name} đã gửi \u201c{export.form.title}\u201d, {late}; {left}."
    )


def totals_sentence(export: Export, columns: Columns, sums: Sums) -> str:
    """The works in a sentence: how many, their kinh phí and their số hộ (registration), or
    how many submissions."""
    if not export.is_registration:
        return f"Tổng số bài đã gửi: {numbers.integer(sums.works)}. {SEE_ANNEX}"
    parts = [f"Tổng số {WORKS} đã đăng ký: {numbers.integer(sums.works)}"]
    # A sum nobody answered (a form without the question, or every answer skipped) is left out.
    if columns.money is not None and sums.money is not None:
        parts.append(f"tổng kinh phí dự kiến {numbers.dong(sums.money)}")
    if columns.households is not None and sums.households is not None:
        parts.append(f"số hộ hưởng lợi {numbers.integer(sums.households)} hộ")
    return "; ".join(parts) + f". {SEE_ANNEX}"


def cut_sentence(export: Export, shown: int, total: int) -> str:
    """Where a long annex stops: how many it lists, and that the Excel file has the rest."""
    noun = WORKS if export.is_registration else "bài gửi"
    return (
        f"Phụ lục này liệt kê {numbers.integer(shown)}/{numbers.integer(total)} {noun};"
        f" {numbers.integer(total - shown)} {noun} còn lại có đầy đủ trong tệp Excel."
    )


def _run(
    paragraph: Paragraph,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: Length | None = None,
) -> None:
    run = paragraph.add_run(text)
    run.bold, run.italic = bold or None, italic or None
    run.font.name = FONT
    if size is not None:
        run.font.size = size  # fmt: skip


def _line(
    target: WordDocument | _Cell,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    centre: bool = False,
    right: bool = False,
    size: Length | None = None,
) -> Paragraph:
    paragraph = target.add_paragraph()
    if centre:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(paragraph, text, bold=bold, italic=italic, size=size)
    return paragraph  # fmt: skip


def issuer_lines(issuer: str, unit_name: str) -> str:
    """'ỦY BAN MTTQ VIỆT NAM' over 'PHƯỜNG MẪU': the body above the unit, as letterheads have it."""
    if unit_name and issuer.endswith(" " + unit_name):
        return f"{issuer[: -len(unit_name) - 1]}\n{unit_name}".upper()
    return issuer.upper()


def _first_line(
    cell: _Cell, text: str, *, bold: bool = False, italic: bool = False, size: Pt | None = None
) -> None:
    """Write into a cell's own first paragraph (a cell always has one), centred."""
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, text, bold=bold, italic=italic, size=size)


def _page(section: Section, *, landscape: bool) -> None:
    """A4, portrait or landscape, with the decree's margins (left 30 mm on portrait)."""
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.left_margin, section.right_margin = Mm(20), Mm(15)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)


def _missing(document: WordDocument, export: Export) -> None:
    if not export.missing:
        _line(document, NONE_MISSING)
        return
    _line(document, MISSING_HEADING, bold=True)
    for unit in export.missing[:MISSING_LIMIT]:
        parent = f" ({unit.parent_name})" if unit.parent_name else ""
        _line(document, f"- {unit.name}{parent}")
    more = len(export.missing) - MISSING_LIMIT
    if more > 0:
        _line(
            document,
            f"- … và {numbers.integer(more)} đơn vị khác (xem trang \u201cChưa gửi\u201d"
            " của tệp Excel).",
        )


def _signature(document: WordDocument, signer: str) -> None:
    signature = document.add_table(rows=1, cols=2)
    receivers, signs = signature.rows[0].cells
    _first_line(receivers, "Nơi nhận:", bold=True, italic=True)
    _line(receivers, "- Như trên;", size=Pt(11))
    _line(receivers, "- Lưu VT.", size=Pt(11))
    _first_line(signs, f"TM. {signer.upper()}", bold=True)
    _line(signs, "(Ký, ghi rõ họ tên, đóng dấu)", italic=True, centre=True)


def write_docx(
    conn: sqlite3.Connection,
    export: Export,
    path: Path,
    *,
    issuer: str,
    level_label: str,
    today: date,
    signer: str,
) -> int:
    """Write the report to `path` from the snapshot `conn`; return the submissions it covers."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = SIZE
    _page(document.sections[0], landscape=False)

    header = document.add_table(rows=1, cols=2)
    header.autofit = False
    left, right = header.rows[0].cells
    # The motto needs the wider block to stay on one line (12 pt, as the decree allows).
    # Word reads the cells' widths, LibreOffice the table's grid: both are set.
    left.width, right.width = Mm(68), Mm(97)
    header.columns[0].width, header.columns[1].width = Mm(68), Mm(97)
    _first_line(left, issuer_lines(issuer, export.root.name), bold=True)
    _line(left, NUMBER_LINE, centre=True)
    _first_line(right, MOTTO, bold=True, size=Pt(12))
    _line(right, MOTTO_LINE, bold=True, centre=True)

    _line(document, place_date(export.root.name, today), italic=True, right=True)
    _line(document, report_title(export), bold=True, centre=True)
    _line(document, export.campaign.campaign.title, bold=True, centre=True)
    _line(document, counts_sentence(export, level_label, today))
    # The totals are known once the annex has read every work: its paragraph is filled then.
    totals = document.add_paragraph()
    _missing(document, export)
    _signature(document, signer)

    _page(document.add_section(WD_SECTION.NEW_PAGE), landscape=True)
    _line(document, ANNEX, bold=True, centre=True)
    _line(document, annex_title(export), bold=True, centre=True)
    _line(
        document,
        f"(Kèm theo Báo cáo số      /BC-MTTQ ngày {today:%d/%m/%Y} của {issuer})",
        italic=True,
        centre=True,
    )
    columns = registration_columns(export.form)
    shown, sums = write_annex(document, export, columns, entries(conn, export))
    if shown < sums.works:
        _line(document, cut_sentence(export, shown, sums.works), italic=True)
    _run(totals, totals_sentence(export, columns, sums))
    document.save(str(path))
    return sums.works
