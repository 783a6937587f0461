"""trogiup: what this person can type, by role — only what is really available."""

from __future__ import annotations

from bot import roles
from bot.context import Context
from bot.messages import Outbound
from bot.words import Command
from storage.models import Role

# The order commands are listed in: the person's main work first, help last.
ORDER = (
    Command.DANGKY,
    Command.BAOCAO,
    Command.THONGBAO,
    Command.TONGHOP,
    Command.XUAT,
    Command.MOI,
    Command.TRANGTHAI,
    Command.HUY,
    Command.TROGIUP,
)


def available(ctx: Context, role: Role) -> list[Command]:
    """The commands a member with `role` can use today, in help order."""
    return [c for c in ORDER if c in ctx.commands and roles.allowed(c, role)]


def _line(ctx: Context, command: Command, role: Role) -> str:
    """One help line; a role may have its own wording ("trangthai" differs for secretaries)."""
    specific = f"help_line_{command.value}_{role.value}"
    return ctx.texts(specific if ctx.texts.has(specific) else f"help_line_{command.value}")


def help_for(ctx: Context, role: Role | None) -> Outbound:
    """Return the help text for `role` (None: how to enrol)."""
    if role is None:
        return ctx.say("help_unenrolled")
    lines = [ctx.texts("help_head"), *(_line(ctx, c, role) for c in available(ctx, role))]
    return Outbound(text="\n".join(lines))


async def show_help(ctx: Context) -> list[Outbound]:
    """Answer trogiup: the member's commands; an unfinished conversation is left as it is."""
    return [help_for(ctx, ctx.member.role if ctx.member else None)]


def not_ready(ctx: Context) -> Outbound:
    """A command the role may use but this version does not have yet: what works now instead."""
    role = ctx.member.role if ctx.member else Role.REP
    words = ", ".join(c.value for c in available(ctx, role) if c is not Command.TROGIUP)
    return ctx.say("not_ready", commands=words)
