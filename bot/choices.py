"""Picking one option from a list by its number or by an unambiguous start of its text."""

from __future__ import annotations

from bot.words import fold


def pick_option(text: str, labels: list[str]) -> int | None:
    """Return the 0-based index the person meant, or None when it is unclear."""
    answer = fold(text).rstrip(".")
    if not answer:
        return None
    if answer.isdigit():
        number = int(answer)
        return number - 1 if 1 <= number <= len(labels) else None
    folded = [fold(label) for label in labels]
    exact = [i for i, label in enumerate(folded) if label == answer]
    if len(exact) == 1:
        return exact[0]
    prefixed = [i for i, label in enumerate(folded) if label.startswith(answer)]
    return prefixed[0] if len(prefixed) == 1 else None
