"""The pure form engine: navigation, show_if, photos and files, summary numbering, history."""

from __future__ import annotations

from datetime import date

from bot import admin
from bot.campaigns.loader import load_file
from bot.campaigns.model import Campaign, Form
from bot.forms import engine
from bot.forms.engine import (
    Ask,
    Event,
    FormState,
    Input,
    Nav,
    Notice,
    PhotoAdded,
    Refused,
    Submit,
    Summary,
    Text,
    Upload,
)
from bot.words import Command
from tests.conftest import Bot
from tests.transcript_runner import campaign_path

LEVELS = {"tinh", "xa", "khu_dan_cu"}
EXAMPLE: Campaign = load_file(campaign_path("example"), levels=LEVELS)[0]  # type: ignore[assignment]
FUZZ: Campaign = load_file(campaign_path("fuzz"), levels=LEVELS)[0]  # type: ignore[assignment]
PERIOD = (date(2023, 10, 10), date(2024, 10, 31))
# Valid answers to the fuzz form's questions before the photo (the engine re-reads every stored
# answer against the form on each step, so they must fit).
FUZZ_ANSWERS = {
    "text": "x",
    "longtext": "x",
    "integer": 5,
    "number": "2.5",
    "money": 1000,
    "day": "2023-11-30",
    "month": "2023-11",
    "choice": "Một",
    "multichoice": ["Một", "Ba"],
    "yesno": True,
}


def run(form: Form, state: FormState, *inputs: str | Input) -> tuple[FormState, list[Event]]:
    """Apply inputs one by one; return the last state and events."""
    events: list[Event] = []
    for given in inputs:
        state, events = engine.step(
            form, state, Text(given) if isinstance(given, str) else given, PERIOD
        )
    return state, events


def test_show_if_flip_asks_what_it_reveals() -> None:
    form = EXAMPLE.form("dang-ky")
    state, _ = engine.start(form)
    state, events = run(
        form, state, "Tên", "2", "1", "Nội dung", "Nơi", "11/2023", "12/2023", "5", "boqua"
    )
    state, events = run(form, state, Nav(Command.BOQUA))
    assert isinstance(events[-1], Summary) and len(events[-1].items) == 9  # Phần việc: no cost
    state, events = run(form, state, Nav(Command.SUA, "2"), "1")  # now a Công trình
    assert isinstance(events[-1], Ask) and events[-1].question.id == "kinh_phi"
    assert events[-1].number == 8 and events[-1].total == 11
    state, events = run(form, state, "20 triệu")
    assert isinstance(events[-1], Ask) and events[-1].question.id == "nguon"
    state, events = run(form, state, Nav(Command.BOQUA))
    assert isinstance(events[-1], Summary) and len(events[-1].items) == 11
    state, events = run(form, state, Nav(Command.GUI))
    assert isinstance(events[-1], Submit)
    assert events[-1].answers["kinh_phi"] == 20_000_000 and events[-1].answers["nguon"] is None


def test_hidden_answers_are_not_submitted() -> None:
    form = EXAMPLE.form("tien-do")
    state, _ = engine.start(form)
    state, _ = run(form, state, "3", "30/5/2024", "48 triệu")  # Đã hoàn thành
    state, events = run(form, state, Nav(Command.SUA, "1"), "2", "70")  # Đang thực hiện, 70%
    state, events = run(form, state, Nav(Command.GUI))
    assert isinstance(events[-1], Submit)
    assert events[-1].answers == {"tinh_trang": "Đang thực hiện", "phan_tram": 70}


def test_photos_then_xong_and_file_by_upload() -> None:
    form = FUZZ.forms[0]
    state = FormState(answers=dict(FUZZ_ANSWERS), current="photo")
    state, events = run(form, state, Nav(Command.GUI))
    assert isinstance(events[0], Refused) and events[0].refusal.key == "form_photo_required"
    state, events = run(form, state, Upload(7), Upload(8))
    assert isinstance(events[-1], PhotoAdded) and events[-1].count == 2
    state, events = run(form, state, Nav(Command.GUI))
    assert state.answers["photo"] == [7, 8]
    assert isinstance(events[-1], Ask) and events[-1].question.id == "file"
    state, events = run(form, state, Upload(9, is_photo=False))
    assert state.answers["file"] == {"attachment": 9} and isinstance(events[-1], Summary)


def test_navigation_notices() -> None:
    form = EXAMPLE.form("tong-ket")
    state, _ = engine.start(form)
    _, events = run(form, state, Nav(Command.QUAYLAI))
    assert isinstance(events[0], Notice) and events[0].key == "form_first_question"
    _, events = run(form, state, Nav(Command.GUI))
    assert isinstance(events[0], Notice) and events[0].key == "form_answer_first"
    _, events = run(form, state, Nav(Command.SUA, "99"))
    assert isinstance(events[0], Notice) and events[0].key == "form_bad_edit_number"
    _, events = run(form, state, Upload(1))
    assert isinstance(events[0], Refused) and events[0].refusal.key == "form_text_expected"


def test_resume_asks_the_same_question() -> None:
    form = EXAMPLE.form("dang-ky")
    state, _ = engine.start(form)
    state, _ = run(form, state, "Tên", "1")
    again = engine.resume(form, FormState.model_validate(state.model_dump(mode="json")))
    assert isinstance(again[0], Ask) and again[0].question.id == "linh_vuc" and again[0].number == 3


async def test_amendment_keeps_every_version(bot: Bot) -> None:
    await admin.load_campaign(bot.db, bot.settings, campaign_path("example"), bot.clock.now())
    await bot.enrol("ba-lan", "KP-01", "rep")
    for text in (
        "dangky",
        "Tên cũ",
        "2",
        "1",
        "Nội dung",
        "Nơi",
        "11/2023",
        "12/2023",
        "boqua",
        "boqua",
        "gui",
        "2",
    ):
        await bot.say("ba-lan", text)
    await bot.enrol("ong-tu", "KP-01", "rep")  # a second person of the same unit amends
    for text in ("trangthai", "1", "sua 1", "Tên mới", "gui"):
        replies = await bot.say("ong-tu", text)
    assert "lần sửa thứ 1" in replies[0]
    async with bot.db.read() as repos:
        sent = (await repos.submissions.for_unit("KP-01", "dai-hoi-mttq-2024", "dang-ky"))[0]
        versions = await repos.submissions.versions(sent.id)
        first = await repos.members.find("console", "ba-lan")
        second = await repos.members.find("console", "ong-tu")
    assert [v.answers["ten"] for v in versions] == ["Tên cũ", "Tên mới"]
    assert first is not None and second is not None
    assert [v.member_id for v in versions] == [first.id, second.id]
    assert sent.answers["ten"] == "Tên mới" and sent.version == 2
