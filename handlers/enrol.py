"""Enrolment: an unenrolled person types an invite code (or taps a t.me start link)."""

from __future__ import annotations

from bot import invites
from bot.context import Context
from bot.invites import Redemption
from bot.messages import Outbound
from bot.org import unit_title
from bot.parsers import render_day
from bot.words import Command, Parsed
from handlers.help import help_for


async def unenrolled(ctx: Context, parsed: Parsed | None) -> list[Outbound]:
    """Answer someone not yet enrolled: a code is tried, anything else explains how to join."""
    if parsed is not None:
        if parsed.command is Command.START and parsed.argument:
            return await redeem(ctx, parsed.argument)
        if parsed.command in (Command.START, Command.HUY):
            return [ctx.say("welcome")]
        if parsed.command is Command.TROGIUP:
            return [help_for(ctx, None)]
        return [ctx.say("refused_unenrolled")]
    if invites.looks_like_code(ctx.inbound.text):
        return await redeem(ctx, ctx.inbound.text)
    return [ctx.say("welcome")]


async def redeem(ctx: Context, code: str) -> list[Outbound]:
    """Try an invite code from this chat and answer with the outcome."""
    inbound = ctx.inbound
    result = await invites.redeem(
        ctx.repos,
        code=code,
        channel=inbound.channel,
        user_id=inbound.user_id,
        chat_id=inbound.chat_id,
        display_name=inbound.display_name,
        now=ctx.now,
    )
    if result.outcome is Redemption.OK:
        assert result.member is not None and result.unit is not None
        ctx.member, ctx.unit = result.member, result.unit
        ctx.conversation.reset()
        return await _welcome(ctx, moved=result.was_member)
    if result.outcome is Redemption.LOCKED:
        assert result.locked_until is not None
        minutes = max(1, round((result.locked_until - ctx.now).total_seconds() / 60))
        until = ctx.local(result.locked_until).strftime("%H:%M")
        return [ctx.say("enrol_throttled", until=until, minutes=minutes)]
    if result.outcome is Redemption.EXPIRED:
        assert result.invite is not None
        expired = render_day(ctx.local(result.invite.expires_at).date())
        return [ctx.say("enrol_expired", date=expired)]
    if result.outcome is Redemption.USED:
        return [ctx.say("enrol_used")]
    if result.tries_left == 1:
        return [ctx.say("enrol_wrong_code_last")]
    return [ctx.say("enrol_wrong_code", left=result.tries_left)]


async def greet(ctx: Context) -> list[Outbound]:
    """Answer /start from someone already enrolled: who they are here, and the help."""
    return await _welcome(ctx, moved=False)


async def _welcome(ctx: Context, *, moved: bool) -> list[Outbound]:
    """Who the member is here (role, unit's full title), then what they can type."""
    assert ctx.member is not None and ctx.unit is not None
    role = ctx.texts(f"role_{ctx.member.role.value}")
    unit = await unit_title(ctx.repos, ctx.unit, ctx.settings.org)
    if moved:
        greeting = ctx.say("enrol_moved", role=role, unit=unit)
    else:
        name = f" {ctx.member.display_name}" if ctx.member.display_name.strip() else ""
        greeting = ctx.say("enrol_ok", name=name, role=role, unit=unit)
    return [greeting, help_for(ctx, ctx.member.role)]
