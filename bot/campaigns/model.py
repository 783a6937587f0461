"""The campaign file format (docs/spec/campaign-format.md) as frozen pydantic models.

Rules that concern one table (a question, a form, `[campaign]`) live here as validators, so every
one of them is reported by pydantic in a single pass with the exact key. Rules that look across
tables (ids, `show_if`, `about`, levels, units) live in `bot.campaigns.rules`.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Annotated, Any, Final, NoReturn

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    StrictBool,
    StrictInt,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_serializer,
    model_validator,
)
from pydantic_core import PydanticCustomError

from bot.forms.kinds import KINDS, YESNO_VALUES, Precision, QuestionKind, kinds_taking
from bot.parsers.patterns import check_pattern
from bot.parsers.patterns import fullmatch as pattern_fullmatch
from bot.words import fold

# The error type of every rule written here; its ctx holds the two halves of the message.
RULE_ERROR: Final = "thidua_rule"
# Validation context key: the loader runs the cross-table rules itself, with exact keys and lines.
SKIP_CROSS_CHECKS: Final = "skip_cross_checks"
# Validation context key: a definition read back from the database, checked when it was loaded.
STORED_DEFINITION: Final = "stored_definition"


def quoted(value: object) -> str:
    """Show a value as it is written in TOML: strings in double quotes, diacritics kept."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)


def refuse(vi: str, en: str) -> PydanticCustomError:
    """Build the bilingual validation error used by every campaign rule."""
    return PydanticCustomError(RULE_ERROR, "{vi} / {en}", {"vi": vi, "en": en})


class FormKind(StrEnum):
    """Registration of a work, a period report, or progress of a registered work."""

    REGISTRATION = "registration"
    REPORT = "report"
    UPDATE = "update"


class Late(StrEnum):
    """What happens to a submission after `due_on`."""

    ALLOW = "allow"
    REFUSE = "refuse"


DEFAULT_REMINDERS: Final = ("-7d", "-3d", "-1d", "0d", "+1d")

_REMINDER = re.compile(r"^([+-]?)(\d{1,3})([dh])$")
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _kinds(kinds: frozenset[QuestionKind]) -> str:
    return ", ".join(sorted(kinds))


def _matching(pattern: str, vi: str, en: str) -> AfterValidator:
    """Refuse strings that do not match `pattern`, with a message people can act on."""
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise refuse(
                f"{quoted(value)} không hợp lệ: {vi}", f"{quoted(value)} is not valid: {en}"
            )
        return value

    return AfterValidator(check)


def _plain_date(value: Any) -> Any:
    """Let pydantic parse dates and ISO strings, but refuse date-times and plain numbers."""
    if isinstance(value, datetime):
        raise refuse(
            "chỉ ghi ngày, không ghi giờ, ví dụ 2023-11-30",
            "a date without a time is expected, e.g. 2023-11-30",
        )
    if isinstance(value, bool | int | float):
        raise refuse("phải là ngày dạng 2023-11-30", "must be a date like 2023-11-30")
    return value


def _year_between(low: int, high: int) -> AfterValidator:
    def check(value: date) -> date:
        if not low <= value.year <= high:
            raise refuse(
                f"năm {value.year} không hợp lý (cần từ {low} đến {high})",
                f"the year {value.year} is implausible (expected {low}-{high})",
            )
        return value

    return AfterValidator(check)


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
PlanDate = Annotated[date, BeforeValidator(_plain_date), _year_between(2000, 2100)]
CampaignCode = Annotated[
    str,
    _matching(
        r"[a-z0-9-]{2,40}",
        "chỉ gồm chữ thường không dấu a-z, số 0-9 và dấu '-', từ 2 đến 40 ký tự",
        "use lower-case a-z, digits 0-9 and '-', 2 to 40 characters",
    ),
]
FormId = Annotated[
    str,
    _matching(
        r"[a-z0-9-]{1,40}",
        "chỉ gồm chữ thường không dấu a-z, số 0-9 và dấu '-', tối đa 40 ký tự",
        "use lower-case a-z, digits 0-9 and '-', at most 40 characters",
    ),
]
QuestionId = Annotated[
    str,
    _matching(
        r"[a-z0-9_]{1,40}",
        "chỉ gồm chữ thường không dấu a-z, số 0-9 và dấu '_', tối đa 40 ký tự",
        "use lower-case a-z, digits 0-9 and '_', at most 40 characters",
    ),
]
Reminder = Annotated[
    str,
    _matching(
        _REMINDER.pattern.strip("^$"),
        "ghi dạng -7d (7 ngày trước hạn), 0d (ngày hạn), +1d (1 ngày sau hạn) hoặc -2h (giờ)",
        "write -7d (7 days before the deadline), 0d, +1d or -2h (hours)",
    ),
]
ClockTime = Annotated[
    str,
    _matching(
        _HHMM.pattern.strip("^$"),
        "ghi giờ dạng HH:MM, ví dụ 08:00",
        "write the time as HH:MM, e.g. 08:00",
    ),
]
Bound = int | float | date


