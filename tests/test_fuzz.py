"""Garbage at every question kind: never a crash, never a lost answer, always a clear sentence."""

from __future__ import annotations

import random
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from bot import admin
from bot.campaigns.loader import load_file
from bot.campaigns.model import Campaign
from bot.forms import engine
from bot.forms.engine import Ask, FormState, Refused, Summary, Text
from bot.forms.render import render
from bot.messages import Inbound, InboundKind
from bot.texts import VI
from tests.conftest import Bot
from tests.transcript_runner import PhotoRecorder, campaign_path

CAMPAIGN: Campaign = load_file(campaign_path("fuzz"), levels={"tinh", "xa", "khu_dan_cu"})[0]  # type: ignore[assignment]
FORM = CAMPAIGN.forms[0]
PERIOD = (date(2023, 10, 1), date(2024, 6, 30))

NASTY = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=40),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "\x1b[31mđỏ",
            "🙂" * 50,
            "👍🏽",
            "Привет",
            "你好",
            "مرحبا",
            "x" * 10_000,
            "1" * 400,
            "-1",
            "1e9",
            "NaN",
            "∞",
            "31/02/2024",
            "0/0",
            "1,2,3,4,5,6,7,8,9",
            "None",
            "null",
            "<b>hi</b>",
            "'; DROP TABLE submissions; --",
        ]
    ),
)


@settings(max_examples=300, deadline=None)
@given(text=NASTY, index=st.integers(min_value=0, max_value=len(FORM.questions) - 1))
def test_engine_never_crashes_and_refuses_clearly(text: str, index: int) -> None:
    question = FORM.questions[index]
    before = FormState(answers={"kept": "giữ nguyên"}, current=question.id)
    after, events = engine.step(FORM, before, Text(text), PERIOD)
    assert after.answers["kept"] == "giữ nguyên"
    if question.id in after.answers:  # accepted: the engine moved on
        assert after.current != question.id
    else:
        refused = [e for e in events if isinstance(e, Refused)]
        assert refused and after.current == question.id
        assert isinstance(events[-1], Ask) and events[-1].question.id == question.id
    for message in render(events, FORM, VI):
        assert message.text.strip()
        assert "Traceback" not in message.text and "None" not in message.text
    refusals = [e for e in events if isinstance(e, Refused)]
    for event in refusals:
        sentence = VI(event.refusal.key, **event.refusal.values)
        if event.refusal.key not in ("form_cannot_skip",):
            assert "ví dụ" in sentence.lower() or "ví dụ" in (question.help or "").lower()


def test_summary_renders_any_stored_value() -> None:
    """Values stored by older versions of a form still render."""
    answers = {
        q.id: value
        for q, value in zip(
            FORM.questions,
            ["x", 1, "abc", None, [], {}, "2023", 5, "y", 0, [1], {"link": "l"}],
            strict=True,
        )
    }
    summary = engine.resume(FORM, FormState(answers=answers, current=None))
    assert isinstance(summary[0], Summary)
    for message in render(summary, FORM, VI):
        assert message.text


async def _answers(bot: Bot, member_id: int) -> dict[str, object]:
    async with bot.db.read() as repos:
        draft = await repos.drafts.get(member_id, "fuzz/all-kinds/new")
    assert draft is not None
    return dict(draft.state["engine"]["answers"])


async def test_garbage_through_the_router_changes_nothing_stored(bot: Bot) -> None:
    await admin.load_campaign(bot.db, bot.settings, campaign_path("fuzz"), bot.clock.now())
    await bot.enrol("ba-lan", "KP-01", "rep")
    await bot.enrol("ong-tu", "KP-02", "rep")
    # Another unit's finished submission must never move.
    for text in [
        "dangky",
        "Tên",
        "Dài",
        "12",
        "3,5",
        "45 triệu",
        "30/11/2023",
        "11/2023",
        "1",
        "1,2",
        "có",
    ]:
        await bot.say("ong-tu", text)
    bot.router.register("console", PhotoRecorder())
    await bot.send(
        Inbound(
            channel="console",
            chat_id="ong-tu",
            user_id="ong-tu",
            kind=InboundKind.PHOTO,
            photo_ref="p",
        )
    )
    for text in ["xong", "https://example.vn/bien-ban.pdf", "gui"]:
        await bot.say("ong-tu", text)
    await bot.say("ba-lan", "dangky")
    for text in ["Tên", "Dài", "12", "3,5", "45 triệu", "30/11/2023", "11/2023", "1", "1,2", "có"]:
        await bot.say("ba-lan", text)
    async with bot.db.read() as repos:
        member = await repos.members.find("console", "ba-lan")
        other_before = await repos.submissions.for_unit("KP-02", "fuzz", "all-kinds")
    assert member is not None and len(other_before) == 1
    rng = random.Random(20231130)
    alphabet = "aăâbcdđeêghiklmnoôơpqrstuưvxy0123456789 ,./-%🙂\x00\n\t漢Ж"
    for round_number in range(180):
        number = round_number % len(FORM.questions) + 1
        question = FORM.questions[number - 1]
        await bot.say("ba-lan", f"sua {number}")
        before = await _answers(bot, member.id)
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        replies = await bot.say("ba-lan", text)
        assert replies and all(r.strip() for r in replies), text
        assert not any("trục trặc" in r for r in replies), text
        after = await _answers(bot, member.id)
        others = {k: v for k, v in after.items() if k != question.id}
        assert others == {k: v for k, v in before.items() if k != question.id}, text
    async with bot.db.read() as repos:
        other_after = await repos.submissions.for_unit("KP-02", "fuzz", "all-kinds")
        mine = await repos.submissions.for_unit("KP-01", "fuzz", "all-kinds")
    assert other_after == other_before and mine == []
