"""moi: a secretary or admin creates an invite code for a unit below their own.

moi ──► unit (numbered list, or search by code/name) ──► role (numbered) ──► code shown
          ▲ quaylai ────────────────────────────────────┘
"""

from __future__ import annotations

from bot import invites, roles
from bot.choices import pick_option
from bot.context import Context, numbered
from bot.messages import Outbound
from bot.org import unit_title
from bot.parsers import parse_position
from bot.words import Command, Parsed
from handlers.subtree import find_units
from storage.models import Role, Unit

FLOW = "moi"
LIST_LIMIT = 8  # more than this and a phone screen scrolls; ask for a code or name instead


async def _candidates(ctx: Context) -> list[Unit]:
    assert ctx.unit is not None
    return await ctx.repos.units.subtree(ctx.unit, include_root=False)


def _labels(units: list[Unit]) -> list[str]:
    return [f"{u.name} ({u.code})" for u in units]


async def start(ctx: Context) -> list[Outbound]:
    """Begin: list the units below (or ask for a code or name when there are many)."""
    units = await _candidates(ctx)
    if not units:
        return [ctx.say("moi_no_units")]
    if len(units) <= LIST_LIMIT:
        ctx.conversation.start(FLOW, "unit", {"choices": [u.code for u in units]})
        lines, buttons = numbered(ctx.texts, _labels(units))
        return [ctx.say("moi_ask_unit_list", buttons=[*buttons, ctx.cancel_row], lines=lines)]
    ctx.conversation.start(FLOW, "unit", {"choices": []})
    return [ctx.say("moi_ask_unit_search", buttons=[ctx.cancel_row], example=units[0].code)]


async def on_input(ctx: Context, parsed: Parsed | None) -> list[Outbound]:
    """Take the next answer of the invite conversation."""
    step = ctx.conversation.step
    if parsed is not None and parsed.command is Command.QUAYLAI:
        return await start(ctx)
    if parsed is not None:
        return await ask_again(ctx)
    if step == "role":
        return await _take_role(ctx)
    return await _take_unit(ctx)


async def ask_again(ctx: Context) -> list[Outbound]:
    """Ask again for what the invite conversation is waiting for."""
    if ctx.conversation.step == "role":
        unit = await ctx.repos.units.get(ctx.conversation.data["unit"])
        if unit is not None:
            return _ask_role(ctx, unit)
    return await start(ctx)


async def _take_unit(ctx: Context) -> list[Outbound]:
    text = ctx.inbound.text.strip()
    units = await _candidates(ctx)
    choices: list[str] = ctx.conversation.data.get("choices", [])
    index = parse_position(text, len(choices)) if choices else None
    if index is not None:
        return await _chosen(ctx, choices[index], units)
    matches = find_units(units, text)
    example = units[0].code if units else ""
    if len(matches) == 1:
        return _ask_role(ctx, matches[0])
    if not matches:
        return [ctx.say("moi_unit_none", buttons=[ctx.cancel_row], example=example)]
    if len(matches) > LIST_LIMIT:
        return [
            ctx.say(
                "moi_unit_too_many", buttons=[ctx.cancel_row], count=len(matches), example=example
            )
        ]
    ctx.conversation.data["choices"] = [u.code for u in matches]
    lines, buttons = numbered(ctx.texts, _labels(matches))
    return [
        ctx.say(
            "moi_unit_choices", buttons=[*buttons, ctx.cancel_row], count=len(matches), lines=lines
        )
    ]


async def _chosen(ctx: Context, code: str, units: list[Unit]) -> list[Outbound]:
    unit = next((u for u in units if u.code == code), None)
    if unit is None:  # the tree changed under us: start over
        return await start(ctx)
    return _ask_role(ctx, unit)


def _roles(ctx: Context) -> tuple[Role, ...]:
    assert ctx.member is not None
    return roles.INVITABLE[ctx.member.role]


def _ask_role(ctx: Context, unit: Unit) -> list[Outbound]:
    ctx.conversation.start(FLOW, "role", {"unit": unit.code})
    labels = [ctx.texts(f"moi_role_{role.value}") for role in _roles(ctx)]
    lines, buttons = numbered(ctx.texts, labels)
    return [
        ctx.say("moi_ask_role", buttons=[*buttons, ctx.cancel_row], unit=unit.name, lines=lines)
    ]


async def _take_role(ctx: Context) -> list[Outbound]:
    assert ctx.member is not None and ctx.unit is not None
    choices = _roles(ctx)
    index = pick_option(ctx.inbound.text, [ctx.texts(f"moi_role_{r.value}") for r in choices])
    if index is None:
        return [ctx.say("moi_bad_role")]
    unit = await ctx.repos.units.get(ctx.conversation.data["unit"])
    role = choices[index]
    if unit is None or not roles.may_invite(ctx.member, ctx.unit, unit, role):
        return await start(ctx)
    created = await invites.create_invite(
        ctx.repos, unit=unit, role=role, now=ctx.now, created_by=ctx.member
    )
    ctx.conversation.reset()
    expires = ctx.local(created.invite.expires_at).strftime("%H:%M %d/%m/%Y")
    title = await unit_title(ctx.repos, unit, ctx.settings.org)
    replies = [
        ctx.say(
            "moi_done",
            role=ctx.texts(f"role_{role.value}"),
            unit=title,
            code=created.code,
            expires=expires,
        )
    ]
    link = ctx.links.telegram_start_link(created.code)
    if link:
        replies.append(ctx.say("moi_done_telegram", link=link))
    return replies