class _Strict(BaseModel):
    """Every table of a campaign file: unknown keys are errors, values never change."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ShowIf(_Strict):
    """Ask a question only when an earlier answer matches `equals` or one of `any_of`."""

    question: QuestionId
    equals: Text | None = None
    any_of: list[Text] | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _exactly_one(self) -> ShowIf:
        if (self.equals is None) == (self.any_of is None):
            raise refuse(
                "cần đúng một trong hai khóa equals hoặc any_of",
                "exactly one of equals or any_of is needed",
            )
        return self

    def values(self) -> list[str]:
        """Return the accepted values: [equals] or any_of."""
        return [self.equals] if self.equals is not None else list(self.any_of or [])

    def matches(self, answer: object) -> bool:
        """Return whether a stored answer satisfies the condition.

        None (not answered, skipped) never matches. A list (multichoice) matches when any
        selected option is accepted; text compares folded (case and diacritics ignored); a bool
        (yesno) compares with có/không/true/false; anything else (numbers, dates) compares its
        `str()` exactly, e.g. `equals = "3"` matches the int 3 but not 3.0.
        """
        if answer is None:
            return False
        accepted = self.values()
        if isinstance(answer, bool):
            return any(YESNO_VALUES.get(fold(value)) is answer for value in accepted)
        folded = {fold(value) for value in accepted}
        if isinstance(answer, list | tuple):
            return any(isinstance(item, str) and fold(item) in folded for item in answer)
        if isinstance(answer, str):
            return fold(answer) in folded
        return str(answer) in accepted


class Question(_Strict):
    """One question of a form, asked in file order."""

    # Field order matters: validators below read `kind` (and `min`, `pattern`...) from
    # `info.data`, which holds the fields already validated; a key that failed is absent.
    id: QuestionId
    kind: QuestionKind
    prompt: Text
    help: Text | None = None
    required: StrictBool = True
    options: list[Text] | None = Field(default=None, validate_default=True)
    min: Bound | None = None
    max: Bound | None = None
    # max_length before min_length: min_length is compared with it (or with its default).
    max_length: Annotated[StrictInt, Field(ge=1)] | None = None
    min_length: Annotated[StrictInt, Field(ge=0)] | None = None
    pattern: str | None = None
    error: Text | None = None
    show_if: ShowIf | None = None
    unit: Text | None = None
    precision: Precision = Precision.DAY

    @staticmethod
    def _kind(info: ValidationInfo) -> QuestionKind | None:
        kind = info.data.get("kind")
        return kind if isinstance(kind, QuestionKind) else None

    @staticmethod
    def _only_for(key: str, kind: QuestionKind) -> NoReturn:
        kinds = kinds_taking(key)
        raise refuse(
            f"khóa {key} chỉ dùng cho câu hỏi loại {_kinds(kinds)}, không dùng cho {kind}",
            f"{key} is only for {_kinds(kinds)} questions, not {kind}",
        )

    @field_validator("options")
    @classmethod
    def _options(cls, value: list[str] | None, info: ValidationInfo) -> list[str] | None:
        kind = cls._kind(info)
        if kind is None:
            return value
        if not KINDS[kind].takes("options"):
            if value is not None:
                cls._only_for("options", kind)
            return value
        if not value:
            raise refuse(
                f"câu hỏi loại {kind} cần options với ít nhất một lựa chọn",
                f"a {kind} question needs options with at least one entry",
            )
        seen: set[str] = set()
        for option in value:
            if fold(option) in seen:
                raise refuse(
                    f"lựa chọn {quoted(option)} bị lặp (không phân biệt hoa thường, dấu)",
                    f"the option {quoted(option)} appears twice (ignoring case and diacritics)",
                )
            seen.add(fold(option))
        return value

    @field_validator("min", "max", mode="before")
    @classmethod
    def _bound(cls, value: Any, info: ValidationInfo) -> Any:
        key = info.field_name or "min"
        kind = cls._kind(info)
        if value is None or kind is None:
            return value
        if not KINDS[kind].takes(key):
            texts = KINDS[kind].takes("max_length")
            hint_vi = " (với chữ dùng min_length, max_length)" if texts else ""
            hint_en = " (for text use min_length, max_length)" if texts else ""
            raise refuse(
                f"khóa {key} chỉ dùng cho câu hỏi số hoặc ngày, không dùng cho {kind}{hint_vi}",
                f"{key} is only for number and date questions, not {kind}{hint_en}",
            )
        bound = _date_bound(value) if KINDS[kind].takes("precision") else _number_bound(value)
        # `min` passed this same check under the same kind, so both are dates or both numbers.
        low = info.data.get("min") if key == "max" else None
        if low is not None and low > bound:
            raise _min_above_max("min", low, "max", bound)
        return bound

    @field_validator("max_length")
    @classmethod
    def _max_length(cls, value: int | None, info: ValidationInfo) -> int | None:
        kind = cls._kind(info)
        if value is not None and kind is not None and not KINDS[kind].takes("max_length"):
            cls._only_for("max_length", kind)
        return value

    @field_validator("min_length")
    @classmethod
    def _min_length(cls, value: int | None, info: ValidationInfo) -> int | None:
        kind = cls._kind(info)
        if value is None or kind is None:
            return value
        if not KINDS[kind].takes("min_length"):
            cls._only_for("min_length", kind)
        if "max_length" not in info.data:
            return value  # max_length itself was refused
        high = info.data["max_length"]
        default = KINDS[kind].default_max_length
        if high is None and default is not None and value > default:
            raise refuse(
                f"min_length ({value}) lớn hơn độ dài tối đa mặc định ({default})",
                f"min_length ({value}) is greater than the default max_length ({default})",
            )
        if high is not None and value > high:
            raise _min_above_max("min_length", value, "max_length", high)
        return value

    @field_validator("pattern")
    @classmethod
    def _pattern(cls, value: str | None, info: ValidationInfo) -> str | None:
        kind = cls._kind(info)
        if value is None or kind is None:
            return value
        if not KINDS[kind].takes("pattern"):
            cls._only_for("pattern", kind)
        problem = check_pattern(value)
        # A definition read back from the database was checked when it was loaded; one stored
        # before patterns ran on RE2 must not stop the bot (its pattern is then not applied).
        if problem is not None and not (info.context and info.context.get(STORED_DEFINITION)):
            raise refuse(problem.vi, problem.en)
        return value

    @field_validator("error")
    @classmethod
    def _error(cls, value: str | None, info: ValidationInfo) -> str | None:
        # A pattern that failed its own check is absent from info.data: say nothing more then.
        if value is not None and "pattern" in info.data and info.data["pattern"] is None:
            raise refuse(
                "khóa error chỉ dùng cùng với pattern", "error is only used together with pattern"
            )
        return value

    @field_validator("unit")
    @classmethod
    def _unit(cls, value: str | None, info: ValidationInfo) -> str | None:
        kind = cls._kind(info)
        if value is not None and kind is not None and not KINDS[kind].takes("unit"):
            cls._only_for("unit", kind)
        return value

    @field_validator("precision")
    @classmethod
    def _precision(cls, value: Precision, info: ValidationInfo) -> Precision:
        # Runs only when the key is written: `precision = "day"` on money is refused too.
        kind = cls._kind(info)
        if kind is not None and not KINDS[kind].takes("precision"):
            cls._only_for("precision", kind)
        return value

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # The default precision is not written for other kinds, so that a dump validates again
        # (the key is refused on them when present).
        data: dict[str, Any] = handler(self)
        if not KINDS[self.kind].takes("precision"):
            data.pop("precision", None)
        return data

    def effective_max_length(self) -> int | None:
        """Return max_length, else 300 for text and 2000 for longtext; None for other kinds."""
        if self.max_length is not None:
            return self.max_length
        return KINDS[self.kind].default_max_length

    def matches_pattern(self, text: str) -> bool:
        """Return whether text satisfies `pattern` in full (always true without a pattern)."""
        return self.pattern is None or pattern_fullmatch(self.pattern, text)

    def applies(self, answers: Mapping[str, object]) -> bool:
        """Return whether the question is asked, given the answers so far (by question id)."""
        return self.show_if is None or self.show_if.matches(answers.get(self.show_if.question))


def _number_bound(value: Any) -> int | float:
    # bool is an int to Python but never a sensible bound.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise refuse(
            "phải là một số, ví dụ 0 hoặc 100 (không đặt trong dấu nháy)",
            "must be a number, e.g. 0 or 100 (without quotes)",
        )
    # TOML has inf and nan (and 1e400 reads as inf): no answer compares with them sensibly, and
    # showing the bound in a refusal would fail.
    if isinstance(value, float) and not math.isfinite(value):
        raise refuse(
            f"{value} không phải là một giới hạn dùng được: hãy ghi một số cụ thể, ví dụ 100",
            f"{value} is not a usable bound: write a plain number, e.g. 100",
        )
    return value


def _date_bound(value: Any) -> date:
    if isinstance(value, str):
        with contextlib.suppress(ValueError):  # refused just below, with an example
            value = date.fromisoformat(value)
    if isinstance(value, datetime) or not isinstance(value, date):
        raise refuse(
            "câu hỏi ngày cần giới hạn là ngày, ví dụ 2023-10-01",
            "a date question needs date bounds, e.g. 2023-10-01",
        )
    if not 1900 <= value.year <= 2100:
        raise refuse(
            f"năm {value.year} không hợp lý (cần từ 1900 đến 2100)",
            f"the year {value.year} is implausible (expected 1900-2100)",
        )
    return value


def _min_above_max(low_key: str, low: object, high_key: str, high: object) -> PydanticCustomError:
    return refuse(
        f"{low_key} ({low}) lớn hơn {high_key} ({high})",
        f"{low_key} ({low}) is greater than {high_key} ({high})",
    )


class Form(_Strict):
    """One form (biểu mẫu) of a campaign: who submits it, when, and its questions."""

    # `kind` before `about`, `due_on` before `opens_on`: their validators read the earlier one.
    id: FormId
    title: Text
    kind: FormKind
    level: Text
    multiple: StrictBool = False
    about: FormId | None = Field(default=None, validate_default=True)
    due_on: PlanDate
    opens_on: PlanDate | None = None
    late: Late = Late.ALLOW
    reminders: list[Reminder] = Field(default_factory=lambda: list(DEFAULT_REMINDERS))
    remind_at: ClockTime = "08:00"
    questions: list[Question] = Field(min_length=1)

    @field_validator("about")
    @classmethod
    def _about(cls, value: str | None, info: ValidationInfo) -> str | None:
        kind = info.data.get("kind")
        if kind is FormKind.UPDATE and value is None:
            raise refuse(
                "biểu mẫu update cần khóa about: id của biểu mẫu đăng ký",
                "an update form needs about: the id of a registration form",
            )
        if kind is not None and kind is not FormKind.UPDATE and value is not None:
            raise refuse(
                "khóa about chỉ dùng cho biểu mẫu update", "about is only for update forms"
            )
        return value

    @field_validator("opens_on")
    @classmethod
    def _opens_before_due(cls, value: date | None, info: ValidationInfo) -> date | None:
        due = info.data.get("due_on")
        if value is not None and due is not None and value > due:
            raise refuse(
                f"ngày mở ({value}) sau hạn nộp due_on ({due})",
                f"opens_on ({value}) is after due_on ({due})",
            )
        return value

    def opens(self, campaign: Campaign) -> date:
        """Return the first day the form accepts answers: opens_on, else the campaign start."""
        return self.opens_on or campaign.campaign.starts_on

    def reminder_offsets(self) -> list[timedelta]:
        """Return the reminders as offsets from due_on ("-7d" is seven days before)."""
        offsets: list[timedelta] = []
        for reminder in self.reminders:
            match = _REMINDER.match(reminder)
            if match is None:  # validated on load; kept for models built with model_construct
                raise ValueError(f"bad reminder {reminder!r}")
            sign, amount, unit = match.groups()
            size = timedelta(days=1) if unit == "d" else timedelta(hours=1)
            offsets.append(size * int(amount) * (-1 if sign == "-" else 1))
        return offsets

    def remind_time(self) -> time:
        """Return remind_at as a time of day (local to the configured timezone)."""
        return time.fromisoformat(self.remind_at)

    def question(self, question_id: str) -> Question:
        """Return the question with this id; KeyError when there is none."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)


