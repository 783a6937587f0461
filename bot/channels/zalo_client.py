"""A small async client for the Zalo Bot API that maps every failure onto our channel errors."""

from __future__ import annotations

import logging
import re
from types import TracebackType
from typing import Any, Self
from urllib.parse import quote

import httpx

from bot.channels.splitting import split_text
from bot.channels.zalo_updates import unwrap
from bot.errors import (
    BadRequest,
    ChannelError,
    RateLimited,
    TransientError,
    Unauthorized,
    Unreachable,
)

DEFAULT_BASE_URL = "https://bot-api.zaloplatforms.com/bot"
MESSAGE_LIMIT = 2000  # UTF-16 units per sendMessage text
NO_UPDATE = 408  # getUpdates' "nothing arrived within timeout": not an error
POLL_MARGIN = 10.0  # read-timeout seconds beyond the long-poll timeout the server honours
PHOTO_TIMEOUT = 60.0  # Zalo downloads the photo URL before it answers sendPhoto
MASK = "***"


class _RedactTokens(logging.Filter):
    """Masks our tokens in httpx's own log lines ("HTTP Request: POST https://…/bot<token>/…")."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a broken record is logging's problem, not ours
            return True
        masked = _mask(message, self.secrets)
        if masked != message:
            record.msg, record.args = masked, None
        return True


_REDACTOR = _RedactTokens()
logging.getLogger("httpx").addFilter(_REDACTOR)


def _secret_forms(token: str) -> set[str]:
    """The token and its secret half, raw and as they may appear percent-encoded in a URL."""
    forms = {token}
    _, _, secret = token.partition(":")
    if len(secret) >= 8:  # short fragments would mask innocent text
        forms.add(secret)
    forms |= {quote(form, safe="") for form in forms} | {quote(form, safe=":") for form in forms}
    return {form for form in forms if form}


def _mask(text: str, secrets: set[str]) -> str:
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


def _error_code(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    # ASCII digits, a few of them: "²" passes isdigit() and 5,000 digits overflow int().
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]{1,9}", value.strip()):
        return int(value)
    return None


def _as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


class ZaloClient:
    """Zalo Bot API calls over httpx; returns `result` or raises a `ChannelError` subclass."""

    def __init__(
        self,
        token: str,
        base_url: str = DEFAULT_BASE_URL,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 15.0,
    ) -> None:
        """Create a client; `transport` lets tests answer requests without a network."""
        self._token = token
        self._base_url = base_url
        self._timeout = timeout
        self._secrets = _secret_forms(token)
        _REDACTOR.secrets |= self._secrets
        self._http = httpx.AsyncClient(transport=transport, timeout=timeout)

    def __repr__(self) -> str:
        return f"ZaloClient(base_url={self._base_url!r}, token={MASK!r})"

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the underlying HTTP connections."""
        await self._http.aclose()

    async def call(
        self, method: str, body: dict[str, Any] | None = None, *, timeout: float | None = None
    ) -> Any:
        """POST `body` to `method`; `timeout` overrides the read timeout in seconds."""
        status, answer = await self._exchange(method, body, timeout)
        return self._result(method, status, answer)

    async def get_me(self) -> dict[str, Any]:
        """The bot's own account: id, account_name, account_type, can_join_groups."""
        return _as_dict(await self.call("getMe"))

    async def get_updates(self, timeout: int = 30) -> list[dict[str, Any]]:
        """Long-poll for updates (Zalo gives at most one); [] when none arrived within `timeout`."""
        # The docs type timeout as a string; numbers seem accepted too, strings are the safe side.
        status, answer = await self._exchange(
            "getUpdates", {"timeout": str(timeout)}, timeout + POLL_MARGIN
        )
        if answer.get("ok") is not True and _error_code(answer.get("error_code")) == NO_UPDATE:
            return []
        return unwrap(self._result("getUpdates", status, answer))

    async def get_webhook_info(self) -> dict[str, Any]:
        """The webhook currently set: {url, updated_at}; url is empty when none is set."""
        return _as_dict(await self.call("getWebhookInfo"))

    async def delete_webhook(self) -> dict[str, Any]:
        """Remove the webhook so that getUpdates can be used."""
        return _as_dict(await self.call("deleteWebhook"))

    async def set_webhook(self, url: str, secret_token: str) -> dict[str, Any]:
        """Deliver updates to `url` (https) with `secret_token` (8–256 chars) in a header."""
        return _as_dict(await self.call("setWebhook", {"url": url, "secret_token": secret_token}))

    async def ensure_polling(self) -> None:
        """Make getUpdates usable: polling and a webhook are exclusive, so drop a webhook if set."""
        info = await self.get_webhook_info()
        if info.get("url"):
            await self.delete_webhook()

    async def send_message(self, chat_id: str, text: str) -> list[dict[str, Any]]:
        """Send `text` in parts of at most 2,000 UTF-16 units, in order; empty text sends none."""
        results: list[dict[str, Any]] = []
        for part in split_text(text, MESSAGE_LIMIT):
            body = {"chat_id": chat_id, "text": part}
            results.append(_as_dict(await self.call("sendMessage", body)))
        return results

    async def send_photo(
        self, chat_id: str, photo_url: str, caption: str | None = None
    ) -> dict[str, Any]:
        """Send the photo at a public URL (Zalo fetches it itself, hence the long timeout)."""
        body: dict[str, Any] = {"chat_id": chat_id, "photo": photo_url}
        if caption:
            body["caption"] = caption
        return _as_dict(await self.call("sendPhoto", body, timeout=PHOTO_TIMEOUT))

    async def send_chat_action(self, chat_id: str, action: str = "typing") -> None:
        """Show "typing…" in the chat."""
        await self.call("sendChatAction", {"chat_id": chat_id, "action": action})

    async def _exchange(
        self, method: str, body: dict[str, Any] | None, read_timeout: float | None
    ) -> tuple[int, dict[str, Any]]:
        """POST and decode; network trouble and non-JSON answers become TransientError."""
        outcome = await self._send(method, body, read_timeout)
        # Raised outside any `except` so no httpx exception (which holds the URL) is chained.
        if isinstance(outcome, ChannelError):
            raise outcome
        failure: ChannelError | None = None
        answer: Any = None
        try:
            answer = outcome.json()
        except ValueError:
            failure = TransientError(f"Zalo {method}: HTTP {outcome.status_code}, answer not JSON")
        if failure is not None:
            raise failure
        if not isinstance(answer, dict):
            raise TransientError(f"Zalo {method}: HTTP {outcome.status_code}, answer not an object")
        return outcome.status_code, answer

    async def _send(
        self, method: str, body: dict[str, Any] | None, read_timeout: float | None
    ) -> httpx.Response | ChannelError:
        url = f"{self._base_url}{self._token}/{method}"
        try:
            if read_timeout is None:
                return await self._http.post(url, json=body or {})
            timeout = httpx.Timeout(self._timeout, read=read_timeout)
            return await self._http.post(url, json=body or {}, timeout=timeout)
        except httpx.TimeoutException as exc:
            return TransientError(f"Zalo {method}: timed out ({type(exc).__name__})")
        except httpx.HTTPError as exc:
            detail = _mask(str(exc), self._secrets)
            return TransientError(f"Zalo {method}: network error ({type(exc).__name__}: {detail})")
        except httpx.InvalidURL:
            return BadRequest(f"Zalo {method}: invalid URL (check base_url and token)")

    def _result(self, method: str, status: int, answer: dict[str, Any]) -> Any:
        """`result` of a decoded answer, or the exception its error code stands for."""
        if answer.get("ok") is True:
            return answer.get("result")
        code = _error_code(answer.get("error_code"))
        if code is None and status >= 400:
            code = status
        description = answer.get("description")
        reason = description if isinstance(description, str) else "unexpected answer"
        text = _mask(f"Zalo {method}: error {code}: {reason}", self._secrets)
        error: ChannelError
        if code == 401:
            error = Unauthorized(text)
        elif code == 429:
            error = RateLimited(None, text)
        elif code == 403:
            error = Unreachable(text)
        elif code in (400, 404):
            error = BadRequest(text)
        else:
            error = TransientError(text)
        raise error
