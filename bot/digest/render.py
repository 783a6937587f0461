"""A digest in the bot's voice (domain/voice.md): the count that matters, who is behind, what is new.

Messages are cut between lines, never inside one, within the channel's limit in UTF-16 units
(Zalo 2,000, Telegram 4,096); every line is kept short enough for that (lists are wrapped).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.config import OrgConfig
from bot.digest.model import CampaignDigest, Digest, FormDigest, Group, UnitRef
from bot.parsers import render_day, render_int
from bot.texts import Texts

ZALO_LIMIT = 2000
TELEGRAM_LIMIT = 4096
# A wrapped list line stays well inside the smallest message, so cutting between lines always works.
LINE_BUDGET = 400
# A name longer than this (a CSV accident) is shortened rather than allowed to fill a message.
NAME_BUDGET = 80
# Missing and late units are named up to here; beyond, "… và N khu dân cư khác".
NAME_CAP = 100
# Where the units sit deeper than right below the root, more than this many are shown as groups.
NAMES_BEFORE_GROUPS = 12
GROUP_CAP = 30
# Who has not sent is listed from this many days before the deadline: earlier it is only noise.
CHASE_DAYS = 14


def limit_for(channel: str) -> int:
    """The longest message a channel takes, in UTF-16 units (the strictest when unknown)."""
    return TELEGRAM_LIMIT if channel == "telegram" else ZALO_LIMIT


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the way Zalo and Telegram count."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def percent(part: int, whole: int) -> str:
    """'70%'; never 100% before all are in, never 0% once one is."""
    if whole <= 0:
        return "0%"
    value = round(100 * part / whole)
    if part < whole:
        value = min(value, 99)
    if part > 0:
        value = max(value, 1)
    return f"{value}%"


class _Writer:
    """The sentences of one digest, with what they need to know: language, levels, today."""

    def __init__(self, digest: Digest, texts: Texts, org: OrgConfig, zone: ZoneInfo) -> None:
        self.digest = digest
        self.texts = texts
        self.org = org
        self.zone = zone
        self.local = digest.at.astimezone(zone)
        self.today = self.local.date()

    def noun(self, level: str) -> str:
        """'khu dân cư': a level's label as it reads after a count."""
        return self.org.label(level).lower()

    def day(self, value: date) -> str:
        """'30/11' this year, '30/11/2024' otherwise."""
        return f"{value:%d/%m}" if value.year == self.today.year else render_day(value)

    def head(self) -> str:
        """'Tổng hợp sáng Thứ Hai, 27/11/2023 — Phường Tân Lợi'."""
        hour = self.local.hour
        if 4 <= hour < 11:
            part = "morning"
        elif 11 <= hour < 13:
            part = "noon"
        elif 13 <= hour < 18:
            part = "afternoon"
        else:
            part = "evening"
        day = f"{self.texts(f'weekday_{self.local.weekday()}')}, {render_day(self.today)}"
        return self.texts(
            "digest_head",
            part=self.texts(f"digest_part_{part}"),
            day=day,
            unit=self.digest.unit_name,
        )

    def since(self, moment: datetime) -> str:
        """'hôm thứ Sáu', 'hôm qua', '07:30 hôm nay', 'ngày 20/11/2023'."""
        local = moment.astimezone(self.zone)
        days = (self.today - local.date()).days
        if days <= 0:
            return self.texts("digest_since_time", time=f"{local:%H:%M}")
        if days == 1:
            return self.texts("digest_since_yesterday")
        if days < 7:
            return self.texts(f"digest_since_weekday_{local.weekday()}")
        return self.texts("digest_since_date", date=render_day(local.date()))

    def due(self, form: FormDigest) -> str:
        """'hạn 30/11, còn 3 ngày' (or today, overdue, closed)."""
        left = (form.due_on - self.today).days
        date_text = self.day(form.due_on)
        if left > 0:
            return self.texts("digest_due_left", date=date_text, days=left)
        if left == 0:
            return self.texts("digest_due_today", date=date_text)
        key = "digest_due_closed" if form.refuses_late else "digest_due_overdue"
        return self.texts(key, date=date_text, days=-left)

    def campaign(self, campaign: CampaignDigest) -> list[list[str]]:
        """The blocks of one campaign: its title with the first form, each other form, the rest."""
        title = (
            self.texts("digest_campaign", title=campaign.title)
            if campaign.root_code == self.digest.unit_code
            else self.texts("digest_campaign_part", title=campaign.title, root=campaign.root_name)
        )
        blocks: list[list[str]] = [["", title]]
        upcoming: list[str] = []
        anything_new = False
        for form in campaign.forms:
            if form.expected == 0:
                continue  # nothing of this level below the unit: not this secretary's concern
            if self.today < form.opens_on:
                upcoming.append(
                    self.texts(
                        "digest_upcoming",
                        form=form.title,
                        opens=self.day(form.opens_on),
                        due=self.day(form.due_on),
                    )
                )
                continue
            lines = self.form(form)
            anything_new = anything_new or bool(form.new or form.amended or form.new_entries)
            if len(blocks) == 1 and len(blocks[0]) == 2:
                blocks[0].extend(lines)  # the title never ends a message on its own
            else:
                blocks.append(lines)
        tail: list[str] = []
        if campaign.areas is not None and campaign.areas.total and not _areas_shown(campaign):
            tail.append(
                self.texts(
                    "digest_areas",
                    noun=self.org.label(campaign.areas.level),
                    count=render_int(campaign.areas.with_work),
                    total=render_int(campaign.areas.total),
                    percent=percent(campaign.areas.with_work, campaign.areas.total),
                )
            )
        if self.digest.since is not None and not anything_new:
            tail.append(self.texts("digest_nothing_new", since=self.since(self.digest.since)))
        tail.extend(upcoming)
        if tail:
            blocks.append(tail)
        return blocks

    def form(self, form: FormDigest) -> list[str]:
        """The count line of a form, then who is behind, who was late, what is new."""
        noun = self.noun(form.level)
        late = self.texts("digest_form_late", count=render_int(form.late)) if form.late else ""
        lines = [
            self.texts(
                "digest_form",
                form=form.title,
                due=self.due(form),
                submitted=render_int(form.submitted),
                expected=render_int(form.expected),
                noun=noun,
                percent=percent(form.submitted, form.expected),
                late=late,
            )
        ]
        verb = "registration" if form.kind == "registration" else "other"
        if form.missing and (form.due_on - self.today).days <= CHASE_DAYS:
            if form.groups and form.missing > NAMES_BEFORE_GROUPS:
                lines.extend(self.missing_groups(form, verb, noun))
            else:
                names = [self.name(unit, form) for unit in form.missing_units]
                # The sentence keeps a "{names}" mark where the wrapped list goes.
                head = self.texts(
                    f"digest_missing_{verb}", count=render_int(form.missing), names="{names}"
                )
                lines.extend(self.names_lines(head, names, noun))
        if form.late:
            if form.groups and form.late > NAMES_BEFORE_GROUPS:
                lines.extend(self.late_groups(form, noun))
            else:
                names = [self.late_name(item.unit, item.days, form) for item in form.late_units]
                head = self.texts("digest_late", count=render_int(form.late), names="{names}")
                lines.extend(self.names_lines(head, names, noun))
        if self.digest.since is not None:
            news = self.news(form, noun)
            if news:
                lines.append(
                    self.texts("digest_new", since=self.since(self.digest.since), items=news)
                )
        return lines

    def name(self, unit: UnitRef, form: FormDigest) -> str:
        """A unit's name; with its group's where units sit deeper than right below the root."""
        name = _short(unit.name)
        if form.groups and unit.group is not None:
            group = next((g.name for g in form.groups if g.code == unit.group), unit.group)
            return self.texts("digest_in_group", name=name, group=_short(group))
        return name

    def late_name(self, unit: UnitRef, days: int, form: FormDigest) -> str:
        """'Khu phố 5 (trễ 2 ngày)', or 'Ấp Bình An (Xã Sông Mẫu, trễ 2 ngày)' deeper down."""
        name = _short(unit.name)
        if form.groups and unit.group is not None:
            group = next((g.name for g in form.groups if g.code == unit.group), unit.group)
            return self.texts(
                "digest_late_name_in_group", name=name, group=_short(group), days=days
            )
        return self.texts("digest_late_name", name=name, days=days)

    def names_lines(self, head: str, names: Sequence[str], noun: str) -> list[str]:
        """'Chưa đăng ký (9): A, B, …' wrapped into lines that each fit a message."""
        shown = list(names[:NAME_CAP])
        if len(names) > NAME_CAP:
            shown.append(
                self.texts("digest_more_names", count=render_int(len(names) - NAME_CAP), noun=noun)
            )
        prefix, _, suffix = head.partition("{names}")
        return _wrap(prefix, shown, suffix)

    def missing_groups(self, form: FormDigest, verb: str, noun: str) -> list[str]:
        """'Xã Ea Kao: 12/40 thôn' per group with someone missing, worst first."""
        behind = [group for group in form.groups if group.missing]
        group_noun = self.noun(behind[0].level) if behind and behind[0].level else noun
        lines = [
            self.texts(
                f"digest_missing_groups_{verb}",
                count=render_int(form.missing),
                group_noun=group_noun,
            )
        ]
        lines.extend(
            self.texts(
                "digest_group_line",
                name=_short(group.name),
                submitted=render_int(group.submitted),
                expected=render_int(group.expected),
                noun=noun,
            )
            for group in behind[:GROUP_CAP]
        )
        if len(behind) > GROUP_CAP:
            lines.append(
                self.texts(
                    "digest_more_groups", count=render_int(len(behind) - GROUP_CAP), noun=group_noun
                )
            )
        return lines

    def late_groups(self, form: FormDigest, noun: str) -> list[str]:
        """'Xã Ea Kao: 3 thôn' per group with late units, most first."""
        late: list[Group] = sorted(
            (group for group in form.groups if group.late), key=lambda g: (-g.late, g.name)
        )
        group_noun = self.noun(late[0].level) if late and late[0].level else noun
        lines = [
            self.texts("digest_late_groups", count=render_int(form.late), group_noun=group_noun)
        ]
        lines.extend(
            self.texts(
                "digest_late_group_line",
                name=_short(group.name),
                count=render_int(group.late),
                noun=noun,
            )
            for group in late[:GROUP_CAP]
        )
        if len(late) > GROUP_CAP:
            lines.append(
                self.texts(
                    "digest_more_groups", count=render_int(len(late) - GROUP_CAP), noun=group_noun
                )
            )
        return lines

    def news(self, form: FormDigest, noun: str) -> str:
        """'4 khu phố đăng ký, 1 khu phố sửa bài' (empty when nothing happened)."""
        items: list[str] = []
        if form.new:
            key = f"digest_new_{form.kind}"
            items.append(self.texts(key, count=render_int(form.new), noun=noun))
        if form.kind == "registration" and form.new_entries > form.new:
            items.append(self.texts("digest_new_works", count=render_int(form.new_entries)))
        if form.amended:
            items.append(
                self.texts("digest_new_amended", count=render_int(form.amended), noun=noun)
            )
        return ", ".join(items)


