"""Every question kind in one place: one class each, in the KINDS registry.

A kind says which campaign keys it takes (checked when a campaign is loaded), how to read what
a person typed, how to show a stored answer, whether a stored answer still fits a changed
question, how to hint at an answer, which buttons to offer, whether it takes files, and what a
`show_if` may compare it with. Nothing else in the code asks "which kind is this?".
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from bot import parsers
from bot.messages import Button, numbered_buttons
from bot.texts import Texts
from bot.words import fold

if TYPE_CHECKING:  # the campaign model imports this registry to check its keys
    from bot.campaigns.model import Question

URL = re.compile(r"https?://\S+", re.IGNORECASE)


class QuestionKind(StrEnum):
    """What a question accepts (campaign-format.md, "Question kinds")."""

    TEXT = "text"
    LONGTEXT = "longtext"
    INTEGER = "integer"
    NUMBER = "number"
    MONEY = "money"
    DATE = "date"
    CHOICE = "choice"
    MULTICHOICE = "multichoice"
    YESNO = "yesno"
    PHOTO = "photo"
    FILE = "file"


class Precision(StrEnum):
    """How precise a `date` answer must be."""

    DAY = "day"
    MONTH = "month"


# Folded spellings a `show_if` may use for a yes/no answer, and the answer each one means.
YESNO_VALUES = {"co": True, "true": True, "khong": False, "false": False}


@dataclass(frozen=True)
class Refusal:
    """Why an answer was not accepted: a catalogue key and its values."""

    key: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Accepted:
    """A valid answer, in its stored (JSON) form."""

    value: Any


Outcome = Accepted | Refusal


class Kind:
    """Base of the question kinds: text in, stored value out, and back to text."""

    kind: ClassVar[QuestionKind]
    # The optional campaign keys this kind takes (options, min/max, lengths, pattern, unit…).
    keys: ClassVar[frozenset[str]] = frozenset()
    default_max_length: ClassVar[int | None] = None
    hint_key: ClassVar[str] = ""  # catalogue key of the "how to answer" line
    takes_files: ClassVar[bool] = False  # a photo or document is an answer here
    collects_photos: ClassVar[bool] = False  # several photos, then "xong"
    can_be_condition: ClassVar[bool] = True  # a later show_if may depend on the answer
    # A campaign's own help line already shows how to answer (amounts are written many ways).
    help_replaces_hint: ClassVar[bool] = False
    # Any words are an answer here: a bare command word ("Huy") may be meant as one.
    free_text: ClassVar[bool] = False
    # "không biết", "chưa có" skip an optional question of this kind (never a yes/no one,
    # where "không" is an answer).
    skip_words: ClassVar[bool] = True

    def takes(self, key: str) -> bool:
        """True when a campaign may write `key` on a question of this kind."""
        return key in self.keys

    def parse(self, text: str, question: Question, period: tuple[date, date]) -> Outcome:
        """Read `text` as an answer to `question`."""
        raise NotImplementedError

    def render(self, value: Any, question: Question, texts: Texts) -> str:
        """Show a stored value the way the bot writes it."""
        return str(value)

    def check(self, value: Any, question: Question) -> Accepted | None:
        """Re-read a stored (non-None) answer under `question` as it is now.

        Accepted holds the value to keep (the same, or its current spelling); None means the
        question changed so that the answer no longer fits and must be asked again.
        """
        raise NotImplementedError

    def hint(self, question: Question) -> Refusal | None:
        """The catalogue line that shows how to answer (a key and its values), if any."""
        return Refusal(self.hint_key) if self.hint_key else None

    def listed(self, question: Question) -> list[str]:
        """Labels shown as a numbered list under the question (options)."""
        return []

    def buttons(self, question: Question, texts: Texts) -> list[list[Button]]:
        """Rows of answer buttons (Telegram); typing the value means the same."""
        return []

    def condition_problem(self, question: dict[str, Any], value: str) -> tuple[str, str] | None:
        """Why a show_if may not compare this question's answer with `value` (vi, en), or None."""
        return None


