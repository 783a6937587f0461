"""Zalo adapter: long-poll our own Zalo client, dispatch every update, send plain text."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path
from typing import Any

import httpx

from bot.channels.splitting import split_text
from bot.channels.zalo_client import MESSAGE_LIMIT, ZaloClient
from bot.channels.zalo_updates import to_inbound, unwrap
from bot.config import ZaloConfig
from bot.errors import BadRequest, RateLimited, TransientError, Unauthorized
from bot.files import MAX_BYTES
from bot.logs import logfmt
from bot.messages import Inbound, Outbound, render_plain
from bot.transport import Dispatch

NAME = "zalo"
log = logging.getLogger("thidua.zalo")

MAX_BACKOFF = 60.0
SECRET_HEADER = "X-Bot-Api-Secret-Token"  # the webhook's secret comes in this header
STOP_GRACE = 2.0  # how long a shutdown lets the current long poll finish before cancelling it


class ZaloChannel:
    """Sends with our Zalo client, and polls getUpdates (one update per call), dispatching each.

    Lifecycle: `open` (getMe) → `start(dispatch)` (polling) → `stop` (no more updates) →
    `close` (after the last reply and outbox message went).
    """

    name = NAME
    secret_header = SECRET_HEADER

    def __init__(
        self,
        config: ZaloConfig,
        *,
        poll_timeout: int = 30,
        client: ZaloClient | None = None,
    ) -> None:
        self.poll_timeout = poll_timeout
        self.client = client or ZaloClient(config.token.get_secret_value(), config.base_url)
        self._poller: asyncio.Task[None] | None = None
        self._webhook: tuple[str, str] | None = None  # (url, secret) in webhook mode
        self._stopping = False
        self._opened = False

    async def open(self) -> None:
        """Check the token (getMe)."""
        if not self._opened:
            await self.client.get_me()
            self._opened = True

    def use_webhook(self, url: str, secret: str) -> None:
        """Take updates by webhook at `url` (bot/web/hooks.py), checked with `secret`."""
        self._webhook = (url, secret)

    async def start(self, dispatch: Dispatch) -> None:
        """Register the webhook in webhook mode; else make sure none is set, then poll in the
        background, each update to `dispatch`."""
        await self.open()
        if self._webhook is not None:
            await self.client.set_webhook(*self._webhook)
            return
        try:
            await self.client.ensure_polling()
        except BadRequest:
            # A server without the webhook calls cannot have a webhook set: poll anyway.
            log.warning(logfmt("webhook_check_failed", channel=NAME))
        self._stopping = False
        self._poller = asyncio.create_task(self._poll(dispatch), name="zalo-poll")

    async def _poll(self, dispatch: Dispatch) -> None:
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
            for inbound in _inbounds(updates):
                # Queued behind its chat only (its queue is bounded); the poll goes straight on.
                dispatch(inbound)

    async def webhook_inbounds(self, body: Any) -> list[Inbound]:
        """The updates in a webhook POST's body (wrapped or flat), as polling reads them."""
        return _inbounds(unwrap(body))

    async def stop(self) -> None:
        """Stop polling (the current long poll gets a short grace); sending goes on."""
        self._stopping = True
        if self._poller is not None:
            poller, self._poller = self._poller, None
            done, _ = await asyncio.wait({poller}, timeout=STOP_GRACE)
            if not done:
                poller.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await poller

    async def close(self) -> None:
        """Stop receiving if still running, then close the client."""
        await self.stop()
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

    def parts(self, message: Outbound) -> int:
        """How many messages Zalo receives for `message` (texts split at 2,000, a photo apart)."""
        text = render_plain(message.model_copy(update={"photo_url": None}))
        count = len(split_text(text, MESSAGE_LIMIT)) if text.strip() else 0
        return max(count + (1 if message.photo_url else 0), 1)


def _inbounds(updates: list[dict[str, Any]]) -> list[Inbound]:
    """The updates someone can be answered for, polled or posted; the others are logged."""
    found: list[Inbound] = []
    for update in updates:
        inbound = to_inbound(update)
        if inbound is None:
            log.info(logfmt("update_ignored", channel=NAME, zalo_event=update.get("event_name")))
        else:
            found.append(inbound)
    return found
