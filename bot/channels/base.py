"""The interface every channel adapter implements."""

from __future__ import annotations

from typing import Protocol

from bot.messages import Outbound


class Channel(Protocol):
    """A platform adapter: receives updates for the router and sends its replies."""

    name: str

    async def start(self) -> None:
        """Connect and begin receiving (polling) in the background."""
        ...

    async def stop(self) -> None:
        """Stop receiving, finish what is in flight, and release connections."""
        ...

    async def send(self, chat_id: str, message: Outbound) -> None:
        """Deliver one message to one chat, mapping platform errors to bot.channels.errors."""
        ...