def _bounds(value: Decimal, question: Question, shown: str) -> Refusal | None:
    low = Decimal(str(question.min)) if question.min is not None else None
    high = Decimal(str(question.max)) if question.max is not None else None
    if (low is not None and value < low) or (high is not None and value > high):
        return Refusal("form_out_of_range", {"low": _show(low), "high": _show(high), "got": shown})
    return None


def _show(bound: Decimal | None) -> str:
    if bound is None:
        return "…"
    if bound == bound.to_integral_value():
        return parsers.render_int(int(bound))
    return parsers.render_number(bound)


class TextKind(Kind):
    """Free text on one line (up to 300 characters by default)."""

    kind = QuestionKind.TEXT
    keys = frozenset({"max_length", "min_length", "pattern", "error"})
    default_max_length = 300
    free_text = True

    def parse(self, text: str, question: Question, period: tuple[date, date]) -> Outcome:
        """Accept any printable text within the length bounds and the pattern."""
        # "dạ Thắp sáng hẻm 12 ạ" is "Thắp sáng hẻm 12": only sure particles go, no answer word.
        cleaned = parsers.strip_politeness(_clean(text), free_text=True)
        if not _visible(cleaned):
            return Refusal("form_empty")
        limit = question.effective_max_length() or 2000
        if len(cleaned) > limit:
            return Refusal("form_too_long", {"length": len(cleaned), "limit": limit})
        if question.min_length and len(cleaned) < question.min_length:
            return Refusal("form_too_short", {"limit": question.min_length})
        if not question.matches_pattern(cleaned):
            if question.error:  # the campaign's own words for this pattern
                return Refusal("form_custom", {"message": question.error})
            return Refusal("form_pattern")
        return Accepted(cleaned)

    def check(self, value: Any, question: Question) -> Accepted | None:
        """Text that the question, as it is now, would accept if typed again."""
        if not isinstance(value, str):
            return None
        outcome = self.parse(value, question, _NO_PERIOD)
        return outcome if isinstance(outcome, Accepted) else None


class LongTextKind(TextKind):
    """Free text, several lines allowed (up to 2,000 characters by default)."""

    kind = QuestionKind.LONGTEXT
    default_max_length = 2000


# Text answers never read the campaign period (only dates do).
_NO_PERIOD = (date.min, date.max)
# Control (Cc), invisible format (Cf: zero-width space and joiners, BOM, bidi marks, soft hyphen)
# and lone surrogates (Cs, which cannot even be stored as UTF-8).
_DROPPED = frozenset({"Cc", "Cf", "Cs"})
# What draws nothing on a screen: spaces, combining marks on their own, and the blank letters
# some keyboards offer to send an "empty" message.
_BLANK_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Mn", "Me", "Cc", "Cf", "Cs"})
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def _clean(text: str) -> str:
    """Drop control and invisible format characters (keeping line breaks) and outer blanks."""
    kept = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in _DROPPED)
    return kept.strip()


def _visible(text: str) -> bool:
    """True when at least one character of `text` shows on a screen."""
    return any(
        ch not in _BLANK_LETTERS and unicodedata.category(ch) not in _BLANK_CATEGORIES
        for ch in text
    )


