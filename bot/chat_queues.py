"""Per-chat queues: one person's messages in order, never at the cost of everyone else's.

Each chat with messages waiting gets its own queue and one worker task that takes them one at a
time; the channel adapter only enqueues and goes back to receiving. So a person who sends a
hundred messages occupies one worker, not the receiving capacity of the whole bot, and a reply
waiting out that chat's rate limit waits in that chat's worker only. A queue holds at most
`limit` messages; what comes beyond it is dropped (it was never recorded, so nothing stored is
lost) and the chat is told once, calmly, to wait for the answers.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Enough for a person who types fast or pastes several lines; far more than a person reads.
DEFAULT_LIMIT = 20


@dataclass
class _Chat(Generic[Item, Result]):
    """The waiting messages of one chat and whether it was told about a flood."""

    waiting: deque[tuple[Item, asyncio.Future[Result]]] = field(default_factory=deque)
    warned: bool = False
    dropped: int = 0


class ChatQueues(Generic[Item, Result]):
    """Run `work` for each item, in order per key, keys in parallel, at most `limit` waiting."""

    def __init__(
        self,
        work: Callable[[Item], Awaitable[Result]],
        *,
        limit: int = DEFAULT_LIMIT,
        on_overflow: Callable[[Hashable, Item, bool], Awaitable[Result]],
        on_idle: Callable[[Hashable, int], None] | None = None,
    ) -> None:
        self._work = work
        self._limit = limit
        self._on_overflow = on_overflow
        self._on_idle = on_idle
        self._chats: dict[Hashable, _Chat[Item, Result]] = {}
        self._workers: set[asyncio.Task[None]] = set()
        self._idle = asyncio.Event()
        self._idle.set()

    def submit(self, key: Hashable, item: Item) -> asyncio.Future[Result]:
        """Queue `item` behind the others of `key`; the future gives its result."""
        loop = asyncio.get_running_loop()
        chat = self._chats.get(key)
        if chat is None:
            chat = self._chats[key] = _Chat()
            self._start(key, chat)
        if len(chat.waiting) >= self._limit:
            # The first drop of a flood is answered with a sentence; the rest in silence.
            first = not chat.warned
            chat.warned = True
            chat.dropped += 1
            return asyncio.ensure_future(self._on_overflow(key, item, first))
        future: asyncio.Future[Result] = loop.create_future()
        chat.waiting.append((item, future))
        return future

    def _start(self, key: Hashable, chat: _Chat[Item, Result]) -> None:
        self._idle.clear()
        task = asyncio.create_task(self._drain(key, chat), name=f"chat-{key}")
        self._workers.add(task)
        task.add_done_callback(self._workers.discard)

    async def _drain(self, key: Hashable, chat: _Chat[Item, Result]) -> None:
        """Handle the chat's messages one by one until its queue is empty."""
        try:
            while True:
                await asyncio.sleep(0)  # let the adapter queue what arrived with this message
                if not chat.waiting:
                    break
                item, future = chat.waiting.popleft()
                try:
                    result = await self._work(item)
                except BaseException as exc:
                    if not future.done():
                        future.set_exception(exc)
                    if isinstance(exc, asyncio.CancelledError):
                        raise
                    continue
                if not future.done():
                    future.set_result(result)
        finally:
            del self._chats[key]
            for _, future in chat.waiting:
                future.cancel()
            if self._on_idle is not None and chat.dropped:
                self._on_idle(key, chat.dropped)
            if not self._chats:
                self._idle.set()

    def __len__(self) -> int:
        """How many chats have messages waiting or in hand."""
        return len(self._chats)

    def waiting(self, key: Hashable) -> int:
        """How many messages of `key` wait behind the one in hand."""
        chat = self._chats.get(key)
        return len(chat.waiting) if chat else 0

    async def join(self) -> None:
        """Wait until every queue is empty and every worker has finished."""
        await self._idle.wait()

    async def cancel(self) -> None:
        """Stop every worker (messages still waiting are not handled)."""
        for task in list(self._workers):
            task.cancel()
        for task in list(self._workers):
            with contextlib.suppress(asyncio.CancelledError):
                await task
