"""Turn the form engine's events into messages, in the bot's voice (docs/domain/voice.md)."""

from __future__ import annotations

import re
from typing import Any

from bot.campaigns.model import Form, Question
from bot.context import numbered
from bot.forms.engine import Ask, Event, Notice, PhotoAdded, Refused, Summary, visible
from bot.forms.kinds import kind_of
from bot.messages import Button, Outbound
from bot.texts import Texts

_LABEL_SCAN = 500


def _nav(texts: Texts, name: str, value: str) -> Button:
    """A navigation button: its label from the catalogue, pressing it types the command."""
    return Button(label=texts(f"button_{name}"), value=value)


def show_value(question: Question, value: Any, texts: Texts) -> str:
    """Render a stored answer (or the 'skipped' mark) for summaries and reminders of it."""
    if value is None:
        return texts("form_skipped")
    try:
        return kind_of(question).render(value, question, texts)
    except (TypeError, ValueError, KeyError, ArithmeticError):
        return str(value)  # a value stored under an older version of the form


def label_of(question: Question) -> str:
    """A short label for a question in summaries: the prompt up to its question mark, without
    remarks in parentheses or typing instructions."""
    # A label is a few words; cutting first keeps these backtracking expressions cheap however
    # long a campaign's prompt (quadratic in it: 20,000 spaces took 0.4 s).
    text = question.prompt.split("?", 1)[0][:_LABEL_SCAN]
    text = re.sub(r"\s*\([^)]*\)", "", text).strip().rstrip(".:,;").strip()
    text = re.split(r"[,;]\s*gõ\b", text, maxsplit=1)[0]  # "…, gõ 'xong' khi …" is an instruction
    return _short(text) or text or question.id


# A question's words that a label does without: "Đây là loại nào" → "Loại", "Thuộc lĩnh vực
# nào" → "Lĩnh vực", "Dự kiến hoàn thành khi nào" → "Dự kiến hoàn thành", "Gửi ảnh hiện trạng"
# → "Ảnh hiện trạng", "Kinh phí từ những nguồn nào" → "Nguồn kinh phí".
_ASKING_TAIL = re.compile(
    r"\s+(?:như thế nào|ra sao|là những gì|những gì|là bao nhiêu|là gì|là ai|khi nào|ở đâu"
    r"|nào|gì|không)$"
)
_WHY = re.compile(r"^(?:vì sao|tại sao)\b", re.IGNORECASE)
_ASKING_HEAD = re.compile(r"^(?:đây là|có|thuộc|gửi|cho biết|anh/chị|xin)\s+", re.IGNORECASE)
_SOURCES = re.compile(r"^(.+?) từ (?:những |các )?nguồn$")


def _short(text: str) -> str:
    """The question's words without its asking words, capitalised."""
    short = text.strip()
    if _WHY.match(short):
        return short  # "Vì sao chưa xây được nhà nào" says what it asks only as a question
    for _ in range(2):
        short = _ASKING_HEAD.sub("", _ASKING_TAIL.sub("", short)).strip()
    sources = _SOURCES.match(short)
    if sources:
        short = f"nguồn {sources.group(1).lower()}"
    return short[:1].upper() + short[1:]


def ask(event: Ask, texts: Texts) -> Outbound:
    """Render one question: position, prompt, help, options, how to answer, navigation."""
    question = event.question
    lines = [texts("form_question", number=event.number, total=event.total, prompt=question.prompt)]
    if question.help:
        lines.append(question.help)
    kind = kind_of(question)
    listed = kind.listed(question)
    if listed:
        lines.append(numbered(texts, listed)[0])
    buttons = kind.buttons(question, texts)
    hint = kind.hint(question)
    if hint is not None and not (question.help and kind.help_replaces_hint):
        lines.append(texts(hint.key, **hint.values))
    if event.has_current:
        lines.append(texts("form_current", value=show_value(question, event.current, texts)))
    if not question.required:
        lines.append(texts("form_optional"))
    buttons.append(_nav_row(question, texts, first=event.first))
    return Outbound(text="\n".join(lines), buttons=buttons)


def _nav_row(question: Question, texts: Texts, *, first: bool) -> list[Button]:
    row = [] if first else [_nav(texts, "back", "quaylai")]
    if kind_of(question).collects_photos:
        row.append(_nav(texts, "done", "xong"))
    if not question.required:
        row.append(_nav(texts, "skip", "boqua"))
    row.append(_nav(texts, "cancel", "huy"))
    return row


def summary(event: Summary, form: Form, texts: Texts) -> list[Outbound]:
    """Render the numbered answers and, below them, what to type next."""
    lines = [texts("form_summary_head", title=form.title)]
    skipped = [number for number, _, value in event.items if value is None]
    for number, question, value in event.items:
        if value is None:
            continue  # a phone screen is short: skipped questions are one line below
        lines.append(
            texts(
                "form_summary_line",
                number=number,
                label=label_of(question),
                value=show_value(question, value, texts),
            )
        )
    if skipped:
        numbers = ", ".join(str(number) for number in skipped)
        lines.append(texts("form_summary_skipped", numbers=numbers))
    lines.extend(["", texts("form_summary_actions")])
    row = [_nav(texts, "send", "gui"), _nav(texts, "back", "quaylai"), _nav(texts, "cancel", "huy")]
    return [Outbound(text="\n".join(lines), buttons=[row])]


def sent_view(form: Form, answers: dict[str, Any], texts: Texts) -> list[str]:
    """What was sent, one line per answered question, for reading only."""
    return [
        texts(
            "form_sent_line",
            label=label_of(question),
            value=show_value(question, answers.get(question.id), texts),
        )
        for question in visible(form, answers)
        if question.id in answers
    ]


def lead(text: str, messages: list[Outbound]) -> list[Outbound]:
    """Put `text` above the first message (one notification on the phone, not two)."""
    if not messages:
        return [Outbound(text=text)]
    first = messages[0]
    return [first.model_copy(update={"text": f"{text}\n\n{first.text}"}), *messages[1:]]


def render(events: list[Event], form: Form, texts: Texts) -> list[Outbound]:
    """Render every event except Submit (the handler answers that one after storing).

    A refusal or notice followed by the question asked again becomes one message.
    """
    messages: list[Outbound] = []
    lead: list[str] = []
    for event in events:
        if isinstance(event, Refused):
            lead.append(texts(event.refusal.key, **event.refusal.values))
        elif isinstance(event, Notice):
            lead.append(texts(event.key, **event.values))
        elif isinstance(event, Ask):
            asked = ask(event, texts)
            text = "\n\n".join([*lead, asked.text])
            messages.append(asked.model_copy(update={"text": text}))
            lead = []
        elif isinstance(event, Summary):
            # A notice above the summary travels with it: one message, one notification.
            shown = summary(event, form, texts)
            first = shown[0].model_copy(update={"text": "\n\n".join([*lead, shown[0].text])})
            messages.extend([first, *shown[1:]])
            lead = []
        else:
            messages.extend(Outbound(text=line) for line in lead)
            lead = []
            if isinstance(event, PhotoAdded):
                messages.append(
                    Outbound(
                        text=texts("form_photo_added", count=event.count),
                        buttons=[_nav_row(event.question, texts, first=False)],
                    )
                )
    messages.extend(Outbound(text=line) for line in lead)
    return messages