def _areas_shown(campaign: CampaignDigest) -> bool:
    """True when one registration form of the areas' level already says the same numbers."""
    areas = campaign.areas
    registrations = [form for form in campaign.forms if form.kind == "registration"]
    return (
        areas is not None
        and len(registrations) == 1
        and registrations[0].level == areas.level
        and registrations[0].expected == areas.total
        and registrations[0].submitted == areas.with_work
    )


def _short(name: str) -> str:
    return name if len(name) <= NAME_BUDGET else name[: NAME_BUDGET - 1].rstrip() + "…"


def _wrap(prefix: str, items: Iterable[str], suffix: str = "") -> list[str]:
    """Join items with ', ' after `prefix`, starting a new line before one would grow too long."""
    lines: list[str] = []
    current = prefix
    fresh = True  # nothing listed on the current line yet
    for item in items:
        piece = item if fresh else f", {item}"
        if not fresh and utf16_len(current + piece + ",") > LINE_BUDGET:
            lines.append(current + ",")
            current, piece = "", item
        current += piece
        fresh = False
    lines.append(current + suffix)
    return lines


def render_lines(digest: Digest, texts: Texts, org: OrgConfig, zone: ZoneInfo) -> list[list[str]]:
    """The digest as blocks of lines; a block is kept in one message where it fits."""
    writer = _Writer(digest, texts, org, zone)
    blocks: list[list[str]] = [[writer.head()]]
    if not digest.campaigns:
        blocks[0].append(texts("digest_none", unit=digest.unit_name))
    for campaign in digest.campaigns:
        blocks.extend(writer.campaign(campaign))
    return blocks


