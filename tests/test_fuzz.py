"""Garbage at every question kind: never a crash, never a lost answer, always a clear sentence."""

from __future__ import annotations

import random
import re
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.campaigns.loader import load_file
from bot.campaigns.model import Campaign
from bot.forms import engine
from bot.forms.engine import Ask, FormState, Refused, Summary, Text
from bot.forms.render import render
from bot.texts import VI
from tests.conftest import Bot
from tests.transcript_runner import campaign_path

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
    # Only this question's answer may change, and only when it was accepted.
    others = {k: v for k, v in after.answers.items() if k != question.id}
    assert others == before.answers
    asked = events[-1]
    assert isinstance(asked, Ask)
    assert asked.total == len(FORM.questions)
    assert asked.number == FORM.questions.index(asked.question) + 1
    if question.id in after.answers:  # accepted: the first question still open comes next
        first_open = next(q for q in FORM.questions if q.id not in after.answers)
        assert asked.question == first_open and after.current == first_open.id
        assert not any(isinstance(e, Refused) for e in events)
    else:  # refused: a sentence saying why, then the same question again
        refused = [e for e in events if isinstance(e, Refused)]
        assert refused and after.current == question.id
        assert asked.question == question
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


ASKED = re.compile(r"^Câu (\d+)/(\d+)\. (.*)$", re.MULTILINE)


def _asked(replies: list[str]) -> tuple[int, int, str]:
    """The last "Câu k/n. question" in some replies: (k, n, the question's line)."""
    found = [match.groups() for reply in replies for match in ASKED.finditer(reply)]
    assert found, f"no question asked in {replies}"
    number, total, line = found[-1]
    return int(number), int(total), line


async def _answers(bot: Bot, member_id: int) -> dict[str, object]:
    async with bot.db.read() as repos:
        draft = await repos.drafts.get(member_id, "fuzz/all-kinds/new")
    assert draft is not None
    return dict(draft.state["engine"]["answers"])


async def _everything_else(bot: Bot, member_id: int) -> dict[str, list[tuple[object, ...]]]:
    """Every stored row a person typing in their own form must not touch."""
    queries: dict[str, tuple[str, tuple[object, ...]]] = {
        "members": ("SELECT * FROM members ORDER BY id", ()),
        "invites": ("SELECT * FROM invites ORDER BY id", ()),
        "other chats": (
            "SELECT * FROM conversations WHERE NOT (channel = 'console' AND chat_id = 'ba-lan')"
            " ORDER BY channel, chat_id",
            (),
        ),
        "other drafts": ("SELECT * FROM drafts WHERE member_id != ? ORDER BY id", (member_id,)),
        "submissions": ("SELECT * FROM submissions ORDER BY id", ()),
        "versions": ("SELECT * FROM submission_versions ORDER BY submission_id, version", ()),
        "attachments": ("SELECT * FROM attachments ORDER BY id", ()),
    }
    return {
        name: [tuple(row) for row in await bot.db.conn.execute_fetchall(sql, params)]
        for name, (sql, params) in queries.items()
    }


async def test_garbage_through_the_router_changes_nothing_stored(bot: Bot) -> None:
    await bot.load_campaign(campaign_path("fuzz"))
    await bot.enrol("ba-lan", "KP-01", "rep")
    await bot.enrol("ong-tu", "KP-02", "rep")
    await bot.enrol("co-ba", "KP-03", "rep")
    answers = ["Tên", "Dài", "12", "3,5", "45 triệu", "30/11/2023", "11/2023", "1", "1,2", "có"]
    # Another unit's finished submission, and a third person's half-filled draft.
    for text in ["dangky", *answers]:
        await bot.say("ong-tu", text)
    await bot.photo("ong-tu")
    for text in ["xong", "https://example.vn/bien-ban.pdf", "gui"]:
        await bot.say("ong-tu", text)
    for text in ["dangky", "Tên của cô Ba", "Dài"]:
        await bot.say("co-ba", text)
    # ba-lan answers up to the photo question.
    for text in ["dangky", *answers]:
        await bot.say("ba-lan", text)
    async with bot.db.read() as repos:
        member = await repos.members.find("console", "ba-lan")
        assert len(await repos.submissions.for_unit("KP-02", "fuzz", "all-kinds")) == 1
    assert member is not None
    untouched = await _everything_else(bot, member.id)
    total = len(FORM.questions)
    rng = random.Random(20231130)
    alphabet = "aăâbcdđeêghiklmnoôơpqrstuưvxy0123456789 ,./-%🙂\x00\n\t漢Ж"
    outcomes = {"refused": 0, "accepted": 0}
    for round_number in range(180):
        number = round_number % total + 1
        question = FORM.questions[number - 1]
        assert _asked(await bot.say("ba-lan", f"sua {number}"))[:2] == (number, total)
        before = await _answers(bot, member.id)
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        replies = await bot.say("ba-lan", text)
        where = f"round {round_number}, question {number} ({question.kind}), typed {text!r}"
        assert replies and all(r.strip() for r in replies), where
        assert not any("trục trặc" in r for r in replies), where
        after = await _answers(bot, member.id)
        asked, asked_total, line = _asked(replies)
        assert asked_total == total, where
        assert line.startswith(FORM.questions[asked - 1].prompt), f"{where}: {line!r}"
        if asked == number:  # refused: the same question again, and nothing stored changed
            assert after == before, where
            outcomes["refused"] += 1
        else:  # accepted: only this answer changed, and the first question still open follows
            assert question.id in after, where
            assert {k: v for k, v in after.items() if k != question.id} == {
                k: v for k, v in before.items() if k != question.id
            }, where
            first_open = next(n for n, q in enumerate(FORM.questions, 1) if q.id not in after)
            assert asked == first_open, where
            outcomes["accepted"] += 1
        assert await _everything_else(bot, member.id) == untouched, where
    assert outcomes["refused"] > 20 and outcomes["accepted"] > 20, outcomes  # both were tried
