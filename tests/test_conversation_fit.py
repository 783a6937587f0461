"""The conversation as a khu phố head types it: command words inside answers, keeping an answer,
interruptions, spoken Vietnamese, and no dead ends (issue 11, A–E), on the real router."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot import admin
from bot.texts import VI
from tests.conftest import Bot
from tests.transcript_runner import campaign_path

# The example registration form, answered up to question 9 (all visible questions before it).
TO_QUESTION_10 = [
    "dangky",
    "Thắp sáng hẻm 12",
    "1",
    "1,3",
    "Lắp 40 bóng LED",
    "Hẻm 12",
    "11/2023",
    "12/2023",
    "45 triệu",
    "1",
]
TO_SUMMARY = [*TO_QUESTION_10, "120", "boqua"]


async def _ready(bot: Bot, user: str = "lan") -> None:
    await admin.load_campaign(bot.db, bot.settings, campaign_path("example"), bot.clock.now())
    await bot.enrol(user, "KP-01", "rep")


async def _drafted_name(bot: Bot, user: str) -> object:
    async with bot.db.read() as repos:
        member = await repos.members.find("console", user)
        assert member is not None
        drafts = await repos.drafts.of_member(member.id)
    (draft,) = drafts.values()
    return draft.state["engine"]["answers"].get("ten")


# --- A. command words never swallow answers ------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        "Sửa nhà cho hộ nghèo",
        "sua chua duong hem 5",
        "Sửa chữa nhà văn hóa",
        "Gửi quà tết cho hộ nghèo",
        "Huy động nguồn lực xây cầu",
        "Mời gọi xã hội hóa",
        "Start up xanh",
        "Trợ giúp người già neo đơn",
        "Báo cáo viên cơ sở",
        "Quay lại trường học",
        "Đăng ký hiến máu",
        "Xong đường bê tông",
        "bỏ qua rác thải nhựa",
    ],
)
async def test_an_answer_that_begins_with_a_command_word_is_an_answer(
    bot: Bot, answer: str
) -> None:
    await _ready(bot)
    await bot.say("lan", "dangky")
    replies = await bot.say("lan", answer)
    assert replies[0].startswith("Câu 2/11"), replies
    assert await _drafted_name(bot, "lan") == answer


async def test_start_up_is_not_an_invite_attempt(bot: Bot) -> None:
    await _ready(bot)
    await bot.say("lan", "dangky")
    for _ in range(6):  # more than the five wrong codes that lock a chat
        await bot.say("lan", "quaylai")
        replies = await bot.say("lan", "Start up xanh")
        assert replies[0].startswith("Câu 2/11"), replies
    async with bot.db.read() as repos:
        attempts = await repos.attempts.get("console", "lan")
    assert attempts.failures == 0


@pytest.mark.parametrize(
    ("word", "action"),
    [("Huy", "tạm dừng"), ("huy", "tạm dừng"), ("Xong", "gửi"), ("sửa", "sửa một câu")],
)
async def test_a_bare_command_word_at_a_text_question_is_confirmed(
    bot: Bot, word: str, action: str
) -> None:
    await _ready(bot)
    await bot.say("lan", "dangky")
    asked = await bot.say("lan", word)
    assert action in asked[0] and f'"{word}"' in asked[0]
    replies = await bot.say("lan", "2")  # store it as the answer: two messages in all
    assert replies[0].startswith("Câu 2/11")
    assert await _drafted_name(bot, "lan") == word


async def test_confirming_the_command_runs_it(bot: Bot) -> None:
    await _ready(bot)
    await bot.say("lan", "dangky")
    await bot.say("lan", "Huy")
    replies = await bot.say("lan", "1")
    assert replies == [VI("form_cancelled", command="dangky")]


async def test_a_slashed_command_is_never_an_answer(bot: Bot) -> None:
    await _ready(bot)
    await bot.say("lan", "dangky")
    assert await bot.say("lan", "/huy") == [VI("form_cancelled", command="dangky")]


# --- B. sua N can keep the current answer --------------------------------------------------


@pytest.mark.parametrize(
    "keep", ["giữ nguyên", "giu nguyen", "không đổi", "khong doi", "như cũ", "quaylai", "gui"]
)
async def test_sua_then_keep_returns_to_the_summary(bot: Bot, keep: str) -> None:
    await _ready(bot)
    for text in TO_SUMMARY:
        await bot.say("lan", text)
    await bot.say("lan", "sua 1")
    replies = await bot.say("lan", keep)
    assert "Giữ nguyên" in replies[0] and "Kiểm tra lại" in replies[0]
    assert await _drafted_name(bot, "lan") == "Thắp sáng hẻm 12"


async def test_keep_before_the_summary_goes_on_with_the_form(bot: Bot) -> None:
    await _ready(bot)
    for text in ["dangky", "Thắp sáng hẻm 12", "1"]:
        await bot.say("lan", text)
    await bot.say("lan", "sua 1")
    replies = await bot.say("lan", "giữ nguyên")
    assert "Câu 3/11" in replies[0]


# --- C. an interruption never hides the open question --------------------------------------


@pytest.mark.parametrize("command", ["trangthai", "trogiup", "tonghop", "/start", "xuat"])
async def test_a_command_mid_form_ends_by_asking_again(bot: Bot, command: str) -> None:
    await _ready(bot)
    await bot.say("lan", "dangky")
    replies = await bot.say("lan", command)
    assert replies[-1].startswith("Câu 1/11. Tên công trình"), replies
    replies = await bot.say("lan", "Thắp sáng hẻm 12")
    assert replies[0].startswith("Câu 2/11")
    assert await _drafted_name(bot, "lan") == "Thắp sáng hẻm 12"


# --- D. spoken and polite Vietnamese -------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("dạ 5 triệu ạ", "5 triệu đồng"),
        ("năm triệu", "5 triệu đồng"),
        ("muoi trieu", "10 triệu đồng"),
        ("hai triệu rưỡi", "2.500.000 đồng"),
        ("5,000,000", "5 triệu đồng"),
    ],
)
async def test_money_in_words_and_particles(bot: Bot, typed: str, shown: str) -> None:
    await _ready(bot)
    for text in TO_QUESTION_10[:-2]:
        await bot.say("lan", text)
    await bot.say("lan", typed)
    for text in ["1", "120", "boqua"]:
        await bot.say("lan", text)
    summary = (await bot.say("lan", "sua 8"))[0]
    assert f"Đang ghi: {shown}" in summary, summary


@pytest.mark.parametrize("typed", ["một trăm hai mươi", "120 ạ", "dạ 120", "mot tram hai muoi"])
async def test_numbers_in_words(bot: Bot, typed: str) -> None:
    await _ready(bot)
    for text in TO_QUESTION_10:
        await bot.say("lan", text)
    replies = await bot.say("lan", typed)
    assert replies[0].startswith("Câu 11/11"), replies


@pytest.mark.parametrize("typed", ["không có ảnh", "khong co anh", "chưa có", "không biết"])
async def test_skip_words_at_an_optional_question(bot: Bot, typed: str) -> None:
    await _ready(bot)
    for text in [*TO_QUESTION_10, "120"]:
        await bot.say("lan", text)
    replies = await bot.say("lan", typed)
    assert replies[0].startswith("Kiểm tra lại"), replies


@pytest.mark.parametrize("typed", ["ok", "đồng ý", "dong y", "đúng rồi", "dạ đúng rồi ạ"])
async def test_a_confirmation_at_the_summary_submits(bot: Bot, typed: str) -> None:
    await _ready(bot)
    for text in TO_SUMMARY:
        await bot.say("lan", text)
    replies = await bot.say("lan", typed)
    assert replies[0].startswith('Đã nhận đăng ký "Thắp sáng hẻm 12"'), replies


async def test_other_text_at_the_summary_says_what_to_type_once(bot: Bot) -> None:
    await _ready(bot)
    for text in TO_SUMMARY:
        await bot.say("lan", text)
    assert await bot.say("lan", "cảm ơn") == [VI("form_at_summary_hint")]


@pytest.mark.parametrize(("typed", "more"), [("khong", False), ("thôi ạ", False), ("co", True)])
async def test_yes_and_no_words_after_a_registration(bot: Bot, typed: str, more: bool) -> None:
    await _ready(bot)
    for text in [*TO_SUMMARY, "gui"]:
        await bot.say("lan", text)
    replies = await bot.say("lan", typed)
    assert replies[0].startswith("Đăng ký công trình" if more else "Đã xong"), replies


@pytest.mark.parametrize(("typed", "resumed"), [("tiep tuc", True), ("dạ làm lại", False)])
async def test_the_draft_offer_takes_its_words(bot: Bot, typed: str, resumed: bool) -> None:
    await _ready(bot)
    for text in ["dangky", "Thắp sáng hẻm 12", "huy"]:
        await bot.say("lan", text)
    await bot.say("lan", "1")  # confirm: pause
    await bot.say("lan", "dangky")
    replies = await bot.say("lan", typed)
    assert ("Câu 2/11" if resumed else "Câu 1/11") in "\n".join(replies), replies


# --- E. no dead ends -----------------------------------------------------------------------


async def test_after_the_deadline_what_was_sent_can_still_be_read(bot: Bot) -> None:
    await _ready(bot)
    for text in [*TO_SUMMARY, "gui", "2"]:
        await bot.say("lan", text)
    bot.clock.advance(timedelta(days=20))
    await bot.say("lan", "trangthai")
    view = (await bot.say("lan", "1"))[0]
    assert "Thắp sáng hẻm 12" in view and "45 triệu đồng" in view
    assert "không sửa được nữa" in view


async def test_help_offers_only_what_works(bot: Bot) -> None:
    await bot.enrol("admin", "X-MAU", "admin")
    text = (await bot.say("admin", "trogiup"))[0]
    for word in ("trogiup", "moi", "tonghop", "xuat", "thongbao"):
        assert word in text
    await bot.enrol("lan", "KP-01", "rep")
    text = (await bot.say("lan", "trogiup"))[0]
    assert "dangky" in text and "xuat" not in text and "thongbao" not in text


async def test_moi_outside_the_subtree_says_how_to_stop(bot: Bot) -> None:
    await bot.enrol("thu-ky", "X-MAU", "secretary")
    await bot.say("thu-ky", "moi")
    reply = (await bot.say("thu-ky", "T-KHAC"))[0]
    assert "huy" in reply


@pytest.mark.parametrize(
    ("bounds", "example"),
    [({"min": 0, "max": 100}, "50"), ({"max": 100}, "100"), ({"min": 500}, "500"), ({}, "120")],
)
def test_a_number_hint_never_contradicts_its_bounds(bounds: dict[str, int], example: str) -> None:
    from bot.campaigns.model import Question
    from bot.forms.kinds import kind_of

    question = Question(id="x", kind="integer", prompt="Bao nhiêu?", **bounds)
    hint = kind_of(question).hint(question)
    assert hint is not None and hint.values.get("example", "120") == example
    assert f"ví dụ: {example}" in VI(hint.key, **hint.values)


async def test_a_command_word_the_person_does_not_have_is_simply_an_answer(bot: Bot) -> None:
    await _ready(bot)
    await bot.say("lan", "dangky")
    replies = await bot.say("lan", "Mới")  # moi is for secretaries: for a representative, a word
    assert replies[0].startswith("Câu 2/11")
    assert await _drafted_name(bot, "lan") == "Mới"
