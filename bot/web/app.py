"""The web app: GET /healthz and GET /t/<token> (the signed download links).

The routes are one list (`ROUTES`), read by `build_app`; a page added later (the status page)
is one more `Route` whose endpoint finds the database, scheduler, downloads and clock through
`parts(request)`.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol
from urllib.parse import quote

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ExceptionHandler

from bot.clock import Clock
from bot.logs import logfmt
from bot.web import hooks, pages
from bot.web.downloads import PATH_PREFIX, Downloads
from bot.web.hooks import Webhooks
from bot.web.links import LinkState
from bot.words import unmarked
from storage.db import Database
from storage.reads import probe

log = logging.getLogger("thidua.web")

# A health check that waits longer than this for the database says so instead of hanging.
HEALTH_TIMEOUT = 3.0
CONTENT_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".csv": "text/csv; charset=utf-8",
    ".pdf": "application/pdf",
    ".zip": "application/zip",
    # An announcement's photo, fetched by Telegram and Zalo (bot/broadcasts).
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
}


class Health(Protocol):
    """What the running bot adds to /healthz (bot/runtime.py)."""

    def senders(self) -> dict[str, bool]:
        """Each channel's outbox sender: True while its task runs."""
        ...

    def last_seen(self) -> dict[str, datetime]:
        """Each channel's latest update taken by this process (none yet: not listed)."""
        ...


class Running(Protocol):
    """What /healthz reads of the scheduler (bot.scheduling.Scheduler)."""

    last_tick: datetime | None

    @property
    def running(self) -> bool:
        """True while it runs."""
        ...


@dataclass(frozen=True)
class WebParts:
    """What the endpoints work with; kept on `app.state.parts`."""

    db: Database
    scheduler: Running
    downloads: Downloads
    clock: Clock
    webhooks: Webhooks | None = None  # in webhook mode: the channels that take POSTs
    health: Health | None = None  # what else /healthz reports (the running bot's parts)


def parts(request: Request) -> WebParts:
    """Return the parts of the app serving `request`."""
    found = request.app.state.parts
    if not isinstance(found, WebParts):
        raise RuntimeError("the app was not built by build_app")
    return found


async def healthz(request: Request) -> JSONResponse:
    """200 when the database answers, the scheduler and every outbox sender run; else 503
    naming what fails. Also the outbox's backlog and the latest update of each channel."""
    app = parts(request)
    now = app.clock.now()
    database, backlog = await _database_state(app.db, now)
    scheduler = "running" if app.scheduler.running else "stopped"
    senders = app.health.senders() if app.health is not None else {}
    healthy = database == "ok" and scheduler == "running" and all(senders.values())
    last_tick = app.scheduler.last_tick
    seen = app.health.last_seen() if app.health is not None else {}
    body = {
        "status": "ok" if healthy else "unavailable",
        "database": database,
        "scheduler": scheduler,
        "last_tick": last_tick.isoformat() if last_tick else None,
        "senders": {name: "running" if alive else "stopped" for name, alive in senders.items()},
        "outbox": {
            name: {"due": due, "oldest_seconds": max(0, round((now - oldest).total_seconds()))}
            for name, (due, oldest) in backlog.items()
        },
        "last_update": {name: moment.isoformat() for name, moment in seen.items()},
        "time": now.isoformat(),
    }
    return JSONResponse(
        body, status_code=200 if healthy else 503, headers={"Cache-Control": "no-store"}
    )


async def _database_state(
    db: Database, now: datetime
) -> tuple[str, dict[str, tuple[int, datetime]]]:
    """('ok', the outbox's backlog) when the database answers in time, on the bot's own
    connection and on a new one to the file (a file gone or unreadable fails only the second);
    else 'closed', 'busy' or 'error', and no backlog."""
    try:
        backlog = await asyncio.wait_for(_ping(db, now), HEALTH_TIMEOUT)
    except TimeoutError:
        return "busy", {}
    except RuntimeError:  # Database.conn: "database is not open"
        return "closed", {}
    except (sqlite3.Error, OSError) as exc:
        log.warning(logfmt("health_database", error=type(exc).__name__))
        return "error", {}
    return "ok", backlog


