"""Wiring: open the database, build the router and channels, run until told to stop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys

from bot.admin import TELEGRAM_USERNAME_KEY
from bot.channels.base import Channel
from bot.channels.console import ConsoleChannel, chat_loop
from bot.channels.errors import ChannelError, Unauthorized
from bot.config import Settings, channel_problems
from bot.context import BotLinks
from bot.logs import logfmt
from bot.maintenance import keep_tidy
from bot.router import Router
from storage.db import Database, open_database

log = logging.getLogger("thidua.runtime")


async def build_router(db: Database, settings: Settings) -> Router:
    """Return a router on `db` with the configured clock and the last known bot links."""
    async with db.read() as repos:
        username = settings.telegram.username or await repos.meta.get(TELEGRAM_USERNAME_KEY)
    return Router(db, settings, settings.make_clock(), links=BotLinks(username))


def build_channels(settings: Settings, router: Router) -> list[Channel]:
    """Create the adapter of every enabled channel."""
    channels: list[Channel] = []
    if settings.telegram.enabled:
        from bot.channels.telegram import TelegramChannel

        channels.append(TelegramChannel(settings.telegram, router))
    if settings.zalo.enabled:
        from bot.channels.zalo import ZaloChannel

        channels.append(ZaloChannel(settings.zalo, router))
    return channels


async def run_bot(settings: Settings, stop: asyncio.Event | None = None) -> int:
    """Run every enabled channel until SIGINT/SIGTERM (or `stop`); return the exit code."""
    problems = channel_problems(settings)
    if not settings.telegram.enabled and not settings.zalo.enabled:
        problems.append("no channel is enabled: set telegram.enabled or zalo.enabled")
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
        router = await build_router(db, settings)
        channels = build_channels(settings, router)
        started: list[Channel] = []
        try:
            for channel in channels:
                await channel.start()
                started.append(channel)
                log.info(logfmt("channel_started", channel=channel.name))
            if router.links.telegram_username:
                async with db.transaction() as repos:
                    await repos.meta.put(TELEGRAM_USERNAME_KEY, router.links.telegram_username)
            tidy = asyncio.create_task(keep_tidy(db, router.clock, stop), name="maintenance")
            await stop.wait()
            log.info(logfmt("stopping"))
            await tidy
        except Unauthorized:
            print("token refused by the platform (401): check THIDUA_*__TOKEN", file=sys.stderr)
            return 1
        except ChannelError as exc:
            print(f"a channel could not start: {type(exc).__name__}", file=sys.stderr)
            return 1
        finally:
            # Receivers stop first; the updates already taken are finished and saved.
            for channel in reversed(started):
                await channel.stop()
            await router.drain()
            log.info(logfmt("stopped"))
    return 0


async def run_console(settings: Settings, user: str) -> None:
    """Run the console channel for one user on stdin/stdout."""
    async with open_database(settings.database.path) as db:
        router = await build_router(db, settings)
        router.register(ConsoleChannel.name, ConsoleChannel())
        await chat_loop(router, user)
