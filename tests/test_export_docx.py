"""The Word report's content (issue 13): the sentences with their counts and totals, and the
landscape annex — the registration list grouped by unit with subtotals and a grand total in
Vietnamese numbers, its header row repeated on every page, cut at a limit with a sentence."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Length

from bot.exports import annex, numbers
from bot.exports import docx as word
from tests.test_export_cli import LIST_HEADERS
from tests.test_export_xlsx import REGISTER, UPDATE, export, make_folder

FORM_TITLE = "\u201cĐăng ký công trình, phần việc thi đua\u201d"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeded database of tests/test_export_xlsx.py and its config."""
    return make_folder(tmp_path_factory.mktemp("docx"))


@pytest.fixture(scope="module")
def report(folder: Path) -> WordDocument:
    """The ward's registration report."""
    return Document(str(export(folder, REGISTER, "docx")))


def _texts(document: WordDocument) -> list[str]:
    return [p.text for p in document.paragraphs if p.text]


def _mm(*lengths: Length | None) -> tuple[int, ...]:
    return tuple(round(length.mm) for length in lengths if length is not None)


def _table(document: WordDocument) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in document.tables[2].rows]


def test_the_sentences_say_the_counts_and_the_totals(report: WordDocument) -> None:
    texts = _texts(report)
    assert texts[:3] == [
        "Phường Mẫu, ngày 05 tháng 01 năm 2024",
        "BÁO CÁO KẾT QUẢ ĐĂNG KÝ CÔNG TRÌNH, PHẦN VIỆC THI ĐUA",
        "Đợt thi đua đặc biệt lập thành tích chào mừng Đại hội MTTQ Việt Nam các cấp, nhiệm kỳ"
        " 2024-2029",
    ]
    assert texts[3:7] == [
        f"Tính đến ngày 05/01/2024, 3/4 khu dân cư thuộc Phường Mẫu đã gửi {FORM_TITLE}, trong"
        " đó 1 khu dân cư gửi muộn; 1 khu dân cư chưa gửi.",
        "Tổng số công trình, phần việc đã đăng ký: 4; tổng kinh phí dự kiến 1.303.000.000 đồng;"
        " số hộ hưởng lợi 490 hộ. Chi tiết tại Phụ lục kèm theo.",
        "Các đơn vị chưa gửi:",
        "- Khu phố 4 (Phường Mẫu)",
    ]
    place = next(p for p in report.paragraphs if p.text.startswith("Phường Mẫu, ngày"))
    assert place.runs[0].italic
    header = [p.text for p in report.tables[0].rows[0].cells[0].paragraphs if p.text]
    assert header == ["ỦY BAN MTTQ VIỆT NAM\nPHƯỜNG MẪU", "Số:       /BC-MTTQ"]
    signature = [p.text for c in report.tables[1].rows[0].cells for p in c.paragraphs]
    assert "TM. ỦY BAN MTTQ VIỆT NAM PHƯỜNG MẪU" in signature


def test_the_annex_is_a_landscape_section_after_the_signature(report: WordDocument) -> None:
    portrait, landscape = report.sections
    assert portrait.orientation == WD_ORIENT.PORTRAIT
    assert _mm(portrait.page_width, portrait.page_height) == (210, 297)
    assert landscape.orientation == WD_ORIENT.LANDSCAPE
    assert _mm(landscape.page_width, landscape.page_height) == (297, 210)
    texts = _texts(report)
    annex = texts.index("PHỤ LỤC")
    assert texts[annex : annex + 3] == [
        "PHỤ LỤC",
        "DANH SÁCH ĐĂNG KÝ CÔNG TRÌNH, PHẦN VIỆC THI ĐUA",
        "(Kèm theo Báo cáo số      /BC-MTTQ ngày 05/01/2024 của Ủy ban MTTQ Việt Nam Phường Mẫu)",
    ]
    body = report.element.body
    # The signature table comes before the section break, the annex table after it.
    elements = list(body.iterchildren())
    breaks = [i for i, el in enumerate(elements) if el.find(".//" + qn("w:sectPr")) is not None]
    signature, annex_table = report.tables[1]._tbl, report.tables[2]._tbl
    assert elements.index(signature) < breaks[0] < elements.index(annex_table)


