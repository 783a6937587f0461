"""Wiring: open the database, build the router, channels and outbox, run until told to stop."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
import sys
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TextIO
from urllib.parse import urlsplit, urlunsplit

import httpx

from bot import org
from bot.admin import TELEGRAM_USERNAME_KEY
from bot.broadcasts.progress import ProgressReporter
from bot.channels.console import ConsoleChannel, chat_loop
from bot.config import Settings, channel_problems
from bot.context import BotLinks
from bot.errors import RateLimited
from bot.files import HELD, files_dir
from bot.logs import logfmt, redact
from bot.maintenance import keep_tidy
from bot.messages import Inbound
from bot.outbox import Outbox
from bot.router import Router
from bot.scheduling import Scheduler
from bot.transport import Adapter, Senders
from bot.web import hooks
from bot.web.app import build_app
from bot.web.downloads import Downloads
from bot.web.hooks import Hook, WebhookChannel, Webhooks
from bot.web.server import WebServer, WebStartFailed
from storage.db import Database, open_database

log = logging.getLogger("thidua.runtime")


async def build_router(db: Database, settings: Settings, senders: Senders | None = None) -> Router:
    """Return a router on `db` with the configured clock and the last known bot links."""
    async with db.read() as repos:
        username = settings.telegram.username or await repos.meta.get(TELEGRAM_USERNAME_KEY)
    return Router(db, settings, settings.make_clock(), links=BotLinks(username), senders=senders)


def build_channels(settings: Settings) -> list[Adapter]:
    """Create the adapter of every enabled channel (nothing connects yet)."""
    channels: list[Adapter] = []
    if settings.telegram.enabled:
        from bot.channels.telegram import TelegramChannel

        channels.append(TelegramChannel(settings.telegram))
    if settings.zalo.enabled:
        from bot.channels.zalo import ZaloChannel

        channels.append(ZaloChannel(settings.zalo))
    return channels


NO_CHANNEL = (
    "chưa bật kênh nào: đặt telegram.enabled hoặc zalo.enabled = true trong config.toml / "
    "no channel is enabled: set telegram.enabled or zalo.enabled = true in config.toml"
)


async def run_bot(settings: Settings, stop: asyncio.Event | None = None) -> int:
    """Run every enabled channel until SIGINT/SIGTERM (or `stop`); return the exit code."""
    problems = channel_problems(settings)
    if not settings.telegram.enabled and not settings.zalo.enabled:
        problems.append(NO_CHANNEL)
    if problems:
        for line in problems:
            print(line, file=sys.stderr)
        return 1
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    async with open_database(settings.database.path) as db:
        senders = Senders()
        router = await build_router(db, settings, senders)
        # The files behind the download links: a handler publishes, the web app serves.
        downloads = Downloads.from_settings(settings)
        router.downloads = downloads
        channels = build_channels(settings)
        opened: list[Adapter] = []
        outbox: Outbox | None = None
        scheduler: Scheduler | None = None
        progress: ProgressReporter | None = None
        web: WebServer | None = None
        try:
            for channel in channels:
                try:
                    opened.append(channel)
                    await channel.open()
                except Exception as exc:
                    _start_failed(channel, exc)
                    print(await start_failure(channel.name, settings, exc), file=sys.stderr)
                    return 1
                senders.register(channel.name, channel)
                username = getattr(channel, "username", None)
                if isinstance(username, str) and username:
                    router.links.telegram_username = username
            if router.links.telegram_username:
                async with db.transaction() as repos:
                    await repos.meta.put(TELEGRAM_USERNAME_KEY, router.links.telegram_username)
            # One paced sender per channel; it keeps a chat's one-a-second with the replies too.
            outbox = Outbox(db, senders, router.clock, settings.outbox)
            router.observers.append(outbox.observe)
            outbox.start()
            scheduler = Scheduler(db, settings, router.clock)
            health = BotHealth(outbox)
            router.observers.append(health.observe)
            # The web app listens before any webhook is registered (updates may come at once);
            # /healthz says 503 until the scheduler runs.
            webhooks = _webhooks(settings, channels, router)
            web = WebServer(
                build_app(db, scheduler, downloads, router.clock, webhooks=webhooks, health=health),
                settings.web.listen,
            )
            try:
                await web.start()
            except WebStartFailed as exc:
                web = None
                print(exc.line, file=sys.stderr)
                return 1
            if webhooks is not None:
                # Updates kept before a crash, never handled: now, before any new one.
                await hooks.replay(db, router.submit)
            for channel in channels:
                try:
                    await channel.start(router.submit)
                except Exception as exc:
                    _start_failed(channel, exc)
                    print(await start_failure(channel.name, settings, exc), file=sys.stderr)
                    return 1
                log.info(logfmt("channel_started", channel=channel.name))
            # Everything loaded at start-up lives as long as the process: moved out of the cycle
            # collector's reach, a full collection no longer walks it (a 157 ms pause of the
            # loop behind a national digest became 126 ms; benchmarks/stall.py).
            gc.collect()
            gc.freeze()
            # Reminders and digests: planned on the project clock into the outbox.
            scheduler.start()
            # Admins who broadcast from a chat hear how it goes, then the delivery report.
            progress = ProgressReporter(db, senders, router.clock, router.texts)
            progress.start()
            tidy = asyncio.create_task(
                keep_tidy(db, router.clock, stop, downloads, files_dir(settings) / HELD),
                name="maintenance",
            )
            await stop.wait()
            log.info(logfmt("stopping"))
            await tidy
        finally:
            # The web app first (a download in progress may finish), while the database is open.
            if web is not None:
                try:
                    await web.stop()
                except Exception:  # the rest must still stop and close
                    log.exception(logfmt("web_stop_failed"))
            if scheduler is not None:
                scheduler.stop()
            if progress is not None:
                await progress.stop()
            # Nothing late: the outbox ends first (its messages in flight finish and are
            # recorded), then the receivers; the updates already taken are finished, their
            # replies sent, and only then are the connections closed.
            if outbox is not None:
                await outbox.stop()
            for channel in reversed(opened):
                with contextlib.suppress(Exception):
                    await channel.stop()
            await router.drain()
            for channel in reversed(opened):
                # Release what was opened (HTTP clients); errors while closing are moot.
                with contextlib.suppress(Exception):
                    await channel.close()
            log.info(logfmt("stopped"))
    return 0


def _webhooks(settings: Settings, channels: list[Adapter], router: Router) -> Webhooks | None:
    """Point the channels in webhook mode at the web app; None when every channel polls."""
    modes = {"telegram": settings.telegram.mode, "zalo": settings.zalo.mode}
    secret = settings.web.secret.get_secret_value()
    taking: dict[str, Hook] = {}
    secrets: dict[str, str] = {}
    for channel in channels:
        if modes.get(channel.name) != "webhook" or not isinstance(channel, WebhookChannel):
            continue
        secrets[channel.name] = hooks.webhook_secret(secret, channel.name)
        channel.use_webhook(
            hooks.webhook_url(settings.web.public_url, channel.name), secrets[channel.name]
        )
        taking[channel.name] = channel
    return Webhooks(taking, secrets, router.submit) if taking else None


@dataclass
class BotHealth:
    """What /healthz reads of the running bot: its outbox senders, each channel's last update."""

    outbox: Outbox
    seen: dict[str, datetime] = field(default_factory=dict)

    def observe(self, inbound: Inbound, handled: object) -> None:
        """Note the time of the channel's latest update (a router observer)."""
        self.seen[inbound.channel] = self.outbox.clock.now()

    def senders(self) -> dict[str, bool]:
        """Each channel's sender: True while its task runs."""
        return self.outbox.alive()

    def last_seen(self) -> dict[str, datetime]:
        """Each channel's latest update taken by this process."""
        return dict(self.seen)


