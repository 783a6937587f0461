"""Turn the form engine's events into messages, in the bot's voice (docs/domain/voice.md)."""

from __future__ import annotations

import re
from typing import Any

from bot.campaigns.model import Form, Question
from bot.context import numbered
from bot.forms.engine import Ask, Event, Notice, PhotoAdded, Refused, Summary
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
    return text or question.id


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
    if hint and not (question.help and kind.help_replaces_hint):
        lines.append(texts(hint))
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
    for number, question, value in event.items:
        lines.append(
            texts(
                "form_summary_line",
                number=number,
                label=label_of(question),
                value=show_value(question, value, texts),
            )
        )
    lines.extend(["", texts("form_summary_actions")])
    row = [_nav(texts, "send", "gui"), _nav(texts, "back", "quaylai"), _nav(texts, "cancel", "huy")]
    return [Outbound(text="\n".join(lines), buttons=[row])]


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
            elif isinstance(event, Summary):
                messages.extend(summary(event, form, texts))
    messages.extend(Outbound(text=line) for line in lead)
    return messages