def test_the_annex_lists_the_works_by_unit_with_subtotals(report: WordDocument) -> None:
    table = _table(report)
    assert table[0] == LIST_HEADERS
    repeat = report.tables[2].rows[0]._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}")
    assert repeat is not None and repeat.get(qn("w:val")) == "true"  # on every page
    band = ["Khu phố 1"] * 9
    assert table[1:] == [
        ["I", *band],
        ["1", "", "Thắp sáng hẻm 12", "Nội dung Thắp sáng hẻm 12", "Địa điểm Thắp sáng hẻm 12",
         "11/2023 - 12/2023", "45", "Nhân dân đóng góp", "150", "Đã sửa 1 lần"],
        ["2", "", "Vệ sinh kênh", "Nội dung Vệ sinh kênh", "Địa điểm Vệ sinh kênh",
         "11/2023 - 12/2023", "", "", "300", ""],
        ["", "", "Cộng: 2 công trình, phần việc", "", "", "", "45", "", "450", ""],
        ["II", *["Khu phố 2"] * 9],
        ["1", "", "Đường cờ Tổ quốc hẻm 5", "Nội dung Đường cờ Tổ quốc",
         "Địa điểm Đường cờ Tổ quốc", "11/2023 - 12/2023", "1.250", "Nhân dân đóng góp", "",
         "Đã sửa 2 lần"],
        ["", "", "Cộng: 1 công trình, phần việc", "", "", "", "1.250", "", "", ""],
        ["III", *["Khu phố 3"] * 9],
        ["1", "", "Camera an ninh", "Nội dung Camera an ninh", "Địa điểm Camera an ninh",
         "11/2023 - 12/2023", "8", "Nhân dân đóng góp", "40", "Gửi muộn 2 ngày"],
        ["", "", "Cộng: 1 công trình, phần việc", "", "", "", "8", "", "40", ""],
        ["", "", "Tổng cộng: 4 công trình, phần việc", "", "", "", "1.303", "", "490", ""],
    ]  # fmt: skip
    rows = report.tables[2].rows
    assert rows[1].cells[1].paragraphs[0].runs[0].bold  # the unit's band
    assert rows[4].cells[2].paragraphs[0].runs[0].bold  # a subtotal
    assert rows[-1].cells[6].paragraphs[0].runs[0].bold  # the grand total
    assert not rows[2].cells[2].paragraphs[0].runs[0].bold  # a work
    assert rows[2].cells[2].paragraphs[0].style.font.size.pt == 11


def test_a_long_annex_stops_at_the_limit_and_says_so(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(annex, "ANNEX_LIMIT", 2)
    document = Document(str(export(folder, REGISTER, "docx", "--unit", "X-MAU")))
    table = _table(document)
    # Khu phố 1 fits whole (2 works); Khu phố 2 would not, so the list stops, whole units only.
    assert [row[2] for row in table[1:]] == [
        "Khu phố 1", "Thắp sáng hẻm 12", "Vệ sinh kênh", "Cộng: 2 công trình, phần việc",
        "Tổng cộng: 4 công trình, phần việc",
    ]  # fmt: skip
    assert table[-1][6] == "1.303" and table[-1][8] == "490"  # every work still counted
    assert _texts(document)[-1] == (
        "Phụ lục này liệt kê 2/4 công trình, phần việc; 2 công trình, phần việc còn lại có đầy"
        " đủ trong tệp Excel."
    )


def test_a_long_list_of_missing_units_points_to_the_excel_file(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(word, "MISSING_LIMIT", 1)
    texts = _texts(Document(str(export(folder, UPDATE, "docx", "--unit", "X-MAU"))))
    heading = texts.index("Các đơn vị chưa gửi:")
    assert texts[heading + 1 : heading + 3] == [
        "- Khu phố 1 (Phường Mẫu)",
        "- … và 2 đơn vị khác (xem trang \u201cChưa gửi\u201d của tệp Excel).",
    ]


def test_an_update_report_lists_the_first_answers_with_the_work(folder: Path) -> None:
    document = Document(str(export(folder, UPDATE, "docx")))
    texts = _texts(document)
    assert texts[1] == "BÁO CÁO KẾT QUẢ CẬP NHẬT TIẾN ĐỘ CÔNG TRÌNH"
    assert texts[3:5] == [
        "Tính đến ngày 05/01/2024, 1/4 khu dân cư thuộc Phường Mẫu đã gửi \u201cCập nhật tiến độ"
        " công trình\u201d, không có khu dân cư nào gửi muộn; 3 khu dân cư chưa gửi.",
        "Tổng số bài đã gửi: 1. Chi tiết tại Phụ lục kèm theo.",
    ]
    assert "CẬP NHẬT TIẾN ĐỘ CÔNG TRÌNH" in texts
    assert _table(document) == [
        ["STT", "Đơn vị", "Công trình", "Tình trạng hiện nay",
         "Đạt khoảng bao nhiêu phần trăm khối lượng", "Ngày hoàn thành thực tế",
         "Kinh phí thực hiện thực tế"],
        ["1", "Khu phố 2", "Đường cờ Tổ quốc hẻm 5", "Đang thực hiện", "40%", "", ""],
    ]  # fmt: skip


def test_a_unit_report_holds_only_its_subtree(folder: Path) -> None:
    document = Document(str(export(folder, REGISTER, "docx", "--unit", "KP-02")))
    texts = _texts(document)
    assert texts[3:5] == [
        f"Tính đến ngày 05/01/2024, 1/1 khu dân cư thuộc Khu phố 2 đã gửi {FORM_TITLE}, không"
        " có khu dân cư nào gửi muộn; không còn khu dân cư nào chưa gửi.",
        # Nobody said how many households: no figure rather than a false 0.
        "Tổng số công trình, phần việc đã đăng ký: 1; tổng kinh phí dự kiến 1.250.000.000 đồng."
        " Chi tiết tại Phụ lục kèm theo.",
    ]
    assert "Tất cả các đơn vị đã gửi." in texts
    cells = " ".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    for outside in ("Khu phố 1", "Khu phố 3", "Khu phố 4", "Thắp sáng", "Camera"):
        assert outside not in cells and all(outside not in t for t in texts)


def test_vietnamese_numbers() -> None:
    assert numbers.integer(120_000_000) == "120.000.000"
    assert numbers.dong(1_250_000_000) == "1.250.000.000 đồng"
    assert [numbers.millions(n) for n in (45_000_000, 402_400_000, 1_250_000, 1_234_567, 0)] == [
        "45", "402,4", "1,25", "1,235", "0"
    ]  # fmt: skip
    assert numbers.millions(1_303_000_000) == "1.303"