class _NumericKind(Kind):
    """Numbers of any sort: read, check against min/max, store, and show with the unit."""

    refusal: ClassVar[str]
    keys = frozenset({"min", "max", "unit"})
    example: ClassVar[Decimal]  # the example of the hint, when the bounds allow it

    def hint(self, question: Question) -> Refusal | None:
        """ "ví dụ: 120" — or, with bounds, the range and an example inside it (never outside)."""
        low = Decimal(str(question.min)) if question.min is not None else None
        high = Decimal(str(question.max)) if question.max is not None else None
        if low is None and high is None:
            return Refusal(self.hint_key)
        example = self.example
        if low is not None and high is not None and not low <= example <= high:
            example = self.round_example((low + high) / 2)
        elif low is not None and example < low:
            example = low
        elif high is not None and example > high:
            example = high
        if low is not None and high is not None:
            bounded = "range"
        else:
            bounded = "min" if low is not None else "max"
        return Refusal(
            f"{self.hint_key}_{bounded}",
            {"low": _show(low), "high": _show(high), "example": self.show(example)},
        )

    def round_example(self, value: Decimal) -> Decimal:
        """A tidy example between the bounds (whole for whole numbers)."""
        return value.to_integral_value()

    def read(self, text: str) -> Decimal | None:
        """Parse the typed text into a number (None when it is not one)."""
        raise NotImplementedError

    def store(self, number: Decimal) -> Any:
        """The JSON form of a valid number."""
        raise NotImplementedError

    def show(self, number: Decimal) -> str:
        """The number as the bot writes it."""
        raise NotImplementedError

    def parse(self, text: str, question: Question, period: tuple[date, date]) -> Outcome:
        """Read a number within the question's bounds."""
        number = self.read(text)
        if number is None:
            return Refusal(self.refusal)
        return _bounds(number, question, self.show(number)) or Accepted(self.store(number))

    def render(self, value: Any, question: Question, texts: Texts) -> str:
        """'1.200 hộ', '402,4 m'."""
        shown = self.show(Decimal(str(value)))
        if not question.unit:
            return shown
        # Vietnamese writes "30%" but "1.200 hộ".
        return (
            f"{shown}{question.unit}"
            if question.unit.startswith("%")
            else f"{shown} {question.unit}"
        )

    def stored(self, value: Any) -> Decimal | None:
        """The number a stored answer of this kind holds (None when it is not one)."""
        raise NotImplementedError

    def check(self, value: Any, question: Question) -> Accepted | None:
        """A stored number of this kind, within the question's bounds as they are now."""
        number = self.stored(value)
        if number is None or _bounds(number, question, "") is not None:
            return None
        return Accepted(self.store(number))


