"""The Word report of an export, in the administrative format of Nghị định 30/2020/NĐ-CP.

Two-block header (issuing body left, national motto right), the italic place-and-date line, the
bold title in capitals, the counts in a sentence, a table of the submissions, the units that have
not sent, and the signature block; Times New Roman 13 pt on A4.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Final

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from bot.exports.rows import Export
from bot.exports.xlsx import REGISTRATION_TITLE
from bot.forms.render import label_of, show_value
from bot.texts import VI

FONT: Final = "Times New Roman"
SIZE: Final = Pt(13)
MOTTO: Final = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_LINE: Final = "Độc lập - Tự do - Hạnh phúc"
NUMBER_LINE: Final = "Số:       /BC-MTTQ"
TABLE_ANSWERS: Final = 4  # the first few answers fit a landscape page
MISSING_HEADING: Final = "Các đơn vị chưa gửi:"
NONE_MISSING: Final = "Tất cả các đơn vị đã gửi."


def place_date(place: str, day: date) -> str:
    """'Phường Mẫu, ngày 05 tháng 01 năm 2024': days under 10 and months 1–2 zero-padded."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def report_title(export: Export) -> str:
    """The registration list's title, or 'BÁO CÁO KẾT QUẢ …' with the form's title."""
    if export.is_registration:
        return REGISTRATION_TITLE
    title = export.form.title
    for lead in ("Báo cáo kết quả ", "Báo cáo "):
        if title.casefold().startswith(lead.casefold()):
            title = title[len(lead) :]
            break
    return f"BÁO CÁO KẾT QUẢ {title.upper()}"


def counts_sentence(export: Export, level_label: str, day: date) -> str:
    """The counts in a sentence: expected, sent, late, missing (and the works of a list)."""
    level = level_label.lower()
    sentence = (
        f"Tính đến ngày {day:%d/%m/%Y}, {export.submitted}/{export.expected} {level} thuộc"
        f" {export.root.name} đã gửi \u201c{export.form.title}\u201d, trong đó {export.late}"
        f" gửi muộn; {len(export.missing)} chưa gửi."
    )
    if export.is_registration:
        sentence += f" Tổng số công trình, phần việc đã đăng ký: {len(export.entries)}."
    return sentence


def _run(
    paragraph: Paragraph,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: Pt | None = None,
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
    size: Pt | None = None,
) -> Paragraph:
    paragraph = target.add_paragraph()
    if centre:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(paragraph, text, bold=bold, italic=italic, size=size)
    return paragraph  # fmt: skip


def _first_line(cell: _Cell, text: str, *, bold: bool = False, italic: bool = False) -> None:
    """Write into a cell's own first paragraph (a cell always has one), centred."""
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, text, bold=bold, italic=italic)


def write_docx(
    export: Export, path: Path, *, issuer: str, level_label: str, today: date, signer: str
) -> int:
    """Write the report to `path`; return the number of submissions in its table."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = SIZE
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)

    header = document.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    _first_line(left, issuer.upper(), bold=True)
    _line(left, NUMBER_LINE, centre=True)
    _first_line(right, MOTTO, bold=True)
    _line(right, MOTTO_LINE, bold=True, centre=True)

    _line(document, place_date(export.root.name, today), italic=True, right=True)
    _line(document, report_title(export), bold=True, centre=True)
    _line(document, export.campaign.campaign.title, bold=True, centre=True)
    _line(document, counts_sentence(export, level_label, today))

    questions = list(export.form.questions)[:TABLE_ANSWERS]
    table = document.add_table(rows=1, cols=2 + len(questions))
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, ["STT", "Đơn vị", *(label_of(q) for q in questions)], strict=True
    ):
        _first_line(cell, text, bold=True)
    for number, entry in enumerate(export.entries, start=1):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = str(number), entry.unit_name
        for cell, question in zip(cells[2:], questions, strict=True):
            value = entry.answers.get(question.id)
            cell.text = "" if value is None else show_value(question, value, VI)

    if export.missing:
        _line(document, MISSING_HEADING, bold=True)
        for unit in export.missing:
            parent = f" ({unit.parent_name})" if unit.parent_name else ""
            _line(document, f"- {unit.name}{parent}")
    else:
        _line(document, NONE_MISSING)

    signature = document.add_table(rows=1, cols=2)
    receivers, signs = signature.rows[0].cells
    _first_line(receivers, "Nơi nhận:", bold=True, italic=True)
    _line(receivers, "- Như trên;", size=Pt(11))
    _line(receivers, "- Lưu VT.", size=Pt(11))
    _first_line(signs, f"TM. {signer.upper()}", bold=True)
    _line(signs, "(Ký, ghi rõ họ tên, đóng dấu)", italic=True, centre=True)
    document.save(str(path))
    return len(export.entries)