def pack(blocks: Sequence[Sequence[str]], limit: int) -> list[str]:
    """Messages of at most `limit` UTF-16 units, cut between blocks, else between lines."""
    messages: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = "\n".join(_trimmed(current))
        if text:
            messages.append(text)
        current.clear()

    def add(lines: list[str]) -> bool:
        if _length(_trimmed([*current, *lines])) > limit:
            return False
        current.extend(lines)
        return True

    for block in blocks:
        lines = [_fit(line, limit) for line in block]
        if add(lines):
            continue
        if _length(_trimmed(lines)) <= limit:
            flush()  # it fits a message of its own: keep it whole
            add(lines)
            continue
        for line in lines:  # longer than any message: fill this one up, cut between lines
            if not add([line]):
                flush()
                add([line])  # one line always fits (_fit)
    flush()
    return messages


def _trimmed(lines: list[str]) -> list[str]:
    """The lines without the blank ones a message would start with (between campaigns)."""
    start = 0
    while start < len(lines) and not lines[start]:
        start += 1
    return lines[start:]


def _length(lines: list[str]) -> int:
    return sum(utf16_len(line) for line in lines) + max(len(lines) - 1, 0)


def _fit(line: str, limit: int) -> str:
    """A line within `limit` (only a pathological title could be longer: it is shortened)."""
    if utf16_len(line) <= limit:
        return line
    cut = line[: limit - 1]
    while utf16_len(cut) > limit - 1:
        cut = cut[:-1]
    return cut + "…"


def render(
    digest: Digest, texts: Texts, org: OrgConfig, zone: ZoneInfo, *, limit: int = ZALO_LIMIT
) -> list[str]:
    """The digest as message texts, each within `limit` UTF-16 units, cut between lines."""
    return pack(render_lines(digest, texts, org, zone), limit)
