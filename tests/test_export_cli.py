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
HEADERS = [
    "STT",
    "Đơn vị",
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
    "Ghi chú",
]


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
    sheet = book.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "DANH SÁCH ĐĂNG KÝ CÔNG TRÌNH, PHẦN VIỆC THI ĐUA"
    assert str(rows[1][0]).endswith("— Phường Mẫu")
    assert rows[3] == HEADERS
    assert sheet.freeze_panes == "A5"
    assert sheet.print_title_rows == "$1:$4"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    first, second, third = rows[4:7]
    assert len(rows) == 7  # one row per work, nothing else
    assert first[:7] == [1, "Khu phố 1", "Thắp sáng hẻm 12", "Công trình", "An sinh xã hội",
                         "Nội dung Thắp sáng hẻm 12", "Địa điểm Thắp sáng hẻm 12"]  # fmt: skip
    assert first[7:] == [
        datetime(2023, 11, 1), datetime(2023, 12, 1), 45_000_000, "Nhân dân đóng góp", 120,
        None, None,
    ]  # fmt: skip
    # The amended work in its current version, money (1,2 tỷ) in đồng, a skipped count empty.
    assert second[:3] == [2, "Khu phố 2", "Đường cờ Tổ quốc hẻm 5"]
    assert second[9] == 1_200_000_000 and second[11] is None
    assert second[13] == "Đã sửa 1 lần"
    assert third[:3] == [3, "Khu phố 3", "Camera an ninh"] and third[13] == "Gửi muộn 2 ngày"
    money, start, count = sheet.cell(5, 10), sheet.cell(5, 8), sheet.cell(5, 12)
    assert money.data_type == "n" and money.number_format == "#,##0"
    assert count.data_type == "n" and count.number_format == "#,##0"
    assert isinstance(start.value, datetime) and start.number_format == "mm/yyyy"  # a month answer
    assert sheet.column_dimensions["C"].width == 30

    missing = book["Chưa gửi"]
    listed = [list(row) for row in missing.iter_rows(values_only=True)]
    assert listed[0][0] == "DANH SÁCH ĐƠN VỊ CHƯA GỬI"
    assert listed[3] == ["STT", "Đơn vị", "Mã đơn vị", "Thuộc"]
    assert listed[4:] == [[1, "Khu phố 4", "KP-04", "Phường Mẫu"]]


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
    assert left[0].text == "ỦY BAN MTTQ VIỆT NAM PHƯỜNG MẪU" and left[0].runs[0].bold
    assert [p.text for p in right] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    assert all(p.runs[0].bold for p in right)
    paragraphs = [p for p in document.paragraphs if p.text]
    place, title, campaign, counts = paragraphs[:4]
    assert place.text == "Phường Mẫu, ngày 05 tháng 01 năm 2024" and place.runs[0].italic
    assert title.text == "DANH SÁCH ĐĂNG KÝ CÔNG TRÌNH, PHẦN VIỆC THI ĐUA" and title.runs[0].bold
    assert campaign.text.startswith("Đợt thi đua đặc biệt")
    assert counts.text == (
        "Tính đến ngày 05/01/2024, 3/4 khu dân cư thuộc Phường Mẫu đã gửi \u201cĐăng ký công"
        " trình, phần việc thi đua\u201d, trong đó 1 gửi muộn; 1 chưa gửi. Tổng số công trình,"
        " phần việc đã đăng ký: 3."
    )
    assert [p.text for p in paragraphs[4:]] == ["Các đơn vị chưa gửi:", "- Khu phố 4 (Phường Mẫu)"]
    table = [[c.text for c in row.cells] for row in document.tables[1].rows]
    assert table == [
        ["STT", "Đơn vị", "Tên công trình, phần việc", "Loại", "Lĩnh vực",
         "Nội dung, quy mô cụ thể"],
        ["1", "Khu phố 1", "Thắp sáng hẻm 12", "Công trình", "An sinh xã hội",
         "Nội dung Thắp sáng hẻm 12"],
        ["2", "Khu phố 2", "Đường cờ Tổ quốc hẻm 5", "Công trình", "An sinh xã hội",
         "Nội dung Đường cờ Tổ quốc"],
        ["3", "Khu phố 3", "Camera an ninh", "Công trình", "An sinh xã hội",
         "Nội dung Camera an ninh"],
    ]  # fmt: skip
    signature = [p.text for c in document.tables[2].rows[0].cells for p in c.paragraphs]
    assert "Nơi nhận:" in signature and "TM. ỦY BAN MTTQ VIỆT NAM PHƯỜNG MẪU" in signature
    normal = document.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size.pt == 13


def test_a_unit_sees_only_its_subtree(folder: Path) -> None:
    out = folder / "kp-02.xlsx"
    assert _export(folder, "--campaign", CAMPAIGN, "--form", FORM, "--format", "xlsx",
                   "--out", str(out), "--unit", "kp-02") == 0  # fmt: skip
    book = load_workbook(out)
    rows = [list(r) for r in book.worksheets[0].iter_rows(min_row=5, values_only=True)]
    assert [r[1:3] for r in rows] == [["Khu phố 2", "Đường cờ Tổ quốc hẻm 5"]]
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
