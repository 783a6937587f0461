"""Reminders before (and just after) a deadline, only to units that have not submitted.

Planning is a pure function of the forms, the clock and the window: `due_offset` says which of
a form's reminders is the one to send now — the latest whose time has come, so that a tick
after an outage sends one reminder that still makes sense, never a burst of stale ones. Who
gets it is one set-based query per form (storage/reminder_reads.py, on a worker thread): the
units of the form's level in the campaign's scope with no submission and no row in
`reminders_sent` for (form, unit, offset, deadline). The tick then claims each key in the
same transaction that puts the message in the outbox, so each reminder goes out exactly once,
across restarts; a moved deadline makes new keys, so a reloaded campaign is planned again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.campaigns.model import Campaign, Form, FormKind, Late
from bot.forms.catalogue import Slot
from bot.logs import logfmt
from bot.messages import Outbound
from bot.parsers import render_day
from bot.quiet_hours import next_allowed
from bot.texts import Texts
from bot.words import Command

log = logging.getLogger("thidua.reminders")

# Two reminders of one deadline closer than this are one too many: a person who enrolled late
# gets the -7d reminder at 07:31 and must not get the -3d one at 08:00 as well.
REPEAT_GAP = timedelta(hours=12)


@dataclass(frozen=True)
class DueReminder:
    """The reminder of one form that is due now: which offset, for which deadline, since when."""

    slot: Slot
    offset_text: str
    offset: timedelta
    fire_at: datetime


def fire_time(form: Form, offset: timedelta, zone: ZoneInfo) -> datetime:
    """When a reminder is due: day offsets at `remind_at` local time; hour offsets counted from
    the end of the due day (the deadline itself)."""
    if offset % timedelta(days=1) == timedelta(0):
        day = form.due_on + offset
        return datetime.combine(day, form.remind_time(), tzinfo=zone)
    deadline = datetime.combine(form.due_on + timedelta(days=1), time(0), tzinfo=zone)
    return deadline + offset


def due_offset(slot: Slot, now: datetime, zone: ZoneInfo) -> DueReminder | None:
    """The one reminder of this form to send at `now`, or None.

    The latest reminder whose time has come, while the form is open and still takes answers:
    after a three-day outage, "-1d" goes out, never "-7d" and "-3d" as well. A form that
    refuses late answers gets no reminder after its deadline (nothing could be done about it).
    """
    form = slot.form
    today = now.astimezone(zone).date()
    if today < slot.opens_on or today > slot.campaign.campaign.ends_on:
        return None
    due: list[DueReminder] = []
    for text, offset in zip(form.reminders, form.reminder_offsets(), strict=True):
        at = fire_time(form, offset, zone)
        if at > now:
            continue
        if offset > timedelta(0) and form.late is Late.REFUSE:
            continue
        due.append(DueReminder(slot, text, offset, at))
    return max(due, key=lambda item: item.fire_at, default=None)


def reminder_text(
    texts: Texts, slot: Slot, body: str, unit_name: str, now: datetime, zone: ZoneInfo
) -> str:
    """'Kính gửi Ban công tác Mặt trận Khu phố 3. Còn 3 ngày nữa (Thứ Năm, 30/11/2023) là hạn …;
    Anh/Chị gõ dangky để đăng ký. Trân trọng.'"""
    form = slot.form
    left = (form.due_on - now.astimezone(zone).date()).days
    day = f"{_weekday(texts, form.due_on)}, {render_day(form.due_on)}"
    what = form.title[:1].lower() + form.title[1:]
    command = _command(form)
    if left > 0:
        when = texts("remind_days_left", days=left, day=day, what=what)
    elif left == 0:
        when = texts("remind_today", day=day, what=what)
    else:
        when = texts("remind_late", days=-left, day=day, what=what)
    action = texts(f"remind_action_{command.value}")
    return texts("remind", body=body, unit=unit_name, when=when, action=action)


def _command(form: Form) -> Command:
    """The word that opens this form (dangky for registrations, baocao for the rest)."""
    return Command.DANGKY if form.kind is FormKind.REGISTRATION else Command.BAOCAO


def _weekday(texts: Texts, day: date) -> str:
    return texts(f"weekday_{day.weekday()}")


def message_for(
    texts: Texts, slot: Slot, body: str, unit_name: str, now: datetime, zone: ZoneInfo
) -> Outbound:
    """The reminder as a message (its text stands alone on every channel)."""
    return Outbound(text=reminder_text(texts, slot, body, unit_name, now, zone))


def open_slots(campaigns: list[Campaign]) -> list[Slot]:
    """Every form of every loaded campaign that reminders may concern."""
    return [
        Slot(campaign, form)
        for campaign in campaigns
        for form in campaign.forms
        if form.kind in (FormKind.REGISTRATION, FormKind.REPORT) and form.reminders
    ]


def send_at(now: datetime, quiet: tuple[time, time] | None, zone: ZoneInfo) -> datetime:
    """Now, or when the quiet hours end: nothing proactive arrives inside them."""
    return next_allowed(now, quiet, zone)


def log_planned(slot: Slot, offset_text: str, count: int) -> None:
    """One line per form and offset that produced reminders (no names, no chat ids)."""
    log.info(
        logfmt(
            "reminders_planned",
            campaign=slot.code,
            form=slot.form.id,
            offset=offset_text,
            units=count,
        )
    )
