"""Forms probed from outside: slow patterns, huge numbers, forms changed under their answers,
invisible characters. Each defect is tested at its mechanism and through the bot."""

from __future__ import annotations

import itertools
import logging
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import admin
from bot.campaigns import check_text
from bot.campaigns.loader import load_file
from bot.campaigns.model import STORED_DEFINITION, Campaign, Question
from bot.forms import engine
from bot.forms.engine import Ask, FormState, Nav, Notice, Refused, Submit, Summary, Text
from bot.forms.kinds import Accepted, QuestionKind, Refusal, kind_of, still_fits
from bot.forms.render import label_of, show_value
from bot.parsers import parse_choice, parse_int, parse_money, parse_number, parse_position
from bot.parsers.patterns import check_pattern, fullmatch, translate
from bot.texts import VI
from bot.words import Command, fold, parse_command
from tests.conftest import Bot
from tests.transcript_runner import campaign_path

LEVELS = {"tinh", "xa", "khu_dan_cu"}
UNITS = {"T-MAU", "X-MAU", "KP-01", "X-SONG"}
FUZZ: Campaign = load_file(campaign_path("fuzz"), levels=LEVELS)[0]  # type: ignore[assignment]
FORM = FUZZ.forms[0]
PERIOD = (date(2023, 10, 1), date(2024, 6, 30))
INTERNAL = VI("internal_problem")
CHANGED = VI("form_question_changed")


_CODES = itertools.count(1)


def fresh_code() -> str:
    """A campaign code no other test uses: parsed definitions are cached per code and revision
    for the whole process, and every test starts a new database at revision 1."""
    return f"thu-{next(_CODES)}"


def campaign_text(*questions: str, code: str = "", due: str = "2023-12-31") -> str:
    """A one-form campaign (registration at khu_dan_cu, scope X-MAU) with these questions."""
    code = code or fresh_code()
    head = f"""\
[campaign]
code = "{code}"
title = "Đợt thử"
starts_on = 2023-10-01
ends_on = 2024-06-30
scope = "X-MAU"

[[forms]]
id = "dang-ky"
title = "Đăng ký"
kind = "registration"
level = "khu_dan_cu"
due_on = {due}
"""
    return head + "".join(f"\n  [[forms.questions]]\n{q}" for q in questions)


def question(id_: str, kind: str, prompt: str, *lines: str) -> str:
    """One question table, indented as in the shipped example."""
    body = [f'id = "{id_}"', f'kind = "{kind}"', f'prompt = "{prompt}"', *lines]
    return "".join(f"  {line}\n" for line in body)


# --- A. patterns ----------------------------------------------------------------------------

SLOW = r"(\d+\s?)+"


def test_catastrophic_pattern_answers_at_once() -> None:
    text = campaign_text(
        question("so", "longtext", "Số?", f"pattern = '{SLOW}'", "max_length = 5000")
    )
    campaign, problems = check_text(text, "t.toml", levels=LEVELS, units=UNITS)
    assert problems == [] and campaign is not None
    asked = campaign.forms[0].question("so")
    began = time.perf_counter()
    for length in (26, 30, 4_000):
        outcome = kind_of(asked).parse("1" * length + "x", asked, PERIOD)
        assert isinstance(outcome, Refusal) and outcome.key == "form_pattern"
    assert time.perf_counter() - began < 0.5
    assert kind_of(asked).parse("12 34 56", asked, PERIOD) == Accepted("12 34 56")


@pytest.mark.parametrize(
    ("pattern", "said"),
    [
        (r"(a)\1", "tham chiếu ngược"),
        (r"(?P<x>a)(?P=x)", "tham chiếu ngược"),
        (r"(?=\d)\d+", "nhìn trước"),
        (r"(?!x)\w+", "nhìn trước"),
        (r"(?<=a)b", "nhìn sau"),
        (r"(?<!a)b", "nhìn sau"),
        (r"\bhem\b", "\\b"),
        (r"[\W]+", "\\W"),
        (r"(?>a+)b", "RE2"),  # atomic group
        (r"a++", "RE2"),  # possessive
        (r"(?x) a b", "RE2"),  # verbose
        (r"\d{5000}", "RE2"),  # repetition beyond RE2's limit
        ("[a-", "RE2"),
    ],
)
def test_check_refuses_what_re2_cannot_run(pattern: str, said: str) -> None:
    marked = question("t", "text", "?", f"pattern = '{pattern}'  # <-")
    text = campaign_text(marked)
    campaign, problems = check_text(text, "t.toml", levels=LEVELS, units=UNITS)
    assert campaign is None
    line = next(n for n, x in enumerate(text.split("\n"), 1) if x.endswith("# <-"))
    [problem] = problems
    assert problem.key == "forms[dang-ky].questions[t].pattern" and problem.line == line
    vi, sep, en = problem.message.partition(" / ")
    assert sep and said in vi and "pattern" in en
    assert check_pattern(pattern) is not None


