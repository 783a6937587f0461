"""The Excel export's content (issue 13): the registration list grouped by unit with subtotals
and a grand total, every answer, the units that have not sent, and every amendment — real files
written by `thidua export` from registrations typed to the bot, re-opened and read cell by cell."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import tomllib
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from bot.campaigns.model import SKIP_CROSS_CHECKS, Campaign, Form, Question
from bot.cli import main
from bot.exports.cells import Book
from bot.exports.registration import registration_columns, roman, work
from bot.exports.xlsx import cell_value
from bot.parsers import DateValue
from storage import export_reads
from tests.driver import open_bot
from tests.test_export_cli import LIST_HEADERS, QUESTION_HEADERS
from tests.transcript_runner import campaign_path

CAMPAIGN, REGISTER, UPDATE = "dai-hoi-mttq-2024", "dang-ky", "tien-do"
A_WORK = "Công trình"  # the first option of `loai`: money and sources are asked
A_TASK = "Phần việc"  # the second: they are not


def _register(name: str, kind: str, money: str | None, households: str, first: str) -> list[str]:
    lines = [first, name, kind, "1", f"Nội dung {name}", f"Địa điểm {name}", "11/2023", "12/2023"]
    if money is not None:
        lines += [money, "2"]  # Nhân dân đóng góp
    return [*lines, households, "xong", "gui"]


async def _say(bot: Any, user: str, lines: list[str]) -> list[str]:
    replies: list[str] = []
    for text in lines:
        replies = await bot.say(user, text)
    return replies


async def seed(folder: Path) -> None:
    """On the sample tree: KP-01 registers two works (the second a task: no money asked) and
    amends one's households; KP-02 registers one, amends its name and then its money, and
    updates its progress; KP-03 registers late; KP-04 sends nothing. Typed as people type."""
    async with open_bot(folder) as bot:
        await bot.load_campaign(campaign_path("example"))
        for user, unit in (("ba-lan", "KP-01"), ("ong-tu", "KP-02"), ("chi-mai", "KP-03")):
            await bot.enrol(user, unit, "rep")
        await _say(bot, "ba-lan", _register("Thắp sáng hẻm 12", "1", "45 triệu", "120", "dangky"))
        await _say(bot, "ba-lan", [*_register("Vệ sinh kênh", "2", None, "300", "1"), "2"])
        await _say(bot, "ong-tu", [*_register("Đường cờ Tổ quốc", "1", "1,2 tỷ", "boqua", "dangky"),
                                   "2"])  # fmt: skip
        bot.clock.set(datetime.fromisoformat("2023-11-25T14:30:00+07:00"))
        replies = await _say(bot, "ong-tu", ["trangthai", "1", "sua 1", "Đường cờ Tổ quốc hẻm 5",
                                             "gui"])  # fmt: skip
        assert "lần sửa thứ 1" in replies[0], replies
        bot.clock.set(datetime.fromisoformat("2023-11-26T10:00:00+07:00"))
        replies = await _say(bot, "ba-lan", ["trangthai", "1", "sua 10", "150", "gui"])
        assert "Thắp sáng hẻm 12" in replies[0] and "lần sửa thứ 1" in replies[0], replies
        bot.clock.set(datetime.fromisoformat("2023-11-27T09:15:00+07:00"))
        replies = await _say(bot, "ong-tu", ["trangthai", "1", "sua 8", "1,25 tỷ", "gui"])
        assert "lần sửa thứ 2" in replies[0], replies
        replies = await _say(bot, "ong-tu", ["baocao", "1", "1", "đang", "40%", "gửi"])
        assert "Đã nhận tiến độ mới" in replies[0], replies
        bot.clock.set(datetime.fromisoformat("2023-12-02T09:00:00+07:00"))  # due 30/11
        replies = await _say(bot, "chi-mai", _register("Camera an ninh", "1", "8 triệu", "40",
                                                       "dangky"))  # fmt: skip
        assert "nộp trễ 2 ngày" in replies[0], replies


def make_folder(path: Path) -> Path:
    """Seed `path` and write a config on a clock at 05/01/2024."""
    asyncio.run(seed(path))
    (path / "config.toml").write_text(
        f'[database]\npath = "{path / "thidua.sqlite3"}"\n[telegram]\nenabled = false\n'
        '[clock]\nstart = "2024-01-05T09:00:00+07:00"\nspeed = 0.001\n',
        "utf-8",
    )
    return path


def export(folder: Path, form: str, fmt: str, *extra: str) -> Path:
    """Run `thidua export` and return the file it wrote."""
    out = folder / f"{form}{'-'.join(extra)}.{fmt}"
    code = main(["export", "--config", str(folder / "config.toml"), "--campaign", CAMPAIGN,
                 "--form", form, "--format", fmt, "--out", str(out), *extra])  # fmt: skip
    assert code == 0
    return out


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeded database and its config."""
    return make_folder(tmp_path_factory.mktemp("xlsx"))


