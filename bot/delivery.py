"""Sending one reply with a few patient retries, so a network hiccup does not lose it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Protocol, runtime_checkable

from bot.channels.errors import ChannelError, RateLimited, TransientError, Unreachable
from bot.logs import logfmt
from bot.messages import Inbound, Outbound

log = logging.getLogger("thidua.delivery")

MAX_ATTEMPTS = 4
MAX_WAIT = 30.0


class Sender(Protocol):
    """What can deliver a message to a chat."""

    async def send(self, chat_id: str, message: Outbound) -> None:
        """Deliver `message` to `chat_id`."""
        ...


@runtime_checkable
class Fetcher(Protocol):
    """A channel that can download the photo or file of an inbound message."""

    async def fetch(self, inbound: Inbound) -> tuple[bytes, str] | None:
        """Return the file's bytes and a file suffix (e.g. '.jpg'), or None if too big."""
        ...


async def deliver(
    sender: Sender,
    channel: str,
    chat_id: str,
    message: Outbound,
    *,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> bool:
    """Send `message`, retrying rate limits and transient errors; True if it went out."""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            await sender.send(chat_id, message)
            return True
        except RateLimited as exc:
            wait = exc.retry_after if exc.retry_after is not None else 2.0**attempt
        except TransientError:
            wait = 0.5 * 2.0**attempt
        except Unreachable:
            log.warning(logfmt("unreachable", channel=channel))
            return False
        except ChannelError as exc:
            log.warning(logfmt("send_refused", channel=channel, error=type(exc).__name__))
            return False
        if attempt < MAX_ATTEMPTS:
            await sleep(min(wait, MAX_WAIT))
    log.warning(logfmt("send_gave_up", channel=channel, attempts=MAX_ATTEMPTS))
    return False