@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [
        (r"[\w ]+", "Hẻm 12 Đường Lê Lợi", True),  # \w is Unicode, as in Python
        (r"\w+", "hẻm!", False),
        (r"\d+", "١٢", True),  # Unicode digits, as in Python
        (r"\s", "\u3000", True),
        (r"\S+", "a b", False),
        (r"0\d{9}", "0912345678", True),
        (r"0\d{9}", "09123456789", False),  # the whole answer must match
        (r"\d{3}", "1234", False),
        (r"(?i)hem \d+", "HẺM 12", False),  # (?i) folds case, not diacritics
        (r"(?i)hẻm \d+", "HẺM 12", True),
        (r"a{,3}", "aaa", True),  # Python's {,n}
        (r"[^]x]+", "ab", True),
        (r"\u1ea1+", "ạạ", True),
        (r"a\Z", "a", True),
        (r".+", "a\ud800", True),  # a lone surrogate never raises
    ],
)
def test_patterns_keep_python_meaning(pattern: str, text: str, matches: bool) -> None:
    assert check_pattern(pattern) is None, translate(pattern)
    assert fullmatch(pattern, text) is matches


def test_stored_definition_with_an_old_pattern_still_loads() -> None:
    campaign, _ = check_text(
        campaign_text(question("t", "text", "?", "pattern = 'x+'")), "t.toml", levels=LEVELS
    )
    assert campaign is not None
    definition: dict[str, Any] = campaign.model_dump(mode="json")
    definition["forms"][0]["questions"][0]["pattern"] = r"(?=x)x+"
    with pytest.raises(ValueError, match="nhìn trước"):
        Campaign.model_validate(definition)
    stored = Campaign.model_validate(definition, context={STORED_DEFINITION: True})
    asked = stored.forms[0].questions[0]
    assert kind_of(asked).parse("anything", asked, PERIOD) == Accepted("anything")


