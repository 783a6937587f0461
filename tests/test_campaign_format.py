"""Campaign files: the shipped example and another campaign load clean; every problem is listed.

The broken snippets mark the line the problem must be reported on with a trailing `# <-`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time, timedelta
from importlib import resources
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.campaigns import (
    Campaign,
    FormKind,
    Late,
    Precision,
    Problem,
    QuestionKind,
    ShowIf,
    check_text,
    load_file,
)
from bot.campaigns.locate import Locator

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data" / "campaigns"
LEVELS = {"tinh", "xa", "khu_dan_cu"}
UNITS = {"T-MAU", "X-MAU", "KP-01", "X-SONG"}
MARK = "# <-"

CAMPAIGN = """\
[campaign]
code = "thu"
title = "Đợt thử"
starts_on = 2024-01-01
ends_on = 2024-12-31
scope = "X-MAU"
"""
FORM = """\

[[forms]]
id = "dang-ky"
title = "Đăng ký"
kind = "registration"
level = "khu_dan_cu"
due_on = 2024-02-01
"""
QUESTION = """\

  [[forms.questions]]
  id = "ten"
  kind = "text"
  prompt = "Tên?"
"""


def doc(*, head: str = "", campaign: str = "", form: str = "", questions: str = QUESTION) -> str:
    """Return a small campaign with extra lines for [campaign], the form, or other questions."""
    parts = [head, CAMPAIGN, campaign, FORM, form, questions]
    return "".join(part if part.endswith("\n") or not part else part + "\n" for part in parts)


def question(id_: str, kind: str, *lines: str, mark: str = "") -> str:
    """Return one [[forms.questions]] table; `mark` names a key whose line gets the mark."""
    body = [f'id = "{id_}"', f'kind = "{kind}"', 'prompt = "?"', *lines]
    body = [f"{x}  {MARK}" if mark and x.startswith(f"{mark} =") else x for x in body]
    return "\n  [[forms.questions]]\n" + "".join(f"  {x}\n" for x in body)


YESNO = question("co_lam", "yesno")
CHOICE = question("loai", "choice", 'options = ["Công trình", "Phần việc"]')
MULTI = question("linh_vuc", "multichoice", 'options = ["Điện", "Đường"]')
UPDATE = """
[[forms]]
id = "tien-do"
title = "Tiến độ"
kind = "update"
level = "khu_dan_cu"
due_on = 2024-03-01
"""


@dataclass(frozen=True)
class Case:
    """A broken file and the problem it must produce."""

    name: str
    text: str
    key: str
    line: int | None = None  # used when the text has no `# <-` mark


CASES = [
    # Unknown keys, at every level.
    Case("unknown key at top", doc(head=f"version = 2  {MARK}"), "version"),
    Case("unknown key in campaign", doc(campaign=f'titel = "x"  {MARK}'), "campaign.titel"),
    Case(
        "unknown key in form", doc(form=f"dealine = 2024-02-01  {MARK}"), "forms[dang-ky].dealine"
    ),
    Case(
        "unknown key in question",
        doc(questions=QUESTION + f'  promt = "x"  {MARK}'),
        "forms[dang-ky].questions[ten].promt",
    ),
    Case(
        "unknown key in show_if",
        doc(
            questions=QUESTION
            + question(
                "b", "text", f'show_if = {{ question = "ten", equals = "x", when = 1 }}  {MARK}'
            )
        ),
        "questions[b].show_if.when",
    ),
    # Enumerations.
    Case(
        "typo'd question kind",
        doc(questions=question("a", "choise", mark="kind")),
        "questions[a].kind",
    ),
    Case(
        "typo'd form kind",
        doc().replace('kind = "registration"', f'kind = "registraton"  {MARK}'),
        "forms[dang-ky].kind",
    ),
    Case("bad late", doc(form=f'late = "deny"  {MARK}'), "forms[dang-ky].late"),
    Case(
        "bad precision",
        doc(questions=question("d", "date", f'precision = "year"  {MARK}')),
        "questions[d].precision",
    ),
    # Missing keys: reported on the table's header.
    Case(
        "missing campaign key",
        doc().replace('scope = "X-MAU"\n', "").replace("[campaign]", f"[campaign]  {MARK}"),
        "campaign.scope",
    ),
    Case(
        "missing due_on",
        doc().replace("due_on = 2024-02-01\n", "").replace("[[forms]]", f"[[forms]]  {MARK}"),
        "forms[dang-ky].due_on",
    ),
    Case(
        "missing prompt",
        doc(questions=f'\n[[forms.questions]]  {MARK}\nid = "a"\nkind = "text"\n'),
        "questions[a].prompt",
    ),
    Case(
        "form without questions",
        doc(questions="").replace("[[forms]]", f"[[forms]]  {MARK}"),
        "forms[dang-ky].questions",
    ),
    Case("no forms", CAMPAIGN, "forms", None),
    Case("no campaign table", FORM + QUESTION, "campaign", None),
    # Ids.
    Case(
        "bad campaign code",
        doc().replace('code = "thu"', f'code = "Dai-Hoi"  {MARK}'),
        "campaign.code",
    ),
    Case(
        "bad form id",
        doc().replace('id = "dang-ky"', f'id = "dang_ky"  {MARK}'),
        "forms[dang_ky].id",
    ),
    Case(
        "bad question id",
        doc(questions=question("ten-ct", "text", mark="id")),
        "questions[ten-ct].id",
    ),
    Case(
        "id too long",
        doc(questions=question("a" * 41, "text", mark="id")),
        "forms[dang-ky].questions[#1].id",
    ),
    Case(
        "duplicate form id",
        doc(
            questions=QUESTION
            + FORM.replace('id = "dang-ky"', f'id = "dang-ky"  {MARK}')
            + QUESTION
        ),
        "forms[dang-ky].id",
    ),
    Case(
        "duplicate question id",
        doc(questions=QUESTION + QUESTION.replace('id = "ten"', f'id = "ten"  {MARK}')),
        "questions[ten].id",
    ),
    # show_if.
    Case(
        "show_if to a later question",
        doc(
            questions=question(
                "a", "text", f'show_if = {{ question = "co_lam", equals = "có" }}  {MARK}'
            )
            + YESNO
        ),
        "questions[a].show_if.question",
    ),
    Case(
        "show_if to an unknown question",
        doc(
            questions=YESNO
            + question("a", "text", f'show_if = {{ question = "khong_co", equals = "có" }}  {MARK}')
        ),
        "questions[a].show_if.question",
    ),
    Case(
        "show_if to itself",
        doc(
            questions=question("a", "text", f'show_if = {{ question = "a", equals = "x" }}  {MARK}')
        ),
        "questions[a].show_if.question",
    ),
    Case(
        "show_if equals an option that does not exist",
        doc(
            questions=CHOICE
            + question("a", "money", f'show_if = {{ question = "loai", equals = "Dự án" }}  {MARK}')
        ),
        "questions[a].show_if.equals",
    ),
    Case(
        "show_if any_of an option that does not exist",
        doc(
            questions=MULTI
            + question(
                "a",
                "text",
                f'show_if = {{ question = "linh_vuc", any_of = ["Điện", "Nước"] }}  {MARK}',
            )
        ),
        "questions[a].show_if.any_of",
    ),
    Case(
        "show_if on yesno with a value that is not có/không",
        doc(
            questions=YESNO
            + question("a", "text", f'show_if = {{ question = "co_lam", equals = "ừ" }}  {MARK}')
        ),
        "questions[a].show_if.equals",
    ),
    Case(
        "show_if on a photo",
        doc(
            questions=question("anh", "photo")
            + question("a", "text", f'show_if = {{ question = "anh", equals = "x" }}  {MARK}')
        ),
        "questions[a].show_if.question",
    ),
    Case(
        "show_if with both equals and any_of",
        doc(
            questions=YESNO
            + question(
                "a",
                "text",
                f'show_if = {{ question = "co_lam", equals = "có", any_of = ["có"] }}  {MARK}',
            )
        ),
        "questions[a].show_if",
    ),
    Case(
        "show_if with neither equals nor any_of",
        doc(
            questions=YESNO + question("a", "text", f'show_if = {{ question = "co_lam" }}  {MARK}')
        ),
        "questions[a].show_if",
    ),
    Case(
        "show_if as a sub-table",
        doc(
            questions=YESNO
            + question("a", "text")
            + f'  [forms.questions.show_if]\n  question = "co_lam"\n  equals = "chắc"  {MARK}\n'
        ),
        "questions[a].show_if.equals",
    ),
    # about.
    Case(
        "update without about",
        doc(questions=QUESTION + UPDATE.replace("[[forms]]", f"[[forms]]  {MARK}") + QUESTION),
        "forms[tien-do].about",
    ),
    Case(
        "about to a report form",
        doc(
            questions=QUESTION
            + UPDATE
            + f'about = "bao-cao"  {MARK}'
            + QUESTION
            + FORM.replace("dang-ky", "bao-cao").replace("registration", "report")
            + QUESTION
        ),
        "forms[tien-do].about",
    ),
    Case(
        "about to an unknown form",
        doc(questions=QUESTION + UPDATE + f'about = "dang-ki"  {MARK}' + QUESTION),
        "forms[tien-do].about",
    ),
    Case("about on a registration", doc(form=f'about = "dang-ky"  {MARK}'), "forms[dang-ky].about"),
    # Bounds.
    Case(
        "min > max",
        doc(questions=question("n", "integer", "min = 10", f"max = 5  {MARK}")),
        "questions[n].max",
    ),
    Case(
        "min > max for dates",
        doc(questions=question("d", "date", "min = 2024-05-01", f"max = 2024-04-30  {MARK}")),
        "questions[d].max",
    ),
    Case(
        "min_length > max_length",
        doc(questions=question("t", "text", "max_length = 10", f"min_length = 20  {MARK}")),
        "questions[t].min_length",
    ),
    Case(
        "min_length > default max_length",
        doc(questions=question("t", "text", f"min_length = 301  {MARK}")),
        "questions[t].min_length",
    ),
    Case(
        "negative min_length",
        doc(questions=question("t", "longtext", f"min_length = -1  {MARK}")),
        "questions[t].min_length",
    ),
    Case(
        "date bound on a number",
        doc(questions=question("n", "number", f"min = 2024-01-01  {MARK}")),
        "questions[n].min",
    ),
    Case(
        "number bound on a date",
        doc(questions=question("d", "date", f"max = 5  {MARK}")),
        "questions[d].max",
    ),
    Case(
        "quoted number bound",
        doc(questions=question("m", "money", f'min = "0"  {MARK}')),
        "questions[m].min",
    ),
    Case(
        "question date bound out of range",
        doc(questions=question("d", "date", f"min = 1800-01-01  {MARK}")),
        "questions[d].min",
    ),
    # Keys that belong to other kinds.
    Case(
        "options on text",
        doc(questions=question("t", "text", f'options = ["a"]  {MARK}')),
        "questions[t].options",
    ),
    Case(
        "choice without options",
        doc(
            questions=f'\n  [[forms.questions]]  {MARK}\n  id = "c"\n  kind = "choice"\n  prompt = "?"\n'
        ),
        "questions[c].options",
    ),
    Case(
        "choice with empty options",
        doc(questions=question("c", "choice", f"options = []  {MARK}")),
        "questions[c].options",
    ),
    Case(
        "duplicate options (folded)",
        doc(questions=question("c", "multichoice", f'options = ["Có", "co"]  {MARK}')),
        "questions[c].options",
    ),
    Case(
        "precision on money",
        doc(questions=question("m", "money", f'precision = "day"  {MARK}')),
        "questions[m].precision",
    ),
    Case(
        "month precision on text",
        doc(questions=question("t", "text", f'precision = "month"  {MARK}')),
        "questions[t].precision",
    ),
    Case(
        "pattern on a number",
        doc(questions=question("n", "integer", f'pattern = "\\\\d+"  {MARK}')),
        "questions[n].pattern",
    ),
    Case(
        "pattern that does not compile",
        doc(questions=question("t", "text", f'pattern = "[a-"  {MARK}')),
        "questions[t].pattern",
    ),
    Case(
        "error without pattern",
        doc(questions=question("t", "text", f'error = "Sai"  {MARK}')),
        "questions[t].error",
    ),
    Case(
        "unit on text",
        doc(questions=question("t", "text", f'unit = "m"  {MARK}')),
        "questions[t].unit",
    ),
    Case(
        "min on text", doc(questions=question("t", "text", f"min = 1  {MARK}")), "questions[t].min"
    ),
    Case(
        "max_length on a choice",
        doc(questions=question("c", "choice", 'options = ["a"]', f"max_length = 5  {MARK}")),
        "questions[c].max_length",
    ),
    # Reminders.
    Case(
        "bad reminder",
        doc(form=f'reminders = ["-7d", "-7days"]  {MARK}'),
        "forms[dang-ky].reminders[#2]",
    ),
    Case(
        "bad reminder in a multi-line list",
        doc(form=f'reminders = [\n  "-1d",\n  "+1w",  {MARK}\n]'),
        "forms[dang-ky].reminders[#2]",
    ),
    Case(
        "remind_at without a leading zero",
        doc(form=f'remind_at = "8:00"  {MARK}'),
        "forms[dang-ky].remind_at",
    ),
    Case(
        "remind_at out of the day",
        doc(form=f'remind_at = "24:00"  {MARK}'),
        "forms[dang-ky].remind_at",
    ),
    # Dates.
    Case(
        "ends before it starts",
        doc().replace("ends_on = 2024-12-31", f"ends_on = 2023-12-31  {MARK}"),
        "campaign.ends_on",
    ),
    Case(
        "campaign year out of range",
        doc().replace("starts_on = 2024-01-01", f"starts_on = 1999-12-31  {MARK}"),
        "campaign.starts_on",
    ),
    Case(
        "due_on year out of range",
        doc().replace("due_on = 2024-02-01", f"due_on = 2150-02-01  {MARK}"),
        "forms[dang-ky].due_on",
    ),
    Case("opens after due", doc(form=f"opens_on = 2024-03-01  {MARK}"), "forms[dang-ky].opens_on"),
    Case(
        "due before the campaign starts",
        doc().replace("due_on = 2024-02-01", f"due_on = 2023-12-01  {MARK}"),
        "forms[dang-ky].due_on",
    ),
    Case(
        "a date with a time",
        doc().replace("due_on = 2024-02-01", f"due_on = 2024-02-01T17:00:00  {MARK}"),
        "forms[dang-ky].due_on",
    ),
    Case(
        "a date in Vietnamese order",
        doc().replace("due_on = 2024-02-01", f'due_on = "01/02/2024"  {MARK}'),
        "forms[dang-ky].due_on",
    ),
    # Types.
    Case(
        "required as a string",
        doc(questions=QUESTION + f'  required = "yes"  {MARK}'),
        "questions[ten].required",
    ),
    Case("multiple as a number", doc(form=f"multiple = 1  {MARK}"), "forms[dang-ky].multiple"),
    Case(
        "title as a number",
        doc().replace('title = "Đăng ký"', f"title = 5  {MARK}"),
        "forms[dang-ky].title",
    ),
    Case(
        "empty prompt",
        doc(questions=question("a", "text").replace('"?"', f'"  "  {MARK}')),
        "questions[a].prompt",
    ),
    Case("forms as a single table", CAMPAIGN + f"[forms]  {MARK}\nid = 'x'\n", "forms"),
    # Organisation.
    Case(
        "unknown level",
        doc().replace('level = "khu_dan_cu"', f'level = "ap"  {MARK}'),
        "forms[dang-ky].level",
    ),
    Case(
        "unknown scope",
        doc().replace('scope = "X-MAU"', f'scope = "X-KHONG"  {MARK}'),
        "campaign.scope",
    ),
    # The file itself.
    Case("TOML syntax error", doc(form=f"title2 = Đăng ký  {MARK}"), "toml"),
    Case("key declared twice", doc(form=f'title = "Lại"  {MARK}'), "toml"),
    Case("unclosed array at the end", doc() + "  options = [", "toml", doc().count("\n") + 1),
    Case("empty file", "", "file", 1),
    Case("only comments", "# chưa viết gì\n\n", "file", 1),
]


def _expected_line(case: Case) -> int | None:
    marked = [
        n for n, text in enumerate(case.text.split("\n"), start=1) if text.rstrip().endswith(MARK)
    ]
    assert len(marked) <= 1, f"{case.name}: more than one mark"
    return marked[0] if marked else case.line


def test_base_snippet_is_valid() -> None:
    campaign, problems = check_text(doc(), "t.toml", levels=LEVELS, units=UNITS)
    assert problems == [] and campaign is not None


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_problem_has_its_key_and_line(case: Case) -> None:
    campaign, problems = check_text(case.text, "t.toml", levels=LEVELS, units=UNITS)
    assert campaign is None
    rendered = "\n".join(p.render() for p in problems)
    found = [p for p in problems if case.key in p.key]
    assert found, f"no problem about {case.key!r}:\n{rendered}"
    assert _expected_line(case) in [p.line for p in found], rendered
    for problem in problems:  # every message is in both languages
        vi, sep, en = problem.message.partition(" / ")
        assert sep and vi and en, problem.render()


def test_five_problems_are_all_reported() -> None:
    path = DATA / "broken.toml"
    campaign, problems = load_file(path, levels=LEVELS, units=UNITS)
    assert campaign is None
    marked = [
        n
        for n, text in enumerate(path.read_text("utf-8").split("\n"), start=1)
        if re.search(r"# \d: ", text)
    ]
    assert [p.line for p in problems] == marked and len(marked) == 5
    keys = [p.key for p in problems]
    assert keys == [
        "campaign.dealine",
        "forms[dang-ky].level",
        "forms[dang-ky].questions[loai].kind",
        "forms[dang-ky].questions[so_ho].max",
        "forms[dang-ky].questions[kinh_phi].show_if.question",
    ]
    for problem in problems:
        assert re.fullmatch(rf"{re.escape(str(path))}:\d+: \S+: .+ / .+", problem.render())


def test_shipped_example_loads_clean() -> None:
    text = resources.files("bot").joinpath("data/campaigns/example.toml").read_text("utf-8")
    campaign, problems = check_text(text, "example.toml", levels=LEVELS, units=UNITS)
    assert problems == []
    assert campaign is not None
    assert campaign.campaign.code == "dai-hoi-mttq-2024"
    assert [f.id for f in campaign.forms] == ["dang-ky", "tien-do", "tong-ket"]
    register, update, report = campaign.forms
    assert register.kind is FormKind.REGISTRATION and register.multiple
    assert update.about == "dang-ky" and update.reminders == []
    assert report.reminders == ["-7d", "-3d", "-1d", "0d", "+1d"]  # the default
    assert register.opens(campaign) == date(2023, 10, 10)  # the campaign start
    assert register.reminder_offsets()[-1] == timedelta(days=3)
    assert register.remind_time() == time(8, 0)
    assert register.question("bat_dau").precision is Precision.MONTH
    assert register.question("bat_dau").min == date(2023, 10, 1)
    assert register.question("ten").effective_max_length() == 200
    assert register.question("dia_diem").effective_max_length() == 300
    assert report.question("trien_khai").effective_max_length() == 2000
    assert register.question("so_ho").effective_max_length() is None


def test_shipped_example_is_the_spec_example() -> None:
    shipped = ROOT / "bot" / "data" / "campaigns" / "example.toml"
    assert shipped.read_bytes() == (ROOT / "docs" / "spec" / "example-campaign.toml").read_bytes()


def test_other_campaign_loads_clean() -> None:
    campaign, problems = load_file(DATA / "other.toml", levels=LEVELS, units=UNITS)
    assert [p.render() for p in problems] == []
    assert campaign is not None
    assert {q.kind for f in campaign.forms for q in f.questions} == set(QuestionKind)
    assert FormKind.UPDATE not in {f.kind for f in campaign.forms}
    report = campaign.form("bao-cao-thang")
    assert report.late is Late.REFUSE
    assert report.opens(campaign) == date(2024, 11, 1)
    assert report.reminder_offsets() == [
        timedelta(days=-5),
        timedelta(days=-1),
        timedelta(hours=-2),
    ]
    register = campaign.form("ho-ngheo")
    phone = register.question("so_dien_thoai")
    assert phone.matches_pattern("0912345678") and not phone.matches_pattern("091234567")
    assert register.question("chu_ho").effective_max_length() == 80
    child = register.question("hoc_sinh")
    assert child.applies({"nhu_cau": ["Nhà ở", "Giao duc"]})
    assert not child.applies({"nhu_cau": ["Nhà ở"]}) and not child.applies({})
    assert register.question("muc_do").applies({"nha_tam": True})
    assert not register.question("muc_do").applies({"nha_tam": False})


def test_scope_is_not_checked_without_units() -> None:
    text = doc().replace('scope = "X-MAU"', 'scope = "X-KHONG"')
    campaign, problems = check_text(text, "t.toml", levels=LEVELS)
    assert problems == [] and campaign is not None
    _, problems = check_text(text, "t.toml", levels=LEVELS, units=UNITS)
    assert [p.key for p in problems] == ["campaign.scope"]


def test_duplicate_points_at_the_first_line() -> None:
    text = doc(questions=QUESTION + QUESTION)
    _, problems = check_text(text, "t.toml", levels=LEVELS)
    assert len(problems) == 1
    first = text.split("\n").index('  id = "ten"') + 1
    assert f"dòng {first}" in problems[0].message and f"line {first}" in problems[0].message


def test_unknown_key_suggests_the_right_one() -> None:
    _, problems = check_text(doc(form='remind_time = "09:00"'), "t.toml", levels=LEVELS)
    assert "remind_at" in problems[0].message
    _, problems = check_text(doc(questions=question("a", "choise")), "t.toml", levels=LEVELS)
    assert any("choice?" in p.message for p in problems)


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "none.toml"
    campaign, problems = load_file(path, levels=LEVELS)
    assert campaign is None
    assert [p.render() for p in problems] == [f"{path}: file: không tìm thấy tệp / no such file"]


def test_not_utf8_reports_the_line(tmp_path: Path) -> None:
    path = tmp_path / "cp1258.toml"
    path.write_bytes(doc().encode("utf-8").replace("thử".encode(), b"th\xf2"))
    campaign, problems = load_file(path, levels=LEVELS)
    assert campaign is None and len(problems) == 1
    assert problems[0].key == "file" and problems[0].line == 3


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + doc().encode("utf-8"))
    campaign, problems = load_file(path, levels=LEVELS)
    assert problems == [] and campaign is not None


def test_problem_render() -> None:
    assert Problem("a.toml", 3, "campaign.code", "sai / wrong").render() == (
        "a.toml:3: campaign.code: sai / wrong"
    )
    assert Problem("a.toml", None, "forms", "thiếu / missing").render() == (
        "a.toml: forms: thiếu / missing"
    )


@pytest.mark.parametrize(
    ("condition", "answer", "expected"),
    [
        (ShowIf(question="q", equals="Đang thực hiện"), "đang thuc hien", True),
        (ShowIf(question="q", equals="Đang thực hiện"), "Đã hoàn thành", False),
        (ShowIf(question="q", any_of=["Công trình", "Dự án"]), "Dự án", True),
        (ShowIf(question="q", any_of=["Công trình", "Dự án"]), ["Mô hình", "du an"], True),
        (ShowIf(question="q", any_of=["Công trình"]), ["Mô hình"], False),
        (ShowIf(question="q", any_of=["Công trình"]), [], False),
        (ShowIf(question="q", equals="có"), True, True),
        (ShowIf(question="q", equals="Có"), False, False),
        (ShowIf(question="q", equals="không"), False, True),
        (ShowIf(question="q", equals="true"), True, True),
        (ShowIf(question="q", equals="false"), True, False),
        (ShowIf(question="q", equals="3"), 3, True),
        (ShowIf(question="q", equals="3"), 4, False),
        (ShowIf(question="q", equals="có"), None, False),
    ],
)
def test_show_if_matches(condition: ShowIf, answer: object, expected: bool) -> None:
    assert condition.matches(answer) is expected


def test_models_are_frozen_and_round_trip() -> None:
    campaign, _ = load_file(DATA / "other.toml", levels=LEVELS)
    assert campaign is not None
    with pytest.raises(ValidationError):
        campaign.campaign.title = "khác"  # type: ignore[misc]
    assert Campaign.model_validate(campaign.model_dump()) == campaign
    assert Campaign.model_validate(campaign.model_dump(mode="json")) == campaign
    assert Campaign.model_validate_json(campaign.model_dump_json()) == campaign


def test_direct_validation_applies_the_cross_table_rules() -> None:
    campaign, _ = load_file(DATA / "other.toml", levels=LEVELS)
    assert campaign is not None
    data = campaign.model_dump()
    data["forms"][1]["id"] = "ho-ngheo"
    with pytest.raises(ValidationError, match="ho-ngheo"):
        Campaign.model_validate(data)


def test_lookups_raise_key_error() -> None:
    campaign, _ = load_file(DATA / "other.toml", levels=LEVELS)
    assert campaign is not None
    with pytest.raises(KeyError):
        campaign.form("khong-co")
    with pytest.raises(KeyError):
        campaign.forms[0].question("khong_co")


def test_locator_reads_tables_keys_and_strings() -> None:
    text = (
        "[campaign]\n"  # 1
        'title = """nhiều dòng\n'  # 2
        'id = "không phải khóa"\n'  # 3
        '"""\n'  # 4
        "[[forms]]\n"  # 5
        'id = "a"  # [[forms]] trong chú thích\n'  # 6
        "  [[forms.questions]]\n"  # 7
        '  "id" = "x"\n'  # 8
        '  show_if.question = "y"\n'  # 9
        "[[forms]]\n"  # 10
        "reminders = [\n"  # 11
        '  "[[forms]]",\n'  # 12
        "]\n"  # 13
        "  [[forms.questions]]\n"  # 14
        '  show_if = { question = "a", any_of = ["b", "c"] }\n'  # 15
    )
    locate = Locator(text).line
    assert locate(("campaign", "title")) == 2
    assert locate(("campaign", "id")) == 1  # inside the string: falls back to the table
    assert locate(("forms", 0)) == 5 and locate(("forms", 0, "id")) == 6
    assert locate(("forms", 0, "questions", 0, "id")) == 8
    assert locate(("forms", 0, "questions", 0, "show_if")) == 9
    assert locate(("forms", 0, "questions", 0, "show_if", "question")) == 9
    assert locate(("forms", 1)) == 10 and locate(("forms", 1, "reminders", 0)) == 12
    assert locate(("forms", 1, "questions", 0)) == 14
    assert locate(("forms", 1, "questions", 0, "show_if", "any_of", 1)) == 15
    assert locate(("forms", 2)) == 5  # no such element: the array's first line
    assert locate(("other",)) is None
