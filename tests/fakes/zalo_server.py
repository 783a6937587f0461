"""A fake Zalo Bot API server with Zalo's quirks, for tests and for a bot run as a subprocess.

Quirks kept on purpose: errors come back with HTTP 200 and `ok: false`; getUpdates hands out
**one** update object per call and answers `ok: false, error_code: 408` when none arrives in
time; sendMessage refuses texts outside 1–2,000 UTF-16 units; sendPhoto takes a URL only;
sendChatAction answers `{"ok": true}` with no `result`; `unsupported` events may lack `message`.

Run it alone with `python -m tests.fakes.zalo_server --port N --token T`; the side door under
`/_fake/` injects messages and reads what the bot sent.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import mimetypes
import re
import secrets
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import parse_qsl

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.channels.splitting import utf16_len
from tests.fakes.runner import run_forever, serve
from tests.fakes.telegram_server import SendWindow

DEFAULT_TOKEN = "1234567890:fake-zalo-token-abcdefABCDEF"
DEFAULT_NAME = "Nguyen Van A"
TEXT_LIMIT = 2000
SECRET_HEADER = "X-Bot-Api-Secret-Token"
WEBHOOK_RETRY = 0.2  # seconds before a refused webhook POST is made again
TEXT_EVENT = "message.text.received"
IMAGE_EVENT = "message.image.received"

_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    408: "Request timeout",
    429: "Quota exceeded",
    500: "Internal Server Error",
}
_HTTP_URL = re.compile(r"^https?://\S+$")
_NOTHING = object()  # "no update": injected updates may be None, so None cannot say it

JsonDict = dict[str, Any]


def make_id() -> str:
    """A fresh random id shaped like Zalo's (20 hex characters)."""
    return secrets.token_hex(10)


def id_for(name: str) -> str:
    """A stable Zalo-shaped id for a name, so tests can say `id_for("alice")` twice."""
    return hashlib.sha256(name.encode()).hexdigest()[:20]


def now_ms() -> int:
    """The current time in epoch milliseconds, as Zalo writes `date`."""
    return int(time.time() * 1000)


def _message(user_id: str, display_name: str, **content: Any) -> JsonDict:
    return {
        "message_id": make_id(),
        "date": now_ms(),
        "from": {"id": user_id, "display_name": display_name, "is_bot": False},
        "chat": {"id": user_id, "chat_type": "PRIVATE"},
        **content,
    }


def text_update(user_id: str, text: str, *, display_name: str = DEFAULT_NAME) -> JsonDict:
    """A private `message.text.received` update exactly as the spec's example."""
    return {"event_name": TEXT_EVENT, "message": _message(user_id, display_name, text=text)}


def group_text_update(
    group_id: str, user_id: str, text: str, *, display_name: str = DEFAULT_NAME
) -> JsonDict:
    """A `message.text.received` from `user_id` in a group chat (a reply or @mention)."""
    message = _message(user_id, display_name, text=text)
    message["chat"] = {"id": group_id, "chat_type": "GROUP"}
    return {"event_name": TEXT_EVENT, "message": message}


def image_update(
    user_id: str,
    photo_url: str,
    caption: str | None = None,
    *,
    display_name: str = DEFAULT_NAME,
    field: str = "photo_url",
) -> JsonDict:
    """A private `message.image.received` update; `field="photo"` gives the documented shape."""
    content: JsonDict = {field: photo_url}
    if caption is not None:
        content["caption"] = caption
    return {"event_name": IMAGE_EVENT, "message": _message(user_id, display_name, **content)}


def webhook_body(update: JsonDict, *, flat: bool = False) -> JsonDict:
    """A webhook body in the documented wrapped shape, or the flat shape seen in real traffic."""
    return dict(update) if flat else {"ok": True, "result": update}


@dataclass(frozen=True)
class Sent:
    """One message the bot sent (sendMessage, sendPhoto or sendSticker)."""

    seq: int
    method: str
    chat_id: str
    message_id: str
    date: int
    text: str | None = None
    photo: str | None = None
    caption: str | None = None
    sticker: str | None = None


def _ok(result: Any) -> JSONResponse:
    return JSONResponse({"ok": True, "result": result})