async def test_slow_pattern_through_the_bot(bot: Bot, tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(
        campaign_text(question("so", "text", "Số nhà?", f"pattern = '{SLOW}'")), "utf-8"
    )
    await admin.load_campaign(bot.db, bot.settings, path, bot.clock.now())
    await bot.enrol("a", "KP-01", "rep")
    await bot.say("a", "dangky")
    began = time.perf_counter()
    replies = await bot.say("a", "1" * 30 + "x")
    assert time.perf_counter() - began < 2
    assert VI("form_pattern") in replies[0]


# --- B. huge numbers ------------------------------------------------------------------------

HUGE = [
    "1" * 4_301,
    "9" * 5_000,
    "-" + "9" * 5_000,
    "1" * 4_300 + "x",
    "9" * 199,
    "9" * 5_000 + " tỷ",
    "1," + "9" * 5_000,
    "0," + "9" * 199,
    "1e999999",
    "1E999999",
    "1e5",
    "2,5e10",
    "1e999999 hộ",
    "9" * 19,
    "Infinity",
    "inf",
    "NaN",
]
ODD_DIGITS = ["²", "①", "١٢", "²³", "½", "Ⅻ", "𝟙𝟚"]


@pytest.mark.parametrize("typed", HUGE, ids=range(len(HUGE)))
def test_number_kinds_refuse_huge_numbers(typed: str) -> None:
    assert parse_int(typed) is None and parse_number(typed) is None and parse_money(typed) is None
    for kind in (QuestionKind.INTEGER, QuestionKind.NUMBER, QuestionKind.MONEY):
        asked = next(q for q in FORM.questions if q.kind is kind)
        outcome = kind_of(asked).parse(typed, asked, PERIOD)
        assert isinstance(outcome, Refusal), (kind, outcome)
        assert outcome.key == f"form_bad_{kind.value}"
        VI(outcome.key, **outcome.values)


def test_units_with_digits_are_still_units() -> None:
    assert parse_number("150m2") == 150 and parse_int("12 hộ") == 12


@pytest.mark.parametrize("question_index", range(len(FORM.questions)))
@pytest.mark.parametrize("typed", HUGE + ODD_DIGITS, ids=range(len(HUGE + ODD_DIGITS)))
def test_every_kind_reads_odd_numbers_safely(question_index: int, typed: str) -> None:
    asked = FORM.questions[question_index]
    state = FormState(current=asked.id)
    for typed_input in (Text(typed), Nav(Command.SUA, typed)):
        state, events = engine.step(FORM, state, typed_input, PERIOD)
        for event in events:  # every refusal and notice can be written
            if isinstance(event, Refused):
                VI(event.refusal.key, **event.refusal.values)
            elif isinstance(event, Notice):
                VI(event.key, **event.values)
        for question_id, value in state.answers.items():  # whatever is kept fits and shows
            kept = FORM.question(question_id)
            assert still_fits(value, kept) == Accepted(value)
            show_value(kept, value, VI)


NUMERALS = st.builds(
    lambda sign, digits, tail: sign + digits + tail,
    st.sampled_from(["", "-", "+", "−", "khoảng "]),
    st.integers(min_value=1, max_value=6_000).map(lambda n: "9" * n)
    | st.text(alphabet="0123456789.,  ²①", min_size=1, max_size=300),
    st.sampled_from(["", "e999999", " tỷ", " triệu", "tr5", ",5", " hộ", "%", "đ", "e5"]),
)


@settings(max_examples=150, deadline=None)
@given(typed=NUMERALS, index=st.integers(min_value=0, max_value=len(FORM.questions) - 1))
def test_no_numeral_breaks_a_kind(typed: str, index: int) -> None:
    asked = FORM.questions[index]
    outcome = kind_of(asked).parse(typed, asked, PERIOD)
    if isinstance(outcome, Accepted):
        assert still_fits(outcome.value, asked) == outcome
        kind_of(asked).render(
            outcome.value, asked, VI
        )  # rendering never hits the 4,300-digit limit
    else:
        VI(outcome.key, **outcome.values)
    position = parse_position(typed, 10)
    assert position is None or 0 <= position < 10


@pytest.mark.parametrize(
    ("typed", "index"),
    [
        ("2", 1),
        ("2.", 1),
        ("2)", 1),
        ("số 2", 1),
        (" 3 ", 2),
        ("０３", 2),  # full-width, as every parser reads them
        ("\u200b2", 1),
        ("0", None),
        ("4", None),
        ("-1", None),
        ("1" * 5_000, None),
        ("0" * 5_000 + "1", None),
        ("99999", None),
        ("", None),
        ("2 3", None),
        ("\U0001d7d0", 1),  # 𝟐: NFKC makes it the ASCII 2, as for typed numbers
    ],
)
def test_parse_position(typed: str, index: int | None) -> None:
    assert parse_position(typed, 3) == index
    assert parse_choice(typed, ["Một", "Hai", "Ba"]) == index


REGISTER = [
    "dangky",
    "Tên",
    "1",
    "1",
    "Nội dung",
    "Nơi",
    "11/2023",
    "12/2023",
    "20 triệu",
    "boqua",
    "boqua",
    "boqua",
]


@pytest.mark.parametrize("typed", ["1" * 5_000, "9" * 4_301, "²", "①", "١", "-0", "1e999"])
async def test_numbered_picks_never_fail(
    bot: Bot, typed: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    await admin.load_campaign(bot.db, bot.settings, campaign_path("example"), bot.clock.now())
    await bot.enrol("a", "KP-01", "rep")
    await bot.enrol("s", "X-MAU", "secretary")
    probes = [
        ("a", [*REGISTER, f"sua {typed}", f"sua{typed}", "gui", typed, "2"]),  # summary, more?
        ("a", ["dangky", typed, f"sua {typed}", "huy"]),  # a text answer, sua N on a question
        ("a", ["dangky", typed, "huy"]),  # the draft offer, if the answer was kept
        ("a", ["baocao", typed, "1", typed, "huy"]),  # the form pick, the work pick
        ("a", ["trangthai", typed, "huy"]),  # the status pick
        ("s", ["moi", typed, "1", typed, "huy"]),  # the invite: unit, then role
    ]
    for user, texts in probes:
        for text in texts:
            replies = await bot.say(user, text)
            assert replies and all(INTERNAL not in r for r in replies), (text[:20], replies)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_sua_with_a_huge_number_says_which_numbers_exist(bot: Bot) -> None:
    await admin.load_campaign(bot.db, bot.settings, campaign_path("example"), bot.clock.now())
    await bot.enrol("a", "KP-01", "rep")
    await bot.say("a", "dangky")
    for typed in ("1" * 5_000, "¹²³", "①②③", "0", "-1"):
        replies = await bot.say("a", f"sua {typed}")
        assert VI("form_bad_edit_number", total=11) in replies[0]


def test_bounds_must_be_finite() -> None:
    for bound in ("inf", "-inf", "nan", "1e400"):
        text = campaign_text(question("n", "integer", "?", f"max = {bound}  # <-"))
        campaign, problems = check_text(text, "t.toml", levels=LEVELS, units=UNITS)
        assert campaign is None
        assert [p.key for p in problems] == ["forms[dang-ky].questions[n].max"], bound


# --- C. a form changed under its answers ----------------------------------------------------

BEFORE = (
    question("ten", "text", "Tên công trình?"),
    question("loai", "choice", "Loại nào?", 'options = ["Công trình", "Phần việc", "Mô hình"]'),
    question("dia_chi", "text", "Số nhà?"),
    question("so_ho", "integer", "Số hộ?", "min = 0"),
    question("ghi_chu", "text", "Ghi chú?", "required = false"),
)
AFTER = (
    question("ten", "text", "Tên công trình?"),
    question("loai", "choice", "Loại nào?", 'options = ["công trình", "Phần việc"]'),
    question("dia_chi", "integer", "Số nhà?"),
    question("so_ho", "integer", "Số hộ?", "min = 0"),
    question("ghi_chu", "text", "Ghi chú?"),  # now required; it was skipped
)


async def _load(bot: Bot, path: Path, questions: tuple[str, ...], code: str) -> None:
    path.write_text(campaign_text(*questions, code=code), "utf-8")
    await admin.load_campaign(bot.db, bot.settings, path, bot.clock.now())


async def test_amendment_asks_again_what_no_longer_fits(bot: Bot, tmp_path: Path) -> None:
    path, code = tmp_path / "c.toml", fresh_code()
    await _load(bot, path, BEFORE, code)
    await bot.enrol("a", "KP-01", "rep")
    for text in ("dangky", "Thắp sáng hẻm", "3", "Hẻm 12", "40", "boqua"):
        await bot.say("a", text)
    await bot.say("a", "gui")
    await _load(bot, path, AFTER, code)
    await bot.say("a", "trangthai")
    replies = await bot.say("a", "1")  # amend the one sent item
    assert CHANGED in replies[0] and "Loại nào?" in replies[0]
    replies = await bot.say("a", "gui")  # nothing can be sent while answers are missing
    assert not any("lần sửa" in r for r in replies) and "Loại nào?" in replies[-1]
    replies = await bot.say("a", "1")
    assert CHANGED in replies[0] and "Số nhà?" in replies[0]
    replies = await bot.say("a", "Hẻm 12")
    assert VI("form_bad_integer") in replies[0]
    replies = await bot.say("a", "12")
    assert CHANGED in replies[0] and "Ghi chú?" in replies[0]
    replies = await bot.say("a", "Không có")
    assert "Thắp sáng hẻm" in replies[-1]  # the summary, with the kept answer
    replies = await bot.say("a", "gui")
    assert "lần sửa thứ 1" in replies[0]
    async with bot.db.read() as repos:
        [sent] = await repos.submissions.for_unit("KP-01", code, "dang-ky")
        versions = await repos.submissions.versions(sent.id)
    assert versions[0].answers == {
        "ten": "Thắp sáng hẻm",
        "loai": "Mô hình",
        "dia_chi": "Hẻm 12",
        "so_ho": 40,
        "ghi_chu": None,
    }
    assert versions[1].answers == {
        "ten": "Thắp sáng hẻm",
        "loai": "công trình",
        "dia_chi": 12,
        "so_ho": 40,
        "ghi_chu": "Không có",
    }


async def test_kept_answers_take_the_new_spelling_of_an_option(bot: Bot, tmp_path: Path) -> None:
    path, code = tmp_path / "c.toml", fresh_code()
    await _load(bot, path, BEFORE, code)
    await bot.enrol("a", "KP-01", "rep")
    for text in ("dangky", "Tên", "1", "Hẻm 12", "40", "Ghi", "gui"):
        await bot.say("a", text)
    text_address = tuple(q.replace('"integer"', '"text"') if "dia_chi" in q else q for q in AFTER)
    await _load(bot, path, text_address, code)
    await bot.say("a", "trangthai")
    replies = await bot.say("a", "1")
    assert not any(CHANGED in r for r in replies) and "công trình" in replies[-1]
    replies = await bot.say("a", "gui")
    assert "lần sửa thứ 1" in replies[0]  # the spelling changed, so a new version is stored
    async with bot.db.read() as repos:
        [sent] = await repos.submissions.for_unit("KP-01", code, "dang-ky")
    assert sent.answers["loai"] == "công trình"


async def test_draft_resumed_under_a_new_revision(bot: Bot, tmp_path: Path) -> None:
    path, code = tmp_path / "c.toml", fresh_code()
    await _load(bot, path, BEFORE, code)
    await bot.enrol("a", "KP-01", "rep")
    for text in ("dangky", "Thắp sáng", "3", "Hẻm 5", "huy"):
        await bot.say("a", text)
    await _load(bot, path, AFTER, code)
    await bot.say("a", "dangky")  # "continue the draft or start again?"
    replies = await bot.say("a", "1")
    assert CHANGED in replies[0] and "Loại nào?" in replies[0]
    for text in ("2", "5", "10", "Ghi"):
        replies = await bot.say("a", text)
    replies = await bot.say("a", "gui")
    async with bot.db.read() as repos:
        [sent] = await repos.submissions.for_unit("KP-01", code, "dang-ky")
    assert sent.answers == {
        "ten": "Thắp sáng",
        "loai": "Phần việc",
        "dia_chi": 5,
        "so_ho": 10,
        "ghi_chu": "Ghi",
    }


async def test_reload_between_two_steps(bot: Bot, tmp_path: Path) -> None:
    path, code = tmp_path / "c.toml", fresh_code()
    await _load(bot, path, BEFORE, code)
    await bot.enrol("a", "KP-01", "rep")
    for text in ("dangky", "Thắp sáng", "3", "Hẻm 5"):
        await bot.say("a", text)
    await _load(bot, path, AFTER, code)
    replies = await bot.say("a", "7")  # the answer to "Số hộ?", asked before the reload
    assert CHANGED in replies[0] and "Loại nào?" in replies[0]


def test_engine_never_submits_what_does_not_fit() -> None:
    campaign, _ = check_text(campaign_text(*AFTER), "t.toml", levels=LEVELS)
    assert campaign is not None
    form = campaign.forms[0]
    stale = {"ten": "T", "loai": "Mô hình", "dia_chi": "Hẻm 12", "so_ho": 4, "ghi_chu": None}
    state = FormState(answers=stale, current=None)
    state, events = engine.step(form, state, Nav(Command.GUI), PERIOD)
    assert not any(isinstance(e, Submit) for e in events)
    assert isinstance(events[0], Notice) and events[0].key == "form_question_changed"
    assert isinstance(events[1], Ask) and events[1].question.id == "loai"
    for typed in ("2", "12", "x"):
        state, events = engine.step(form, state, Text(typed), PERIOD)
    state, events = engine.step(form, state, Nav(Command.GUI), PERIOD)
    assert events == [
        Submit({"ten": "T", "loai": "Phần việc", "dia_chi": 12, "so_ho": 4, "ghi_chu": "x"})
    ]


VALID = {
    "text": "x",
    "longtext": "dòng 1\ndòng 2",
    "integer": 5,
    "number": "2.5",
    "money": 1000,
    "day": "2023-11-30",
    "month": "2023-11",
    "choice": "Một",
    "multichoice": ["Một", "Ba"],
    "yesno": False,
    "photo": [1, 2],
    "file": {"link": "https://drive.google.com/x"},
}
# Stored values that no longer fit each question of the fuzz form (its kind or its bounds).
MISFITS: dict[str, list[Any]] = {
    "text": [12, True, ["Một"], "", "\u200b", " ", "x" * 51, {"attachment": 1}],
    "longtext": [12, False, [1], "\u3164"],
    "integer": ["Hẻm 12", "12", True, 1.5, 10**30, 1001, -1, [5]],
    "number": ["Hẻm", "NaN", "Infinity", "-Infinity", "1e-20", "1" * 5_000, 100, True, 2.5],
    "money": [-5, "1000", True, 10**18, 2_000_000_001, 1.0],
    "day": ["2023-11", "2023-02-30", "30/11/2023", 20231130, "2022-01-01", "2023-11-30x"],
    "month": ["2023-13", 5, "x", "2023-1"],
    "choice": ["Bốn", 1, ["Một"], "Mộ"],
    "multichoice": [[], ["Bốn"], ["Một", "Bốn"], "Một", [1]],
    "yesno": ["có", 1, 0],
    "photo": [[], [True], "ảnh", {"attachment": 1}],
    "file": [{"attachment": True}, {"link": "javascript:x"}, {"attachment": 1, "link": "x"}, "x"],
}


@pytest.mark.parametrize("question_id", list(VALID))
def test_still_fits_each_kind(question_id: str) -> None:
    asked = FORM.question(question_id)
    assert still_fits(VALID[question_id], asked) == Accepted(VALID[question_id])
    show_value(asked, VALID[question_id], VI)
    for value in MISFITS[question_id]:
        assert still_fits(value, asked) is None, value


def test_still_fits_keeps_the_current_spelling() -> None:
    assert still_fits("một", FORM.question("choice")) == Accepted("Một")
    assert still_fits(["ba", "Một", "Ba"], FORM.question("multichoice")) == Accepted(["Một", "Ba"])
    assert still_fits(5, FORM.question("number")) == Accepted("5")  # integer -> number
    assert still_fits("2023-11-30", FORM.question("month")) == Accepted("2023-11-30")


def test_skipped_answer_of_a_now_required_question() -> None:
    asked = FORM.question("text")
    assert asked.required and still_fits(None, asked) is None


# --- D. invisible characters ----------------------------------------------------------------

INVISIBLE = ["\u200b", "\u200c", "\u200d", "\ufeff", "\u2060", "\u00ad", "\u200e", "\u202e"]


@pytest.mark.parametrize(
    "typed",
    [
        "\u200b",
        "\u200b\u200c\u200d\ufeff",
        " \u200b \n\t ",
        "\u2060\u00ad",
        "\u3164",  # Hangul filler: an "empty" message some keyboards send
        "\u2800",
        "\u0301\u0301",  # accents on nothing
        "\u3000\u00a0",
        "\x00\x1b",
    ],
)
@pytest.mark.parametrize("question_id", ["text", "longtext"])
def test_invisible_text_is_no_answer(typed: str, question_id: str) -> None:
    state = FormState(current=question_id)
    state, events = engine.step(FORM, state, Text(typed), PERIOD)
    assert question_id not in state.answers
    assert isinstance(events[0], Refused) and events[0].refusal.key == "form_empty"


@settings(max_examples=100, deadline=None)
@given(typed=st.text(alphabet=st.sampled_from([*INVISIBLE, " ", "\n", "\t", "\u3000"])))
def test_only_invisible_characters_never_stored(typed: str) -> None:
    asked = FORM.question("text")
    assert isinstance(kind_of(asked).parse(typed, asked, PERIOD), Refusal)


def test_zero_width_characters_are_dropped_from_kept_text() -> None:
    asked = FORM.question("text")
    assert kind_of(asked).parse("\u200bHẻm\u200d 12\ufeff", asked, PERIOD) == Accepted("Hẻm 12")


@pytest.mark.parametrize("mark", INVISIBLE)
def test_fold_ignores_invisible_characters(mark: str) -> None:
    assert fold(f"dang{mark}ky") == "dangky" and fold(f"{mark}Sửa 3{mark}") == "sua 3"
    for typed, command, argument in (
        (f"dang{mark}ky", Command.DANGKY, ""),
        (f"{mark}/trogiup", Command.TROGIUP, ""),
        (f"sua{mark}3", Command.SUA, "3"),
        (f"s{mark}ửa 3", Command.SUA, "3"),
        (f"gửi{mark}", Command.GUI, ""),
    ):
        parsed = parse_command(typed)
        assert parsed is not None and parsed.command is command, typed
        assert parse_position(parsed.argument, 5) == (2 if argument else None)


async def test_starting_an_amendment_again_amends(bot: Bot, tmp_path: Path) -> None:
    path, code = tmp_path / "c.toml", fresh_code()
    await _load(bot, path, BEFORE, code)
    await bot.enrol("a", "KP-01", "rep")
    for text in ("dangky", "Thắp sáng hẻm", "3", "Hẻm 12", "40", "boqua", "gui"):
        await bot.say("a", text)
    for text in ("trangthai", "1", "sua 1", "Tên mới", "huy", "trangthai", "1"):
        await bot.say("a", text)
    replies = await bot.say("a", "2")  # start again: from what was sent, not a blank form
    assert "Thắp sáng hẻm" in replies[-1] and "Tên mới" not in replies[-1]
    replies = await bot.say("a", "sua 1")
    replies = await bot.say("a", "Tên khác")
    replies = await bot.say("a", "gui")
    assert "lần sửa thứ 1" in replies[0]
    async with bot.db.read() as repos:
        [sent] = await repos.submissions.for_unit("KP-01", code, "dang-ky")
    assert sent.answers["ten"] == "Tên khác" and sent.version == 2


def test_summary_after_a_change_asks_what_is_missing() -> None:
    campaign, _ = check_text(campaign_text(*AFTER), "t.toml", levels=LEVELS)
    assert campaign is not None
    form = campaign.forms[0]
    stale = {"ten": "T", "loai": "Phần việc", "dia_chi": "Hẻm 12", "so_ho": 4}  # no ghi_chu yet
    for typed in (Text("x"), Nav(Command.BOQUA), Nav(Command.SUA, "1")):
        _, events = engine.step(form, FormState(answers=stale), typed, PERIOD)
        assert isinstance(events[0], Notice) and events[0].key == "form_question_changed"
        assert isinstance(events[1], Ask) and events[1].question.id == "dia_chi"
        assert not any(isinstance(e, Summary) for e in events)


def test_label_of_a_huge_prompt_is_quick() -> None:
    prompt = "Tên" + " " * 200_000 + "(" * 100_000 + ", gõ" + " " * 100_000 + "x?"
    asked = Question.model_validate({"id": "t", "kind": "text", "prompt": prompt})
    began = time.perf_counter()
    assert label_of(asked).startswith("Tên")
    assert time.perf_counter() - began < 0.5


@pytest.mark.parametrize("mark", INVISIBLE)
def test_command_arguments_lose_invisible_characters(mark: str) -> None:
    parsed = parse_command(f"{mark}/start AB{mark}CD{mark}")
    assert parsed is not None and parsed.command is Command.START and parsed.argument == "ABCD"
    parsed = parse_command(f"sửa {mark}3{mark}")
    assert parsed is not None and parsed.command is Command.SUA and parsed.argument == "3"


@settings(max_examples=300, deadline=None)
@given(
    pattern=st.text(alphabet=st.sampled_from(list("ab1\\()[]{}?*+^$|.:,-=!<>PpdwsDWSbBuUZCx0 ")))
    | st.text(),
    text=st.text(max_size=50),
)
def test_any_pattern_is_checked_without_raising(pattern: str, text: str) -> None:
    problem = check_pattern(pattern)
    if problem is not None:
        assert problem.vi and problem.en and len(problem.en) < 400
    assert fullmatch(pattern, text) in (True, False)
