"""The interfaces a channel implements now live in the core (bot/transport.py)."""

from __future__ import annotations

from bot.transport import Adapter, Dispatch, Receiver, Sender

# A platform adapter: opened, started with a dispatch callable, stopped, closed; it sends too.
Channel = Adapter

__all__ = ["Adapter", "Channel", "Dispatch", "Receiver", "Sender"]