def _error(code: int, description: str | None = None, http_status: int = 200) -> JSONResponse:
    text = description or _DESCRIPTIONS.get(code, "Error")
    return JSONResponse(
        {"ok": False, "error_code": code, "description": text}, status_code=http_status
    )


def _seconds(value: Any) -> float | None:
    """getUpdates' timeout: documented as a string, numbers accepted too."""
    if isinstance(value, bool):
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    return seconds if 0 <= seconds < 3600 else None


def _chat_id(body: JsonDict) -> str | None:
    value = body.get("chat_id")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value if isinstance(value, str) and value else None


Handler = Callable[[Request, JsonDict], Awaitable[Response]]


class FakeZalo:
    """An in-process Zalo Bot API: a Starlette `app` plus a Python side door for tests."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_name: str = "thidua_test_bot",
        per_second: int | None = None,
    ) -> None:
        """A fake for `token`; serve `app` (or use `serving()`) and point the client at `api_base`.

        `per_second`: the account's send rate, enforced as `rate_limit` does (None: unlimited).
        """
        self.token = token
        self.bot_name = bot_name
        self.base_url = ""  # set by serving() or main(); used to build file URLs
        self._updates: deque[Any] = deque()  # anything can be injected, garbage included
        self._arrived = asyncio.Condition()
        self._wakers: set[asyncio.Task[None]] = set()
        self.sent: list[Sent] = []
        self.calls: list[tuple[str, JsonDict]] = []
        self.files: dict[str, bytes] = {}
        self.webhook_url = ""
        self.webhook_secret = ""
        self.webhook_updated_at = 0
        self._pusher: asyncio.Task[None] | None = None
        self.flat_webhooks = False  # POST the flat shape seen in real traffic
        self.webhook_deliveries: list[int] = []  # the status the bot answered each POST (0: none)
        self._failures: dict[str, deque[tuple[int, int]]] = {}
        self._blocked: set[str] = set()
        self._window: SendWindow | None = None
        self.too_many = 0  # sends refused with 429 by the rate limit (not those of fail_next)
        self.too_many_at: list[float] = []  # when each was answered (epoch seconds, as `date`)
        self.rate_limit(per_second)
        self._methods: dict[str, Handler] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendMessage": self._send_message,
            "sendPhoto": self._send_photo,
            "sendSticker": self._send_sticker,
            "sendChatAction": self._send_chat_action,
        }
        self.app = Starlette(
            routes=[
                Route("/bot{token}/{method}", self._api, methods=["POST"]),
                Route("/files/{path:path}", self._file, methods=["GET"]),
                Route("/_fake/text", self._door_text, methods=["POST"]),
                Route("/_fake/image", self._door_image, methods=["POST"]),
                Route("/_fake/event", self._door_event, methods=["POST"]),
                Route("/_fake/sent", self._door_sent, methods=["GET"]),
                Route("/_fake/fail", self._door_fail, methods=["POST"]),
                Route("/_fake/reset", self._door_reset, methods=["POST"]),
                Route("/_fake/stats", self._door_stats, methods=["GET"]),
                Route("/_fake/flood", self._door_flood, methods=["POST"]),
                Route("/_fake/tally", self._door_tally, methods=["GET"]),
            ]
        )

    @property
    def api_base(self) -> str:
        """The `base_url` to give ZaloClient (the token is appended to it)."""
        return f"{self.base_url}/bot"

    @asynccontextmanager
    async def serving(self) -> AsyncIterator[str]:
        """Serve the fake on a random local port for the block; yields its base URL."""
        async with serve(self.app) as url:
            self.base_url = url
            try:
                yield url
            finally:
                self.base_url = ""

    # --- Python side door -------------------------------------------------------------------

    def inject_text(self, user_id: str, text: str, *, display_name: str = DEFAULT_NAME) -> str:
        """Queue a text from `user_id` for getUpdates; returns its message_id."""
        update = text_update(user_id, text, display_name=display_name)
        self.inject_event(update)
        return str(update["message"]["message_id"])

    def inject_group_text(
        self, group_id: str, user_id: str, text: str, *, display_name: str = DEFAULT_NAME
    ) -> str:
        """Queue a text from `user_id` in group `group_id`; returns its message_id."""
        update = group_text_update(group_id, user_id, text, display_name=display_name)
        self.inject_event(update)
        return str(update["message"]["message_id"])

    def inject_image(
        self,
        user_id: str,
        photo_url: str,
        caption: str | None = None,
        *,
        display_name: str = DEFAULT_NAME,
        field: str = "photo_url",
    ) -> str:
        """Queue an image message from `user_id`; returns its message_id."""
        update = image_update(user_id, photo_url, caption, display_name=display_name, field=field)
        self.inject_event(update)
        return str(update["message"]["message_id"])

    def inject_event(self, raw: Any) -> None:
        """Queue anything as the next update, verbatim (e.g. `unsupported` with no `message`)."""
        self._updates.append(raw)
        self._wake()

    @property
    def pending(self) -> int:
        """How many updates wait for getUpdates."""
        return len(self._updates)

    def sent_to(self, chat_id: str) -> list[Sent]:
        """What the bot sent to one chat, in order."""
        return [item for item in self.sent if item.chat_id == chat_id]

    def texts_to(self, chat_id: str) -> list[str]:
        """The texts (and photo captions) the bot sent to one chat, in order."""
        return [item.text or item.caption or "" for item in self.sent_to(chat_id)]

    async def wait_for_sent(self, chat_id: str, count: int, timeout: float = 5.0) -> list[Sent]:
        """Wait until `count` messages went to `chat_id`; AssertionError listing them if not."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while len(found := self.sent_to(chat_id)) < count:
            if loop.time() >= deadline:
                raise AssertionError(
                    f"expected {count} message(s) to {chat_id} within {timeout}s, got "
                    f"{len(found)}: {[asdict(item) for item in found]!r}; "
                    f"all sent: {[(item.chat_id, item.text) for item in self.sent]!r}"
                )
            await asyncio.sleep(0.01)
        return found

    def fail_next(
        self, method: str, error_code: int = 429, times: int = 1, http_status: int = 200
    ) -> None:
        """Answer the next `times` calls of `method` ("*" = any) with this error."""
        self._failures.setdefault(method, deque()).extend([(error_code, http_status)] * times)

    def rate_limit(self, per_second: int | None) -> None:
        """At most `per_second` sends in any one second overall, else Zalo's quota error (429,
        no retry_after, HTTP 200), counted in `too_many`; None lifts the limit."""
        self._window = None if per_second is None else SendWindow(per_second)

    def block(self, chat_id: str) -> None:
        """Act as if this person blocked the bot: sends to the chat answer error 403."""
        self._blocked.add(chat_id)

    def unblock(self, chat_id: str) -> None:
        """Undo `block`."""
        self._blocked.discard(chat_id)

    def add_file(self, path: str, data: bytes) -> str:
        """Serve `data` at GET /files/{path}; returns its URL (relative until served)."""
        path = path.lstrip("/")
        self.files[path] = data
        return f"{self.base_url}/files/{path}"

    def clear(self) -> None:
        """Forget updates, sent messages, calls, failures, files and the webhook."""
        self._updates.clear()
        self.sent.clear()
        self.calls.clear()
        self.files.clear()
        self._failures.clear()
        self._blocked.clear()
        self.webhook_url = self.webhook_secret = ""
        self.webhook_updated_at = 0
        self.too_many = 0
        self.too_many_at.clear()
        if self._window is not None:  # the account's rate stays; its past sends are forgotten
            self.rate_limit(self._window.limit)

    async def post_webhook(
        self,
        update: JsonDict | None,
        *,
        url: str | None = None,
        flat: bool = False,
        secret: str | None = None,
    ) -> httpx.Response:
        """POST `update` the way Zalo would to a webhook (None = the empty-body probe)."""
        content = b"" if update is None else json.dumps(webhook_body(update, flat=flat)).encode()
        headers = {"Content-Type": "application/json"}
        token = self.webhook_secret if secret is None else secret
        if token:
            headers[SECRET_HEADER] = token
        async with httpx.AsyncClient(timeout=10.0) as client:
            return await client.post(url or self.webhook_url, content=content, headers=headers)

    def _wake(self) -> None:
        """Wake long-polling getUpdates; without a running loop nobody can be waiting."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        task = loop.create_task(self._notify())
        self._wakers.add(task)  # keep a reference until it ran
        task.add_done_callback(self._wakers.discard)

    async def _notify(self) -> None:
        async with self._arrived:
            self._arrived.notify_all()

    def _take_failure(self, method: str) -> tuple[int, int] | None:
        for key in (method, "*"):
            queue = self._failures.get(key)
            if queue:
                return queue.popleft()
        return None

    # --- the Bot API ------------------------------------------------------------------------

    async def _api(self, request: Request) -> Response:
        method = request.path_params["method"]
        body, problem = await self._read_body(request)
        self.calls.append((method, body))
        if not hmac.compare_digest(request.path_params["token"].encode(), self.token.encode()):
            return _error(401, "Unauthorized")
        failure = self._take_failure(method)
        if failure is not None:
            code, http_status = failure
            return _error(code, http_status=http_status)
        if problem:
            return _error(400, problem)
        if method.startswith("send") and _chat_id(body) in self._blocked:
            return _error(403, "Forbidden: the user has blocked the bot")
        if self._window is not None and method.startswith("send") and method != "sendChatAction":
            now = time.monotonic()
            if self._window.wait(now) > 0:
                self.too_many += 1
                self.too_many_at.append(time.time())
                return _error(429)
            self._window.take(now)
        handler = self._methods.get(method)
        if handler is None:
            return _error(404, "Not Found")
        return await handler(request, body)

    @staticmethod
    async def _read_body(request: Request) -> tuple[JsonDict, str | None]:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith("multipart/"):
            return {}, "multipart/form-data is not supported: send JSON"
        raw = await request.body()
        if not raw.strip():
            return {}, None
        if content_type.startswith("application/x-www-form-urlencoded"):
            return dict(parse_qsl(raw.decode(errors="replace"))), None
        try:
            body = json.loads(raw)
        except ValueError:
            return {}, "invalid JSON body"
        if not isinstance(body, dict):
            return {}, "the JSON body must be an object"
        return body, None

    async def _get_me(self, request: Request, body: JsonDict) -> Response:
        return _ok(
            {
                "id": id_for(self.bot_name),
                "account_name": self.bot_name,
                "account_type": "BASIC",
                "can_join_groups": False,
            }
        )

    async def _get_updates(self, request: Request, body: JsonDict) -> Response:
        if self.webhook_url:
            return _error(400, "a webhook is set: call deleteWebhook before getUpdates")
        timeout = _seconds(body.get("timeout", 30))
        if timeout is None:
            return _error(400, "timeout must be a number of seconds")
        update = await self._next_update(timeout)
        if update is _NOTHING:
            return _error(408, "Request timeout")
        if await request.is_disconnected():
            # The poller left (shutdown, client timeout): keep the update for the next one.
            self._updates.appendleft(update)
            self._wake()
            return _error(408, "Request timeout")
        return _ok(update)

    async def _next_update(self, timeout: float) -> Any:
        """Dequeue the oldest update, waiting up to `timeout` seconds; `_NOTHING` if none came."""
        if self._updates:
            return self._updates.popleft()
        try:
            async with asyncio.timeout(timeout), self._arrived:
                await self._arrived.wait_for(lambda: bool(self._updates))
                return self._updates.popleft()
        except TimeoutError:
            return _NOTHING

    async def _set_webhook(self, request: Request, body: JsonDict) -> Response:
        url, secret = body.get("url"), body.get("secret_token")
        # Zalo takes only https; the fake also takes a server on this machine (tests).
        local = isinstance(url, str) and url.startswith(("http://127.0.0.1", "http://localhost"))
        if not isinstance(url, str) or not (url.startswith("https://") or local) or len(url) <= 8:
            return _error(400, "url must be an https URL")
        if not isinstance(secret, str) or not 8 <= len(secret) <= 256:
            return _error(400, "secret_token must be 8-256 characters")
        self.webhook_url, self.webhook_secret = url, secret
        self.webhook_updated_at = now_ms()
        if self._pusher is None or self._pusher.done():
            self._pusher = asyncio.create_task(self._push_updates(), name="fake-zalo-webhook")
        return _ok({"url": url, "updated_at": self.webhook_updated_at})

    async def _push_updates(self) -> None:
        """POST the queued updates to the webhook in order (the documented wrapped shape, or
        the flat one after `flat_webhooks = True`); one leaves the queue on a 2xx answer."""
        async with httpx.AsyncClient(timeout=10.0) as client:
            while self.webhook_url:
                if not self._updates:
                    async with self._arrived:
                        await self._arrived.wait_for(
                            lambda: bool(self._updates) or not self.webhook_url
                        )
                    continue
                update = self._updates[0]
                content = json.dumps(webhook_body(update, flat=self.flat_webhooks)).encode()
                headers = {"Content-Type": "application/json", SECRET_HEADER: self.webhook_secret}
                try:
                    answer = await client.post(self.webhook_url, content=content, headers=headers)
                    status = answer.status_code
                except httpx.HTTPError:
                    status = 0  # nobody listening (yet)
                self.webhook_deliveries.append(status)
                if 200 <= status < 300:
                    if self._updates and self._updates[0] is update:
                        self._updates.popleft()
                else:
                    await asyncio.sleep(WEBHOOK_RETRY)

    async def _delete_webhook(self, request: Request, body: JsonDict) -> Response:
        self.webhook_url = self.webhook_secret = ""
        self.webhook_updated_at = now_ms()
        self._wake()  # the pusher stops
        return _ok({"url": "", "updated_at": self.webhook_updated_at})

    async def _get_webhook_info(self, request: Request, body: JsonDict) -> Response:
        return _ok({"url": self.webhook_url, "updated_at": self.webhook_updated_at})

    async def _send_message(self, request: Request, body: JsonDict) -> Response:
        chat_id, text = _chat_id(body), body.get("text")
        if chat_id is None:
            return _error(400, "chat_id is required")
        if not isinstance(text, str) or not 1 <= utf16_len(text) <= TEXT_LIMIT:
            return _error(400, f"text must be 1-{TEXT_LIMIT} characters")
        return self._record("sendMessage", chat_id, text=text)

    async def _send_photo(self, request: Request, body: JsonDict) -> Response:
        chat_id, photo, caption = _chat_id(body), body.get("photo"), body.get("caption")
        if chat_id is None:
            return _error(400, "chat_id is required")
        if not isinstance(photo, str) or not _HTTP_URL.match(photo):
            return _error(400, "photo must be a public http(s) URL")
        if caption is not None and not isinstance(caption, str):
            return _error(400, "caption must be a string")
        return self._record("sendPhoto", chat_id, photo=photo, caption=caption)

    async def _send_sticker(self, request: Request, body: JsonDict) -> Response:
        chat_id, sticker = _chat_id(body), body.get("sticker")
        if chat_id is None:
            return _error(400, "chat_id is required")
        if not isinstance(sticker, str) or not sticker:
            return _error(400, "sticker is required")
        return self._record("sendSticker", chat_id, sticker=sticker)

    async def _send_chat_action(self, request: Request, body: JsonDict) -> Response:
        if _chat_id(body) is None:
            return _error(400, "chat_id is required")
        if not isinstance(body.get("action"), str):
            return _error(400, "action is required")
        return JSONResponse({"ok": True})  # documented as {ok: true}: no `result` at all

    def _record(self, method: str, chat_id: str, **content: str | None) -> Response:
        item = Sent(len(self.sent), method, chat_id, make_id(), now_ms(), **content)
        self.sent.append(item)
        return _ok({"message_id": item.message_id, "date": item.date})

    async def _file(self, request: Request) -> Response:
        path = request.path_params["path"]
        data = self.files.get(path)
        if data is None:
            return Response(status_code=404)
        media_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return Response(data, media_type=media_type)

    # --- HTTP side door, for a bot running as a subprocess ----------------------------------

    @staticmethod
    async def _door_json(request: Request) -> JsonDict:
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError:
            return {}
        return body if isinstance(body, dict) else {}

    async def _door_text(self, request: Request) -> Response:
        body = await self._door_json(request)
        user_id, text = body.get("user_id"), body.get("text")
        name = body.get("display_name", DEFAULT_NAME)
        if not (isinstance(user_id, str) and isinstance(text, str) and isinstance(name, str)):
            return JSONResponse({"ok": False, "description": "need user_id and text"}, 400)
        return JSONResponse(
            {"ok": True, "message_id": self.inject_text(user_id, text, display_name=name)}
        )

    async def _door_image(self, request: Request) -> Response:
        body = await self._door_json(request)
        user_id, url, caption = body.get("user_id"), body.get("photo_url"), body.get("caption")
        if not (isinstance(user_id, str) and isinstance(url, str)):
            return JSONResponse({"ok": False, "description": "need user_id and photo_url"}, 400)
        caption = caption if isinstance(caption, str) else None
        return JSONResponse({"ok": True, "message_id": self.inject_image(user_id, url, caption)})

    async def _door_event(self, request: Request) -> Response:
        raw = await request.body()
        try:
            event = json.loads(raw) if raw.strip() else None
        except ValueError:
            return JSONResponse({"ok": False, "description": "invalid JSON"}, 400)
        self.inject_event(event)
        return JSONResponse({"ok": True})

    async def _door_sent(self, request: Request) -> Response:
        chat_id = request.query_params.get("chat_id")
        try:
            since = int(request.query_params.get("since", "0"))
        except ValueError:
            since = 0
        items = [
            asdict(item)
            for item in self.sent[max(since, 0) :]
            if chat_id is None or item.chat_id == chat_id
        ]
        return JSONResponse({"sent": items, "next": len(self.sent)})

    async def _door_fail(self, request: Request) -> Response:
        body = await self._door_json(request)
        method = body.get("method")
        numbers = [body.get("error_code", 429), body.get("times", 1), body.get("http_status", 200)]
        if not isinstance(method, str) or not all(isinstance(n, int) for n in numbers):
            return JSONResponse({"ok": False, "description": "need method (and int fields)"}, 400)
        self.fail_next(method, numbers[0], numbers[1], numbers[2])
        return JSONResponse({"ok": True})

    async def _door_reset(self, request: Request) -> Response:
        self.clear()
        return JSONResponse({"ok": True})

    async def _door_flood(self, request: Request) -> Response:
        """The rate limit on ({"per_second": 10}) or off ({"per_second": null})."""
        body = await self._door_json(request)
        per_second = body.get("per_second")
        if per_second is not None and not (isinstance(per_second, int) and per_second > 0):
            return JSONResponse({"ok": False, "description": "per_second: a positive int"}, 400)
        self.rate_limit(per_second)
        return JSONResponse({"ok": True, "too_many": self.too_many})

    async def _door_tally(self, request: Request) -> Response:
        """For benchmarks: messages per chat, when each was sent, when each 429 was answered."""
        counts: dict[str, int] = {}
        for item in self.sent:
            counts[item.chat_id] = counts.get(item.chat_id, 0) + 1
        return JSONResponse(
            {
                "per_chat": counts,
                "sent_at": [item.date / 1000 for item in self.sent],
                "too_many_at": self.too_many_at,
            }
        )

    async def _door_stats(self, request: Request) -> Response:
        by_method: dict[str, int] = {}
        for method, _ in self.calls:
            by_method[method] = by_method.get(method, 0) + 1
        return JSONResponse(
            {
                "pending": self.pending,
                "sent": len(self.sent),
                "calls": len(self.calls),
                "calls_by_method": by_method,
                "webhook_url": self.webhook_url,
                "too_many": self.too_many,
            }
        )


def main(argv: list[str] | None = None) -> None:
    """Run the fake in the foreground: `python -m tests.fakes.zalo_server --port N --token T`."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--per-second", type=int, default=None, help="the send rate limit")
    args = parser.parse_args(argv)
    fake = FakeZalo(args.token, per_second=args.per_second)
    fake.base_url = f"http://{args.host}:{args.port}"
    run_forever(fake.app, args.port, args.host)


if __name__ == "__main__":
    main()
