"""The console channel: a person types in the terminal, one message a line."""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO

from bot.messages import Inbound, Outbound
from bot.router import Router

NAME = "console"


def render_plain(message: Outbound) -> str:
    """Return what a text-only channel shows for a message (buttons are already in the text)."""
    parts = [message.text] if message.text else []
    if message.link_url:
        parts.append(message.link_url)
    elif message.document_path:
        parts.append(f"[tệp] {message.document_path}")
    if message.photo_url:
        parts.append(f"[ảnh] {message.photo_url}")
    return "\n".join(parts)


class ConsoleChannel:
    """Prints replies to a stream, each reply followed by a blank line."""

    name = NAME

    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out or sys.stdout

    async def start(self) -> None:
        """Nothing to connect."""

    async def stop(self) -> None:
        """Nothing to release."""

    async def send(self, chat_id: str, message: Outbound) -> None:
        """Print the reply."""
        self.out.write(render_plain(message) + "\n\n")
        self.out.flush()


def console_inbound(user: str, text: str) -> Inbound:
    """Return the inbound for a line typed on the console by `user`."""
    return Inbound(channel=NAME, chat_id=user, user_id=user, display_name=user, text=text)


async def chat_loop(router: Router, user: str, stdin: TextIO | None = None) -> None:
    """Read lines until end of input, handing each to the router as `user`."""
    source = stdin or sys.stdin
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, source.readline)
        if not line:
            return
        text = line.rstrip("\r\n")
        if text.strip():
            await router.dispatch(console_inbound(user, text))
