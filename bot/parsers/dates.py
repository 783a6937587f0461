"""Dates as people type them, day first always; the year may be left to the campaign period."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from bot.parsers._text import short_answer
from bot.parsers.politeness import politely

Precision = Literal["day", "month"]

_FIRST_YEAR, _LAST_YEAR = 1900, 2100

# "30/11/2023", "30-11-23", "30.11", "ngày 8-8": one separator, used throughout.
_DAY_NUMERIC = re.compile(
    r"(?:ngay )?(?P<d>[0-9]{1,2})(?P<sep>[/.-])(?P<m>[0-9]{1,2})(?:(?P=sep)(?P<y>[0-9]{4}|[0-9]{2}))?",
    re.ASCII,
)
# "ngày 30 tháng 11 năm 2023", "30 tháng 11", "ngày 30 tháng 11, năm 2023".
_DAY_WORDS = re.compile(
    r"(?:ngay )?(?P<d>[0-9]{1,2}) thang (?P<m>[0-9]{1,2})(?:,? nam (?P<y>[0-9]{4}))?",
    re.ASCII,
)
_MONTH_FORMS = (
    # "11/2023", "tháng 11/2023", "tháng 11-2023": a four-digit year, so never a day and month.
    re.compile(r"(?:thang )?(?P<m>[0-9]{1,2})[/.-](?P<y>[0-9]{4})", re.ASCII),
    # "tháng 11", "tháng 11/23": the word makes a two-digit year unambiguous.
    re.compile(r"thang (?P<m>[0-9]{1,2})(?:[/.-](?P<y>[0-9]{2}))?", re.ASCII),
    re.compile(r"thang (?P<m>[0-9]{1,2}),? nam (?P<y>[0-9]{4})", re.ASCII),
)
# People on phones type "30 / 11 / 2023"; a span "30/4/1975 - 30/4/2025" still fails in full.
_SPACED_SLASH = re.compile(r" ?/ ?")


@dataclass(frozen=True)
class DateValue:
    """A date as answered: a day, or a month (stored as its first day)."""

    value: date
    precision: Precision


def parse_date(
    text: str, *, period: tuple[date, date], precision: Precision = "day"
) -> DateValue | None:
    """Read one day-first date ("30/11", "ngày 30/11/2023 ạ"); a missing year is taken from
    `period`. None when unclear."""
    return politely(lambda typed: _date(typed, period, precision), text)


def _date(text: str, period: tuple[date, date], precision: Precision) -> DateValue | None:
    answer = short_answer(text)
    if answer is None:
        return None
    answer = _SPACED_SLASH.sub("/", answer)
    for pattern in (_DAY_NUMERIC, _DAY_WORDS):
        match = pattern.fullmatch(answer)
        if match:
            return _day(int(match["d"]), int(match["m"]), match["y"], period)
    if precision != "month":
        return None
    for pattern in _MONTH_FORMS:
        match = pattern.fullmatch(answer)
        if match:
            return _month(int(match["m"]), match["y"], period)
    return None


def _day(
    day: int, month: int, year_text: str | None, period: tuple[date, date]
) -> DateValue | None:
    """A day date from its parts, inferring the year when it was not typed."""
    if year_text is None:
        candidates = [_safe_date(y, month, day) for y in _nearby_years(period)]
        spans = [(c, c) for c in candidates if c is not None]
        chosen = _pick(spans, period)
        return None if chosen is None else DateValue(chosen[0], "day")
    year = _full_year(year_text)
    value = None if year is None else _safe_date(year, month, day)
    return None if value is None else DateValue(value, "day")


def _month(month: int, year_text: str | None, period: tuple[date, date]) -> DateValue | None:
    """A month from its parts, inferring the year when it was not typed."""
    if not 1 <= month <= 12:
        return None
    if year_text is None:
        chosen = _pick([_month_span(y, month) for y in _nearby_years(period)], period)
        return None if chosen is None else DateValue(chosen[0], "month")
    year = _full_year(year_text)
    return None if year is None else DateValue(date(year, month, 1), "month")


def _full_year(text: str) -> int | None:
    """A typed year; two digits mean 20xx. None outside 1900–2100."""
    year = int(text) + (2000 if len(text) == 2 else 0)
    return year if _FIRST_YEAR <= year <= _LAST_YEAR else None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_span(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _nearby_years(period: tuple[date, date]) -> range:
    """The years a year-less answer could mean: the period's, and one either side."""
    start, end = min(period), max(period)
    return range(max(start.year - 1, _FIRST_YEAR), min(end.year + 1, _LAST_YEAR) + 1)


def _pick(
    spans: Iterable[tuple[date, date]], period: tuple[date, date]
) -> tuple[date, date] | None:
    """The one span inside the period, else the closest to it; None when several are inside."""
    ranked = sorted(spans, key=lambda span: _gap(span, period))
    if not ranked or (len(ranked) > 1 and _gap(ranked[1], period) == 0):
        return None
    return ranked[0]


def _gap(span: tuple[date, date], period: tuple[date, date]) -> int:
    """Days between a span and the period; 0 when they overlap."""
    start, end = min(period), max(period)
    return max((start - span[1]).days, (span[0] - end).days, 0)


def render_day(value: date) -> str:
    """Write a calendar day the way the bot always does: 30/11/2023."""
    return render_date(DateValue(value, "day"))


def render_date(v: DateValue) -> str:
    """Write 30/11/2023 (day and month zero-padded) or tháng 11/2023."""
    if v.precision == "month":
        return f"tháng {v.value.month}/{v.value.year}"
    return f"{v.value.day:02d}/{v.value.month:02d}/{v.value.year}"
