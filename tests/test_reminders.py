"""Reminder planning: which reminder is due, when, and the quiet hours (pure functions)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.campaigns.loader import load_file
from bot.campaigns.model import Campaign
from bot.forms.catalogue import Slot
from bot.quiet_hours import is_quiet, next_allowed
from bot.reminders import due_offset, fire_time, open_slots, reminder_text
from bot.texts import VI
from tests.transcript_runner import campaign_path

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
EXAMPLE: Campaign = load_file(  # type: ignore[assignment]
    campaign_path("example"), levels={"tinh", "xa", "khu_dan_cu"}
)[0]
REGISTRATION = Slot(EXAMPLE, EXAMPLE.form("dang-ky"))


def at(text: str) -> datetime:
    """A local time in Vietnam."""
    return datetime.fromisoformat(text).replace(tzinfo=ZONE)


@pytest.mark.parametrize(
    ("now", "offset"),
    [
        ("2023-11-22 07:59", None),  # before the first reminder (-7d at remind_at)
        ("2023-11-23 08:00", "-7d"),
        ("2023-11-26 12:00", "-7d"),
        ("2023-11-27 08:00", "-3d"),
        ("2023-11-29 09:00", "-1d"),
        ("2023-11-30 08:00", "0d"),
        ("2023-12-01 08:30", "+1d"),
        ("2023-12-03 08:30", "+3d"),
        ("2023-12-20 08:30", "+3d"),  # the latest that applies, never a burst of stale ones
    ],
)
def test_the_latest_reminder_whose_time_has_come(now: str, offset: str | None) -> None:
    form = REGISTRATION.form
    assert form.reminders == ["-7d", "-3d", "-1d", "0d", "+1d", "+3d"]
    due = due_offset(REGISTRATION, at(now), ZONE)
    assert (due.offset_text if due else None) == offset


def test_after_a_three_day_outage_only_the_latest_is_due() -> None:
    due = due_offset(REGISTRATION, at("2023-11-29 10:00"), ZONE)
    assert due is not None and due.offset_text == "-1d"


def test_hour_offsets_count_from_the_deadline() -> None:
    form = REGISTRATION.form
    assert fire_time(form, timedelta(hours=-2), ZONE) == at("2023-11-30 22:00")
    assert fire_time(form, timedelta(days=-3), ZONE) == at("2023-11-27 08:00")


def test_a_moved_deadline_replans() -> None:
    later = EXAMPLE.form("dang-ky").model_copy(
        update={"due_on": EXAMPLE.form("dang-ky").due_on + timedelta(days=10)}
    )
    slot = Slot(EXAMPLE, later)
    # The old deadline's late notice is not due any more; the new deadline's reminders are.
    assert due_offset(slot, at("2023-12-01 08:30"), ZONE) is None
    due = due_offset(slot, at("2023-12-03 08:00"), ZONE)
    assert due is not None and due.offset_text == "-7d"


@pytest.mark.parametrize(
    ("now", "quiet", "expected"),
    [
        ("2023-11-27 20:59", True, "2023-11-27 20:59"),
        ("2023-11-27 21:00", True, "2023-11-28 07:00"),
        ("2023-11-28 03:00", True, "2023-11-28 07:00"),
        ("2023-11-28 07:00", True, "2023-11-28 07:00"),
        ("2023-11-28 03:00", False, "2023-11-28 03:00"),
    ],
)
def test_quiet_hours_hold_until_the_window_opens(now: str, quiet: bool, expected: str) -> None:
    window = (time(21, 0), time(7, 0)) if quiet else None
    assert next_allowed(at(now), window, ZONE) == at(expected)
    assert is_quiet(at(now), window, ZONE) is (at(now) != at(expected))


def test_the_reminder_reads_as_the_voice_says() -> None:
    text = reminder_text(
        VI, REGISTRATION, "Ban công tác Mặt trận", "Khu phố 3", at("2023-11-27 08:00"), ZONE
    )
    assert text.startswith(
        "Kính gửi Ban công tác Mặt trận Khu phố 3.\nCòn 3 ngày nữa (Thứ Năm, 30/11/2023) là hạn"
    )
    assert "gõ dangky để đăng ký" in text


def test_reminders_concern_forms_that_have_them() -> None:
    slots = open_slots([EXAMPLE])
    assert [slot.form.id for slot in slots] == [
        form.id for form in EXAMPLE.forms if form.reminders and form.kind.value != "update"
    ]