class CampaignInfo(_Strict):
    """The `[campaign]` table: what the campaign is, when it runs, and where."""

    code: CampaignCode
    title: Text
    plan_number: Text | None = None
    issued_by: Text | None = None
    issued_on: PlanDate | None = None
    starts_on: PlanDate
    ends_on: PlanDate
    scope: Text

    @field_validator("ends_on")
    @classmethod
    def _ends_after_start(cls, value: date, info: ValidationInfo) -> date:
        start = info.data.get("starts_on")
        if start is not None and value < start:
            raise refuse(
                f"ngày kết thúc ({value}) trước ngày bắt đầu starts_on ({start})",
                f"ends_on ({value}) is before starts_on ({start})",
            )
        return value


class Campaign(_Strict):
    """A whole campaign file: `[campaign]` and its `[[forms]]`."""

    campaign: CampaignInfo
    forms: list[Form] = Field(min_length=1)

    @model_validator(mode="after")
    def _cross_checks(self, info: ValidationInfo) -> Campaign:
        # Code that validates a campaign directly gets the cross-table rules too (without
        # levels and units, which only the caller knows); the loader reports them itself.
        if info.context and info.context.get(SKIP_CROSS_CHECKS):
            return self
        from bot.campaigns.rules import cross_check  # rules imports this module

        issues = cross_check(self.model_dump())
        if issues:
            raise refuse(
                "; ".join(issue.vi for issue in issues), "; ".join(issue.en for issue in issues)
            )
        return self

    def form(self, form_id: str) -> Form:
        """Return the form with this id; KeyError when there is none."""
        for form in self.forms:
            if form.id == form_id:
                return form
        raise KeyError(form_id)
