"""Real date phrasings from campaign plans (tests/data/date-cases.tsv), read as chat answers.

Each row is one of three things:
- PARSES: a single date in a form a person types in answer to a date question;
- REFUSED: text that is not one date (blanks, spans, ranges, phone numbers, durations, terms,
  quarters, years, sentences with several dates) and must come back as None;
- SKIPPED: one date wrapped in prose that only a plan importer would read; a chat answer like
  these is refused today, but the row describes an importer's job, so nothing is asserted.
"""

from __future__ import annotations

import csv
import re
from datetime import date, datetime
from pathlib import Path

import pytest

from bot.parsers import DateValue, parse_date

CASES = Path(__file__).parent / "data" / "date-cases.tsv"
# Rows without a year are read in this period; the rows say "year from article" or give none.
PERIOD = (date(2023, 1, 1), date(2023, 12, 31))

PARSES = {"D10", "D48", "D60"}
REFUSED = {
    "D06",  # template with blanks: "ngày __ tháng __ năm 2022"
    "D11",  # ranges "Từ ngày 31/01 đến ngày 03/02/2023": two dates
    "D12",
    "D13",
    "D14",
    "D27",  # month range
    "D31",
    "D32",  # half year
    "D33",  # a year alone
    "D38",  # anniversary spans "(30/4/1975 - 30/4/2025)"
    "D39",
    "D40",
    "D41",
    "D42",  # term "nhiệm kỳ 2024-2029"
    "D43",
    "D44",  # duration "đợt thi đua 200 ngày"
    "D45",  # phone number 0869.906.299
    "D47",  # month-to-day range
    "D50",
    "D52",  # recurring range without a year
    "D54",  # quarter "quý IV/2013"
    "D58",  # recurring monthly window
    "D64",  # reporting window in prose
}
SKIPPED = {
    "D01": "place-date line 'Quận 5, ngày …': a plan header, for an importer",
    "D03": "place-date line",
    "D05": "place-date line",
    "D07": "time and weekday around the date: an event line in a plan",
    "D09": "timeline bullet with prose after the date",
    "D28": "deadline in prose ('chậm nhất ngày …') with markdown noise",
    "D29": "deadline in prose ('trước ngày …'): before-or-on needs an importer's reading",
    "D30": "deadline in prose",
    "D34": "date of a referenced document, after its number",
    "D35": "date of a referenced document",
    "D36": "date of a referenced document",
    "D37": "date of a referenced document",
    "D56": "deadline in prose with an explanation in parentheses",
    "D62": "news timestamp with a time and a time zone",
}

_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _rows() -> dict[str, dict[str, str]]:
    with CASES.open(encoding="utf-8", newline="") as file:
        return {row["id"]: row for row in csv.DictReader(file, delimiter="\t")}


ROWS = _rows()


def _expected(row: dict[str, str]) -> date:
    """The ISO date of `expected`, or its "08 Aug"-style day in the test period's year."""
    if _ISO.fullmatch(row["expected"]):
        return date.fromisoformat(row["expected"])
    day, month = row["expected"].split()[:2]
    parsed = datetime.strptime(f"{day} {month} {PERIOD[0].year}", "%d %b %Y")
    return parsed.date()


def test_every_row_is_accounted_for_once() -> None:
    assert PARSES | REFUSED | set(SKIPPED) == set(ROWS)
    assert not (PARSES & REFUSED or PARSES & set(SKIPPED) or REFUSED & set(SKIPPED))


@pytest.mark.parametrize("case_id", sorted(PARSES))
def test_chat_style_date_is_read(case_id: str) -> None:
    row = ROWS[case_id]
    expected = DateValue(_expected(row), "day")
    assert parse_date(row["text"], period=PERIOD) == expected
    assert parse_date(row["text"], period=PERIOD, precision="month") == expected


@pytest.mark.parametrize("case_id", sorted(REFUSED))
def test_not_one_date_is_refused(case_id: str) -> None:
    text = ROWS[case_id]["text"]
    assert parse_date(text, period=PERIOD) is None
    assert parse_date(text, period=PERIOD, precision="month") is None
