"""`thidua export`: the Excel list and the Word report of real registrations, re-opened and
read cell by cell and paragraph by paragraph; unknown names; a secretary's subtree only."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from bot.cli import main
from tests.driver import open_bot
from tests.transcript_runner import campaign_path

EXAMPLE = campaign_path("example")
CAMPAIGN, FORM = "dai-hoi-mttq-2024", "dang-ky"
LIST_HEADERS = [
    "STT",
    "Đơn vị",
    "Tên công trình/phần việc",
    "Nội dung/quy mô",
    "Địa điểm",
    "Thời gian thực hiện",
    "Kinh phí dự kiến (triệu đồng)",
    "Nguồn kinh phí",
    "Số hộ hưởng lợi",
    "Ghi chú",
]
QUESTION_HEADERS = [
    "Tên công trình, phần việc",
    "Loại",
    "Lĩnh vực",
    "Nội dung, quy mô cụ thể",
    "Địa điểm thực hiện",
    "Thời gian bắt đầu",
    "Dự kiến hoàn thành",
    "Tổng kinh phí dự kiến",
    "Nguồn kinh phí",
    "Số hộ hưởng lợi",
    "Ảnh hiện trạng",
]
ANSWER_HEADERS = ["STT", "Đơn vị", "Thuộc", *QUESTION_HEADERS, "Ngày gửi", "Lần sửa", "Ghi chú"]


def _answers(name: str, money: str, households: str) -> list[str]:
    return [
        "dangky",
        name,
        "1",  # Công trình
        "1",  # An sinh xã hội
        f"Nội dung {name}",
        f"Địa điểm {name}",
        "11/2023",
        "12/2023",
        money,
        "2",  # Nhân dân đóng góp
        households,
        "xong",
        "gui",
        "2",  # nothing more to register
    ]


async def _seed(folder: Path) -> None:
    """KP-01 registers one work; KP-02 registers one and amends it; KP-03 registers late;
    KP-04 sends nothing. Everything on the console, as people type it."""
    async with open_bot(folder) as bot:
        await bot.load_campaign(EXAMPLE)
        for user, unit in (("ba-lan", "KP-01"), ("ong-tu", "KP-02"), ("chi-mai", "KP-03")):
            await bot.enrol(user, unit, "rep")
        for text in _answers("Thắp sáng hẻm 12", "45 triệu", "120"):
            await bot.say("ba-lan", text)
        for text in _answers("Đường cờ Tổ quốc", "1,2 tỷ", "boqua"):
            await bot.say("ong-tu", text)
        for text in ("trangthai", "1", "sua 1", "Đường cờ Tổ quốc hẻm 5", "gui"):
            replies = await bot.say("ong-tu", text)
        assert "lần sửa thứ 1" in replies[0], replies
        bot.clock.set(datetime.fromisoformat("2023-12-02T09:00:00+07:00"))  # due 30/11
        for text in _answers("Camera an ninh", "8 triệu", "40"):
            await bot.say("chi-mai", text)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample tree, the example campaign and three registrations; a config on a clock at
    05/01/2024 (day and month zero-padded in the place-date line)."""
    path = tmp_path_factory.mktemp("export")
    asyncio.run(_seed(path))
    (path / "config.toml").write_text(
        f'[database]\npath = "{path / "thidua.sqlite3"}"\n[telegram]\nenabled = false\n'
        '[clock]\nstart = "2024-01-05T09:00:00+07:00"\nspeed = 0.001\n',
        "utf-8",
    )
    return path


def _export(folder: Path, *extra: str) -> int:
    return main(["export", "--config", str(folder / "config.toml"), *extra])


