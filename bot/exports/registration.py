"""The registration list ("DANH SÁCH ĐĂNG KÝ CÔNG TRÌNH, PHẦN VIỆC THI ĐUA"): which question
fills which column, each work's values, and the works grouped by unit with their subtotals.

Secretaries expect fixed columns (docs/domain/field.md, "Documents secretaries expect") while
every campaign writes its own questions: `registration_columns` is the one rule that maps them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Final

from bot.campaigns.model import Form, Question
from bot.exports.numbers import integer
from bot.exports.rows import Entry
from bot.forms.kinds import QuestionKind, load_date
from bot.forms.render import show_value
from bot.parsers import DateValue
from bot.texts import VI
from bot.words import fold

REGISTRATION_TITLE: Final = "DANH SÁCH ĐĂNG KÝ CÔNG TRÌNH, PHẦN VIỆC THI ĐUA"
REGISTRATION_HEADERS: Final = (
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
)
WORKS: Final = "công trình, phần việc"

# Question ids of the example campaign (docs/spec/example-campaign.toml) and its kin.
_BY_ID: Final = {
    "name": ("ten", "ten_cong_trinh"),
    "content": ("noi_dung",),
    "place": ("dia_diem",),
    "start": ("bat_dau",),
    "end": ("hoan_thanh",),
    "money": ("kinh_phi",),
    "source": ("nguon",),
    "households": ("so_ho",),
}
_HO: Final = re.compile(r"(?<!\w)hộ(?!\w)")  # the word "hộ" (households), not "họ" or "hỗ"
_NGUON: Final = re.compile(r"\bnguon\b")  # "nguồn" once diacritics are folded away
# The kinds whose answer is words (a place, a source): a yes/no about a place is no place.
_WORDS_KINDS: Final = frozenset(
    {QuestionKind.TEXT, QuestionKind.LONGTEXT, QuestionKind.CHOICE, QuestionKind.MULTICHOICE}
)


@dataclass(frozen=True)
class Columns:
    """The question behind each column of the registration list (None: the column is empty)."""

    name: Question | None = None
    content: Question | None = None
    place: Question | None = None
    start: Question | None = None
    end: Question | None = None
    money: Question | None = None
    source: Question | None = None
    households: Question | None = None


def _words(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def registration_columns(form: Form) -> Columns:
    """Map a registration form's questions to the list's columns, each question used once.

    1. By question id: ten / ten_cong_trinh → name, noi_dung → content, dia_diem → place,
       bat_dau → start, hoan_thanh → end, kinh_phi → money, nguon → source, so_ho → households.
    2. Then by prompt words (diacritics ignored, except for "hộ"): a text, longtext, choice or
       multichoice whose prompt says "địa điểm" → place; a choice, multichoice or text whose
       prompt mentions "nguồn" → source; an integer whose unit is "hộ" or whose prompt has the
       word "hộ" → households.
    3. Then by kind: the first text → name; the first longtext → content; the date questions,
       in order → start, then end; the first money → money.
    A column no rule fills stays empty.
    """
    found: dict[str, Question] = {}
    used: set[str] = set()

    def take(column: str, question: Question) -> None:
        found[column] = question
        used.add(question.id)

    for column, ids in _BY_ID.items():
        question = next((q for q in form.questions if q.id in ids), None)
        if question is not None and question.id not in used:
            take(column, question)

    def first(column: str, wanted: Callable[[Question], bool]) -> None:
        if column in found:
            return
        question = next((q for q in form.questions if q.id not in used and wanted(q)), None)
        if question is not None:
            take(column, question)

    first("place", lambda q: q.kind in _WORDS_KINDS and "dia diem" in fold(q.prompt))
    first(
        "source",
        lambda q: (
            q.kind in _WORDS_KINDS
            and q.kind is not QuestionKind.LONGTEXT
            and _NGUON.search(fold(q.prompt)) is not None
        ),
    )
    first(
        "households",
        lambda q: (
            q.kind is QuestionKind.INTEGER
            and (_HO.search(_words(q.unit or "")) or _HO.search(_words(q.prompt))) is not None
        ),
    )
    first("name", lambda q: q.kind is QuestionKind.TEXT)
    first("content", lambda q: q.kind is QuestionKind.LONGTEXT)
    first("start", lambda q: q.kind is QuestionKind.DATE)
    first("end", lambda q: q.kind is QuestionKind.DATE)
    first("money", lambda q: q.kind is QuestionKind.MONEY)
    return Columns(**found)


def _date(value: Any) -> DateValue | None:
    if not isinstance(value, str):
        return None
    try:
        return load_date(value)
    except ValueError:
        return None


def short_date(value: DateValue) -> str:
    """'11/2023' for a month, '30/11/2023' for a day."""
    day = value.value
    if value.precision == "month":
        return f"{day.month:02d}/{day.year}"
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


@dataclass(frozen=True)
class Work:
    """One work's values in the list's columns (text as in chats, numbers as numbers)."""

    name: str
    content: str
    place: str
    period: str | DateValue | None  # "11/2023 - 12/2023", or the one date of a one-date form
    money: int | None  # đồng
    source: str
    households: int | None


def _text(question: Question | None, answers: dict[str, Any]) -> str:
    if question is None:
        return ""
    value = answers.get(question.id)
    return "" if value is None else show_value(question, value, VI)


def _whole(question: Question | None, answers: dict[str, Any]) -> int | None:
    value = None if question is None else answers.get(question.id)
    return value if type(value) is int else None  # a stored int (never a bool), else nothing


def _period(columns: Columns, answers: dict[str, Any]) -> str | DateValue | None:
    start = _date(answers.get(columns.start.id)) if columns.start else None
    end = _date(answers.get(columns.end.id)) if columns.end else None
    if columns.start is None or columns.end is None:
        return start or end  # a form with one date question: the date itself
    if start and end:
        return f"{short_date(start)} - {short_date(end)}"
    if start:
        return f"từ {short_date(start)}"
    return f"đến {short_date(end)}" if end else None


def work(columns: Columns, answers: dict[str, Any]) -> Work:
    """The list's values of one registration."""
    return Work(
        _text(columns.name, answers),
        _text(columns.content, answers),
        _text(columns.place, answers),
        _period(columns, answers),
        _whole(columns.money, answers),
        _text(columns.source, answers),
        _whole(columns.households, answers),
    )


