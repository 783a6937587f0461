"""thongbao: an admin writes an announcement, picks who gets it, sees how many, sends or schedules.

thongbao ──► text ──► audience (numbered) ──┬─► preview: N people, per channel, how long
                        │                   │      1. send now  2. at a time  3. cancel
                        ├─► a form ─────────┤               │
                        └─► a unit ─────────┘               └─► "8:00 28/8" (not in quiet hours)

The preview and the queueing read the whole audience: they run after the message's
transaction (`Context.later`), the preview on a worker thread, the queueing as one short
transaction of its own; the outbox's paced senders deliver it (bot/outbox.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bot.admin import Refused
from bot.broadcasts import (
    Audience,
    BroadcastRefused,
    Preview,
    State,
    cancel,
    not_reached,
    parse_missing,
    preview,
    queue,
    start_time,
    status_in,
)
from bot.choices import pick_option
from bot.context import Context, Services, numbered
from bot.files import files_dir, hold
from bot.messages import InboundKind, Outbound
from bot.parsers import parse_multichoice
from bot.parsers.moments import parse_moment
from bot.texts import Texts
from bot.web.downloads import LinksUnavailable
from bot.words import Command, Parsed
from handlers.subtree import find_units, forms_below, visible_campaigns
from storage.broadcast_reads import NotReached
from storage.models import Role, Unit

FLOW = "thongbao"
LIST_LIMIT = 8  # more units than this: ask for a code or a name
WHERE_NAMES = 6  # units named in a preview; more are counted
MISSED_UNITS = 12  # units listed in one message of who was not reached (Zalo: 2,000 characters)
MAX_TEXT = 4000  # Zalo splits at 2,000; an announcement longer than two screens is a document
MAX_PHOTO_BYTES = 5 * 1024 * 1024  # Telegram fetches a photo by URL only up to 5 MB
PHOTO_STEPS = ("text", "audience")  # while the announcement is being written
PHOTO_DAYS = 7  # how long after its start a broadcast's photo link lasts (retries, late reads)


@dataclass(frozen=True)
class Choice:
    """One line of the audience menu and the audience it stands for (or a step to ask more)."""

    label: str
    audience: dict[str, Any] | None  # None: the next step asks which form or which unit
    then: str = ""


def _audience_menu(ctx: Context) -> list[Choice]:
    assert ctx.unit is not None
    unit = ctx.unit
    everyone = {"unit": unit.code}
    levels = ctx.settings.org.level_ids()
    below = levels[levels.index(unit.level) + 1 :] if unit.level in levels else []
    choices = [
        Choice(ctx.texts("thongbao_everyone", unit=unit.name), everyone),
        Choice(ctx.texts("thongbao_reps"), {**everyone, "role": Role.REP.value}),
        Choice(ctx.texts("thongbao_secretaries"), {**everyone, "role": Role.SECRETARY.value}),
    ]
    choices += [
        Choice(
            ctx.texts("thongbao_level", level=ctx.settings.org.label(level).lower()),
            {**everyone, "level": level},
        )
        for level in below
    ]
    choices.append(Choice(ctx.texts("thongbao_missing"), None, "form"))
    if below:
        choices.append(Choice(ctx.texts("thongbao_one_unit"), None, "unit"))
    return choices


async def start(ctx: Context) -> list[Outbound]:
    """Begin: the text of a new announcement — or, when the admin has recent ones still going
    or not reaching everyone, a menu: write a new one, stop one, see who was not reached."""
    assert ctx.member is not None
    actions: list[list[Any]] = []
    labels: list[str] = []
    for sent in await ctx.repos.broadcasts.recent_of(ctx.member.id):
        found = await status_in(ctx.repos, sent, ctx.now)
        if found.state in (State.SENDING, State.SCHEDULED):
            actions.append(["stop", sent.id])
            labels.append(
                ctx.texts("thongbao_stop", id=sent.id, done=found.ended, total=found.recipients)
            )
        elif found.missed:
            actions.append(["missed", sent.id])
            labels.append(ctx.texts("thongbao_missed_of", id=sent.id, count=found.missed))
    if not actions:
        return _ask_text(ctx)
    labels = [ctx.texts("thongbao_new"), *labels]
    ctx.conversation.start(FLOW, "menu", {"actions": [["new", 0], *actions], "labels": labels})
    lines, buttons = numbered(ctx.texts, labels)
    return [ctx.say("thongbao_menu", buttons=[*buttons, ctx.cancel_row], lines=lines)]


def _ask_text(ctx: Context) -> list[Outbound]:
    ctx.conversation.start(FLOW, "text")
    return [ctx.say("thongbao_ask_text", buttons=[ctx.cancel_row])]


async def _take_menu(ctx: Context) -> list[Outbound]:
    actions: list[list[Any]] = ctx.conversation.data.get("actions", [])
    index = pick_option(ctx.inbound.text, ctx.conversation.data.get("labels", []))
    if index is None:
        return [ctx.say("thongbao_bad_pick", count=len(actions)), *await start(ctx)]
    action, broadcast_id = actions[index]
    if action == "new":
        return _ask_text(ctx)
    ctx.conversation.reset()
    texts = ctx.texts
    if action == "stop":

        async def stop(services: Services) -> list[Outbound]:
            found = await cancel(services.db, broadcast_id, services.clock.now())
            key = "thongbao_stopped" if found.cancelled else "thongbao_not_stopped"
            return [
                Outbound(
                    text=texts(
                        key,
                        id=broadcast_id,
                        sent=found.sent,
                        total=found.recipients,
                        cancelled=found.cancelled,
                    )
                )
            ]

        ctx.later.append(stop)
        return []

    async def missed(services: Services) -> list[Outbound]:
        people = await not_reached(services.db, broadcast_id)
        return [Outbound(text=_missed_text(texts, broadcast_id, people))]

    ctx.later.append(missed)
    return []


def _missed_text(texts: Texts, broadcast_id: int, people: list[NotReached]) -> str:
    """Who was not reached, by unit (names and why), within one message."""
    by_unit: dict[str, list[str]] = {}
    for person in people:
        why = texts(f"thongbao_state_{person.state}")
        by_unit.setdefault(person.unit_name, []).append(f"{person.display_name} ({why})")
    lines = [texts("thongbao_missed_head", id=broadcast_id, count=len(people))]
    for unit, names in list(by_unit.items())[:MISSED_UNITS]:
        lines.append(texts("thongbao_missed_unit", unit=unit, names=", ".join(names)))
    if len(by_unit) > MISSED_UNITS:
        lines.append(texts("thongbao_missed_more", count=len(by_unit) - MISSED_UNITS))
    return "\n".join(lines)


async def on_input(ctx: Context, parsed: Parsed | None) -> list[Outbound]:
    """Take the next answer of the broadcast conversation."""
    if parsed is not None and parsed.command is Command.QUAYLAI:
        return await _back(ctx)
    if parsed is not None:
        return await ask_again(ctx)
    if ctx.inbound.kind is not InboundKind.TEXT:
        return await _take_attachment(ctx)
    step = ctx.conversation.step
    if step == "menu":
        return await _take_menu(ctx)
    if step == "audience":
        return await _take_audience(ctx)
    if step == "form":
        return await _take_form(ctx)
    if step == "unit":
        return await _take_unit(ctx)
    if step == "confirm":
        return _take_confirm(ctx)
    if step == "when":
        return _take_when(ctx)
    return _take_text(ctx)


async def ask_again(ctx: Context) -> list[Outbound]:
    """Ask again for what the broadcast conversation is waiting for."""
    step = ctx.conversation.step
    if step == "audience":
        return [_ask_audience(ctx)]
    if step == "form":
        return await _ask_form(ctx)
    if step == "unit":
        return [ctx.say("thongbao_ask_unit", buttons=[ctx.cancel_row])]
    if step == "confirm":
        return _show_preview(ctx)
    if step == "when":
        return [ctx.say("thongbao_ask_when", buttons=[ctx.cancel_row])]
    if step == "text":
        return _ask_text(ctx)
    return await start(ctx)


async def _back(ctx: Context) -> list[Outbound]:
    """quaylai: the text → its audience → how and when."""
    step = ctx.conversation.step
    if step in ("form", "unit", "confirm"):
        ctx.conversation.step = "audience"
        return [_ask_audience(ctx)]
    if step == "when":
        ctx.conversation.step = "confirm"
        return _show_preview(ctx)
    if step == "audience":
        return _ask_text(ctx)
    return await start(ctx)


async def _take_attachment(ctx: Context) -> list[Outbound]:
    """A photo while the announcement is being written goes with it (its caption, if any, is
    the text); anything else, or a photo later on, gets a sentence and the question again."""
    step = ctx.conversation.step
    if ctx.inbound.kind is not InboundKind.PHOTO or step not in PHOTO_STEPS:
        return [ctx.say("thongbao_photo_not_here"), *await ask_again(ctx)]
    if ctx.downloads is None or not ctx.downloads.ready:
        # Zalo fetches a photo from a public link, which only the web app can give.
        return [ctx.say("thongbao_photo_no_links"), *await ask_again(ctx)]
    if ctx.download is None:
        return [ctx.say("thongbao_photo_failed"), *await ask_again(ctx)]
    if ctx.download.size > MAX_PHOTO_BYTES:
        mb = MAX_PHOTO_BYTES // (1024 * 1024)
        return [ctx.say("thongbao_photo_too_big", limit=mb), *await ask_again(ctx)]
    data = ctx.conversation.data
    had = data.get("photo")
    # Held apart until queued: a composition left half-way leaves it to maintenance.
    data["photo"] = hold(ctx.settings, ctx.download.path, ctx.now)
    ctx.download_kept = True
    if had:  # the newer photo replaces the one sent before
        (files_dir(ctx.settings) / str(had)).unlink(missing_ok=True)
    if step == "text" and ctx.inbound.text.strip():
        return _take_text(ctx)
    if step == "text":
        return [ctx.say("thongbao_photo_ask_text", buttons=[ctx.cancel_row])]
    return [ctx.say("thongbao_photo_added"), _ask_audience(ctx)]


def _take_text(ctx: Context) -> list[Outbound]:
    text = ctx.inbound.text.strip()
    if not text:
        return [ctx.say("thongbao_empty")]
    if len(text) > MAX_TEXT:
        return [ctx.say("thongbao_too_long", limit=MAX_TEXT, length=len(text))]
    ctx.conversation.data["text"] = text
    ctx.conversation.step = "audience"
    return [_ask_audience(ctx)]


def _ask_audience(ctx: Context) -> Outbound:
    lines, buttons = numbered(ctx.texts, [c.label for c in _audience_menu(ctx)])
    return ctx.say("thongbao_ask_audience", buttons=[*buttons, ctx.cancel_row], lines=lines)


async def _take_audience(ctx: Context) -> list[Outbound]:
    menu = _audience_menu(ctx)
    index = pick_option(ctx.inbound.text, [c.label for c in menu])
    if index is None:
        # Units named straight away ("khu pho 1 va khu pho 3") are as good as the menu's way.
        codes = _each_one(_named(await _below(ctx), ctx.inbound.text))
        if codes:
            return _chosen(ctx, _units_audience(codes))
        return [ctx.say("thongbao_bad_pick", count=len(menu)), _ask_audience(ctx)]
    choice = menu[index]
    if choice.audience is not None:
        return _chosen(ctx, choice.audience)
    ctx.conversation.step = choice.then
    if choice.then == "unit":
        return [ctx.say("thongbao_ask_unit", buttons=[ctx.cancel_row])]
    return await _ask_form(ctx)


async def _ask_form(ctx: Context) -> list[Outbound]:
    pairs = [
        (campaign.campaign.code, form.id, form.title)
        for campaign in await visible_campaigns(ctx)
        for form in forms_below(ctx, campaign)
    ]
    if not pairs:
        ctx.conversation.step = "audience"
        return [ctx.say("thongbao_no_forms"), _ask_audience(ctx)]
    ctx.conversation.data["forms"] = [[code, form] for code, form, _ in pairs]
    lines, buttons = numbered(ctx.texts, [title for _, _, title in pairs])
    return [ctx.say("thongbao_ask_form", buttons=[*buttons, ctx.cancel_row], lines=lines)]


async def _take_form(ctx: Context) -> list[Outbound]:
    assert ctx.unit is not None
    forms: list[list[str]] = ctx.conversation.data.get("forms", [])
    if not forms:
        return await _ask_form(ctx)
    titles = [f"{code} {form}" for code, form in forms]
    index = pick_option(ctx.inbound.text, titles)
    if index is None:
        return [ctx.say("thongbao_bad_pick", count=len(forms)), *await _ask_form(ctx)]
    code, form = forms[index]
    return _chosen(ctx, {"unit": ctx.unit.code, "missing": f"{code}/{form}"})


async def _below(ctx: Context) -> list[Unit]:
    assert ctx.unit is not None
    return await ctx.repos.units.subtree(ctx.unit, include_root=False)


async def _take_unit(ctx: Context) -> list[Outbound]:
    """One or more units, by code or name ("KP-01, KP-03"), or by number from a short list."""
    units = await _below(ctx)
    choices: list[str] = ctx.conversation.data.get("unit_choices", [])
    if choices:
        picked = parse_multichoice(ctx.inbound.text, choices)
        if picked:
            return _chosen(ctx, _units_audience([choices[i] for i in picked]))
    found = _named(units, ctx.inbound.text)
    codes = _each_one(found)
    if codes:
        return _chosen(ctx, _units_audience(codes))
    if len(found) == 1 and 1 < len(found[0][1]) <= LIST_LIMIT:
        matches = found[0][1]
        ctx.conversation.data["unit_choices"] = [u.code for u in matches]
        lines, buttons = numbered(ctx.texts, [f"{u.name} ({u.code})" for u in matches])
        return [ctx.say("thongbao_unit_choices", buttons=[*buttons, ctx.cancel_row], lines=lines)]
    if len(found) > 1:
        unclear = ", ".join(f"“{term}”" for term, matches in found if len(matches) != 1)
        return [ctx.say("thongbao_units_unclear", buttons=[ctx.cancel_row], names=unclear)]
    matches = found[0][1] if found else []
    key = "thongbao_unit_none" if not matches else "thongbao_unit_too_many"
    return [ctx.say(key, buttons=[ctx.cancel_row], count=len(matches))]


def _named(units: list[Unit], text: str) -> list[tuple[str, list[Unit]]]:
    """Each unit typed in one message, with the units it may mean."""
    return [(term, find_units(units, term)) for term in unit_terms(text)]


def _each_one(found: list[tuple[str, list[Unit]]]) -> list[str]:
    """The codes when every term typed means exactly one unit; [] otherwise."""
    if found and all(len(matches) == 1 for _, matches in found):
        return [matches[0].code for _, matches in found]
    return []


def unit_terms(text: str) -> list[str]:
    """The units typed in one message: "KP-01, KP-03", "khu pho 1 va khu pho 3", one a line."""
    parts = re.split(r"[,;\n]|\s+(?:và|va)\s+", text, flags=re.IGNORECASE)
    return [part.strip() for part in parts if part.strip()]


def _units_audience(codes: list[str]) -> dict[str, Any]:
    """The audience of these units' subtrees (each once, in the order typed)."""
    first, *more = list(dict.fromkeys(codes))
    chosen: dict[str, Any] = {"unit": first}
    if more:
        chosen["also"] = more
    return chosen


