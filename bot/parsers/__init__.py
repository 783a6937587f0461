"""Pure readers and writers of what people type: numbers, money, dates, yes/no and options.

Every `parse_*` takes any string and returns None, never raises, when the text is not a valid
answer; the caller then shows a refusal. Every `render_*` writes what its parser reads back.
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
from bot.parsers.options import parse_choice, parse_multichoice, parse_position
from bot.parsers.yesno import parse_yesno, render_yesno

__all__ = [
    "MAX_FRACTION_DIGITS",
    "NUMBER_LIMIT",
    "DateValue",
    "Precision",
    "parse_choice",
    "parse_date",
    "parse_int",
    "parse_money",
    "parse_multichoice",
    "parse_number",
    "parse_position",
    "parse_yesno",
    "render_date",
    "render_day",
    "render_int",
    "render_money",
    "render_money_short",
    "render_number",
    "render_yesno",
]
