"""A moment typed as a time and a day, for scheduling a broadcast."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.parsers.moments import parse_moment

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = date(2023, 11, 20)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("8:00 28/8", "2024-08-28T08:00"),
        ("28/8 lúc 8h", "2024-08-28T08:00"),
        ("8h30 28/08", "2024-08-28T08:30"),
        ("8 giờ 30 ngày 28/8/2024 ạ", "2024-08-28T08:30"),
        ("8 gio 28/8", "2024-08-28T08:00"),
        ("dạ 14g 1/12 ạ", "2023-12-01T14:00"),
        ("lúc 8h ngày 28 tháng 8", "2024-08-28T08:00"),
        ("7h 5/1", "2024-01-05T07:00"),  # the next 5 January
    ],
)
def test_a_time_and_a_day(typed: str, meant: str) -> None:
    assert parse_moment(typed, today=TODAY, zone=ZONE) == datetime.fromisoformat(meant).replace(
        tzinfo=ZONE
    )


@pytest.mark.parametrize(
    "typed", ["28/8", "8:00", "25:00 28/8", "8:75 28/8", "8:00 31/2", "", "mai nhé 🙂", "8" * 500]
)
def test_half_a_moment_or_nonsense_is_none(typed: str) -> None:
    assert parse_moment(typed, today=TODAY, zone=ZONE) is None


@given(st.text(max_size=80))
def test_never_raises(typed: str) -> None:
    parse_moment(typed, today=TODAY, zone=ZONE)
