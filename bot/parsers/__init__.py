"""Pure readers and writers of what people type: numbers, money, dates, yes/no and options.

Every `parse_*` takes any string and returns None, never raises, when the text is not a valid
answer; the caller then shows a refusal. Every `render_*` writes what its parser reads back.
Every parser also reads the answer with the particles of a polite reply around it ("dạ 5 triệu
ạ", "da co a"): see `politeness`.
"""

from __future__ import annotations

from bot.parsers.dates import DateValue, Precision, parse_date, render_date, render_day
from bot.parsers.numerals import (
    MAX_FRACTION_DIGITS,
    NUMBER_LIMIT,
    parse_int,
    parse_money,
    parse_number,
    render_int,
    render_money,
    render_money_short,
    render_number,
)
from bot.parsers.options import parse_choice, parse_menu, parse_multichoice, parse_position
from bot.parsers.politeness import strip_politeness
from bot.parsers.replies import CONFIRM_WORDS, SKIP_WORDS, is_confirmation, is_skip
from bot.parsers.vietnamese_numbers import parse_words, render_words
from bot.parsers.yesno import NO_WORDS, YES_WORDS, parse_yesno, render_yesno

__all__ = [
    "CONFIRM_WORDS",
    "MAX_FRACTION_DIGITS",
    "NO_WORDS",
    "NUMBER_LIMIT",
    "SKIP_WORDS",
    "YES_WORDS",
    "DateValue",
    "Precision",
    "is_confirmation",
    "is_skip",
    "parse_choice",
    "parse_date",
    "parse_int",
    "parse_menu",
    "parse_money",
    "parse_multichoice",
    "parse_number",
    "parse_position",
    "parse_words",
    "parse_yesno",
    "render_date",
    "render_day",
    "render_int",
    "render_money",
    "render_money_short",
    "render_number",
    "render_words",
    "render_yesno",
    "strip_politeness",
]
