"""Telegram adapter on python-telegram-bot 22: translate updates in, replies out, errors across."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import warnings
from datetime import timedelta
from pathlib import Path
from typing import Any

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram import error as tg_error
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler
from telegram.request import HTTPXRequest

from bot import metrics
from bot.channels.splitting import split_text, utf16_len
from bot.config import TelegramConfig
from bot.errors import (
    BadRequest,
    ChannelError,
    RateLimited,
    TransientError,
    Unauthorized,
    Unreachable,
)
from bot.files import MAX_BYTES
from bot.logs import logfmt
from bot.messages import Inbound, InboundKind, Outbound
from bot.transport import Dispatch

NAME = "telegram"
MESSAGE_LIMIT = 4096
# Updates handled at once. Enough that one slow chat never holds up the others; httpx's pool
# grows slower per request with many open connections, so more is not faster (benchmarks/).
CONCURRENCY = int(os.environ.get("THIDUA_TELEGRAM_CONCURRENCY", "16"))
# Replies in flight at once. A few keep-alive connections carry them much faster than many
# (httpx's pool slows down as connections multiply; see benchmarks/throughput.py).
SEND_CONCURRENCY = int(os.environ.get("THIDUA_TELEGRAM_SENDS", "3"))
# Outbox messages in flight at once, on slots of their own: a backlog of reminders or a
# broadcast never takes a slot a reply is waiting for. As many as the outbox may open
# (`Pace.in_flight`); it opens only what the link needs for the pace.
BACKGROUND_CONCURRENCY = 8
# Seconds between the parts of a long outbox message to one chat: Telegram allows about one
# message a second per chat, and a part refused with 429 would make the row go again whole,
# its first part twice. Replies keep their parts back to back (a person is waiting).
PART_GAP = 1.05
ALLOWED_UPDATES = ["message", "callback_query"]
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # the webhook's secret comes in this header
CAPTION_LIMIT = 1024  # a photo's caption; a longer text goes as a message after the photo
PHOTO_IDS = 64  # photo URLs whose Telegram file id is remembered
log = logging.getLogger("thidua.telegram")


def to_inbound(update: Update) -> Inbound | None:
    """Translate a Telegram update into our Inbound (None for what we do not handle)."""
    key = f"{NAME}:{update.update_id}"
    query = update.callback_query
    if query is not None:
        chat = query.message.chat if query.message else None
        if chat is not None and chat.type != "private":
            return None  # groups are not served: no one's conversation lives there
        chat_id = str(chat.id) if chat else str(query.from_user.id)
        return Inbound(
            channel=NAME,
            chat_id=chat_id,
            user_id=str(query.from_user.id),
            display_name=query.from_user.full_name,
            text=query.data or "",
            key=key,
        )
    # Edits are not answers: an edited old message must not land on today's question.
    message = update.message
    if message is None or message.from_user is None or message.chat.type != "private":
        return None
    base = {
        "channel": NAME,
        "chat_id": str(message.chat.id),
        "user_id": str(message.from_user.id),
        "display_name": message.from_user.full_name,
        "key": key,
    }
    if message.text is not None:
        return Inbound(**base, text=message.text)
    if message.photo:
        largest = message.photo[-1]
        return Inbound(
            **base, kind=InboundKind.PHOTO, text=message.caption or "", photo_ref=largest.file_id
        )
    if message.document is not None:
        return Inbound(
            **base,
            kind=InboundKind.DOCUMENT,
            text=message.caption or "",
            document_ref=message.document.file_id,
            document_name=message.document.file_name,
        )
    return Inbound(**base, kind=InboundKind.UNSUPPORTED)


class SkippingRequest(HTTPXRequest):
    """The getUpdates connection: an update PTB cannot read is replaced by an empty one.

    PTB parses a whole batch at once; one update it cannot read (a poll from an older local Bot
    API server lacking fields PTB requires) fails the batch, the offset never moves, and the
    same batch is fetched and logged — with its text — hundreds of times a second. Here each
    update is tried on its own; one that fails keeps only its update_id, so PTB confirms it
    and moves on. It is logged once, without its content, and counted. This request object
    serves getUpdates only, so every payload it parses is a getUpdates answer.
    """

    @staticmethod
    def parse_json_payload(payload: bytes) -> dict[str, Any]:
        """Decode the answer (never logging its content) and make each update readable."""
        try:
            data = json.loads(payload.decode("utf-8", "replace"))
        except ValueError:
            raise tg_error.NetworkError("getUpdates: the answer is not JSON") from None
        if not isinstance(data, dict):
            raise tg_error.NetworkError("getUpdates: the answer is not a JSON object")
        if data.get("ok") and "result" in data:
            data["result"] = readable_updates(data["result"])
        return data


def readable_updates(result: Any) -> list[dict[str, Any]]:
    """The updates of a getUpdates result, each one PTB can read (bad ones emptied, counted)."""
    if not isinstance(result, list):
        raise tg_error.NetworkError("getUpdates: the result is not a list")
    readable: list[dict[str, Any]] = []
    for raw in result:
        update_id = raw.get("update_id") if isinstance(raw, dict) else None
        if not isinstance(update_id, int) or isinstance(update_id, bool):
            _unparseable("none", "no update_id")  # nothing to confirm it by: leave it out
            continue
        try:
            Update.de_json(raw, None)
        except Exception as exc:  # PTB raises TypeError, KeyError, ValueError… on bad data
            _unparseable(str(update_id), type(exc).__name__)
            raw = {"update_id": update_id}
        readable.append(raw)
    if result and not readable:
        raise tg_error.NetworkError("getUpdates: no update carries an update_id")
    return readable


def _unparseable(update_id: str, error: str) -> None:
    metrics.UNPARSEABLE.labels(NAME).inc()
    log.warning(logfmt("update_unparseable", channel=NAME, update_id=update_id, error=error))


def keyboard(message: Outbound) -> InlineKeyboardMarkup | None:
    """Return the inline keyboard for a message's buttons (each press types the button's value)."""
    if not message.buttons:
        return None
    rows = [
        [
            InlineKeyboardButton(button.label[:64], callback_data=_fit_bytes(button.value, 64))
            for button in row
        ]
        for row in message.buttons
    ]
    return InlineKeyboardMarkup(rows)


def _fit_bytes(value: str, limit: int) -> str:
    """At most `limit` UTF-8 bytes, cut between characters (Telegram counts callback bytes)."""
    data = value.encode("utf-8")[:limit]
    return data.decode("utf-8", "ignore") or "?"


def _fits_caption(text: str) -> bool:
    """True when `text` can be a photo's caption (Telegram counts UTF-16 units)."""
    return utf16_len(text) <= CAPTION_LIMIT