def _chosen(ctx: Context, audience: dict[str, Any]) -> list[Outbound]:
    """The audience is known: the preview is counted after the transaction."""
    ctx.conversation.data["audience"] = audience
    ctx.conversation.data.pop("unit_choices", None)
    ctx.conversation.step = "confirm"
    return _show_preview(ctx)


def _audience(data: dict[str, Any]) -> Audience:
    raw = data["audience"]
    missing = raw.get("missing")
    return Audience(
        unit_code=raw["unit"],
        level=raw.get("level"),
        role=raw.get("role"),
        missing=parse_missing(missing) if missing else None,
        also=tuple(raw.get("also", ())),
    )


def _show_preview(ctx: Context) -> list[Outbound]:
    """Count the audience after the transaction and show it with the three choices."""
    audience = _audience(ctx.conversation.data)
    texts, inside = ctx.texts, ctx.unit
    excerpt = _excerpt(str(ctx.conversation.data.get("text", "")))
    photo = bool(ctx.conversation.data.get("photo"))

    async def count(services: Services) -> list[Outbound]:
        now = services.clock.now()
        try:
            found = await preview(
                services.db, services.settings, audience, at=None, now=now, inside=inside
            )
        except Refused as refused:
            return [Outbound(text=texts("thongbao_refused", reason=_vietnamese(refused)))]
        where = _where(texts, found, inside)
        if not found.recipients:  # nobody has joined there yet: nothing to send or schedule
            return [Outbound(text=texts("thongbao_nobody", where=where))]
        return [_preview_message(texts, services, found, excerpt, photo, where)]

    ctx.later.append(count)
    return []


