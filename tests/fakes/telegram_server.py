"""A fake Telegram Bot API server for tests and benchmarks, spoken to over real HTTP.

Run standalone with ``python -m tests.fakes.telegram_server --port N``.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import math
import mimetypes
import random
import re
import time
import zlib
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from itertools import islice
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

Params = dict[str, Any]
Handler = Callable[[Params], Awaitable[Any]]

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_UPLOAD = 50 * 1024 * 1024
MAX_DOWNLOAD = 20 * 1024 * 1024

# Update kinds Telegram leaves out when allowed_updates is an empty list or was never set.
_DEFAULT_EXCLUDED = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
# Form values of these fields are free text, so a leading "{" or "true" must not be decoded.
_TEXT_FIELDS = frozenset(
    {"text", "caption", "data", "title", "description", "short_description", "name", "query"}
    | {"question", "explanation", "url", "callback_query_id", "file_id", "parse_mode", "emoji"}
    | {"first_name", "last_name", "address", "inline_message_id", "chat_id", "action"}
)
_HTML_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a"}
    | {"tg-emoji", "code", "pre", "blockquote", "tg-time"}
)
_TAG_RE = re.compile(r"<(/?)([^\s<>/]*)[^<>]*(>?)")
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request: injected failure",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running",
}


class ApiError(Exception):
    """A Telegram-style error answer: HTTP `status` with `{"ok": false, ...}`."""

    def __init__(self, status: int, description: str, parameters: Params | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def response(self) -> Response:
        """The HTTP answer Telegram would give."""
        body: Params = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return JSONResponse(body, status_code=self.status)


@dataclass(slots=True)
class Upload:
    """A file the bot uploaded as a multipart part."""

    file_name: str
    content: bytes
    mime_type: str


@dataclass(slots=True)
class StoredFile:
    """A file the fake can serve through getFile and the download route."""

    file_id: str
    file_unique_id: str
    file_path: str
    file_name: str
    content: bytes
    mime_type: str


@dataclass(slots=True)
class SentMessage:
    """One message the bot sent or edited, as the fake recorded it."""

    method: str
    chat_id: str
    message_id: int
    text: str | None = None
    parse_mode: str | None = None
    reply_markup: Params | None = None
    caption: str | None = None
    # The file_id the photo has in the fake (new for uploads, given for re-sends).
    photo: str | None = None
    photo_bytes: bytes | None = None
    document_name: str | None = None
    document_bytes: bytes | None = None
    # The file_id or URL the bot passed instead of uploading a file.
    file_ref: str | None = None
    at: float = 0.0
    params: Params = field(default_factory=dict)

    @property
    def buttons(self) -> list[Params]:
        """The inline keyboard's buttons, row after row, as dicts (empty if none)."""
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [button for row in rows for button in row]

    def to_json(self) -> Params:
        """A JSON-able view without file bytes (for the HTTP side door)."""
        return {
            "method": self.method,
            "chat_id": self.chat_id,
            "message_id": self.message_id,
            "text": self.text,
            "parse_mode": self.parse_mode,
            "reply_markup": self.reply_markup,
            "caption": self.caption,
            "photo": self.photo,
            "photo_size": None if self.photo_bytes is None else len(self.photo_bytes),
            "document_name": self.document_name,
            "document_size": None if self.document_bytes is None else len(self.document_bytes),
            "file_ref": self.file_ref,
            "at": self.at,
        }


class SendWindow:
    """At most `limit` sends in any `seconds`-long stretch: a platform's overall flood limit.

    A sliding window, the strictest reading of "30 messages a second": the sends accepted in
    the last second are kept, and one more is refused while `limit` of them are.
    """

    def __init__(self, limit: int, seconds: float = 1.0) -> None:
        """A window of `limit` sends per `seconds`."""
        if limit < 1:
            raise ValueError("a send window needs a limit of at least 1")
        self.limit = limit
        self.seconds = seconds
        self._times: deque[float] = deque()

    def wait(self, now: float) -> float:
        """0 when a send at `now` fits, else how many seconds until one would."""
        while self._times and self._times[0] <= now - self.seconds:
            self._times.popleft()
        if len(self._times) < self.limit:
            return 0.0
        return self._times[0] + self.seconds - now

    def take(self, now: float) -> None:
        """Count a send accepted at `now`."""
        self._times.append(now)


def retry_after(wait: float) -> int:
    """Telegram's retry_after for a wait: whole seconds, at least one."""
    return max(1, math.ceil(wait))


def _limited_method(name: str) -> bool:
    """Whether a method sends a message, and so counts against the flood limits."""
    return name.startswith("send") and name != "sendChatAction"


TELEGRAM_SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
WEBHOOK_RETRY = 0.2  # seconds before a refused webhook POST is made again


class _Signal:
    """Wakes every current waiter; unlike asyncio.Condition it can fire from synchronous code."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def fire(self) -> None:
        event, self._event = self._event, asyncio.Event()
        event.set()

    async def wait(self) -> None:
        await self._event.wait()


@dataclass(slots=True)
class _Failure:
    status: int
    times: int
    description: str
    parameters: Params | None


def _decode_value(key: str, value: str) -> Any:
    """Undo PTB's form encoding: it JSON-dumps every non-string value."""
    if key in _TEXT_FIELDS or not value:
        return value
    if value[0] in "{[" or value in ("true", "false"):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _unquote_param(value: str) -> str:
    # httpx escapes '"' as %22 and '\' as '\\' inside Content-Disposition parameters.
    return value.replace("%22", '"').replace("\\\\", "\\")


