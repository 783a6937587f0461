"""huy: back to a calm state from anywhere; nothing already saved is touched."""

from __future__ import annotations

from bot.context import Context
from bot.messages import Outbound
from handlers import forms


async def cancel(ctx: Context) -> list[Outbound]:
    """Leave whatever flow is in progress (its saved data stays) and say so."""
    if ctx.conversation.idle:
        return [ctx.say("cancel_idle")]
    command = forms.paused_form_word(ctx)
    ctx.conversation.reset()
    if command is not None:
        return [ctx.say("form_cancelled", command=command.value)]
    return [ctx.say("cancel_done")]
