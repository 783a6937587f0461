"""The rules that look across tables of a campaign file: ids, show_if, about, levels, units.

They read the raw TOML data rather than the models, so that they still run on whatever is
well-formed when pydantic refused other parts of the file; a value of the wrong type is skipped
here because pydantic has already reported it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.campaigns.model import FormKind, quoted
from bot.forms.kinds import KINDS, QuestionKind

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Issue:
    """One broken rule: where (a pydantic-style loc), why in Vietnamese and English."""

    loc: Loc
    vi: str
    en: str
    # For duplicates: the first place the same id appears, so the message can point at it.
    other: Loc | None = None


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _tables(value: Any) -> list[tuple[int, dict[str, Any]]]:
    """Return the (index, table) pairs of an array of tables, skipping anything malformed."""
    if not isinstance(value, list):
        return []
    return [(index, item) for index, item in enumerate(value) if isinstance(item, dict)]


def _str(table: Mapping[str, Any], key: str) -> str | None:
    value = table.get(key)
    return value if isinstance(value, str) else None


def cross_check(
    data: Mapping[str, Any],
    *,
    levels: Collection[str] | None = None,
    units: Collection[str] | None = None,
) -> list[Issue]:
    """Return every cross-table problem of a campaign's data (levels/units checked when given)."""
    issues: list[Issue] = []
    info = data.get("campaign")
    info = info if isinstance(info, dict) else {}
    start = _as_date(info.get("starts_on"))
    scope = _str(info, "scope")
    if units is not None and scope and scope.strip() not in units:
        issues.append(
            Issue(
                ("campaign", "scope"),
                f"không có đơn vị mã {quoted(scope)} (xem thidua units list)",
                f"no unit has the code {quoted(scope)} (see thidua units list)",
            )
        )
    forms = _tables(data.get("forms"))
    form_kinds: dict[str, str | None] = {}
    first_form: dict[str, int] = {}
    for index, form in forms:
        form_id = _str(form, "id")
        if form_id is None:
            continue
        if form_id in first_form:
            issues.append(
                Issue(
                    ("forms", index, "id"),
                    f"id biểu mẫu {quoted(form_id)} bị trùng",
                    f"the form id {quoted(form_id)} is used twice",
                    other=("forms", first_form[form_id], "id"),
                )
            )
        else:
            first_form[form_id] = index
            form_kinds[form_id] = _str(form, "kind")
    for index, form in forms:
        issues += _form_issues(index, form, form_kinds, start, levels)
    return issues


def _form_issues(
    index: int,
    form: Mapping[str, Any],
    form_kinds: Mapping[str, str | None],
    start: date | None,
    levels: Collection[str] | None,
) -> list[Issue]:
    issues: list[Issue] = []
    at: Loc = ("forms", index)
    level = _str(form, "level")
    if levels is not None and level is not None and level.strip() not in levels:
        known = ", ".join(sorted(levels))
        issues.append(
            Issue(
                (*at, "level"),
                f"cấp {quoted(level)} không có trong [org].levels ({known})",
                f"the level {quoted(level)} is not one of [org].levels ({known})",
            )
        )
    due = _as_date(form.get("due_on"))
    if start is not None and due is not None and due < start:
        issues.append(
            Issue(
                (*at, "due_on"),
                f"hạn nộp ({due}) trước ngày bắt đầu đợt thi đua ({start})",
                f"due_on ({due}) is before the campaign starts ({start})",
            )
        )
    about = _str(form, "about")
    # pydantic refuses `about` on other kinds; only an update's reference is followed here.
    if about is not None and _str(form, "kind") == FormKind.UPDATE:
        if about not in form_kinds:
            issues.append(
                Issue(
                    (*at, "about"),
                    f"không có biểu mẫu nào có id {quoted(about)}",
                    f"no form has the id {quoted(about)}",
                )
            )
        elif form_kinds[about] != FormKind.REGISTRATION:
            issues.append(
                Issue(
                    (*at, "about"),
                    f"about phải chỉ tới một biểu mẫu registration; {quoted(about)} là "
                    f"{form_kinds[about]}",
                    f"about must name a registration form; {quoted(about)} is {form_kinds[about]}",
                )
            )
    issues += _question_issues(at, _tables(form.get("questions")))
    return issues


def _question_issues(at: Loc, questions: list[tuple[int, dict[str, Any]]]) -> list[Issue]:
    issues: list[Issue] = []
    all_ids = {_str(q, "id") for _, q in questions}
    earlier: dict[str, tuple[int, dict[str, Any]]] = {}
    for index, question in questions:
        here: Loc = (*at, "questions", index)
        question_id = _str(question, "id")
        show_if = question.get("show_if")
        if isinstance(show_if, dict):
            issues += _show_if_issues((*here, "show_if"), show_if, question_id, earlier, all_ids)
        if question_id is None:
            continue
        if question_id in earlier:
            issues.append(
                Issue(
                    (*here, "id"),
                    f"id câu hỏi {quoted(question_id)} bị trùng trong biểu mẫu",
                    f"the question id {quoted(question_id)} is used twice in this form",
                    other=(*at, "questions", earlier[question_id][0], "id"),
                )
            )
        else:
            earlier[question_id] = (index, question)
    return issues


def _show_if_issues(
    at: Loc,
    show_if: Mapping[str, Any],
    own_id: str | None,
    earlier: Mapping[str, tuple[int, dict[str, Any]]],
    all_ids: set[str | None],
) -> list[Issue]:
    target_id = _str(show_if, "question")
    if target_id is None:
        return []
    if target_id not in earlier:
        if target_id == own_id:
            return [
                Issue(
                    (*at, "question"),
                    "show_if không thể dựa vào chính câu hỏi này",
                    "show_if cannot depend on the question itself",
                )
            ]
        if target_id in all_ids:
            return [
                Issue(
                    (*at, "question"),
                    f"show_if phải dựa vào một câu hỏi hỏi trước; {quoted(target_id)} đứng sau",
                    f"show_if must refer to an earlier question; {quoted(target_id)} comes later",
                )
            ]
        return [
            Issue(
                (*at, "question"),
                f"không có câu hỏi {quoted(target_id)} trong biểu mẫu này",
                f"no question {quoted(target_id)} in this form",
            )
        ]
    target = earlier[target_id][1]
    kind = _str(target, "kind")
    handler = KINDS.get(QuestionKind(kind)) if kind in set(QuestionKind) else None
    if handler is None:
        return []  # the target's own problem, reported by pydantic
    if not handler.can_be_condition:
        return [
            Issue(
                (*at, "question"),
                f"show_if không thể dựa vào câu hỏi loại {kind}",
                f"show_if cannot depend on a {kind} question",
            )
        ]
    values: list[tuple[Loc, str]] = []
    equals = show_if.get("equals")
    if isinstance(equals, str):
        values.append(((*at, "equals"), equals))
    any_of = show_if.get("any_of")
    if isinstance(any_of, list):
        values += [((*at, "any_of", i), v) for i, v in enumerate(any_of) if isinstance(v, str)]
    issues: list[Issue] = []
    for loc, value in values:
        problem = handler.condition_problem(target, value)
        if problem is not None:
            issues.append(Issue(loc, *problem))
    return issues
