"""What the core needs from a channel: a sender (messages out) and a receiver (updates in).

A platform adapter is usually both, but the core never needs to know: the router submits
replies through the registry of senders, the outbox sends through the same registry, and a
receiver only gets the callable that takes an inbound (the router's `submit`). So a webhook
receiver can replace a poller without touching either.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Protocol, runtime_checkable

from bot.messages import Inbound, Outbound

# Takes one inbound and returns at once (the router queues it behind its chat).
Dispatch = Callable[[Inbound], None]


class Sender(Protocol):
    """Delivers messages to chats on one channel."""

    name: str

    async def send(self, chat_id: str, message: Outbound) -> None:
        """Deliver one message to one chat, mapping platform errors into bot.errors."""
        ...


@runtime_checkable
class BackgroundSender(Protocol):
    """A sender with a lane of its own for outbox messages, so they never hold up a reply."""

    async def send_background(self, chat_id: str, message: Outbound) -> None:
        """Deliver one outbox message (errors as in `send`)."""
        ...


@runtime_checkable
class Fetcher(Protocol):
    """A channel that can download the photo or file of an inbound message."""

    async def fetch(self, inbound: Inbound) -> tuple[bytes, str] | None:
        """Return the file's bytes and a file suffix (e.g. '.jpg'), or None if too big."""
        ...


@runtime_checkable
class Progressive(Protocol):
    """A channel that can keep one message up to date by editing it (Telegram)."""

    async def post_or_edit(self, chat_id: str, key: str, text: str) -> None:
        """Send `text` the first time `key` is used in this chat, then edit that message."""
        ...


@runtime_checkable
class Counted(Protocol):
    """A sender that knows how many platform messages one message becomes (long texts split)."""

    def parts(self, message: Outbound) -> int:
        """How many platform calls sending `message` makes."""
        ...


class Receiver(Protocol):
    """Brings updates from one channel to the core."""

    name: str

    async def start(self, dispatch: Dispatch) -> None:
        """Begin receiving in the background; every inbound goes to `dispatch`."""
        ...

    async def stop(self) -> None:
        """Stop receiving; what was already dispatched is the router's to finish."""
        ...


class Adapter(Sender, Receiver, Protocol):
    """A platform adapter: a sender and a receiver sharing one connection to the platform."""

    async def open(self) -> None:
        """Connect and check the token (before anything is sent or received)."""
        ...

    async def close(self) -> None:
        """Release the connections, after the last send."""
        ...


class Senders:
    """The registry of senders by channel name, owned by the runtime."""

    def __init__(self) -> None:
        self._by_name: dict[str, Sender] = {}

    def register(self, name: str, sender: Sender) -> None:
        """Say where messages for `name` go (replacing any earlier sender)."""
        self._by_name[name] = sender

    def get(self, name: str) -> Sender | None:
        """The sender of a channel, or None."""
        return self._by_name.get(name)

    def __getitem__(self, name: str) -> Sender:
        return self._by_name[name]

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._by_name))

    def __len__(self) -> int:
        return len(self._by_name)