@dataclass
class Sums:
    """Works counted, and the sums of their kinh phí and số hộ (None: nobody answered)."""

    works: int = 0
    money: int | None = None
    households: int | None = None

    def add(self, item: Work | Sums) -> None:
        """Count a work (or a unit's sums) in."""
        self.works += item.works if isinstance(item, Sums) else 1
        if item.money is not None:
            self.money = (self.money or 0) + item.money
        if item.households is not None:
            self.households = (self.households or 0) + item.households


def subtotal_label(sums: Sums, *, grand: bool = False) -> str:
    """'Cộng: 3 công trình, phần việc' (or 'Tổng cộng: …' for the whole list)."""
    return f"{'Tổng cộng' if grand else 'Cộng'}: {integer(sums.works)} {WORKS}"


@dataclass
class UnitWorks:
    """One unit's works in the list, with their subtotal."""

    label: str  # the unit's name, with its parent's when that helps (`unit_label`)
    works: list[tuple[Entry, Work]] = field(default_factory=list)
    sums: Sums = field(default_factory=Sums)


def by_unit(entries: Iterable[Entry], columns: Columns, root_path: str) -> Iterator[UnitWorks]:
    """Group the works (already in tree order) by unit; one unit's works are held at a time."""
    current: UnitWorks | None = None
    code = None
    for entry in entries:
        if current is None or entry.unit_code != code:
            if current is not None:
                yield current
            label = unit_label(entry.unit_name, entry.unit_path, entry.parent_name, root_path)
            current = UnitWorks(label)
            code = entry.unit_code
        values = work(columns, entry.answers)
        current.works.append((entry, values))
        current.sums.add(values)
    if current is not None:
        yield current


def roman(n: int) -> str:
    """I, II, … MMMCMXCIX for a group number; larger numbers (a national list) in digits."""
    if not 0 < n < 4000:
        return str(n)
    letters = []
    for value, letter in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        count, n = divmod(n, value)
        letters.append(letter * count)
    return "".join(letters)


def unit_label(name: str, path: str, parent_name: str | None, root_path: str) -> str:
    """The unit's name, with its parent's unless the parent is the export's own unit (a
    province's list has many "Khu phố 1")."""
    parent_path = path[: path.rstrip("/").rfind("/") + 1]
    if parent_name is None or path == root_path or parent_path == root_path:
        return name
    return f"{name} ({parent_name})"
