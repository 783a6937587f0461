"""trogiup: what this person can type, by role."""

from __future__ import annotations

from bot.context import Context
from bot.messages import Outbound
from storage.models import Role

_HELP_KEYS = {Role.REP: "help_rep", Role.SECRETARY: "help_secretary", Role.ADMIN: "help_admin"}


def help_for(ctx: Context, role: Role | None) -> Outbound:
    """Return the help text for `role` (None: how to enrol)."""
    return ctx.say(_HELP_KEYS[role] if role else "help_unenrolled")


async def show_help(ctx: Context) -> list[Outbound]:
    """Answer trogiup: the member's commands; an unfinished conversation is left as it is."""
    return [help_for(ctx, ctx.member.role if ctx.member else None)]