@pytest.fixture(scope="module")
def book(folder: Path) -> Any:
    """The ward's registration workbook."""
    return load_workbook(export(folder, REGISTER, "xlsx"))


def _rows(sheet: Worksheet, first: int = 1) -> list[list[Any]]:
    return [list(row) for row in sheet.iter_rows(min_row=first, values_only=True)]


def _stored(folder: Path, form: str) -> list[dict[str, Any]]:
    """The current answers of every submission of a form, straight from the database."""
    with sqlite3.connect(folder / "thidua.sqlite3") as conn:
        rows = conn.execute(
            "SELECT v.answers FROM submissions AS s JOIN submission_versions AS v"
            " ON v.submission_id = s.id AND v.version = s.current_version"
            " JOIN units AS u ON u.code = s.unit_code WHERE s.form_id = ?"
            " ORDER BY u.path, s.first_submitted_at",
            (form,),
        ).fetchall()
    return [json.loads(row[0]) for row in rows]


def test_the_sheets_of_a_registration_and_of_an_update(folder: Path, book: Any) -> None:
    assert book.sheetnames == ["Danh sách đăng ký", "Trả lời", "Chưa gửi", "Sửa đổi"]
    update = load_workbook(export(folder, UPDATE, "xlsx"))
    assert update.sheetnames == ["Trả lời", "Chưa gửi", "Sửa đổi"]
    for sheet in (*book.worksheets, *update.worksheets):
        assert sheet.freeze_panes == "A5", sheet.title
        assert sheet.print_title_rows == "$1:$4", sheet.title
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
        assert sheet.column_dimensions["B"].width >= 18, sheet.title


def test_the_registration_list_grouped_by_unit_with_subtotals(book: Any) -> None:
    sheet = book["Danh sách đăng ký"]
    rows = _rows(sheet)
    assert rows[0][0] == "DANH SÁCH ĐĂNG KÝ CÔNG TRÌNH, PHẦN VIỆC THI ĐUA"
    assert rows[1][0] == (
        "Đợt thi đua đặc biệt lập thành tích chào mừng Đại hội MTTQ Việt Nam các cấp, nhiệm kỳ"
        " 2024-2029 — Phường Mẫu"
    )
    assert rows[3] == LIST_HEADERS
    # The amended works in their current version (150 hộ; hẻm 5 and 1,25 tỷ); money in đồng.
    blank = [None] * 7
    assert rows[4:] == [
        ["I", "Khu phố 1", *blank, None],
        [1, None, "Thắp sáng hẻm 12", "Nội dung Thắp sáng hẻm 12", "Địa điểm Thắp sáng hẻm 12",
         "11/2023 - 12/2023", 45_000_000, "Nhân dân đóng góp", 150, "Đã sửa 1 lần"],
        [2, None, "Vệ sinh kênh", "Nội dung Vệ sinh kênh", "Địa điểm Vệ sinh kênh",
         "11/2023 - 12/2023", None, None, 300, None],
        [None, None, "Cộng: 2 công trình, phần việc", None, None, None, 45_000_000, None, 450,
         None],
        ["II", "Khu phố 2", *blank, None],
        [1, None, "Đường cờ Tổ quốc hẻm 5", "Nội dung Đường cờ Tổ quốc",
         "Địa điểm Đường cờ Tổ quốc", "11/2023 - 12/2023", 1_250_000_000, "Nhân dân đóng góp",
         None, "Đã sửa 2 lần"],
        [None, None, "Cộng: 1 công trình, phần việc", None, None, None, 1_250_000_000, None,
         None, None],
        ["III", "Khu phố 3", *blank, None],
        [1, None, "Camera an ninh", "Nội dung Camera an ninh", "Địa điểm Camera an ninh",
         "11/2023 - 12/2023", 8_000_000, "Nhân dân đóng góp", 40, "Gửi muộn 2 ngày"],
        [None, None, "Cộng: 1 công trình, phần việc", None, None, None, 8_000_000, None, 40,
         None],
        [None, None, "Tổng cộng: 4 công trình, phần việc", None, None, None, 1_303_000_000, None,
         490, None],
    ]  # fmt: skip
    # Group, subtotal and total rows are bold; the works are not.
    assert sheet["A5"].font.b and sheet["B5"].font.b and not sheet["C6"].font.b
    assert all(sheet[f"{c}8"].font.b for c in "CGI") and all(sheet[f"{c}15"].font.b for c in "CGI")
    # Numbers are numbers: kinh phí in đồng shown in millions, households as integers.
    for ref in ("G6", "G8", "G15"):
        assert sheet[ref].data_type == "n" and sheet[ref].number_format == "#,##0.0##,,", ref
    for ref in ("I6", "I8", "I15"):
        assert sheet[ref].data_type == "n" and sheet[ref].number_format == "#,##0", ref
    assert sheet["C6"].font.name == "Times New Roman" and sheet["C6"].border.left.style == "thin"


