"""Zalo adapter: long-poll our own Zalo client, hand updates to the router, send plain text."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path

import httpx

from bot.channels.console import render_plain
from bot.channels.errors import BadRequest, RateLimited, TransientError, Unauthorized
from bot.channels.zalo_client import ZaloClient
from bot.channels.zalo_updates import to_inbound
from bot.config import ZaloConfig
from bot.files import MAX_BYTES
from bot.logs import logfmt
from bot.messages import Inbound, Outbound
from bot.router import Router

NAME = "zalo"
log = logging.getLogger("thidua.zalo")

MAX_BACKOFF = 60.0
STOP_GRACE = 2.0  # how long a shutdown lets the current long poll finish before cancelling it


class ZaloChannel:
    """Polls getUpdates (one update per call) and dispatches each update as its own task."""

    name = NAME

    def __init__(
        self,
        config: ZaloConfig,
        router: Router,
        *,
        poll_timeout: int = 30,
        client: ZaloClient | None = None,
    ) -> None:
        self.router = router
        self.poll_timeout = poll_timeout
        self.client = client or ZaloClient(config.token.get_secret_value(), config.base_url)
        self._poller: asyncio.Task[None] | None = None
        self._stopping = False
        router.register(NAME, self)

    async def start(self) -> None:
        """Check the token (getMe), make sure no webhook is set, then poll in the background."""
        await self.client.get_me()
        try:
            await self.client.ensure_polling()
        except BadRequest:
            # A server without the webhook calls cannot have a webhook set: poll anyway.
            log.warning(logfmt("webhook_check_failed", channel=NAME))
        self._poller = asyncio.create_task(self._poll(), name="zalo-poll")

    async def _poll(self) -> None:
        backoff = 1.0
        while not self._stopping:
            try:
                updates = await self.client.get_updates(self.poll_timeout)
                backoff = 1.0
            except Unauthorized:
                log.critical(logfmt("token_refused", channel=NAME))
                return
            except (RateLimited, TransientError) as exc:
                log.warning(logfmt("poll_error", channel=NAME, error=type(exc).__name__))
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
                continue
            for update in updates:
                inbound = to_inbound(update)
                if inbound is None:
                    log.info(
                        logfmt("update_ignored", channel=NAME, zalo_event=update.get("event_name"))
                    )
                    continue
                # Queued behind its chat only; the poll goes straight on.
                self.router.submit(inbound)

    async def stop(self) -> None:
        """Stop polling, let the updates in flight finish, close the client."""
        self._stopping = True
        if self._poller is not None:
            done, _ = await asyncio.wait({self._poller}, timeout=STOP_GRACE)
            if not done:
                self._poller.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._poller
        # The router's queues still send replies through this client: empty them first.
        await self.router.drain()
        await self.client.aclose()

    async def fetch(self, inbound: Inbound) -> tuple[bytes, str] | None:
        """Download a photo from its public link at once (Zalo's links may expire)."""
        if not inbound.photo_url:
            return None
        try:
            async with (
                httpx.AsyncClient(timeout=30.0, follow_redirects=True) as http,
                http.stream("GET", inbound.photo_url) as answer,
            ):
                if answer.status_code != 200:
                    raise TransientError(f"photo download: HTTP {answer.status_code}")
                data = bytearray()
                async for chunk in answer.aiter_bytes():
                    data.extend(chunk)
                    if len(data) > MAX_BYTES:
                        return None
        except httpx.HTTPError as exc:
            raise TransientError(f"photo download failed: {type(exc).__name__}") from None
        suffix = Path(httpx.URL(inbound.photo_url).path).suffix.lower()
        return bytes(data), suffix if suffix in (
            ".jpg",
            ".jpeg",
            ".png",
            ".webp",
            ".gif",
        ) else ".jpg"

    async def send(self, chat_id: str, message: Outbound) -> None:
        """Send one reply as plain text (a link stands in for a document), then any photo."""
        # Zalo publishes no caption limit, so text always goes as a message of its own.
        text = render_plain(message.model_copy(update={"photo_url": None}))
        if text.strip():
            await self.client.send_message(chat_id, text)
        if message.photo_url:
            await self.client.send_photo(chat_id, message.photo_url)