async def _ping(db: Database, now: datetime) -> dict[str, tuple[int, datetime]]:
    """Read the backlog through the lock every transaction takes, and the file anew."""
    async with db.read() as repos:
        backlog = await repos.outbox.backlog(now)
    await db.snapshot(probe)
    return backlog


async def download(request: Request) -> Response:
    """The file behind a signed link; 403 and a page for an expired or altered one."""
    app = parts(request)
    verdict = app.downloads.verify(request.path_params["token"], app.clock.now())
    # The token stays out of the log: whoever reads the log must not be able to download.
    if verdict.state is LinkState.EXPIRED:
        log.info(logfmt("download", result="expired"))
        return pages.respond(pages.EXPIRED, 403)
    if verdict.state is not LinkState.OK:
        log.info(logfmt("download", result="altered"))
        return pages.respond(pages.ALTERED, 403)
    path = await asyncio.to_thread(app.downloads.open, verdict.file_id)
    if path is None:
        log.info(logfmt("download", result="gone"))
        return pages.respond(pages.GONE, 404)
    log.info(logfmt("download", result="ok", method=request.method))
    image = content_type(path).startswith("image/")  # a photo shows in the browser
    return FileResponse(
        path,
        media_type=content_type(path),
        headers={**pages.NO_STORE, "Content-Disposition": attachment(path.name, inline=image)},
    )


def content_type(path: Path) -> str:
    """The media type of a published file, by its suffix."""
    return CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream")


def attachment(name: str, *, inline: bool = False) -> str:
    """Content-Disposition for `name`: the UTF-8 name (RFC 5987) and an ASCII fallback."""
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name(name)}\"; filename*=UTF-8''{quote(name, safe='')}"


def ascii_name(name: str) -> str:
    """The name without diacritics, for clients that ignore filename* ('Đăng ký' → 'Dang ky')."""
    plain = unmarked(name)
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in " ._()-") else "_" for ch in plain)
    return safe.strip(" ._") or "tep"


async def _not_found(request: Request, exc: Exception) -> Response:
    return pages.respond(pages.NOT_FOUND, 404)


async def _refused(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 400
    headers = exc.headers if isinstance(exc, HTTPException) else None
    return pages.respond(pages.NOT_ALLOWED, status, dict(headers or {}))


async def _broken(request: Request, exc: Exception) -> Response:
    # Starlette logs the exception itself (through uvicorn's logger, without the path).
    return pages.respond(pages.BROKEN, 500)


async def webhook(request: Request) -> Response:
    """POST /hook/<channel>: one platform update (bot/web/hooks.py)."""
    app = parts(request)
    return await hooks.receive(request, app.webhooks, app.db, app.clock.now())


async def metrics(request: Request) -> Response:
    """The Prometheus text format of this process's counters (bot/metrics.py)."""
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)


ROUTES: list[BaseRoute] = [
    Route("/healthz", healthz, methods=["GET"]),
    Route("/metrics", metrics, methods=["GET"]),
    Route(PATH_PREFIX + "{token}", download, methods=["GET"]),
    Route(hooks.PATH + "{channel}", webhook, methods=["POST"]),
]


def build_app(
    db: Database,
    scheduler: Running,
    downloads: Downloads,
    clock: Clock,
    *,
    routes: Sequence[BaseRoute] = (),
    webhooks: Webhooks | None = None,
    health: Health | None = None,
) -> Starlette:
    """Return the web app: `ROUTES` plus `routes`, the Vietnamese error pages, no debug output."""
    handlers: dict[object, ExceptionHandler] = {
        404: _not_found,
        405: _refused,
        400: _refused,
        Exception: _broken,
    }
    app = Starlette(routes=[*ROUTES, *routes], exception_handlers=handlers)
    app.state.parts = WebParts(db, scheduler, downloads, clock, webhooks, health)
    return app