def _parse_multipart(body: bytes, boundary: bytes) -> tuple[dict[str, str], dict[str, Upload]]:
    """Split a multipart/form-data body into text fields and file parts."""
    fields: dict[str, str] = {}
    files: dict[str, Upload] = {}
    # Every delimiter after the first is preceded by CRLF; prefixing one makes them uniform.
    parts = (b"\r\n" + body).split(b"\r\n--" + boundary)
    for part in parts[1:]:
        if part.startswith(b"--"):
            break
        head, _, content = part.partition(b"\r\n\r\n")
        headers = head.decode("utf-8", "replace")
        name = re.search(r'\bname="((?:[^"\\]|\\.)*)"', headers)
        if name is None:
            continue
        file_name = re.search(r'\bfilename="((?:[^"\\]|\\.)*)"', headers)
        ctype = re.search(r"(?im)^content-type:\s*([^\r\n;]+)", headers)
        if file_name is None:
            fields[_unquote_param(name.group(1))] = content.decode("utf-8", "replace")
        else:
            mime = ctype.group(1).strip() if ctype else "application/octet-stream"
            files[_unquote_param(name.group(1))] = Upload(
                _unquote_param(file_name.group(1)), content, mime
            )
    return fields, files


def _visible_text(text: str, parse_mode: str | None) -> str:
    """The text a user would see; bad HTML is refused the way Telegram's parser refuses it."""
    if (parse_mode or "").upper() != "HTML":
        return text
    open_tags: list[str] = []
    for match in _TAG_RE.finditer(text):
        closing, tag, end = match.group(1), match.group(2).lower(), match.group(3)
        at = f"at byte offset {len(text[: match.start()].encode())}"
        if not end:
            raise _entity_error(f"Can't find end of the tag {at}")
        if tag not in _HTML_TAGS:
            raise _entity_error(f'Unsupported {"end" if closing else "start"} tag "{tag}" {at}')
        if not closing:
            open_tags.append(tag)
        elif not open_tags or open_tags[-1] != tag:
            expected = f"</{open_tags[-1]}>" if open_tags else "nothing"
            raise _entity_error(f'Unmatched end tag {at}, expected "{expected}", found "</{tag}>"')
        else:
            open_tags.pop()
    if open_tags:
        raise _entity_error(f'Can\'t find end tag corresponding to start tag "{open_tags[-1]}"')
    return html.unescape(_TAG_RE.sub("", text))


