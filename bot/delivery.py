"""Sending replies: at once when the platform takes them, else from a lane of their chat.

A reply is tried once, straight from the chat's worker (the usual case costs nothing more).
When the platform asks us to wait (429) or hiccups (timeout, 5xx), the rest of that chat's
replies move to a *lane*: one task per such chat that waits and retries them in order, while
the chat's worker goes on to the person's next message. Replies to that chat produced meanwhile
queue behind the lane, so a person still reads the answers in the order of their messages, and
nobody — not even that person — waits in a worker for a rate limit to pass.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass, field
from enum import Enum

from bot.errors import ChannelError, RateLimited, TransientError, Unreachable
from bot.logs import logfmt
from bot.messages import Outbound
from bot.transport import Fetcher, Sender

__all__ = ["Attempt", "Fetcher", "Outcome", "ReplyLanes", "Sender", "classify", "send_once"]

log = logging.getLogger("thidua.delivery")

MAX_ATTEMPTS = 4
MAX_WAIT = 30.0


class Outcome(Enum):
    """What one attempt to send a message came to."""

    SENT = "sent"
    RETRY = "retry"  # rate limited or a hiccup: the same message may go through later
    UNREACHABLE = "unreachable"  # blocked, or the chat is gone: no retry will help
    REFUSED = "refused"  # the platform refused this message (bad request, token): drop it


@dataclass(frozen=True)
class Attempt:
    """The outcome of one send, with how long to wait before a retry and the error's name."""

    outcome: Outcome
    wait: float = 0.0
    error: str = ""


def classify(exc: ChannelError, attempt: int = 1) -> Attempt:
    """Map a channel error to an outcome; `attempt` (1-based) sets the backoff of a retry."""
    name = type(exc).__name__
    if isinstance(exc, RateLimited):
        wait = exc.retry_after if exc.retry_after is not None else 2.0**attempt
        return Attempt(Outcome.RETRY, wait, name)
    if isinstance(exc, TransientError):
        return Attempt(Outcome.RETRY, 0.5 * 2.0**attempt, name)
    if isinstance(exc, Unreachable):
        return Attempt(Outcome.UNREACHABLE, 0.0, name)
    return Attempt(Outcome.REFUSED, 0.0, name)


async def send_once(
    sender: Sender, chat_id: str, message: Outbound, *, attempt: int = 1
) -> Attempt:
    """Try to send `message` once; never raises a channel error."""
    try:
        await sender.send(chat_id, message)
    except ChannelError as exc:
        return classify(exc, attempt)
    return Attempt(Outcome.SENT)


# Called once a batch of replies is done with: True when the person turned out unreachable.
Finished = Callable[[bool], Awaitable[None]]


@dataclass
class _Batch:
    """The replies to one inbound that still have to go, and who to tell when they went."""

    sender: Sender
    channel: str
    chat_id: str
    replies: deque[Outbound]
    finished: Finished
    wait: float = 0.0
    attempt: int = 1


@dataclass
class _Lane:
    batches: deque[_Batch] = field(default_factory=deque)


class ReplyLanes:
    """Per-chat lanes of replies that wait out a rate limit or a hiccup, in order."""

    def __init__(self, *, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self._sleep = sleep
        self._lanes: dict[Hashable, _Lane] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._idle = asyncio.Event()
        self._idle.set()

    def busy(self, key: Hashable) -> bool:
        """True while earlier replies of this chat wait in a lane (new ones must queue behind)."""
        return key in self._lanes

    def add(
        self,
        key: Hashable,
        sender: Sender,
        channel: str,
        chat_id: str,
        replies: Sequence[Outbound],
        finished: Finished,
        *,
        wait: float = 0.0,
        attempt: int = 1,
    ) -> None:
        """Queue `replies` behind the chat's lane (starting one); `wait` before the first try."""
        batch = _Batch(sender, channel, chat_id, deque(replies), finished, wait, attempt)
        lane = self._lanes.get(key)
        if lane is not None:
            lane.batches.append(batch)
            return
        lane = self._lanes[key] = _Lane(deque([batch]))
        self._idle.clear()
        task = asyncio.create_task(self._run(key, lane), name=f"replies-{key}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, key: Hashable, lane: _Lane) -> None:
        try:
            while lane.batches:
                batch = lane.batches[0]
                unreachable = await self._deliver(batch)
                lane.batches.popleft()
                await batch.finished(unreachable)
        finally:
            del self._lanes[key]
            if not self._lanes:
                self._idle.set()

    async def _deliver(self, batch: _Batch) -> bool:
        """Send a batch's replies with patient retries; True if the person is unreachable."""
        while batch.replies:
            if batch.wait > 0:
                await self._sleep(min(batch.wait, MAX_WAIT))
            result = await send_once(
                batch.sender, batch.chat_id, batch.replies[0], attempt=batch.attempt
            )
            if result.outcome is Outcome.RETRY and batch.attempt < MAX_ATTEMPTS:
                batch.attempt += 1
                batch.wait = result.wait
                continue
            if result.outcome is Outcome.UNREACHABLE:
                return True  # the rest of these replies would be refused the same way
            if result.outcome is not Outcome.SENT:
                event = "send_gave_up" if result.outcome is Outcome.RETRY else "send_refused"
                log.warning(logfmt(event, channel=batch.channel, error=result.error))
            batch.replies.popleft()
            batch.wait, batch.attempt = 0.0, 1
        return False

    def __len__(self) -> int:
        """How many chats have replies waiting in a lane."""
        return len(self._lanes)

    async def join(self) -> None:
        """Wait until every lane is empty."""
        await self._idle.wait()