def _text_parts(text: str) -> list[str]:
    """The messages a text goes out as (one, unless over the 4,096 limit; none when empty)."""
    return split_text(text, MESSAGE_LIMIT)


def map_error(exc: tg_error.TelegramError) -> ChannelError:
    """Map a PTB error into our exception tree."""
    if isinstance(exc, tg_error.RetryAfter):
        with warnings.catch_warnings():  # PTB 22 warns that the type becomes timedelta in 23
            warnings.simplefilter("ignore")
            wait = exc.retry_after
        seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
        return RateLimited(seconds, str(exc))
    if isinstance(exc, tg_error.InvalidToken):
        return Unauthorized(str(exc))
    if isinstance(exc, tg_error.Forbidden):
        return Unreachable(str(exc))
    if isinstance(exc, tg_error.BadRequest):
        return BadRequest(str(exc))
    return TransientError(str(exc))


class TelegramChannel:
    """Sends through PTB's bot, and long-polls with its Application, dispatching every update.

    Lifecycle: `open` (getMe) → `start(dispatch)` (polling) → `stop` (no more updates) →
    `close` (after the last reply and outbox message went).
    """

    name = NAME
    secret_header = SECRET_HEADER

    def __init__(
        self,
        config: TelegramConfig,
        *,
        poll_timeout: int = 10,
        concurrency: int = CONCURRENCY,
    ) -> None:
        self.poll_timeout = poll_timeout
        self.username: str | None = None  # the bot's @username, known once open
        self._dispatch: Dispatch | None = None
        self._opened = False
        self.app: Application = (  # type: ignore[type-arg]
            ApplicationBuilder()
            .token(config.token.get_secret_value())
            .base_url(config.base_url)
            .base_file_url(config.base_file_url)
            .concurrent_updates(concurrency)  # the router's per-chat queues keep each chat in order
            .get_updates_request(
                SkippingRequest(connection_pool_size=1, read_timeout=poll_timeout + 10)
            )
            .build()
        )
        self.app.add_handler(TypeHandler(Update, self._on_update))
        self._sending = asyncio.Semaphore(SEND_CONCURRENCY)
        self._background = asyncio.Semaphore(BACKGROUND_CONCURRENCY)
        self._photo_ids: dict[str, str] = {}  # a photo URL -> the file id Telegram gave it
        self._webhook: tuple[str, str] | None = None  # (url, secret) in webhook mode
        self._answering: set[asyncio.Task[None]] = set()
        # (chat, key) -> the message `post_or_edit` keeps up to date (lost on restart: a new
        # message is posted then, which is all the person sees of it).
        self._edited: dict[tuple[str, str], int] = {}

    async def open(self) -> None:
        """Check the token (getMe) and open the bot's connections."""
        if self._opened:
            return
        try:
            await self.app.initialize()
        except tg_error.TelegramError as exc:
            # initialize() opened the bot's HTTP connections before getMe failed: close them.
            with contextlib.suppress(Exception):
                await self.app.bot.shutdown()
            raise map_error(exc) from None
        self._opened = True
        self.username = self.app.bot.username

    def use_webhook(self, url: str, secret: str) -> None:
        """Take updates by webhook at `url` (bot/web/hooks.py), checked with `secret`."""
        self._webhook = (url, secret)

    async def start(self, dispatch: Dispatch) -> None:
        """Start polling, or register the webhook (opening first if needed); every update goes
        to `dispatch`."""
        await self.open()
        self._dispatch = dispatch
        if self._webhook is not None:
            url, secret = self._webhook
            try:
                # Never deleted on shutdown: updates wait at Telegram while the bot restarts.
                await self.app.bot.set_webhook(
                    url, secret_token=secret, allowed_updates=ALLOWED_UPDATES
                )
            except tg_error.TelegramError as exc:
                raise map_error(exc) from None
            return
        assert self.app.updater is not None
        await self.app.updater.start_polling(
            poll_interval=0,
            timeout=self.poll_timeout,
            allowed_updates=ALLOWED_UPDATES,
            error_callback=self._on_poll_error,
        )
        await self.app.start()

    def _on_poll_error(self, exc: tg_error.TelegramError) -> None:
        log.warning(logfmt("poll_error", channel=NAME, error=type(exc).__name__))

    async def stop(self) -> None:
        """Stop polling and finish handing over the updates already fetched (sending goes on)."""
        if self.app.updater is not None and self.app.updater.running:
            await self.app.updater.stop()
        if self.app.running:
            await self.app.stop()

    async def close(self) -> None:
        """Stop receiving if still running, then close the bot's connections."""
        await self.stop()
        if self._opened:
            self._opened = False
            await self.app.shutdown()

    async def _on_update(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        if update.callback_query is not None:
            # Stop the button's spinner at once; the answer itself comes as a message.
            await self._answer_query(update.callback_query)
        inbound = to_inbound(update)
        if inbound is not None and self._dispatch is not None:
            # Queued behind its chat only: this slot goes straight back to receiving.
            self._dispatch(inbound)

    async def webhook_inbounds(self, body: Any) -> list[Inbound]:
        """The update in a webhook POST's body, as polling would have read it ([] for one we do
        not handle or cannot read: counted, never raised)."""
        if not isinstance(body, dict) or not isinstance(body.get("update_id"), int):
            _unparseable(str(body.get("update_id")) if isinstance(body, dict) else "?", "shape")
            return []
        try:
            update = Update.de_json(body, self.app.bot)
        except Exception as exc:  # PTB cannot read a field: skip it, as polling does
            _unparseable(str(body["update_id"]), type(exc).__name__)
            return []
        if update.callback_query is not None:
            # The spinner stops in the background: the platform waits for our 200 meanwhile.
            task = asyncio.create_task(self._answer_query(update.callback_query))
            self._answering.add(task)
            task.add_done_callback(self._answering.discard)
        inbound = to_inbound(update)
        return [inbound] if inbound is not None else []

    @staticmethod
    async def _answer_query(query: CallbackQuery) -> None:
        """Stop a pressed button's spinner (a failure only leaves it spinning a while)."""
        with contextlib.suppress(tg_error.TelegramError):
            await query.answer()

    async def fetch(self, inbound: Inbound) -> tuple[bytes, str] | None:
        """Download the photo or document of an update (None when over the size limit)."""
        ref = inbound.photo_ref or inbound.document_ref
        if not ref:
            return None
        try:
            file = await self.app.bot.get_file(ref)
            if file.file_size and file.file_size > MAX_BYTES:
                return None
            data = bytes(await file.download_as_bytearray())
        except tg_error.TelegramError as exc:
            raise map_error(exc) from None
        default = ".jpg" if inbound.kind is InboundKind.PHOTO else ""
        return data, Path(file.file_path or "").suffix or default

    async def send(self, chat_id: str, message: Outbound) -> None:
        """Send one reply: text (split at 4,096), photo, or document."""
        try:
            async with self._sending:
                await self._send(chat_id, message)
        except tg_error.TelegramError as exc:
            raise map_error(exc) from None

    async def send_background(self, chat_id: str, message: Outbound) -> None:
        """Send one outbox message as `send` does, on the outbox's own slots."""
        try:
            async with self._background:
                await self._send(chat_id, message, part_gap=PART_GAP)
        except tg_error.TelegramError as exc:
            raise map_error(exc) from None

    async def post_or_edit(self, chat_id: str, key: str, text: str) -> None:
        """Send `text` the first time `key` is used in this chat, then edit that message in
        place (a broadcast's progress: one message, not one per step)."""
        known = self._edited.get((chat_id, key))
        try:
            async with self._background:
                if known is None:
                    sent = await self.app.bot.send_message(chat_id, text[:MESSAGE_LIMIT])
                    self._edited[(chat_id, key)] = sent.message_id
                else:
                    await self.app.bot.edit_message_text(
                        text[:MESSAGE_LIMIT], chat_id=chat_id, message_id=known
                    )
        except tg_error.BadRequest as exc:
            if "not modified" not in str(exc).lower():  # the same text again is no error
                raise map_error(exc) from None
        except tg_error.TelegramError as exc:
            raise map_error(exc) from None

    def parts(self, message: Outbound) -> int:
        """How many messages Telegram receives for `message` (long texts are split; a photo
        whose text is too long for a caption comes first, the text after it)."""
        if message.document_path:
            return 1
        if message.photo_url:
            return 1 if _fits_caption(message.text) else 1 + len(_text_parts(message.text))
        return max(len(_text_parts(message.text)), 1)

    async def _send(self, chat_id: str, message: Outbound, *, part_gap: float = 0.0) -> None:
        """Send one message; `part_gap` seconds between the parts of a long text to the chat."""
        bot = self.app.bot
        if message.document_path:
            path = Path(message.document_path)
            await bot.send_document(
                chat_id,
                path,
                filename=message.document_name or path.name,
                caption=message.text[:1024] or None,
            )
            return
        parts = _text_parts(message.text)
        if message.photo_url:
            caption = _fits_caption(message.text)
            # A photo sent once has a file id: 10,000 copies of it are not fetched 10,000 times.
            photo = self._photo_ids.get(message.photo_url, message.photo_url)
            sent = await bot.send_photo(
                chat_id, photo, caption=message.text if caption and message.text else None
            )
            if sent.photo:
                self._remember_photo(message.photo_url, sent.photo[-1].file_id)
            if caption:
                return
            if part_gap:
                await asyncio.sleep(part_gap)
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            if index and part_gap:
                await asyncio.sleep(part_gap)
            await bot.send_message(chat_id, part, reply_markup=keyboard(message) if last else None)

    def _remember_photo(self, url: str, file_id: str) -> None:
        """Keep the file id Telegram gave a photo URL (the most recent few)."""
        self._photo_ids[url] = file_id
        while len(self._photo_ids) > PHOTO_IDS:
            self._photo_ids.pop(next(iter(self._photo_ids)))
