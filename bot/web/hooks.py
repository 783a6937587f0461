"""Webhooks: POST /hook/telegram and /hook/zalo, served by the bot's web app in webhook mode.

    platform POST ─► secret header checked (constant time; 403, nothing kept)
                 ─► body read up to MAX_BODY (413 beyond); an empty probe gets 200
                 ─► the channel reads it into Inbound (unreadable: counted, 200)
                 ─► one transaction keeps each new update in `webhook_inbox`
                 ─► 200, then each new update goes to the router as polling's would

The platform hears 200 only once the update is on disk: a crash right after it loses nothing,
since `replay` hands the kept updates that were never handled to the router at the next start.
A redelivered update (same key) is kept once and handled once; a database that cannot keep it
answers 503, and the platform delivers it again later.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol, runtime_checkable

from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response

from bot.logs import logfmt
from bot.messages import Inbound
from bot.metrics import UNPARSEABLE, WEBHOOK_REFUSED
from bot.transport import Dispatch
from bot.web.links import derive_key
from storage.db import Database

log = logging.getLogger("thidua.web")

PATH = "/hook/"  # + the channel's name
MAX_BODY = 1024 * 1024  # an update is a few kilobytes; more is not a platform talking
# An update never handled (it broke its handler at every start) is dropped after this; well
# within the inbox's window (bot/maintenance.py), so a handled one is never taken as new.
KEEP = timedelta(days=2)


class Hook(Protocol):
    """What a channel gives its webhook endpoint: the header its secret comes in, and how a
    body becomes the updates people sent (never raising for a body it cannot read)."""

    name: str
    secret_header: str

    async def webhook_inbounds(self, body: Any) -> list[Inbound]:
        """The updates in a webhook body (JSON already decoded); [] when none is ours."""
        ...


@runtime_checkable
class WebhookChannel(Hook, Protocol):
    """A channel adapter that can take its updates by webhook."""

    def use_webhook(self, url: str, secret: str) -> None:
        """Register the webhook at `url`, checked with `secret`, when it starts."""
        ...


@dataclass(frozen=True)
class Webhooks:
    """The channels taking webhooks, their secrets, and where their updates go."""

    hooks: Mapping[str, Hook]
    secrets: Mapping[str, str]
    dispatch: Dispatch


def webhook_secret(secret: str, channel: str) -> str:
    """The secret a platform sends back with each POST: derived from `[web].secret`, one per
    channel (64 hex characters: within Telegram's 1-256 [A-Za-z0-9_-] and Zalo's 8-256)."""
    return derive_key(secret, f"webhook:{channel}".encode()).hex()


def webhook_url(public_url: str, channel: str) -> str:
    """Where the platform POSTs: `[web].public_url` + /hook/<channel>."""
    return f"{public_url.rstrip('/')}{PATH}{channel}"


async def receive(
    request: Request, webhooks: Webhooks | None, db: Database, now: datetime
) -> Response:
    """Check, keep and hand over one POST (see the module's picture)."""
    channel = str(request.path_params.get("channel", ""))
    hook = webhooks.hooks.get(channel) if webhooks is not None else None
    if webhooks is None or hook is None:
        return _answer(404, "no webhook here")
    given = request.headers.get(hook.secret_header, "")
    if not hmac.compare_digest(given.encode(), webhooks.secrets[channel].encode()):
        WEBHOOK_REFUSED.labels(channel, "secret").inc()
        log.warning(logfmt("webhook_refused", channel=channel, reason="secret"))
        return _answer(403, "forbidden")
    body = await _body(request)
    if body is None:
        WEBHOOK_REFUSED.labels(channel, "too_large").inc()
        log.warning(logfmt("webhook_refused", channel=channel, reason="too_large"))
        return _answer(413, "too large")
    if not body.strip():
        return _answer(200, "ok")  # Zalo's probe: an empty POST
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: "[[[[…" a megabyte deep
        UNPARSEABLE.labels(channel).inc()
        log.warning(logfmt("webhook_unreadable", channel=channel))
        return _answer(200, "ok")  # sent again it would be just as unreadable
    found = await hook.webhook_inbounds(data)
    inbounds = [_keyed(inbound, body, n) for n, inbound in enumerate(found)]
    try:
        new = await keep(db, inbounds, now)
    except Exception:
        # Not kept: the platform must try again later, so it must not hear 200.
        log.exception(logfmt("webhook_not_kept", channel=channel))
        return _answer(503, "try again")
    for inbound in new:
        webhooks.dispatch(inbound)
    return _answer(200, "ok")


async def keep(db: Database, inbounds: list[Inbound], now: datetime) -> list[Inbound]:
    """Keep the updates in one transaction; return those not kept or handled before."""
    if not inbounds:
        return []
    new: list[Inbound] = []
    async with db.transaction() as repos:
        for inbound in inbounds:
            assert inbound.key is not None
            payload = inbound.model_dump_json()
            if await repos.webhooks.record(inbound.key, inbound.channel, payload, now):
                new.append(inbound)
    return new


async def replay(db: Database, dispatch: Dispatch) -> int:
    """Hand the router every kept update never handled (a crash after the 200); how many."""
    async with db.read() as repos:
        kept = await repos.webhooks.unhandled()
    for payload in kept:
        dispatch(Inbound.model_validate_json(payload))
    if kept:
        log.info(logfmt("webhook_replayed", updates=len(kept)))
    return len(kept)


async def prune(db: Database, now: datetime) -> int:
    """Forget the kept updates that were handled, and the very old ones."""
    async with db.transaction() as repos:
        return await repos.webhooks.prune(now - KEEP)


def _keyed(inbound: Inbound, body: bytes, number: int) -> Inbound:
    """The update with a dedupe key: its own, or one made of the body and its place in it (a
    POST sent twice is the same bytes twice)."""
    if inbound.key is not None:
        return inbound
    digest = hashlib.sha256(body).hexdigest()[:32]
    return inbound.model_copy(update={"key": f"{inbound.channel}:body:{digest}:{number}"})


async def _body(request: Request) -> bytes | None:
    """The request body, or None past MAX_BODY (read no further than that)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        return None
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_BODY:
                return None
            chunks.append(chunk)
    except ClientDisconnect:
        return b""
    return b"".join(chunks)


def _answer(status: int, text: str) -> Response:
    """A short JSON answer (the platforms read only the status)."""
    return JSONResponse({"ok": status == 200, "description": text}, status_code=status)