def test_every_answer_in_the_answers_sheet(folder: Path, book: Any) -> None:
    sheet = book["Trả lời"]
    rows = _rows(sheet)
    assert rows[0][0] == "ĐĂNG KÝ CÔNG TRÌNH, PHẦN VIỆC THI ĐUA"
    assert rows[3] == ["STT", "Đơn vị", "Thuộc", *QUESTION_HEADERS, "Ngày gửi", "Lần sửa",
                       "Ghi chú"]  # fmt: skip
    form = _form(REGISTER)
    body = rows[4:]
    stored = _stored(folder, REGISTER)
    assert len(body) == len(stored) == 4
    # Every stored answer is in its question's column, as a typed cell.
    for line, answers in zip(body, stored, strict=True):
        for column, question in enumerate(form.questions, start=3):
            expected, _ = cell_value(question, answers.get(question.id))
            if hasattr(expected, "year"):
                expected = datetime(expected.year, expected.month, expected.day)
            assert line[column] == expected, (question.id, line)
    assert [r[:3] for r in body] == [
        [1, "Khu phố 1", "Phường Mẫu"], [2, "Khu phố 1", "Phường Mẫu"],
        [3, "Khu phố 2", "Phường Mẫu"], [4, "Khu phố 3", "Phường Mẫu"],
    ]  # fmt: skip
    assert body[2][3] == "Đường cờ Tổ quốc hẻm 5" and body[2][10] == 1_250_000_000
    assert body[0][12] == 150 and body[2][12] is None  # an amended count, a skipped one
    assert [r[14:] for r in body] == [
        [datetime(2023, 11, 20), 1, "Đã sửa 1 lần"],
        [datetime(2023, 11, 20), 0, None],
        [datetime(2023, 11, 20), 2, "Đã sửa 2 lần"],
        [datetime(2023, 12, 2), 0, "Gửi muộn 2 ngày"],
    ]
    money, start, count, sent = sheet["K7"], sheet["I7"], sheet["M5"], sheet["O8"]
    assert money.data_type == "n" and money.number_format == "#,##0"
    assert count.data_type == "n" and count.number_format == "#,##0"
    assert start.is_date and start.number_format == "mm/yyyy"  # a month answer
    assert sent.is_date and sent.number_format == "dd/mm/yyyy"
    assert sheet.auto_filter.ref == "A4:Q8"


def test_an_update_names_the_work_it_updates(folder: Path) -> None:
    sheet = load_workbook(export(folder, UPDATE, "xlsx"))["Trả lời"]
    rows = _rows(sheet)
    assert rows[0][0] == "CẬP NHẬT TIẾN ĐỘ CÔNG TRÌNH"
    assert rows[3] == [
        "STT", "Đơn vị", "Thuộc", "Công trình", "Tình trạng hiện nay",
        "Đạt khoảng bao nhiêu phần trăm khối lượng", "Ngày hoàn thành thực tế",
        "Kinh phí thực hiện thực tế", "Ngày gửi", "Lần sửa", "Ghi chú",
    ]  # fmt: skip
    # The work's name as it is now (amended after the update was sent).
    assert rows[4:] == [
        [1, "Khu phố 2", "Phường Mẫu", "Đường cờ Tổ quốc hẻm 5", "Đang thực hiện", 40, None,
         None, datetime(2023, 11, 27), 0, None]
    ]  # fmt: skip
    assert sheet["F5"].number_format == "#,##0"


