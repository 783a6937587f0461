"""huy: back to a calm state from anywhere; nothing already saved is touched."""

from __future__ import annotations

from bot.context import Context
from bot.messages import Outbound


async def cancel(ctx: Context) -> list[Outbound]:
    """Leave whatever flow is in progress (its saved data stays) and say so."""
    if ctx.conversation.idle:
        return [ctx.say("cancel_idle")]
    ctx.conversation.reset()
    return [ctx.say("cancel_done")]