def _decimal(value: int | Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _whole(value: Any, *, low: int) -> Decimal | None:
    """A stored whole number (never a bool) within what the parsers can produce."""
    if type(value) is not int or not low <= value < parsers.NUMBER_LIMIT:
        return None
    return Decimal(value)


class IntegerKind(_NumericKind):
    """Whole numbers: 12, 1.200, 1 200."""

    kind = QuestionKind.INTEGER
    hint_key = "hint_integer"
    example = Decimal(120)
    refusal = "form_bad_integer"

    def read(self, text: str) -> Decimal | None:
        """Parse a whole number."""
        return _decimal(parsers.parse_int(text))

    def store(self, number: Decimal) -> Any:
        """Stored as an int."""
        return int(number)

    def stored(self, value: Any) -> Decimal | None:
        """An int."""
        return _whole(value, low=-parsers.NUMBER_LIMIT + 1)

    def show(self, number: Decimal) -> str:
        """'1.200'."""
        return parsers.render_int(int(number))


class NumberKind(_NumericKind):
    """Decimals with a comma: 3,5; 1.200,5. Stored as a string with a dot, e.g. "3.5"."""

    kind = QuestionKind.NUMBER
    hint_key = "hint_number"
    example = Decimal("3.5")

    def round_example(self, value: Decimal) -> Decimal:
        """One decimal place: 0,5 between 0 and 1."""
        return value.quantize(Decimal("0.1"))

    refusal = "form_bad_number"

    def read(self, text: str) -> Decimal | None:
        """Parse a decimal."""
        return parsers.parse_number(text)

    def store(self, number: Decimal) -> Any:
        """Stored as exact decimal text."""
        return str(number)

    def stored(self, value: Any) -> Decimal | None:
        """Decimal text, or an int (a whole number is a number too)."""
        if type(value) is int:
            return _whole(value, low=-parsers.NUMBER_LIMIT + 1)
        if not isinstance(value, str):
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            return None
        # What parse_number could have produced: finite, and as many digits as it reads.
        if not number.is_finite() or abs(number) >= parsers.NUMBER_LIMIT:
            return None
        exponent = number.as_tuple().exponent
        assert isinstance(exponent, int)  # finite
        return number if -exponent <= parsers.MAX_FRACTION_DIGITS else None

    def show(self, number: Decimal) -> str:
        """'402,4'."""
        return parsers.render_number(number)


class MoneyKind(_NumericKind):
    """Amounts in đồng: 45 triệu, 1,2 tỷ, 120.000.000 đồng, không."""

    kind = QuestionKind.MONEY
    hint_key = "hint_money"
    help_replaces_hint = True
    example = Decimal(45_000_000)
    refusal = "form_bad_money"

    def read(self, text: str) -> Decimal | None:
        """Parse an amount in đồng."""
        return _decimal(parsers.parse_money(text))

    def store(self, number: Decimal) -> Any:
        """Stored as whole đồng."""
        return int(number)

    def stored(self, value: Any) -> Decimal | None:
        """Whole đồng, not negative."""
        return _whole(value, low=0)

    def show(self, number: Decimal) -> str:
        """'45.000.000 đồng' (exact, for refusals)."""
        return parsers.render_money(int(number))

    def render(self, value: Any, question: Question, texts: Texts) -> str:
        """'45 triệu đồng' (or the exact amount when it is not round)."""
        return parsers.render_money_short(int(value))


class DateKind(Kind):
    """Day-first dates; month precision also takes 'tháng 11/2023'. Stored as ISO text."""

    kind = QuestionKind.DATE
    hint_key = "hint_date"
    keys = frozenset({"min", "max", "precision"})

    def hint(self, question: Question) -> Refusal | None:
        """A month question shows a month as its example."""
        return Refusal("hint_month" if question.precision is Precision.MONTH else self.hint_key)

    def parse(self, text: str, question: Question, period: tuple[date, date]) -> Outcome:
        """Read a date (year inferred from the campaign period) within the bounds."""
        precision: Literal["day", "month"] = (
            "month" if question.precision is Precision.MONTH else "day"
        )
        parsed = parsers.parse_date(text, period=period, precision=precision)
        if parsed is None:
            key = "form_bad_month" if question.precision is Precision.MONTH else "form_bad_date"
            return Refusal(key)
        low, high = question.min, question.max
        if self._outside(parsed, question):
            return Refusal(
                "form_date_out_of_range",
                {
                    "low": parsers.render_day(low) if isinstance(low, date) else "…",
                    "high": parsers.render_day(high) if isinstance(high, date) else "…",
                },
            )
        return Accepted(store_date(parsed))

    def render(self, value: Any, question: Question, texts: Texts) -> str:
        """'30/11/2023' or 'tháng 11/2023'."""
        return parsers.render_date(load_date(str(value)))

    def check(self, value: Any, question: Question) -> Accepted | None:
        """An ISO day (or a month, when the question takes months) within the bounds."""
        if not isinstance(value, str) or len(value) not in (7, 10):
            return None
        try:
            stored = load_date(value)
        except ValueError:
            return None
        if stored.precision == "month" and question.precision is not Precision.MONTH:
            return None
        if self._outside(stored, question):
            return None
        return Accepted(store_date(stored))

    @staticmethod
    def _outside(value: parsers.DateValue, question: Question) -> bool:
        low, high = question.min, question.max
        return (isinstance(low, date) and value.value < _floor(low, value.precision)) or (
            isinstance(high, date) and value.value > high
        )


def _floor(bound: date, precision: str) -> date:
    """A month answer 'tháng 10/2023' satisfies a lower bound of 15/10/2023."""
    return bound.replace(day=1) if precision == "month" else bound


def store_date(value: parsers.DateValue) -> str:
    """'2023-11-30' for a day, '2023-11' for a month."""
    iso = value.value.isoformat()
    return iso[:7] if value.precision == "month" else iso


def load_date(text: str) -> parsers.DateValue:
    """Read back what `store_date` wrote."""
    if len(text) == 7:
        return parsers.DateValue(date.fromisoformat(text + "-01"), "month")
    return parsers.DateValue(date.fromisoformat(text), "day")


class ChoiceKind(Kind):
    """One option, by number or by the start of its text."""

    kind = QuestionKind.CHOICE
    hint_key = "hint_choice"
    keys = frozenset({"options"})

    def listed(self, question: Question) -> list[str]:
        """The options, numbered."""
        return list(question.options or [])

    def buttons(self, question: Question, texts: Texts) -> list[list[Button]]:
        """One button per option."""
        return numbered_buttons(self.listed(question))

    def condition_problem(self, question: dict[str, Any], value: str) -> tuple[str, str] | None:
        """A show_if must name one of the options."""
        return _option_condition(question, value)

    def parse(self, text: str, question: Question, period: tuple[date, date]) -> Outcome:
        """Return the chosen option's text."""
        options = question.options or []
        index = parsers.parse_choice(text, options)
        if index is None:
            return Refusal("form_bad_choice", {"count": len(options)})
        return Accepted(options[index])

    def check(self, value: Any, question: Question) -> Accepted | None:
        """One of the options as they are now (case and diacritics aside: its spelling now)."""
        index = _option(value, question.options or [])
        return None if index is None else Accepted((question.options or [])[index])


def _option(value: Any, options: list[str]) -> int | None:
    """The index of the option a stored text is, compared folded as options are."""
    if not isinstance(value, str):
        return None
    wanted = fold(value)
    return next((i for i, option in enumerate(options) if fold(option) == wanted), None)


class MultiChoiceKind(Kind):
    """Several options: '1,3', '1 3', or texts separated by commas."""

    kind = QuestionKind.MULTICHOICE
    hint_key = "hint_multichoice"
    keys = frozenset({"options"})

    def listed(self, question: Question) -> list[str]:
        """The options, numbered (typed as "1,3": no buttons, several may be chosen)."""
        return list(question.options or [])

    def condition_problem(self, question: dict[str, Any], value: str) -> tuple[str, str] | None:
        """A show_if must name one of the options."""
        return _option_condition(question, value)

    def parse(self, text: str, question: Question, period: tuple[date, date]) -> Outcome:
        """Return the chosen options' texts, in the form's order."""
        options = question.options or []
        indexes = parsers.parse_multichoice(text, options)
        if not indexes:
            return Refusal("form_bad_multichoice", {"count": len(options)})
        return Accepted([options[i] for i in indexes])

    def check(self, value: Any, question: Question) -> Accepted | None:
        """Every chosen text still an option: a removed one asks the question again."""
        options = question.options or []
        if not isinstance(value, list) or not value:
            return None
        indexes = [_option(item, options) for item in value]
        if any(index is None for index in indexes):
            return None
        return Accepted([options[i] for i in sorted({i for i in indexes if i is not None})])

    def render(self, value: Any, question: Question, texts: Texts) -> str:
        """'An sinh xã hội; Điện chiếu sáng'."""
        return "; ".join(str(v) for v in value)


class YesNoKind(Kind):
    """có / không and their many spellings."""

    kind = QuestionKind.YESNO
    hint_key = "hint_yesno"
    skip_words = False

    def buttons(self, question: Question, texts: Texts) -> list[list[Button]]:
        """Có / Không."""
        return [
            [
                Button(label=texts("button_yes"), value="có"),
                Button(label=texts("button_no"), value="không"),
            ]
        ]

    def condition_problem(self, question: dict[str, Any], value: str) -> tuple[str, str] | None:
        """A show_if on a yes/no question says "có" or "không"."""
        if fold(value) in YESNO_VALUES:
            return None
        target = _quoted(question.get("id"))
        return (
            f'câu {target} là có/không: ghi "có" hoặc "không"',
            f'{target} is a yes/no question: write "có" or "không"',
        )

    def parse(self, text: str, question: Question, period: tuple[date, date]) -> Outcome:
        """Return True or False."""
        answer = parsers.parse_yesno(text)
        return Refusal("form_bad_yesno") if answer is None else Accepted(answer)

    def check(self, value: Any, question: Question) -> Accepted | None:
        """True or False."""
        return Accepted(value) if isinstance(value, bool) else None

    def render(self, value: Any, question: Question, texts: Texts) -> str:
        """'Có' or 'Không'."""
        return parsers.render_yesno(bool(value))


class PhotoKind(Kind):
    """One or more photos, then 'xong'. Stored as a list of attachment ids."""

    kind = QuestionKind.PHOTO
    hint_key = "hint_photo"
    takes_files = True
    collects_photos = True
    can_be_condition = False

    def parse(self, text: str, question: Question, period: tuple[date, date]) -> Outcome:
        """Typed text is not a photo."""
        return Refusal("form_photo_expected")

    def render(self, value: Any, question: Question, texts: Texts) -> str:
        """'2 ảnh'."""
        return texts("value_photos", count=len(value)) if value else texts("value_no_photo")

    def check(self, value: Any, question: Question) -> Accepted | None:
        """A non-empty list of attachment ids."""
        if isinstance(value, list) and value and all(type(item) is int for item in value):
            return Accepted(value)
        return None


class FileKind(Kind):
    """One document (Telegram), or a photo or a link where documents cannot be sent (Zalo)."""

    kind = QuestionKind.FILE
    hint_key = "hint_file"
    takes_files = True
    can_be_condition = False

    def parse(self, text: str, question: Question, period: tuple[date, date]) -> Outcome:
        """A typed link stands in for a file."""
        match = URL.search(text)
        if match and len(match.group(0)) <= 1000:
            return Accepted({"link": match.group(0)})
        return Refusal("form_file_expected")

    def render(self, value: Any, question: Question, texts: Texts) -> str:
        """'1 tệp' or the link."""
        if isinstance(value, dict) and "link" in value:
            return str(value["link"])
        return texts("value_file")

    def check(self, value: Any, question: Question) -> Accepted | None:
        """An attachment id or a link, as parse and an upload store them."""
        if not isinstance(value, dict) or len(value) != 1:
            return None
        if type(value.get("attachment")) is int:
            return Accepted(value)
        link = value.get("link")
        if isinstance(link, str) and URL.fullmatch(link) and len(link) <= 1000:
            return Accepted(value)
        return None


KINDS: dict[QuestionKind, Kind] = {
    k.kind: k
    for k in (
        TextKind(),
        LongTextKind(),
        IntegerKind(),
        NumberKind(),
        MoneyKind(),
        DateKind(),
        ChoiceKind(),
        MultiChoiceKind(),
        YesNoKind(),
        PhotoKind(),
        FileKind(),
    )
}


def kind_of(question: Question) -> Kind:
    """Return the kind object for a question."""
    return KINDS[question.kind]


def kinds_taking(key: str) -> frozenset[QuestionKind]:
    """The kinds on which a campaign may write `key` (for the campaign checks' messages)."""
    return frozenset(kind for kind, handler in KINDS.items() if handler.takes(key))


def _option_condition(question: dict[str, Any], value: str) -> tuple[str, str] | None:
    """A show_if on an options question must name one of them."""
    options = question.get("options")
    if not isinstance(options, list):
        return None  # the question's own problem, reported where it is defined
    texts = [o for o in options if isinstance(o, str)]
    if fold(value) in {fold(o) for o in texts}:
        return None
    target, listed, shown = _quoted(question.get("id")), "; ".join(texts), _quoted(value)
    return (
        f"{shown} không phải lựa chọn của câu {target} ({listed})",
        f"{shown} is not an option of {target} ({listed})",
    )


def _quoted(value: object) -> str:
    """A value as TOML writes it (as the campaign checks quote it)."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)


def still_fits(value: Any, question: Question) -> Accepted | None:
    """Re-read a stored answer (None = skipped) under the question as it is now.

    Accepted holds the value to keep; None means it no longer fits (the kind, an option, a
    bound or the pattern changed, or a skipped question became required).
    """
    if value is None:
        return None if question.required else Accepted(None)
    return kind_of(question).check(value, question)