def test_the_units_that_have_not_sent(folder: Path, book: Any) -> None:
    listed = _rows(book["Chưa gửi"])
    assert listed[0][0] == "DANH SÁCH ĐƠN VỊ CHƯA GỬI"
    assert listed[3] == ["STT", "Đơn vị", "Mã đơn vị", "Thuộc"]
    assert listed[4:] == [[1, "Khu phố 4", "KP-04", "Phường Mẫu"]]
    update = _rows(load_workbook(export(folder, UPDATE, "xlsx"))["Chưa gửi"], 5)
    assert [r[2] for r in update] == ["KP-01", "KP-03", "KP-04"]


def test_every_amendment_with_old_and_new_values_and_who(book: Any) -> None:
    sheet = book["Sửa đổi"]
    rows = _rows(sheet)
    assert rows[0][0] == "CÁC LẦN SỬA ĐỔI"
    assert rows[3] == ["STT", "Đơn vị", "Công trình / Lần gửi", "Câu hỏi", "Giá trị cũ",
                       "Giá trị mới", "Người sửa", "Thời gian"]  # fmt: skip
    # In tree order, then in time: KP-01's amendment first although KP-02 amended earlier.
    assert rows[4:] == [
        [1, "Khu phố 1", "Thắp sáng hẻm 12", "Số hộ hưởng lợi", 120, 150, "ba-lan",
         datetime(2023, 11, 26, 10, 0)],
        [2, "Khu phố 2", "Đường cờ Tổ quốc hẻm 5", "Tên công trình, phần việc",
         "Đường cờ Tổ quốc", "Đường cờ Tổ quốc hẻm 5", "ong-tu", datetime(2023, 11, 25, 14, 30)],
        [3, "Khu phố 2", "Đường cờ Tổ quốc hẻm 5", "Tổng kinh phí dự kiến", 1_200_000_000,
         1_250_000_000, "ong-tu", datetime(2023, 11, 27, 9, 15)],
    ]  # fmt: skip
    assert sheet["H5"].number_format == "dd/mm/yyyy hh:mm"  # local time, as people saw it
    assert sheet["E7"].data_type == "n" and sheet["E7"].number_format == "#,##0"