def _entity_error(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: can't parse entities: {detail}")


def _int(params: Params, key: str, default: int | None = None) -> int | None:
    value = params.get(key)
    if value is None or value == "":
        return default
    try:
        return int(float(value))
    except (TypeError, ValueError):
        raise ApiError(400, f"Bad Request: invalid {key} specified") from None


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class FakeTelegram:
    """In-memory Telegram Bot API: serve `app`, drive it through the side door, read `sent`."""

    def __init__(self, token: str = "123456:TEST-token", username: str = "thidua_test_bot") -> None:
        """Create an empty fake for the bot with this token and username."""
        self.token = token
        self.username = username
        prefix = token.split(":", 1)[0]
        self.bot_id = int(prefix) if prefix.isdigit() else 1
        self.bot_user: Params = {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Thi đua (test)",
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self.sent: list[SentMessage] = []
        self.calls: list[tuple[str, Params]] = []
        self.updates_injected = 0
        self._next_update_id = 100_000_001
        self._next_file = 1
        self._next_callback = 1
        self._message_ids: dict[str, int] = {}
        self._poll_generation = 0
        self._updates_changed = _Signal()
        self._sent_changed = _Signal()
        self._confirmed = _Signal()
        self._handlers: dict[str, tuple[str, Handler]] = {}
        methods = (
            "getMe getUpdates deleteWebhook setWebhook getWebhookInfo logOut close setMyCommands "
            "deleteMyCommands getMyCommands sendMessage sendPhoto sendDocument sendChatAction "
            "answerCallbackQuery editMessageText editMessageReplyMarkup deleteMessage getFile"
        )
        for name in methods.split():
            handler = getattr(self, "_m_" + re.sub(r"([A-Z])", r"_\1", name).lower())
            self._handlers[name.lower()] = (name, handler)
        self._reset_state()
        self.app = Starlette(
            routes=[
                Route("/bot{token}/{method}", self._api, methods=["GET", "POST"]),
                Route("/file/bot{token}/{file_path:path}", self._download, methods=["GET"]),
                Route("/_fake/message", self._http_message, methods=["POST"]),
                Route("/_fake/bulk", self._http_bulk, methods=["POST"]),
                Route("/_fake/callback", self._http_callback, methods=["POST"]),
                Route("/_fake/update", self._http_update, methods=["POST"]),
                Route("/_fake/sent", self._http_sent, methods=["GET"]),
                Route("/_fake/calls", self._http_calls, methods=["GET"]),
                Route("/_fake/fail", self._http_fail, methods=["POST"]),
                Route("/_fake/block", self._http_block, methods=["POST"]),
                Route("/_fake/reset", self._http_reset, methods=["POST"]),
                Route("/_fake/stats", self._http_stats, methods=["GET"]),
                Route("/_fake/latencies", self._http_latencies, methods=["GET"]),
                Route("/_fake/limit", self._http_limit, methods=["POST"]),
                Route("/_fake/flood", self._http_flood, methods=["POST"]),
                Route("/_fake/tally", self._http_tally, methods=["GET"]),
            ]
        )

    def _reset_state(self) -> None:
        # update_id and message_id counters survive resets: a running bot keeps its offset.
        self._queue: deque[tuple[int, bytes]] = deque()
        self._allowed: frozenset[str] | None = None
        self._sent_by_chat: dict[str, list[SentMessage]] = {}
        self.latencies: list[float] = []  # injected update → first reply to its chat, seconds
        self.latency_chats: list[str] = []  # the chat of each latency, in the same order
        self._waiting: dict[str, deque[float]] = {}
        self._chats: dict[str, Params] = {}
        self._users: dict[int, Params] = {}
        self._bot_messages: dict[str, dict[int, Params]] = {}
        self._files: dict[str, StoredFile] = {}
        self._files_by_path: dict[str, StoredFile] = {}
        self._callback_ids: set[str] = set()
        self._failures: dict[str, deque[_Failure]] = {}
        self._blocked: set[str] = set()
        # chat_id -> (least seconds between sends, retry_after); last send time per chat.
        self._chat_limits: dict[str, tuple[float, int]] = {}
        self._last_send: dict[str, float] = {}
        # Flood control (off until `flood_control`): the overall window, the per-chat interval.
        self._flood: SendWindow | None = None
        self._flood_per_chat = 1.0
        self.too_many = 0  # 429s answered by the limits (not those of fail_next)
        self.too_many_at: list[float] = []  # when each was answered (monotonic, as `sent.at`)
        # Up to this many seconds, at random, before a send reaches the limits: a link's jitter.
        self.jitter = 0.0
        self._commands: dict[str, list[Params]] = {}
        self.webhook_url = ""
        self.webhook_secret = ""
        self._pusher: asyncio.Task[None] | None = None
        # (update_id, the HTTP status the bot answered; 0: no connection) of each POST made.
        self.webhook_deliveries: list[tuple[int, int]] = []
        # Seconds every send* call takes before it is answered, as over a real link to Telegram.
        self.send_delay = 0.0

    # ---------------------------------------------------------------- side door: observing

    @property
    def pending_updates(self) -> int:
        """Updates injected but not yet confirmed by a getUpdates offset."""
        return len(self._queue)

    def sent_to(self, chat_id: int | str) -> list[SentMessage]:
        """Everything sent to (or edited in) one chat, oldest first."""
        return list(self._sent_by_chat.get(str(chat_id), ()))

    async def wait_for_sent(
        self, chat_id: int | str, count: int, timeout: float = 5.0
    ) -> list[SentMessage]:
        """Wait until the chat has at least `count` sent or edited messages; return them all."""
        key = str(chat_id)
        try:
            async with asyncio.timeout(timeout):
                while len(self._sent_by_chat.get(key, ())) < count:
                    await self._sent_changed.wait()
        except TimeoutError:
            got = [(m.method, m.text or m.caption or m.document_name) for m in self.sent_to(key)]
            raise AssertionError(
                f"chat {key}: wanted {count} messages within {timeout}s, got {len(got)}: {got}; "
                f"{len(self.sent)} sent to all chats"
            ) from None
        return self.sent_to(key)

    async def wait_consumed(self, timeout: float = 5.0) -> None:
        """Wait until the bot has confirmed every injected update (its next getUpdates)."""
        try:
            async with asyncio.timeout(timeout):
                while self._queue:
                    await self._confirmed.wait()
        except TimeoutError:
            raise AssertionError(
                f"{len(self._queue)} updates still unconfirmed after {timeout}s"
            ) from None

    def calls_of(self, method: str) -> list[Params]:
        """The params of every call of one method (case-insensitive)."""
        wanted = method.lower()
        return [params for name, params in self.calls if name.lower() == wanted]

    def clear(self) -> None:
        """Forget what was sent and called (the update queue and other state stay)."""
        self.sent.clear()
        self.calls.clear()
        self._sent_by_chat.clear()
        self.latencies.clear()
        self._waiting.clear()

    def reset(self) -> None:
        """Back to a fresh fake, except that update and message ids keep increasing."""
        self.clear()
        self._reset_state()
        self._confirmed.fire()

    # ---------------------------------------------------------------- side door: steering

    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        times: int = 1,
        retry_after: int | None = 1,
        description: str | None = None,
    ) -> None:
        """Make the next `times` calls of `method` fail the way Telegram fails them."""
        parameters: Params | None = None
        if status == 429:
            if retry_after is not None:
                parameters = {"retry_after": retry_after}
            default = "Too Many Requests" + (
                f": retry after {retry_after}" if retry_after is not None else ""
            )
        else:
            default = _DEFAULT_DESCRIPTIONS.get(status) or HTTPStatus(status).phrase
        failure = _Failure(status, times, description or default, parameters)
        self._failures.setdefault(method.lower(), deque()).append(failure)

    def block(self, chat_id: int | str) -> None:
        """Act as if this user blocked the bot: sends to the chat answer 403."""
        self._blocked.add(str(chat_id))

    def unblock(self, chat_id: int | str) -> None:
        """Undo `block`."""
        self._blocked.discard(str(chat_id))

    def limit_chat(
        self, chat_id: int | str, *, per_second: float = 1.0, retry_after: int = 1
    ) -> None:
        """Answer 429 to sends to this chat faster than `per_second`, as Telegram does per chat."""
        self._chat_limits[str(chat_id)] = (1.0 / per_second, retry_after)

    def flood_control(self, per_second: int | None = 30, *, per_chat: float = 1.0) -> None:
        """Telegram's bot limits on every send: at most `per_second` in any one second overall
        and one per `per_chat` seconds to each chat, answered with real 429s (retry_after in
        whole seconds) and counted in `too_many`. None turns it off; refused sends do not count.
        """
        self._flood = None if per_second is None else SendWindow(per_second)
        self._flood_per_chat = per_chat

    def add_file(
        self, content: bytes, file_name: str = "file.bin", folder: str = "documents"
    ) -> str:
        """Register a file for getFile and download; returns its file_id."""
        return self._store_file(content, file_name, folder).file_id

    # ---------------------------------------------------------------- side door: injecting

    def inject_update(self, raw: Params) -> int:
        """Queue any update (its update_id is replaced by the next one); returns the update_id."""
        update_id = self._enqueue(raw)
        self._updates_changed.fire()
        return update_id

    def inject_message(
        self,
        user_id: int,
        text: str,
        *,
        first_name: str = "Lan",
        last_name: str | None = None,
        username: str | None = None,
        chat_id: int | None = None,
    ) -> int:
        """Queue a text message from a user, as a private chat unless `chat_id` says otherwise."""
        message = self._user_message(user_id, first_name, last_name, username, chat_id)
        message["text"] = text
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": _utf16_len(command)}
            ]
        return self.inject_update({"message": message})

    def inject_callback(self, user_id: int, data: str, *, message_id: int | None = None) -> int:
        """Queue a press on an inline button with `data` under the bot's message in the chat."""
        chat_id = str(user_id)
        message = self._callback_message(chat_id, data, message_id)
        query_id = str(4_000_000_000_000_000 + self._next_callback)
        self._next_callback += 1
        self._callback_ids.add(query_id)
        query = {
            "id": query_id,
            "from": self._users.get(user_id) or self._user(user_id, "Lan", None, None),
            "chat_instance": str(zlib.crc32(chat_id.encode()) + 10**12),
            "data": data,
            "message": message,
        }
        return self.inject_update({"callback_query": query})

    def inject_photo(
        self,
        user_id: int,
        *,
        caption: str | None = None,
        file_bytes: bytes = b"\xff\xd8\xff\xe0fake-jpeg",
        first_name: str = "Lan",
    ) -> int:
        """Queue a photo message; every size downloads as `file_bytes`."""
        message = self._user_message(user_id, first_name, None, None, None)
        message["photo"] = self._photo_sizes(file_bytes)
        if caption is not None:
            message["caption"] = caption
        return self.inject_update({"message": message})

    def inject_document(
        self,
        user_id: int,
        file_name: str,
        file_bytes: bytes,
        *,
        caption: str | None = None,
        first_name: str = "Lan",
    ) -> int:
        """Queue a document message whose file can be fetched with getFile."""
        message = self._user_message(user_id, first_name, None, None, None)
        message["document"] = self._document_json(self._store_file(file_bytes, file_name))
        if caption is not None:
            message["caption"] = caption
        return self.inject_update({"message": message})

    def _enqueue(self, raw: Params) -> int:
        update_id = self._next_update_id
        self._next_update_id += 1
        self.updates_injected += 1
        update = {**raw, "update_id": update_id}
        kind = next((key for key in update if key != "update_id"), "")
        allowed = self._allowed
        # Telegram filters when the update is created, not when it is fetched.
        if (kind in allowed) if allowed else (kind not in _DEFAULT_EXCLUDED):
            self._queue.append((update_id, json.dumps(update, ensure_ascii=False).encode()))
        chat = _update_chat(update)
        if chat is not None:  # for latency: injected now, answered at the chat's next send
            self._waiting.setdefault(chat, deque()).append(time.perf_counter())
        return update_id

    def _user(
        self, user_id: int, first_name: str, last_name: str | None, username: str | None
    ) -> Params:
        user: Params = {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name,
            "language_code": "vi",
        }
        if last_name:
            user["last_name"] = last_name
        if username:
            user["username"] = username
        return user

    def _user_message(
        self,
        user_id: int,
        first_name: str,
        last_name: str | None,
        username: str | None,
        chat_id: int | None,
    ) -> Params:
        user = self._user(user_id, first_name, last_name, username)
        self._users[user_id] = user
        key = str(user_id if chat_id is None else chat_id)
        if chat_id is None or chat_id == user_id:
            chat = {k: v for k, v in user.items() if k in ("id", "first_name", "last_name")}
            chat["type"] = "private"
            if username:
                chat["username"] = username
        else:
            chat = self._chats.get(key) or self._chat(key)
        self._chats[key] = chat
        return {
            "message_id": self._message_id(key),
            "from": user,
            "chat": chat,
            "date": int(time.time()),
        }

    def _callback_message(self, chat_id: str, data: str, message_id: int | None) -> Params:
        messages = self._bot_messages.get(chat_id, {})
        if message_id is not None and message_id in messages:
            return messages[message_id]
        if message_id is None:
            for message in reversed(messages.values()):
                rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
                if any(button.get("callback_data") == data for row in rows for button in row):
                    return message
            if messages:
                return next(reversed(messages.values()))
        return {
            "message_id": message_id or self._message_id(chat_id),
            "from": self.bot_user,
            "chat": self._chat(chat_id),
            "date": int(time.time()),
            "text": "…",
        }

    def _message_id(self, chat_id: str) -> int:
        # Private chats number messages per chat, shared by the user and the bot.
        next_id = self._message_ids.get(chat_id, 0) + 1
        self._message_ids[chat_id] = next_id
        return next_id

    def _chat(self, chat_id: str) -> Params:
        known = self._chats.get(chat_id)
        if known is not None:
            return known
        if chat_id.lstrip("-").isdigit():
            number = int(chat_id)
            if number > 0:
                return {"id": number, "type": "private", "first_name": "User"}
            kind = "supergroup" if chat_id.startswith("-100") else "group"
            return {"id": number, "type": kind, "title": "Nhóm thử"}
        name = chat_id.lstrip("@")
        fake_id = -1_000_000_000_000 - zlib.crc32(name.encode())
        return {"id": fake_id, "type": "channel", "title": name, "username": name}

    def _store_file(self, content: bytes, file_name: str, folder: str = "documents") -> StoredFile:
        number = self._next_file
        self._next_file += 1
        suffix = file_name.rsplit(".", 1)[-1] if "." in file_name else "bin"
        stored = StoredFile(
            file_id=f"BQACAgUAAxkBAAI{number:08d}{self.bot_id}",
            file_unique_id=f"AgAD{number:06d}",
            file_path=f"{folder}/file_{number}.{suffix}",
            file_name=file_name,
            content=content,
            mime_type=mimetypes.guess_type(file_name)[0] or "application/octet-stream",
        )
        self._files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored
        return stored

    def _photo_sizes(self, content: bytes) -> list[Params]:
        sizes = []
        for width, height in ((90, 67), (320, 240), (800, 600), (1280, 960)):
            stored = self._store_file(content, "photo.jpg", "photos")
            sizes.append(
                {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.file_unique_id,
                    "width": width,
                    "height": height,
                    "file_size": len(content) * width // 1280,
                }
            )
        return sizes

    @staticmethod
    def _document_json(stored: StoredFile) -> Params:
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": stored.file_name,
            "mime_type": stored.mime_type,
            "file_size": len(stored.content),
        }

    # ---------------------------------------------------------------- HTTP: the Bot API

    async def _api(self, request: Request) -> Response:
        if request.path_params["token"] != self.token:
            return ApiError(401, "Unauthorized").response()
        requested = request.path_params["method"]
        name, handler = self._handlers.get(requested.lower(), (requested, None))
        try:
            params = await self._read_params(request)
            self.calls.append((name, params))
            if handler is None:
                raise ApiError(404, "Not Found")
            failures = self._failures.get(name.lower())
            if failures:
                failure = failures[0]
                failure.times -= 1
                if failure.times <= 0:
                    failures.popleft()
                raise ApiError(failure.status, failure.description, failure.parameters)
            chat_id = params.get("chat_id")
            if chat_id is not None and chat_id in self._blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            if chat_id is not None and _limited_method(name):
                if self.jitter:
                    await asyncio.sleep(random.uniform(0, self.jitter))
                self._check_pace(str(chat_id))
            if self.send_delay and name.startswith("send"):
                await asyncio.sleep(self.send_delay)
            result = await handler(params)
        except ApiError as error:
            return error.response()
        if isinstance(result, bytes):  # getUpdates builds its JSON itself, for speed
            return Response(result, media_type="application/json")
        return JSONResponse({"ok": True, "result": result})

    def _check_pace(self, chat_id: str) -> None:
        """Refuse a send over the chat's limit or the overall one with 429; else count it."""
        now = time.monotonic()
        chat_limit = self._chat_limits.get(chat_id)
        if chat_limit is None and self._flood is not None:
            chat_limit = (self._flood_per_chat, 0)
        wait = 0
        if chat_limit is not None:
            interval, fixed = chat_limit
            since = now - self._last_send.get(chat_id, -math.inf)
            if since < interval:
                wait = fixed or retry_after(interval - since)
        if not wait and self._flood is not None:
            overall = self._flood.wait(now)
            if overall > 0:
                wait = retry_after(overall)
        if wait:
            self.too_many += 1
            self.too_many_at.append(now)
            raise ApiError(429, f"Too Many Requests: retry after {wait}", {"retry_after": wait})
        if chat_limit is not None:
            self._last_send[chat_id] = now
        if self._flood is not None:
            self._flood.take(now)

    async def _read_params(self, request: Request) -> Params:
        params: Params = {k: _decode_value(k, v) for k, v in request.query_params.items()}
        body = await request.body() if request.method == "POST" else b""
        if body:
            ctype = request.headers.get("content-type", "")
            files: dict[str, Upload] = {}
            if ctype.startswith("application/json"):
                try:
                    data = json.loads(body)
                except ValueError:
                    raise ApiError(400, "Bad Request: can't parse JSON object") from None
                if not isinstance(data, dict):
                    raise ApiError(400, "Bad Request: JSON object expected")
                params.update(data)
            elif ctype.startswith("multipart/form-data"):
                match = re.search(r'boundary="?([^";]+)"?', ctype)
                if match is None:
                    raise ApiError(400, "Bad Request: bad multipart boundary")
                fields, files = _parse_multipart(body, match.group(1).encode())
                params.update({k: _decode_value(k, v) for k, v in fields.items()})
            else:
                pairs = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
                params.update({k: _decode_value(k, v) for k, v in pairs})
            for key, value in list(params.items()):
                if isinstance(value, str) and value.startswith("attach://"):
                    params[key] = files.pop(value.removeprefix("attach://"), value)
            for key, upload in files.items():
                params.setdefault(key, upload)
        if "chat_id" in params:
            params["chat_id"] = str(params["chat_id"])
        return params

    async def _download(self, request: Request) -> Response:
        stored = self._files_by_path.get(request.path_params["file_path"])
        if request.path_params["token"] != self.token or stored is None:
            return ApiError(404, "Not Found").response()
        return Response(stored.content, media_type=stored.mime_type)

    async def _m_get_me(self, params: Params) -> Any:
        return self.bot_user

    async def _m_log_out(self, params: Params) -> Any:
        return True

    async def _m_close(self, params: Params) -> Any:
        return True

    async def _m_get_updates(self, params: Params) -> Any:
        if self.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = _int(params, "offset")
        limit = min(max(_int(params, "limit", 100) or 100, 1), 100)
        timeout = max(_int(params, "timeout", 0) or 0, 0)
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed = frozenset(allowed) or None
        if offset is not None:
            self._confirm(offset)
        # A newer getUpdates ends an older one with 409, like Telegram does.
        self._poll_generation += 1
        generation = self._poll_generation
        self._updates_changed.fire()
        deadline = asyncio.get_running_loop().time() + timeout
        while not self._queue:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                break
            try:
                async with asyncio.timeout(remaining):
                    await self._updates_changed.wait()
            except TimeoutError:
                break
            if generation != self._poll_generation:
                raise ApiError(409, _DEFAULT_DESCRIPTIONS[409])
        batch = b",".join(body for _, body in islice(self._queue, limit))
        return b'{"ok":true,"result":[' + batch + b"]}"

    def _confirm(self, offset: int) -> None:
        queue = self._queue
        before = len(queue)
        if offset < 0:
            while len(queue) > -offset:
                queue.popleft()
        else:
            while queue and queue[0][0] < offset:
                queue.popleft()
        if len(queue) != before:
            self._confirmed.fire()

    async def _m_delete_webhook(self, params: Params) -> Any:
        self.webhook_url = ""
        if params.get("drop_pending_updates") is True:
            self._queue.clear()
            self._confirmed.fire()
        return True

    async def _m_set_webhook(self, params: Params) -> Any:
        # Telegram takes only https; the fake also takes a server on this machine (tests).
        url = str(params.get("url") or "")
        if url and not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided")
        secret = str(params.get("secret_token") or "")
        if secret and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        self.webhook_url, self.webhook_secret = url, secret
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed = frozenset(str(kind) for kind in allowed) or None
        if params.get("drop_pending_updates") is True:
            self._queue.clear()
        if url and (self._pusher is None or self._pusher.done()):
            self._pusher = asyncio.create_task(self._push_updates(), name="fake-webhook")
        self._updates_changed.fire()
        return True

    async def _push_updates(self) -> None:
        """Deliver the queued updates to the webhook one at a time, in order, as Telegram does:
        an update leaves the queue only when the bot answered 2xx; otherwise it is tried again
        a little later (Telegram backs off for longer)."""
        import httpx  # only the webhook mode needs a client

        async with httpx.AsyncClient(timeout=10.0) as client:
            while self.webhook_url:
                if not self._queue:
                    await self._updates_changed.wait()
                    continue
                update_id, body = self._queue[0]
                headers = {"Content-Type": "application/json"}
                if self.webhook_secret:
                    headers[TELEGRAM_SECRET_HEADER] = self.webhook_secret
                try:
                    answer = await client.post(self.webhook_url, content=body, headers=headers)
                    status = answer.status_code
                except httpx.HTTPError:
                    status = 0  # nobody listening (yet)
                self.webhook_deliveries.append((update_id, status))
                if 200 <= status < 300:
                    if self._queue and self._queue[0][0] == update_id:
                        self._queue.popleft()
                    self._confirmed.fire()
                else:
                    await asyncio.sleep(WEBHOOK_RETRY)

    async def _m_get_webhook_info(self, params: Params) -> Any:
        return {
            "url": self.webhook_url,
            "allowed_updates": sorted(self._allowed) if self._allowed else [],
            "has_custom_certificate": False,
            "pending_update_count": len(self._queue),
        }

    @staticmethod
    def _commands_key(params: Params) -> str:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps([scope, params.get("language_code") or ""], sort_keys=True)

    async def _m_set_my_commands(self, params: Params) -> Any:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise ApiError(400, "Bad Request: can't parse commands JSON object")
        for command in commands:
            if not _COMMAND_RE.fullmatch(str(command.get("command", ""))):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        self._commands[self._commands_key(params)] = commands
        return True

    async def _m_delete_my_commands(self, params: Params) -> Any:
        self._commands.pop(self._commands_key(params), None)
        return True

    async def _m_get_my_commands(self, params: Params) -> Any:
        return self._commands.get(self._commands_key(params), [])

    async def _m_send_chat_action(self, params: Params) -> Any:
        self._require_chat(params)
        return True

    async def _m_answer_callback_query(self, params: Params) -> Any:
        if params.get("callback_query_id") not in self._callback_ids:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        return True

    async def _m_get_file(self, params: Params) -> Any:
        stored = self._files.get(str(params.get("file_id", "")))
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        if len(stored.content) > MAX_DOWNLOAD:
            raise ApiError(400, "Bad Request: file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path,
        }

    # ---------------------------------------------------------------- HTTP: sending

    def _require_chat(self, params: Params) -> str:
        chat_id = params.get("chat_id")
        if not chat_id:
            raise ApiError(400, "Bad Request: chat_id is empty")
        return str(chat_id)

    @staticmethod
    def _check_markup(markup: Any) -> Params | None:
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        for row in markup.get("inline_keyboard") or []:
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode()) <= 64:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
                if not button.get("text"):
                    raise ApiError(
                        400, "Bad Request: text buttons are unallowed in the inline keyboard"
                    )
        return markup

    def _check_text(self, params: Params) -> str:
        text = params.get("text")
        visible = _visible_text(str(text or ""), params.get("parse_mode")).strip()
        if not visible:
            raise ApiError(400, "Bad Request: message text is empty")
        if len(visible) > MAX_TEXT:
            raise ApiError(400, "Bad Request: message is too long")
        return visible

    def _check_caption(self, params: Params) -> str | None:
        caption = params.get("caption")
        if caption is None:
            return None
        visible = _visible_text(str(caption), params.get("parse_mode"))
        if len(visible) > MAX_CAPTION:
            raise ApiError(400, "Bad Request: message caption is too long")
        return visible

    def _record(self, sent: SentMessage, message: Params | None) -> None:
        sent.at = asyncio.get_running_loop().time()
        sent.parse_mode = sent.params.get("parse_mode")
        self.sent.append(sent)
        self._sent_by_chat.setdefault(sent.chat_id, []).append(sent)
        waiting = self._waiting.get(sent.chat_id)
        if waiting:
            self.latencies.append(time.perf_counter() - waiting.popleft())
            self.latency_chats.append(sent.chat_id)
        if message is not None:
            self._bot_messages.setdefault(sent.chat_id, {})[sent.message_id] = message
        self._sent_changed.fire()

    def _new_message(self, chat_id: str, markup: Params | None, **content: Any) -> Params:
        message: Params = {
            "message_id": self._message_id(chat_id),
            "from": self.bot_user,
            "chat": self._chat(chat_id),
            "date": int(time.time()),
            **content,
        }
        if markup is not None and "inline_keyboard" in markup:
            message["reply_markup"] = markup  # only inline keyboards are echoed back
        return message

    @staticmethod
    def _plain_params(params: Params) -> Params:
        return {k: v for k, v in params.items() if not isinstance(v, Upload)}

    async def _m_send_message(self, params: Params) -> Any:
        chat_id = self._require_chat(params)
        visible = self._check_text(params)
        markup = self._check_markup(params.get("reply_markup"))
        message = self._new_message(chat_id, markup, text=visible)
        sent = SentMessage(
            "sendMessage",
            chat_id,
            message["message_id"],
            text=str(params["text"]),
            reply_markup=markup,
            params=self._plain_params(params),
        )
        self._record(sent, message)
        return message

    def _file_param(self, params: Params, key: str, folder: str) -> tuple[StoredFile, str | None]:
        value = params.get(key)
        if isinstance(value, Upload):
            if len(value.content) > MAX_UPLOAD:
                raise ApiError(413, "Request Entity Too Large")
            return self._store_file(value.content, value.file_name, folder), None
        if isinstance(value, str) and value:
            known = self._files.get(value)
            if known is not None:
                return known, value
            # A URL Telegram would fetch itself; the fake has no bytes for it.
            name = value.rstrip("/").rsplit("/", 1)[-1] or "file"
            return self._store_file(b"", name, folder), value
        raise ApiError(400, f"Bad Request: there is no {key} in the request")

    async def _m_send_photo(self, params: Params) -> Any:
        chat_id = self._require_chat(params)
        caption = self._check_caption(params)
        markup = self._check_markup(params.get("reply_markup"))
        stored, ref = self._file_param(params, "photo", "photos")
        sizes = self._photo_sizes(stored.content)
        content: Params = {"photo": sizes}
        if caption is not None:
            content["caption"] = caption
        message = self._new_message(chat_id, markup, **content)
        sent = SentMessage(
            "sendPhoto",
            chat_id,
            message["message_id"],
            caption=params.get("caption"),
            reply_markup=markup,
            photo=ref or sizes[-1]["file_id"],
            photo_bytes=stored.content,
            file_ref=ref,
            params=self._plain_params(params),
        )
        self._record(sent, message)
        return message

    async def _m_send_document(self, params: Params) -> Any:
        chat_id = self._require_chat(params)
        caption = self._check_caption(params)
        markup = self._check_markup(params.get("reply_markup"))
        stored, ref = self._file_param(params, "document", "documents")
        content: Params = {"document": self._document_json(stored)}
        if caption is not None:
            content["caption"] = caption
        message = self._new_message(chat_id, markup, **content)
        sent = SentMessage(
            "sendDocument",
            chat_id,
            message["message_id"],
            caption=params.get("caption"),
            reply_markup=markup,
            document_name=stored.file_name,
            document_bytes=stored.content,
            file_ref=ref,
            params=self._plain_params(params),
        )
        self._record(sent, message)
        return message

    def _find_message(self, params: Params, what: str) -> tuple[str, Params] | None:
        """The stored bot message an edit targets; None for inline messages."""
        if params.get("inline_message_id"):
            return None
        chat_id = self._require_chat(params)
        message_id = _int(params, "message_id")
        message = self._bot_messages.get(chat_id, {}).get(message_id or 0)
        if message is None:
            raise ApiError(400, f"Bad Request: message to {what} not found")
        return chat_id, message

    async def _m_edit_message_text(self, params: Params) -> Any:
        visible = self._check_text(params)
        markup = self._check_markup(params.get("reply_markup"))
        found = self._find_message(params, "edit")
        sent = SentMessage(
            "editMessageText",
            str(params.get("chat_id", "")),
            _int(params, "message_id", 0) or 0,
            text=str(params["text"]),
            reply_markup=markup,
            params=self._plain_params(params),
        )
        if found is None:
            self._record(sent, None)
            return True
        _, message = found
        if "text" not in message:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        if message["text"] == visible and message.get("reply_markup") == markup:
            raise ApiError(400, _NOT_MODIFIED)
        # Telegram drops the inline keyboard when an edit does not repeat it.
        edited = {**self._new_message_fields(message), "text": visible}
        if markup is not None and "inline_keyboard" in markup:
            edited["reply_markup"] = markup
        self._record(sent, edited)
        return edited

    async def _m_edit_message_reply_markup(self, params: Params) -> Any:
        markup = self._check_markup(params.get("reply_markup"))
        found = self._find_message(params, "edit")
        sent = SentMessage(
            "editMessageReplyMarkup",
            str(params.get("chat_id", "")),
            _int(params, "message_id", 0) or 0,
            reply_markup=markup,
            params=self._plain_params(params),
        )
        if found is None:
            self._record(sent, None)
            return True
        _, message = found
        if message.get("reply_markup") == markup:
            raise ApiError(400, _NOT_MODIFIED)
        edited = self._new_message_fields(message)
        if markup is not None and "inline_keyboard" in markup:
            edited["reply_markup"] = markup
        self._record(sent, edited)
        return edited

    @staticmethod
    def _new_message_fields(message: Params) -> Params:
        edited = {k: v for k, v in message.items() if k != "reply_markup"}
        edited["edit_date"] = int(time.time())
        return edited

    async def _m_delete_message(self, params: Params) -> Any:
        chat_id = self._require_chat(params)
        message_id = _int(params, "message_id", 0) or 0
        if self._bot_messages.get(chat_id, {}).pop(message_id, None) is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        return True

    # ---------------------------------------------------------------- HTTP: the side door

    @staticmethod
    async def _json_body(request: Request) -> Params:
        try:
            data = json.loads(await request.body() or b"{}")
        except ValueError:
            raise ApiError(400, "body must be JSON") from None
        if not isinstance(data, dict):
            raise ApiError(400, "body must be a JSON object")
        return data

    async def _side_door(self, request: Request, action: Callable[[Params], Params]) -> Response:
        try:
            return JSONResponse(action(await self._json_body(request)))
        except ApiError as error:
            return error.response()
        except (KeyError, TypeError, ValueError) as error:
            return ApiError(400, f"bad side-door request: {error!r}").response()

    async def _http_message(self, request: Request) -> Response:
        def act(body: Params) -> Params:
            update_id = self.inject_message(
                int(body["user_id"]), str(body["text"]), first_name=body.get("first_name", "Lan")
            )
            return {"update_id": update_id}

        return await self._side_door(request, act)

    async def _http_bulk(self, request: Request) -> Response:
        def act(body: Params) -> Params:
            ids = [
                self._enqueue({"message": self._bulk_message(item)}) for item in body["messages"]
            ]
            self._updates_changed.fire()
            return {"count": len(ids), "update_ids": ids}

        return await self._side_door(request, act)

    def _bulk_message(self, item: Params) -> Params:
        text = str(item["text"])
        message = self._user_message(
            int(item["user_id"]), item.get("first_name", "Lan"), None, None, None
        )
        message["text"] = text
        if text.startswith("/"):
            length = _utf16_len(text.split(maxsplit=1)[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return message

    async def _http_callback(self, request: Request) -> Response:
        def act(body: Params) -> Params:
            message_id = body.get("message_id")
            update_id = self.inject_callback(
                int(body["user_id"]),
                str(body["data"]),
                message_id=None if message_id is None else int(message_id),
            )
            return {"update_id": update_id}

        return await self._side_door(request, act)

    async def _http_update(self, request: Request) -> Response:
        return await self._side_door(request, lambda body: {"update_id": self.inject_update(body)})

    async def _http_fail(self, request: Request) -> Response:
        def act(body: Params) -> Params:
            self.fail_next(
                str(body["method"]),
                status=int(body.get("status", 429)),
                times=int(body.get("times", 1)),
                retry_after=body.get("retry_after", 1),
                description=body.get("description"),
            )
            return {"ok": True}

        return await self._side_door(request, act)

    async def _http_block(self, request: Request) -> Response:
        def act(body: Params) -> Params:
            if body.get("unblock"):
                self.unblock(body["chat_id"])
            else:
                self.block(body["chat_id"])
            return {"ok": True}

        return await self._side_door(request, act)

    async def _http_reset(self, request: Request) -> Response:
        def act(body: Params) -> Params:
            self.reset()
            return {"ok": True}

        return await self._side_door(request, act)

    async def _http_sent(self, request: Request) -> Response:
        chat_id = request.query_params.get("chat_id")
        messages = self.sent if chat_id is None else self._sent_by_chat.get(chat_id, [])
        since = int(request.query_params.get("since", 0))
        return JSONResponse(
            {"messages": [m.to_json() for m in messages[since:]], "next": len(messages)}
        )

    async def _http_calls(self, request: Request) -> Response:
        method = request.query_params.get("method")
        calls = self.calls if method is None else [(method, p) for p in self.calls_of(method)]
        since = int(request.query_params.get("since", 0))
        body = [[name, self._plain_params(params)] for name, params in calls[since:]]
        return JSONResponse({"calls": body, "next": len(calls)})

    def _latencies(self, request: Request) -> list[float]:
        """The latencies, without those of `?exclude=CHAT` (a flooding chat in a benchmark)."""
        excluded = request.query_params.get("exclude")
        return [
            value
            for value, chat in zip(self.latencies, self.latency_chats, strict=True)
            if chat != excluded
        ]

    async def _http_latencies(self, request: Request) -> Response:
        """Seconds from each injected update to the first message sent back to its chat."""
        return JSONResponse({"latencies": self._latencies(request)})

    async def _http_limit(self, request: Request) -> Response:
        def act(body: Params) -> Params:
            self.limit_chat(
                body["chat_id"],
                per_second=float(body.get("per_second", 1.0)),
                retry_after=int(body.get("retry_after", 1)),
            )
            return {"limited": str(body["chat_id"])}

        return await self._side_door(request, act)

    async def _http_flood(self, request: Request) -> Response:
        """Flood control on ({"per_second": 30, "per_chat": 1}) or off ({"per_second": null});
        "jitter" and "send_delay" (seconds) shape the link."""

        def act(body: Params) -> Params:
            per_second = body.get("per_second", 30)
            self.flood_control(
                None if per_second is None else int(per_second),
                per_chat=float(body.get("per_chat", 1.0)),
            )
            self.jitter = float(body.get("jitter", self.jitter))
            self.send_delay = float(body.get("send_delay", self.send_delay))
            return {"per_second": per_second, "too_many": self.too_many}

        return await self._side_door(request, act)

    async def _http_stats(self, request: Request) -> Response:
        return JSONResponse(
            {
                "updates_injected": self.updates_injected,
                "pending_updates": self.pending_updates,
                "sent_count": len(self.sent),
                "calls_count": len(self.calls),
                "answered": len(self._latencies(request)),
                "too_many": self.too_many,
            }
        )

    async def _http_tally(self, request: Request) -> Response:
        """For benchmarks: messages per chat, when each was sent, when each 429 was answered."""
        return JSONResponse(
            {
                "per_chat": {chat: len(sent) for chat, sent in self._sent_by_chat.items()},
                "sent_at": [m.at for m in self.sent],
                "too_many_at": self.too_many_at,
            }
        )


def _update_chat(update: Params) -> str | None:
    """The chat an injected update comes from, as the bot would answer it."""
    for key in ("message", "edited_message"):
        message = update.get(key)
        if isinstance(message, dict) and isinstance(message.get("chat"), dict):
            return str(message["chat"].get("id"))
    query = update.get("callback_query")
    if isinstance(query, dict) and isinstance(query.get("from"), dict):
        return str(query["from"].get("id"))
    return None


def main(argv: list[str] | None = None) -> None:
    """Run the fake in the foreground: ``python -m tests.fakes.telegram_server --port N``."""
    from tests.fakes.runner import run_forever

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--token", default="123456:TEST-token")
    parser.add_argument("--username", default="thidua_test_bot")
    args = parser.parse_args(argv)
    run_forever(FakeTelegram(args.token, args.username).app, args.port)


if __name__ == "__main__":
    main()
