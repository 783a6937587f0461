"""Housekeeping while the bot runs: forgetting old update keys and handled webhook updates,
removing expired downloads."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta
from pathlib import Path

from bot import metrics
from bot.clock import Clock
from bot.files import prune_held
from bot.logs import logfmt
from bot.web import hooks
from bot.web.downloads import Downloads
from storage.db import Database

log = logging.getLogger("thidua.maintenance")

# Longer than any redelivery: Telegram keeps an unconfirmed update for 24 hours, and Zalo
# documents no retry at all. Within the window every key is kept, so dedupe stays exact.
INBOX_WINDOW = timedelta(days=7)
# Keys deleted per transaction: each batch is a few milliseconds on the loop.
BATCH = 500
# How often (real seconds) the bot looks for keys to forget.
EVERY = 3600.0


async def prune_inbox(db: Database, now: datetime, *, window: timedelta = INBOX_WINDOW) -> int:
    """Forget the update keys received before `now - window`, in short batches; return how many."""
    before = now - window
    total = 0
    while True:
        async with db.transaction() as repos:
            removed = await repos.inbox.prune(before, limit=BATCH)
        total += removed
        if removed < BATCH:
            break
        await asyncio.sleep(0)  # let updates in between batches
    if total:
        metrics.INBOX_PRUNED.inc(total)
        log.info(logfmt("inbox_pruned", keys=total))
    return total


async def keep_tidy(
    db: Database,
    clock: Clock,
    stop: asyncio.Event,
    downloads: Downloads | None = None,
    held: Path | None = None,
) -> None:
    """Prune now and then every `EVERY` seconds until `stop` is set: update keys, handled
    webhook updates, expired downloads, and attachments held by conversations left half-way."""
    while not stop.is_set():
        try:
            # Kept webhook updates first: one is replayed unless its key is still in `inbox`.
            await hooks.prune(db, clock.now())
            await prune_inbox(db, clock.now())
        except Exception:  # housekeeping must never stop the bot
            log.exception(logfmt("maintenance_failed"))
        if downloads is not None:
            try:
                # Deleting files is disk work: on a worker thread, not on the loop.
                await asyncio.to_thread(downloads.prune, clock.now())
            except Exception:
                log.exception(logfmt("maintenance_failed", part="downloads"))
        if held is not None:
            try:
                await asyncio.to_thread(prune_held, held, clock.now())
            except Exception:
                log.exception(logfmt("maintenance_failed", part="held"))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), EVERY)