def test_xlsx_cell_by_cell(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = folder / "dang-ky.xlsx"
    capsys.readouterr()
    assert _export(folder, "--campaign", CAMPAIGN, "--form", FORM, "--format", "xlsx",
                   "--out", str(out), "--json") == 0  # fmt: skip
    assert json.loads(capsys.readouterr().out) == {"ok": True, "path": str(out), "rows": 3}
    book = load_workbook(out)
    assert book.sheetnames == ["Danh sách đăng ký", "Trả lời", "Chưa gửi", "Sửa đổi"]
    sheet = book.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "DANH SÁCH ĐĂNG KÝ CÔNG TRÌNH, PHẦN VIỆC THI ĐUA"
    assert str(rows[1][0]).endswith("— Phường Mẫu")
    assert rows[3] == LIST_HEADERS
    assert sheet.freeze_panes == "A5"
    assert sheet.print_title_rows == "$1:$4"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    # The amended work in its current version, money (1,2 tỷ) in đồng, a skipped count empty.
    group = [None] * 8
    assert rows[4:] == [
        ["I", "Khu phố 1", *group],
        [1, None, "Thắp sáng hẻm 12", "Nội dung Thắp sáng hẻm 12", "Địa điểm Thắp sáng hẻm 12",
         "11/2023 - 12/2023", 45_000_000, "Nhân dân đóng góp", 120, None],
        [None, None, "Cộng: 1 công trình, phần việc", None, None, None, 45_000_000, None, 120,
         None],
        ["II", "Khu phố 2", *group],
        [1, None, "Đường cờ Tổ quốc hẻm 5", "Nội dung Đường cờ Tổ quốc",
         "Địa điểm Đường cờ Tổ quốc", "11/2023 - 12/2023", 1_200_000_000, "Nhân dân đóng góp",
         None, "Đã sửa 1 lần"],
        [None, None, "Cộng: 1 công trình, phần việc", None, None, None, 1_200_000_000, None,
         None, None],
        ["III", "Khu phố 3", *group],
        [1, None, "Camera an ninh", "Nội dung Camera an ninh", "Địa điểm Camera an ninh",
         "11/2023 - 12/2023", 8_000_000, "Nhân dân đóng góp", 40, "Gửi muộn 2 ngày"],
        [None, None, "Cộng: 1 công trình, phần việc", None, None, None, 8_000_000, None, 40,
         None],
        [None, None, "Tổng cộng: 3 công trình, phần việc", None, None, None, 1_253_000_000, None,
         160, None],
    ]  # fmt: skip
    money, count = sheet["G6"], sheet["I6"]
    assert money.data_type == "n" and money.number_format == "#,##0.0##,,"  # millions shown
    assert count.data_type == "n" and count.number_format == "#,##0"
    assert sheet.column_dimensions["C"].width == 30

    answers = book["Trả lời"]
    listed = [list(row) for row in answers.iter_rows(values_only=True)]
    assert listed[3] == ANSWER_HEADERS
    first, second, third = listed[4:]
    assert first[:8] == [1, "Khu phố 1", "Phường Mẫu", "Thắp sáng hẻm 12", "Công trình",
                         "An sinh xã hội", "Nội dung Thắp sáng hẻm 12",
                         "Địa điểm Thắp sáng hẻm 12"]  # fmt: skip
    assert first[8:] == [
        datetime(2023, 11, 1), datetime(2023, 12, 1), 45_000_000, "Nhân dân đóng góp", 120,
        None, datetime(2023, 11, 20), 0, None,
    ]  # fmt: skip
    assert second[3] == "Đường cờ Tổ quốc hẻm 5" and second[10] == 1_200_000_000
    assert second[12] is None and second[15:] == [1, "Đã sửa 1 lần"]
    assert third[:4] == [3, "Khu phố 3", "Phường Mẫu", "Camera an ninh"]
    assert third[14:] == [datetime(2023, 12, 2), 0, "Gửi muộn 2 ngày"]
    money, start, count = answers["K5"], answers["I5"], answers["M5"]
    assert money.data_type == "n" and money.number_format == "#,##0"
    assert count.data_type == "n" and count.number_format == "#,##0"
    assert isinstance(start.value, datetime) and start.number_format == "mm/yyyy"  # a month answer

    missing = book["Chưa gửi"]
    listed = [list(row) for row in missing.iter_rows(values_only=True)]
    assert listed[0][0] == "DANH SÁCH ĐƠN VỊ CHƯA GỬI"
    assert listed[3] == ["STT", "Đơn vị", "Mã đơn vị", "Thuộc"]
    assert listed[4:] == [[1, "Khu phố 4", "KP-04", "Phường Mẫu"]]

    changes = [list(row) for row in book["Sửa đổi"].iter_rows(min_row=5, values_only=True)]
    assert [row[1:7] for row in changes] == [
        ["Khu phố 2", "Đường cờ Tổ quốc hẻm 5", "Tên công trình, phần việc", "Đường cờ Tổ quốc",
         "Đường cờ Tổ quốc hẻm 5", "ong-tu"]
    ]  # fmt: skip


def test_a_day_answer_is_a_dd_mm_yyyy_date_cell(folder: Path) -> None:
    from bot.campaigns.model import Question
    from bot.exports.xlsx import cell_value

    day = Question(id="d", kind="date", prompt="Ngày?")
    assert cell_value(day, "2023-11-30") == (datetime(2023, 11, 30).date(), "dd/mm/yyyy")
    number = Question(id="n", kind="number", prompt="Bao nhiêu?")
    assert cell_value(number, "3.5") == (3.5, "#,##0.0")


def test_docx_paragraph_by_paragraph(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = folder / "dang-ky.docx"
    capsys.readouterr()
    assert _export(folder, "--campaign", CAMPAIGN, "--form", FORM, "--format", "docx",
                   "--out", str(out)) == 0  # fmt: skip
    (line,) = capsys.readouterr().out.splitlines()
    assert str(out) in line and " / " in line
    document = Document(str(out))
    header = document.tables[0].rows[0].cells
    left = [p for p in header[0].paragraphs if p.text]
    right = [p for p in header[1].paragraphs if p.text]
    assert left[0].text == "ỦY BAN MTTQ VIỆT NAM\nPHƯỜNG MẪU" and left[0].runs[0].bold
    assert left[1].text == "Số:       /BC-MTTQ"
    assert [p.text for p in right] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    assert all(p.runs[0].bold for p in right)
    paragraphs = [p for p in document.paragraphs if p.text]
    place, title, campaign, counts, totals = paragraphs[:5]
    assert place.text == "Phường Mẫu, ngày 05 tháng 01 năm 2024" and place.runs[0].italic
    assert title.text == "BÁO CÁO KẾT QUẢ ĐĂNG KÝ CÔNG TRÌNH, PHẦN VIỆC THI ĐUA"
    assert title.runs[0].bold
    assert campaign.text.startswith("Đợt thi đua đặc biệt")
    assert counts.text == (
        "Tính đến ngày 05/01/2024, 3/4 khu dân cư thuộc Phường Mẫu đã gửi \u201cĐăng ký công"
        " trình, phần việc thi đua\u201d, trong đó 1 khu dân cư gửi muộn; 1 khu dân cư chưa gửi."
    )
    assert totals.text == (
        "Tổng số công trình, phần việc đã đăng ký: 3; tổng kinh phí dự kiến 1.253.000.000 đồng;"
        " số hộ hưởng lợi 160 hộ. Chi tiết tại Phụ lục kèm theo."
    )
    assert [p.text for p in paragraphs[5:7]] == [
        "Các đơn vị chưa gửi:",
        "- Khu phố 4 (Phường Mẫu)",
    ]
    assert [p.text for p in paragraphs[7:9]] == [
        "PHỤ LỤC",
        "DANH SÁCH ĐĂNG KÝ CÔNG TRÌNH, PHẦN VIỆC THI ĐUA",
    ]
    signature = [p.text for c in document.tables[1].rows[0].cells for p in c.paragraphs]
    assert "Nơi nhận:" in signature and "TM. ỦY BAN MTTQ VIỆT NAM PHƯỜNG MẪU" in signature
    table = [[c.text for c in row.cells] for row in document.tables[2].rows]
    assert table[0] == LIST_HEADERS
    assert table[1][:2] == ["I", "Khu phố 1"]
    assert table[2] == ["1", "", "Thắp sáng hẻm 12", "Nội dung Thắp sáng hẻm 12",
                        "Địa điểm Thắp sáng hẻm 12", "11/2023 - 12/2023", "45",
                        "Nhân dân đóng góp", "120", ""]  # fmt: skip
    assert table[-1][2:] == ["Tổng cộng: 3 công trình, phần việc", "", "", "", "1.253", "",
                             "160", ""]  # fmt: skip
    normal = document.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size.pt == 13


def test_a_unit_sees_only_its_subtree(folder: Path) -> None:
    out = folder / "kp-02.xlsx"
    assert _export(folder, "--campaign", CAMPAIGN, "--form", FORM, "--format", "xlsx",
                   "--out", str(out), "--unit", "kp-02") == 0  # fmt: skip
    book = load_workbook(out)
    rows = [list(r) for r in book.worksheets[0].iter_rows(min_row=5, values_only=True)]
    assert [r[:3] for r in rows] == [
        ["I", "Khu phố 2", None],
        [1, None, "Đường cờ Tổ quốc hẻm 5"],
        [None, None, "Cộng: 1 công trình, phần việc"],
        [None, None, "Tổng cộng: 1 công trình, phần việc"],
    ]
    text = " ".join(
        str(v) for s in book.worksheets for r in s.iter_rows(values_only=True) for v in r
    )
    assert "Khu phố 1" not in text and "Khu phố 4" not in text and "Thắp sáng" not in text
    assert list(book["Chưa gửi"].iter_rows(min_row=5, values_only=True)) == []


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--campaign", "khong-co", "--form", FORM], "khong-co"),
        (["--campaign", CAMPAIGN, "--form", "khong-co"], "khong-co"),
        (["--campaign", CAMPAIGN, "--form", FORM, "--unit", "KP-99"], "KP-99"),
        (["--campaign", CAMPAIGN, "--form", FORM, "--unit", "AP-01"], "AP-01"),  # out of scope
    ],
)
def test_unknown_names_are_one_line_exit_1(
    folder: Path, capsys: pytest.CaptureFixture[str], args: list[str], says: str
) -> None:
    out = folder / "never.xlsx"
    capsys.readouterr()
    assert _export(folder, *args, "--format", "xlsx", "--out", str(out)) == 1
    captured = capsys.readouterr()
    (line,) = captured.err.strip().splitlines()
    assert says in line and " / " in line and "Traceback" not in captured.err
    assert captured.out == "" and not out.exists()


def test_a_missing_folder_is_one_line_exit_1(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = folder / "no-such-folder" / "x.docx"
    capsys.readouterr()
    assert _export(folder, "--campaign", CAMPAIGN, "--form", FORM, "--format", "docx",
                   "--out", str(out)) == 1  # fmt: skip
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "no-such-folder" in line and " / " in line