def _vietnamese(refused: Refused) -> str:
    """The Vietnamese half of a command-line refusal ("… / …")."""
    return refused.lines[0].split(" / ", 1)[0] if refused.lines else ""


def _excerpt(text: str, limit: int = 120) -> str:
    """The start of the announcement, to be sure which one is being sent."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _duration(texts: Texts, seconds: float) -> str:
    """'chưa đến 1 phút', 'khoảng 6 phút', 'khoảng 2 giờ 10 phút'."""
    if seconds < 60:
        return texts("thongbao_within_minute")
    minutes = round(seconds / 60)
    if minutes < 60:
        return texts("thongbao_minutes", minutes=minutes)
    return texts("thongbao_hours", hours=minutes // 60, minutes=minutes % 60)


def _preview_message(
    texts: Texts, services: Services, found: Preview, excerpt: str, photo: bool, where: str
) -> Outbound:
    channels = ", ".join(
        f"{texts(f'channel_{name}')} {count}" for name, count in sorted(found.channels.items())
    )
    labels = [texts("thongbao_send_now"), texts("thongbao_send_later"), texts("button_cancel")]
    lines, buttons = numbered(texts, labels)
    starts = ""
    if found.starts_at is not None:
        local = found.starts_at.astimezone(services.settings.schedule.zone())
        starts = texts("thongbao_starts_quiet", time=local.strftime("%H:%M %d/%m/%Y"))
    return Outbound(
        text=texts(
            "thongbao_preview",
            count=found.recipients,
            channels=channels or "0",
            duration=_duration(texts, found.seconds),
            excerpt=excerpt,
            starts=starts,
            lines=lines,
            where=where,
            photo=texts("thongbao_with_photo") if photo else "",
        ),
        buttons=buttons,
    )


def _where(texts: Texts, found: Preview, inside: Unit | None) -> str:
    """' ở Khu phố 1, Khu phố 3' when the admin named units, or the units a reminder to those
    that have not sent a form reaches (whom it reminds is what the admin checks); nothing for
    their whole subtree."""
    if found.audience.missing is not None and found.people:
        names = list(dict.fromkeys(person.unit_name for person in found.people))
        shown = ", ".join(names[:WHERE_NAMES])
        if len(names) > WHERE_NAMES:
            shown = texts("thongbao_and_more", names=shown, count=len(names) - WHERE_NAMES)
        return texts("thongbao_in_units", names=shown)
    units = found.units or (found.unit,)
    if inside is not None and [unit.code for unit in units] == [inside.code]:
        return ""
    return texts("thongbao_in_units", names=", ".join(unit.name for unit in units))


def _take_confirm(ctx: Context) -> list[Outbound]:
    labels = [ctx.texts("thongbao_send_now"), ctx.texts("thongbao_send_later")]
    index = pick_option(ctx.inbound.text, [*labels, ctx.texts("button_cancel")])
    if index == 2:
        ctx.conversation.reset()
        return [ctx.say("thongbao_cancelled")]
    if index == 1:
        ctx.conversation.step = "when"
        return [ctx.say("thongbao_ask_when", buttons=[ctx.cancel_row])]
    if index == 0:
        return _queue(ctx, None)
    return [ctx.say("thongbao_bad_pick", count=3), *_show_preview(ctx)]


def _take_when(ctx: Context) -> list[Outbound]:
    zone = ctx.settings.schedule.zone()
    moment = parse_moment(ctx.inbound.text, today=ctx.local(ctx.now).date(), zone=zone)
    if moment is None:
        return [ctx.say("thongbao_bad_when")]
    if moment <= ctx.now:
        return [ctx.say("thongbao_when_past")]
    try:  # the queueing's own rule, asked now so that the person can type another time
        start_time(moment, ctx.now, ctx.settings.schedule.quiet_window(), zone)
    except BroadcastRefused as refused:  # inside the quiet hours: it names the earliest time
        earliest = (refused.when or moment).astimezone(zone)
        return [ctx.say("thongbao_when_quiet", time=earliest.strftime("%H:%M %d/%m/%Y"))]
    return _queue(ctx, moment)


def _queue(ctx: Context, at: datetime | None) -> list[Outbound]:
    """Queue it after the transaction (one short transaction of its own) and say so."""
    assert ctx.member is not None
    data = ctx.conversation.data
    audience, text, member = _audience(data), str(data["text"]), ctx.member.id
    photo = files_dir(ctx.settings) / str(data["photo"]) if data.get("photo") else None
    texts, inside = ctx.texts, ctx.unit
    ctx.conversation.reset()

    async def send(services: Services) -> list[Outbound]:
        now = services.clock.now()
        try:
            photo_ref = _publish_photo(services, photo, at or now)
            queued = await queue(
                services.db,
                services.settings,
                audience,
                text,
                at=at,
                now=now,
                created_by=member,
                photo_ref=photo_ref,
                inside=inside,
            )
        except Refused as refused:
            return [Outbound(text=texts("thongbao_refused", reason=_vietnamese(refused)))]
        except (OSError, LinksUnavailable):
            return [Outbound(text=texts("thongbao_photo_lost"))]
        start = queued.preview.starts_at or at or now
        local = start.astimezone(services.settings.schedule.zone())
        return [
            Outbound(
                text=texts(
                    "thongbao_queued",
                    id=queued.id,
                    count=queued.preview.recipients,
                    time=local.strftime("%H:%M %d/%m/%Y"),
                )
            )
        ]

    ctx.later.append(send)
    return []


def _publish_photo(services: Services, photo: Path | None, start: datetime) -> str | None:
    """Put the announcement's photo behind a link both platforms fetch it from, lasting well
    past the broadcast's start (retries, a slow send); None without a photo."""
    if photo is None:
        return None
    if services.downloads is None:
        raise LinksUnavailable(("web.public_url", "web.secret"))
    until = start + timedelta(days=PHOTO_DAYS)
    name = "anh-thong-bao" + (photo.suffix or ".jpg")
    return services.downloads.publish(photo, name, services.clock.now(), until=until)
