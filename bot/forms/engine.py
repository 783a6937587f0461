"""The form engine: a pure function (form, state, input) -> (state, events).

It never sends, stores or reads the clock; the handler turns its events into messages and
its Submit into rows.

    start ─► Ask(1) ─answer/boqua─► Ask(next unanswered visible) … ─► Summary ─gui─► Submit
              ▲  quaylai: the visible question before this one      │ sua N: Ask(N), then
              └──────────────────────────────────────────────────────┘ back to the summary

A form can change under its answers (a campaign reload removes an option, turns a text question
into a number): every entry point re-reads the stored answers against the form as it is now,
drops those that no longer fit and asks them again with a short notice, so that Submit only
ever carries answers the current form accepts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import BaseModel, Field

from bot.campaigns.model import Form, Question
from bot.forms.kinds import Accepted, Refusal, kind_of, still_fits
from bot.parsers import is_confirmation, is_skip, parse_position
from bot.words import Command, is_keep

# --- inputs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """Something typed that is not a navigation word."""

    text: str


@dataclass(frozen=True)
class Nav:
    """quaylai, boqua, sua N, gui/xong."""

    command: Command
    argument: str = ""


@dataclass(frozen=True)
class Upload:
    """A photo or document already stored as an attachment."""

    attachment_id: int
    is_photo: bool = True


Input = Text | Nav | Upload

# --- events ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ask:
    """Ask `question` (number `number` of `total` visible ones)."""

    question: Question
    number: int
    total: int
    current: Any = None  # the answer it already has, shown when asked again
    has_current: bool = False
    first: bool = False


@dataclass(frozen=True)
class Refused:
    """The answer was not accepted; the same question follows."""

    question: Question
    refusal: Refusal


@dataclass(frozen=True)
class Notice:
    """A short navigation sentence (a catalogue key)."""

    key: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PhotoAdded:
    """A photo was added to a photo question."""

    question: Question
    count: int


@dataclass(frozen=True)
class Summary:
    """Every visible question with its answer (None = skipped), numbered like the questions."""

    items: list[tuple[int, Question, Any]]


@dataclass(frozen=True)
class Submit:
    """The person confirmed: store these answers (visible questions only)."""

    answers: dict[str, Any]


Event = Ask | Refused | Notice | PhotoAdded | Summary | Submit

# --- state ----------------------------------------------------------------------------------


class FormState(BaseModel):
    """Where a person stands in one form. JSON-serialisable; it lives in the drafts table."""

    answers: dict[str, Any] = Field(default_factory=dict)  # id -> value; None = skipped
    current: str | None = None  # the question being asked; None = the summary
    editing: bool = False  # came from `sua N`: return to the summary when done
    done: bool = False
    # Questions whose answer stopped fitting the form: asked again with "form_question_changed".
    changed: list[str] = Field(default_factory=list)
    # The visible questions when the person was last asked: "Câu k/n" never changes its n
    # without a word about why.
    shown: list[str] = Field(default_factory=list)

    def answered(self) -> int:
        """How many questions have an answer or were skipped."""
        return len(self.answers)


# --- the engine -----------------------------------------------------------------------------


def visible(form: Form, answers: dict[str, Any]) -> list[Question]:
    """The questions asked given these answers (show_if against visible earlier answers).

    A question whose condition depends on a question not answered yet counts as visible, so
    "Câu 1/11" does not jump to "Câu 3/11" once the condition is answered.
    """
    shown: list[Question] = []
    shown_ids: set[str] = set()
    for question in form.questions:
        rule = question.show_if
        if rule is not None and not (rule.question in shown_ids and rule.question not in answers):
            value = answers.get(rule.question) if rule.question in shown_ids else None
            if value is None or not rule.matches(value):
                continue
        shown.append(question)
        shown_ids.add(question.id)
    return shown


def revalidate(form: Form, state: FormState) -> list[str]:
    """Drop (in place) the answers that no longer fit the form as it is now; return their ids.

    Kept answers take their current spelling (an option written differently since); answers to
    questions the form no longer has are left alone, as they are never submitted.
    """
    dropped: list[str] = []
    for question in form.questions:
        if question.id not in state.answers:
            continue
        kept = still_fits(state.answers[question.id], question)
        if kept is None:
            del state.answers[question.id]
            dropped.append(question.id)
        else:
            state.answers[question.id] = kept.value
    state.changed = [
        qid for qid in dict.fromkeys([*state.changed, *dropped]) if qid not in state.answers
    ]
    return dropped


def start(form: Form, state: FormState | None = None) -> tuple[FormState, list[Event]]:
    """Begin (or resume) a form: ask the first unanswered question, or show the summary.

    Answers given beforehand (an amendment starts from what was sent) are re-read first.
    """
    state = state.model_copy(deep=True) if state else FormState()
    revalidate(form, state)
    return state, _advance(form, state)


def reopen(form: Form, state: FormState) -> tuple[FormState, list[Event]]:
    """Come back to a kept draft: re-read its answers, then say again where the person is."""
    state = state.model_copy(deep=True)
    if revalidate(form, state):
        state.editing = False
        return state, _advance(form, state)
    return state, resume(form, state)


def resume(form: Form, state: FormState) -> list[Event]:
    """Say again where the person is (after a restart or when they come back)."""
    questions = visible(form, state.answers)
    if state.current is None:
        return [_summary(form, state)]
    for number, question in enumerate(questions, 1):
        if question.id == state.current:
            return _ask(form, state, question, number, len(questions))
    return start(form, state)[1]


def step(
    form: Form, state: FormState, given: Input, period: tuple[date, date]
) -> tuple[FormState, list[Event]]:
    """Apply one input to the state; return the new state and what to tell the person."""
    state = state.model_copy(deep=True)
    # The form may have changed since the last step (a reload): what no longer fits is dropped
    # here and asked again once this input is dealt with.
    revalidate(form, state)
    questions = visible(form, state.answers)
    current = next((q for q in questions if q.id == state.current), None)
    if state.current is not None and current is None:
        # The question disappeared (a reload changed the form): carry on from what is left.
        state.current = None
        return state, _advance(form, state)
    if current is None and any(q.id not in state.answers for q in questions):
        # At the summary, but the form changed under it (an answer no longer fits, a question
        # was added): ask what is missing before anything else.
        state.editing = False
        return state, _advance(form, state)
    if state.editing and current is not None and current.id in state.answers and _keeps(given):
        # "sửa 3" then "giữ nguyên" (or quaylai, gui): the answer stays; back to the summary,
        # or to the first question still unanswered when sửa came before the summary.
        state.editing = False
        return state, [Notice("form_kept"), *_advance(form, state)]
    if isinstance(given, Nav):
        return state, _navigate(form, state, given, questions, current)
    if current is None:  # at the summary, anything but a navigation word
        if isinstance(given, Text) and is_confirmation(given.text):
            return state, _submit(form, state)  # "ok", "đồng ý", "đúng rồi"
        # Once, what to type — not the whole summary again.
        return state, [Notice("form_at_summary_hint")]
    if isinstance(given, Upload):
        return state, _upload(form, state, given, current, questions)
    kind = kind_of(current)
    outcome = kind.parse(given.text, current, period)
    if isinstance(outcome, Refusal) and _skips(current, given.text):
        # "không biết", "chưa có", "không có ảnh" on an optional question: skip it.
        state.answers[current.id] = None
        return state, _advance(form, state)
    if isinstance(outcome, Refusal):
        return state, [Refused(current, outcome), *_reask(form, state)]
    assert isinstance(outcome, Accepted)
    state.answers[current.id] = outcome.value
    return state, _advance(form, state)


def _skips(question: Question, text: str) -> bool:
    """Words that leave an optional question empty (never on yes/no, where "không" answers)."""
    return not question.required and kind_of(question).skip_words and is_skip(text)


def _keeps(given: Input) -> bool:
    """An input that means "leave this answer as it is"."""
    if isinstance(given, Nav):
        return given.command in (Command.QUAYLAI, Command.GUI)
    return isinstance(given, Text) and is_keep(given.text)


def _navigate(
    form: Form, state: FormState, nav: Nav, questions: list[Question], current: Question | None
) -> list[Event]:
    if nav.command is Command.QUAYLAI:
        return _back(form, state, questions, current)
    if nav.command is Command.SUA:
        return _edit(form, state, nav.argument, questions)
    if nav.command is Command.BOQUA:
        if current is None:
            return [Notice("form_at_summary"), _summary(form, state)]
        if current.required:
            return [Refused(current, Refusal("form_cannot_skip")), *_reask(form, state)]
        state.answers[current.id] = None
        return _advance(form, state)
    # gui / xong
    if current is None:
        return _submit(form, state)
    if kind_of(current).collects_photos:
        photos = state.answers.get(current.id) or []
        if not photos and current.required:
            return [Refused(current, Refusal("form_photo_required")), *_reask(form, state)]
        state.answers[current.id] = photos or None
        return _advance(form, state)
    return [Notice("form_answer_first"), *_reask(form, state)]


def _back(
    form: Form, state: FormState, questions: list[Question], current: Question | None
) -> list[Event]:
    position = len(questions) if current is None else questions.index(current)
    if position == 0:
        return [Notice("form_first_question"), *_reask(form, state)]
    previous = questions[position - 1]
    state.current = previous.id
    return _ask(form, state, previous, position, len(questions))


def _edit(form: Form, state: FormState, argument: str, questions: list[Question]) -> list[Event]:
    index = parse_position(argument, len(questions))
    if index is None:
        notice = Notice("form_bad_edit_number", {"total": len(questions)})
        return [notice, *_reask(form, state)] if state.current else [notice, _summary(form, state)]
    question = questions[index]
    state.current = question.id
    state.editing = True
    return _ask(form, state, question, index + 1, len(questions))


def _submit(form: Form, state: FormState) -> list[Event]:
    """Submit the visible answers, but only when every one is there and fits the form now."""
    revalidate(form, state)
    questions = visible(form, state.answers)
    if any(question.id not in state.answers for question in questions):
        return _advance(form, state)
    state.done = True
    return [Submit({question.id: state.answers[question.id] for question in questions})]


def _upload(
    form: Form, state: FormState, upload: Upload, current: Question, questions: list[Question]
) -> list[Event]:
    kind = kind_of(current)
    if kind.collects_photos and upload.is_photo:
        photos = [*(state.answers.get(current.id) or []), upload.attachment_id]
        state.answers[current.id] = photos
        return [PhotoAdded(current, len(photos))]
    if kind.takes_files and not kind.collects_photos:
        state.answers[current.id] = {"attachment": upload.attachment_id}
        return _advance(form, state)
    return [Refused(current, Refusal("form_text_expected")), *_reask(form, state)]


def _advance(form: Form, state: FormState) -> list[Event]:
    """Ask the first visible question without an answer; if none is left, show the summary."""
    questions = visible(form, state.answers)
    for number, question in enumerate(questions, 1):
        if question.id not in state.answers:
            state.current = question.id
            return _ask(form, state, question, number, len(questions))
    state.current = None
    state.editing = False
    return [_summary(form, state)]


def _reask(form: Form, state: FormState) -> list[Event]:
    questions = visible(form, state.answers)
    for number, question in enumerate(questions, 1):
        if question.id == state.current:
            return _ask(form, state, question, number, len(questions))
    return [_summary(form, state)]


def _ask(form: Form, state: FormState, question: Question, number: int, total: int) -> list[Event]:
    """Ask a question; one whose answer stopped fitting the form says so first."""
    has = question.id in state.answers and state.answers[question.id] is not None
    ask = Ask(
        question,
        number,
        total,
        current=state.answers.get(question.id),
        has_current=has,
        first=number == 1,
    )
    events: list[Event] = [*_count_changed(form, state)]
    if question.id in state.changed and question.id not in state.answers:
        events.append(Notice("form_question_changed"))
    return [*events, ask]


def _count_changed(form: Form, state: FormState) -> list[Event]:
    """A notice when the last answer hid or brought back questions (then remember the count)."""
    now = [question.id for question in visible(form, state.answers)]
    before, state.shown = state.shown, now
    if not before or len(now) == len(before):
        return []
    if len(now) < len(before):
        return [
            Notice("form_fewer_questions", {"total": len(now), "fewer": len(before) - len(now)})
        ]
    back = [qid for qid in now if qid not in before]
    key = (
        "form_more_questions_kept"
        if any(qid in state.answers for qid in back)
        else "form_more_questions"
    )
    return [Notice(key, {"total": len(now), "more": len(now) - len(before)})]


def _summary(form: Form, state: FormState) -> Summary:
    state.shown = [question.id for question in visible(form, state.answers)]
    questions = visible(form, state.answers)
    return Summary([(n, q, state.answers.get(q.id)) for n, q in enumerate(questions, 1)])