def _start_failed(channel: Adapter, exc: BaseException) -> None:
    """Log a channel's failure to start, for developers (the operator reads the diagnosis)."""
    # Any failure to start (PTB's own errors included) gets the same diagnosis: the operator
    # needs the cause in words, never an exception's name.
    log.debug(logfmt("channel_failed", channel=channel.name), exc_info=exc)


PROBE_TIMEOUT = 10.0
_LABELS = {"telegram": "Telegram", "zalo": "Zalo"}


def _shown_url(url: str) -> str:
    """The base URL as it may be printed: without a user or password in it."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def _line(vi: str, en: str) -> str:
    return f"{vi} / {en}"


async def start_failure(channel: str, settings: Settings, exc: BaseException) -> str:
    """Say in words (Vietnamese / English) why `channel` could not start and what to check.

    The adapters' errors only say "transient" or "unauthorized"; to tell a server that cannot
    be reached from a token that is refused or a server that is not a Bot API at all, this asks
    the platform's getMe once more and reads the answer itself.
    """
    label = _LABELS.get(channel, channel)
    config = settings.telegram if channel == "telegram" else settings.zalo
    url = _shown_url(config.base_url)
    token = config.token.get_secret_value()
    env = f"THIDUA_{channel.upper()}__TOKEN"
    if isinstance(exc, RateLimited):
        return _wait_line(label)
    try:
        async with httpx.AsyncClient(timeout=PROBE_TIMEOUT) as client:
            answer = await client.post(f"{config.base_url}{token}/getMe")
    except httpx.TimeoutException:
        seconds = f"{PROBE_TIMEOUT:.0f}"
        return _line(
            f"{label}: máy chủ {url} không trả lời trong {seconds} giây: kiểm tra mạng"
            " hoặc thử lại sau",
            f"{label}: the server at {url} did not answer within {seconds} seconds:"
            " check the network or try again later",
        )
    except (httpx.HTTPError, httpx.InvalidURL):
        return _line(
            f"{label}: không kết nối được tới máy chủ {url} ({channel}.base_url): kiểm tra"
            " mạng, tường lửa, proxy hoặc địa chỉ này",
            f"{label}: cannot connect to the server at {url} ({channel}.base_url): check the"
            " network, a firewall or proxy, or the address",
        )
    try:
        body: Any = answer.json()
    except ValueError:
        body = None
    if not isinstance(body, dict) or not isinstance(body.get("ok"), bool):
        kind = answer.headers.get("content-type", "").split(";")[0].strip()
        what = f"HTTP {answer.status_code}" + (f", {kind}" if kind else "")
        return _line(
            f"{label}: máy chủ {url} có trả lời nhưng không phải Bot API của {label} ({what}):"
            f" kiểm tra {channel}.base_url",
            f"{label}: the server at {url} answered, but not as the {label} Bot API ({what}):"
            f" check {channel}.base_url",
        )
    code = body.get("error_code")
    code = code if isinstance(code, int) else answer.status_code
    if body["ok"]:
        # getMe works now: the failure came later (or passed). The adapter's own words, masked.
        detail = redact(str(exc) or type(exc).__name__, settings.secrets())[:200]
        return _line(
            f"{label}: kết nối được nhưng không khởi động được ({detail}): thử chạy lại",
            f"{label}: connected, but could not start ({detail}): try running it again",
        )
    if code == 401 or (channel == "telegram" and code == 404):
        # Telegram answers 404 both to a malformed token and to a base_url without /bot.
        vi_more = ", và telegram.base_url phải kết thúc bằng /bot" if code == 404 else ""
        en_more = ", and telegram.base_url must end in /bot" if code == 404 else ""
        return _line(
            f"{label}: máy chủ từ chối mã bot (lỗi {code}): kiểm tra biến môi trường"
            f" {env}{vi_more}",
            f"{label} refused the bot token (error {code}): check {env}{en_more}",
        )
    if code == 429:
        return _wait_line(label)
    if code >= 500:
        return _line(
            f"{label}: máy chủ {url} đang gặp lỗi (lỗi {code}): thử lại sau ít phút",
            f"{label}: the server at {url} has a problem (error {code}): try again in a few"
            " minutes",
        )
    description = body.get("description")
    said = redact(description, settings.secrets())[:200] if isinstance(description, str) else ""
    return _line(
        f"{label}: máy chủ từ chối yêu cầu (lỗi {code}{': ' + said if said else ''})",
        f"{label}: the server refused the request (error {code}{': ' + said if said else ''})",
    )


def _wait_line(label: str) -> str:
    return _line(
        f"{label}: máy chủ yêu cầu chờ (429, quá nhiều yêu cầu): thử lại sau ít phút",
        f"{label}: the server asks us to wait (429, too many requests): try again in a few minutes",
    )


ROLE_VI = {"rep": "đại diện", "secretary": "thư ký", "admin": "quản trị"}


async def run_console(
    settings: Settings,
    user: str,
    *,
    stdin: TextIO | None = None,
    out: TextIO | None = None,
    greet: TextIO | None = None,
) -> None:
    """Run the console channel for one user: replies on `out`, the greeting on `greet`."""
    notes = greet or sys.stderr
    async with open_database(settings.database.path) as db:
        router = await build_router(db, settings)
        router.senders.register(ConsoleChannel.name, ConsoleChannel(out))
        async with db.read() as repos:
            member = await repos.members.find(ConsoleChannel.name, user)
            unit = await repos.units.get(member.unit_code) if member else None
            title = await org.unit_title(repos, unit, settings.org) if unit else ""
        # stderr: stdout is the conversation, which scripts read.
        path = settings.database.location()
        notes.write(f"Cơ sở dữ liệu / database: {path}\n")
        if member is not None and unit is not None:
            role = member.role.value
            notes.write(
                f"Đang trò chuyện với tư cách {user}: {ROLE_VI.get(role, role)}, {title} /"
                f" talking as {user} ({role}, {unit.code})\n"
            )
        else:
            notes.write(
                f"Đang trò chuyện với tư cách {user}, chưa tham gia: hãy gõ mã mời (thidua"
                f" invite) / talking as {user}, not enrolled: type an invite code (thidua invite)\n"
            )
        notes.write(
            "Mỗi dòng là một tin nhắn; thoát: Ctrl-D hoặc Ctrl-C /"
            " one line is one message; to leave: Ctrl-D or Ctrl-C\n"
        )
        notes.flush()
        try:
            await chat_loop(router.dispatch, user, stdin)
        except asyncio.CancelledError:
            notes.write("\n")  # after the terminal's "^C", so the shell prompt starts clean
            raise
