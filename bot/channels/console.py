"""The console channel: a person types in the terminal, one message a line."""

from __future__ import annotations

import asyncio
import codecs
import os
import sys
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TextIO

from bot.messages import Inbound, Outbound, render_plain

NAME = "console"

__all__ = ["NAME", "ConsoleChannel", "chat_loop", "console_inbound", "render_plain"]


class ConsoleChannel:
    """Prints replies to a stream, each reply followed by a blank line."""

    name = NAME

    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out or sys.stdout

    async def open(self) -> None:
        """Nothing to connect."""

    async def close(self) -> None:
        """Nothing to release."""

    async def send(self, chat_id: str, message: Outbound) -> None:
        """Print the reply."""
        self.out.write(render_plain(message) + "\n\n")
        self.out.flush()


def console_inbound(user: str, text: str, display_name: str | None = None) -> Inbound:
    """Return the inbound for a line typed on the console by `user` (shown as `display_name`)."""
    return Inbound(
        channel=NAME, chat_id=user, user_id=user, display_name=display_name or user, text=text
    )


async def chat_loop(
    handle: Callable[[Inbound], Awaitable[object]], user: str, stdin: TextIO | None = None
) -> None:
    """Read lines until end of input, handing each to `handle` (the router's dispatch) as `user`.

    Each line waits for its answer before the next is read, as a person at a terminal does.
    """
    lines = _stream_lines(stdin) if stdin is not None else _terminal_lines()
    async for line in lines:
        text = line.rstrip("\r\n")
        if text.strip():
            await handle(console_inbound(user, text))


async def _stream_lines(source: TextIO) -> AsyncIterator[str]:
    """Lines of a text stream (tests hand one in), read off the loop."""
    loop = asyncio.get_running_loop()
    while line := await loop.run_in_executor(None, source.readline):
        yield line


async def _terminal_lines() -> AsyncIterator[str]:
    """Lines typed on standard input, read by a daemon thread so that Ctrl-C ends at once.

    A read in the loop's default executor would keep `asyncio.run` waiting for that thread
    (blocked until Enter) after Ctrl-C. The thread reads the raw file descriptor: a daemon
    thread holding `sys.stdin`'s lock at exit would make the interpreter abort.
    """
    try:
        fd = sys.stdin.fileno()
    except (AttributeError, OSError, ValueError):  # no stdin at all (`<&-`): nothing to read
        return
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | None] = asyncio.Queue()
    encoding = getattr(sys.stdin, "encoding", None) or "utf-8"

    def put(item: str | None) -> bool:
        try:
            loop.call_soon_threadsafe(queue.put_nowait, item)
        except RuntimeError:  # the loop is closed: the chat is over
            return False
        return True

    def pump() -> None:
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        pending = ""
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # stdin closed under us: the end of the conversation
                chunk = b""
            pending += decoder.decode(chunk, final=not chunk)
            *complete, pending = pending.split("\n")
            for line in complete:
                if not put(line):
                    return
            if not chunk:
                if pending:
                    put(pending)
                put(None)
                return

    threading.Thread(target=pump, name="console-stdin", daemon=True).start()
    while (line := await queue.get()) is not None:
        yield line