def test_submissions_read_a_page_at_a_time_come_out_the_same(
    folder: Path, book: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # KP-01's two works were sent in the same second: pages of one row must part them by id.
    monkeypatch.setattr(export_reads, "PAGE", 1)
    paged = load_workbook(export(folder, REGISTER, "xlsx", "--unit", "X-MAU"))
    for name in book.sheetnames:
        assert _rows(paged[name]) == _rows(book[name]), name


def test_a_unit_export_holds_only_its_subtree(folder: Path) -> None:
    book = load_workbook(export(folder, REGISTER, "xlsx", "--unit", "KP-02"))
    listed = _rows(book["Danh sách đăng ký"], 5)
    assert [r[:3] for r in listed] == [
        ["I", "Khu phố 2", None],
        [1, None, "Đường cờ Tổ quốc hẻm 5"],
        [None, None, "Cộng: 1 công trình, phần việc"],
        [None, None, "Tổng cộng: 1 công trình, phần việc"],
    ]
    assert listed[-1][6] == 1_250_000_000
    assert [r[1] for r in _rows(book["Trả lời"], 5)] == ["Khu phố 2"]
    assert [r[2] for r in _rows(book["Sửa đổi"], 5)] == ["Đường cờ Tổ quốc hẻm 5"] * 2
    assert _rows(book["Chưa gửi"], 5) == []
    text = " ".join(str(v) for s in book.worksheets for r in s.iter_rows(values_only=True)
                    for v in r)  # fmt: skip
    for outside in ("Khu phố 1", "Khu phố 3", "Khu phố 4", "Thắp sáng", "Camera", "ba-lan"):
        assert outside not in text


def _form(form_id: str) -> Form:
    """A form of the example campaign, as the bot loads it."""
    data = tomllib.loads(campaign_path("example").read_text("utf-8"))
    campaign = Campaign.model_validate(data, context={SKIP_CROSS_CHECKS: True})
    return next(f for f in campaign.forms if f.id == form_id)


def _question(qid: str, kind: str, prompt: str, **extra: Any) -> Question:
    return Question.model_validate({"id": qid, "kind": kind, "prompt": prompt, **extra})


def test_registration_columns_by_id_then_words_then_kind() -> None:
    columns = registration_columns(_form(REGISTER))
    assert {name: getattr(columns, name).id for name in columns.__dataclass_fields__} == {
        "name": "ten", "content": "noi_dung", "place": "dia_diem", "start": "bat_dau",
        "end": "hoan_thanh", "money": "kinh_phi", "source": "nguon", "households": "so_ho",
    }  # fmt: skip
    own = Form.model_validate(
        {
            "id": "dk", "title": "Đăng ký", "kind": "registration", "level": "khu_dan_cu",
            "due_on": "2023-11-30",
            "questions": [
                {"id": "noi_lam", "kind": "text", "prompt": "Địa điểm làm?"},
                {"id": "cong_trinh", "kind": "text", "prompt": "Tên việc?"},
                {"id": "mo_ta", "kind": "longtext", "prompt": "Mô tả?"},
                {"id": "ho_ten", "kind": "text", "prompt": "Họ tên người phụ trách?"},
                {"id": "tu", "kind": "date", "prompt": "Từ ngày?"},
                {"id": "den", "kind": "date", "prompt": "Đến ngày?"},
                {"id": "tien", "kind": "money", "prompt": "Bao nhiêu tiền?"},
                {"id": "ai_chi", "kind": "choice", "prompt": "Nguồn tiền?",
                 "options": ["Dân", "Nhà nước"]},
                {"id": "nguoi", "kind": "integer", "prompt": "Bao nhiêu người?"},
                {"id": "gia_dinh", "kind": "integer", "prompt": "Bao nhiêu?", "unit": "hộ"},
            ],
        }
    )  # fmt: skip
    mapped = registration_columns(own)
    assert {name: getattr(mapped, name).id for name in mapped.__dataclass_fields__} == {
        "name": "cong_trinh", "content": "mo_ta", "place": "noi_lam", "start": "tu",
        "end": "den", "money": "tien", "source": "ai_chi", "households": "gia_dinh",
    }  # fmt: skip
    bare = own.model_copy(update={"questions": [_question("x", "text", "Tên?")]})
    assert registration_columns(bare).name is not None
    assert registration_columns(bare).money is None and registration_columns(bare).place is None


def test_the_period_of_a_work() -> None:
    columns = registration_columns(_form(REGISTER))
    assert work(columns, {"bat_dau": "2023-10", "hoan_thanh": "2024-10-15"}).period == (
        "10/2023 - 15/10/2024"
    )
    assert work(columns, {"bat_dau": "2023-10"}).period == "từ 10/2023"
    assert work(columns, {"hoan_thanh": "2024-10"}).period == "đến 10/2024"
    assert work(columns, {}).period is None
    # A form with one date question: the date itself, written as a date cell.
    one = registration_columns(
        _form(REGISTER).model_copy(
            update={"questions": [_question("ngay", "date", "Ngày khởi công?")]}
        )
    )
    assert work(one, {"ngay": "2023-11-30"}).period == DateValue(date(2023, 11, 30), "day")


def test_typed_text_is_never_a_formula(tmp_path: Path) -> None:
    book = Book()
    sheet = book.sheet("x", [10], "Tiêu đề", "Phụ đề", ["A"])
    sheet.append([sheet.cell(1, "=HYPERLINK(\"http://x\")"), sheet.cell(2, "#N/A"),
                  sheet.cell(3, "a\x07b")])  # fmt: skip
    book.book.save(tmp_path / "x.xlsx")
    cells = load_workbook(tmp_path / "x.xlsx")["x"][5]
    assert [(c.value, c.data_type) for c in cells] == [
        ('=HYPERLINK("http://x")', "s"),
        ("#N/A", "s"),
        ("ab", "s"),
    ]


def test_roman_group_numbers() -> None:
    assert [roman(n) for n in (1, 2, 4, 9, 14, 40, 90, 400, 1994, 3999)] == [
        "I", "II", "IV", "IX", "XIV", "XL", "XC", "CD", "MCMXCIV", "MMMCMXCIX"
    ]  # fmt: skip
    assert roman(4000) == "4000"  # a national list goes on in digits
