"""Long reads never stall the bot: 50 people fill forms while a reminder tick and a national
digest run on a country of ≈100,000 units.

    .venv/bin/python benchmarks/stall.py [--people 50] [--rounds 2]

Both runs use the same database and the same fake Telegram server (its own process). "quiet" is
the form alone; "busy" starts the first reminder tick (≈51,000 reminders queued) and a national
digest at the same moment. Printed: the form's p50/p99 and the longest stall of the event loop
(a 5 ms ticker's largest gap), side by side. Targets: p99 < 150 ms, longest stall ≤ 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import sqlite3
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.country import build_country, settings_for
from benchmarks.throughput import (
    FORM_STEPS,
    TOKEN,
    USER_BASE,
    free_port,
    percentile,
    start_fake_server,
    wait_ready,
)
from bot.channels.telegram import TelegramChannel
from bot.clock import ManualClock
from bot.config import Settings
from bot.digest import digest_for
from bot.router import Router
from bot.scheduling import tick_reminders
from storage.db import Database, open_database

NOW = datetime.fromisoformat("2023-11-27T08:05:00+07:00")


class StallMeter:
    """The longest gap between the wake-ups of a 5 ms ticker: how long the loop was held."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            self.longest = max(self.longest, now - last - 0.005)
            last = now

    def start(self) -> None:
        """Start measuring."""
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> float:
        """Stop and return the longest stall in seconds."""
        assert self._task is not None
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)
        return self.longest


def enrol_people(path: Path, people: int) -> None:
    """The 50 form-fillers: representatives of the first residential areas, on Telegram."""
    conn = sqlite3.connect(path, isolation_level=None)
    areas = [row[0] for row in conn.execute(
        "SELECT code FROM units WHERE level = 'khu_dan_cu' ORDER BY path LIMIT ?", (people,)
    )]  # fmt: skip
    conn.executemany(
        "INSERT OR IGNORE INTO members (channel, user_id, chat_id, display_name, unit_code, role,"
        " enrolled_at) VALUES ('telegram', ?, ?, ?, ?, 'rep', '2023-11-20T01:00:00.000000Z')",
        [(str(USER_BASE + p), str(USER_BASE + p), f"Người {p}", areas[p]) for p in range(people)],
    )
    conn.close()


async def national_digest(db: Database, settings: Settings) -> None:
    """The national digest, read on worker threads and rendered."""
    async with db.read() as repos:
        root = await repos.units.get("VN")
    assert root is not None
    await digest_for(db, settings, root, NOW, None)


async def run_form(client: httpx.AsyncClient, people: int) -> list[float]:
    """Everyone answers the long form, one step a round; the latencies of every step."""
    await client.post("/_fake/reset")
    for number, step in enumerate(FORM_STEPS, 1):
        batch = [{"user_id": USER_BASE + p, "text": step.format(i=p)} for p in range(people)]
        await client.post("/_fake/bulk", json={"messages": batch})
        while (await client.get("/_fake/stats")).json()["answered"] < number * people:
            await asyncio.sleep(0.002)
    latencies = (await client.get("/_fake/latencies")).json()["latencies"]
    return [float(x) for x in latencies]


# Work started beside the form: given the database and settings, the awaitables to run.
Background = Callable[[Database, Settings], list[Awaitable[object]]]


def reminders_and_digest(db: Database, settings: Settings) -> list[Awaitable[object]]:
    """The busy run of this benchmark: the first reminder tick and a national digest."""
    return [tick_reminders(db, settings, NOW), national_digest(db, settings)]


async def scenario(
    path: Path, base: str, people: int, busy: bool | Background
) -> tuple[list[float], float, float]:
    """One run: latencies, the longest stall, and how long the background work took.

    `busy`: True for this benchmark's background work, or another benchmark's own.
    """
    settings = settings_for(path).model_copy(
        update={
            "telegram": Settings(
                telegram={
                    "enabled": True,
                    "token": TOKEN,
                    "base_url": f"{base}/bot",
                    "base_file_url": f"{base}/file/bot",
                }
            ).telegram
        }
    )
    async with open_database(path) as db:
        router = Router(db, settings, ManualClock(NOW))
        channel = TelegramChannel(settings.telegram)
        router.senders.register(channel.name, channel)
        await channel.start(router.submit)
        gc.collect()
        gc.freeze()  # as `thidua run` does once started
        meter = StallMeter()
        try:
            async with httpx.AsyncClient(base_url=base, timeout=60) as client:
                meter.start()
                background: list[Awaitable[object]] = []
                if busy:
                    work = reminders_and_digest if busy is True else busy
                    background = work(db, settings)
                started = time.perf_counter()
                jobs = asyncio.gather(*background)
                latencies = await run_form(client, people)
                await jobs
                took = time.perf_counter() - started
            return latencies, await meter.stop(), took
        finally:
            await channel.stop()
            await router.drain()
            await channel.close()


# Prepares one busy run on its copy of the database (round number given): its background.
PrepareBusy = Callable[[Path, int], Awaitable[Background]]


async def quiet_and_busy(
    source: Path, folder: Path, people: int, rounds: int, busy: PrepareBusy, what: str
) -> None:
    """The form alone and beside `busy`, `rounds` times each, on fresh copies of `source`
    against one fake Telegram server: print each run, the best p99s and their ratio."""
    port = free_port()
    server = start_fake_server(port)
    base = f"http://127.0.0.1:{port}"
    results: dict[str, list[tuple[list[float], float, float]]] = {"quiet": [], "busy": []}
    try:
        async with httpx.AsyncClient(base_url=base) as client:
            await wait_ready(client)
        for number in range(1, rounds + 1):
            for name in ("quiet", "busy"):
                path = fresh_copy(source, folder / f"{what}-{name}-{number}.sqlite3")
                work: bool | Background = await busy(path, number) if name == "busy" else False
                outcome = await scenario(path, base, people, work)
                results[name].append(outcome)
                lat, stall, took = outcome
                print(
                    f"  round {number} {name:5}: p50 {percentile(lat, 0.5) * 1000:6.1f} ms"
                    f"   p99 {percentile(lat, 0.99) * 1000:6.1f} ms"
                    f"   longest stall {stall * 1000:6.1f} ms   ({took:.1f} s)"
                )
    finally:
        server.terminate()
        server.wait(timeout=10)
    quiet = min(results["quiet"], key=lambda o: percentile(o[0], 0.99))
    loaded = min(results["busy"], key=lambda o: percentile(o[0], 0.99))
    q99, b99 = percentile(quiet[0], 0.99) * 1000, percentile(loaded[0], 0.99) * 1000
    print(
        f"  form p99: quiet {q99:.1f} ms, during the {what} {b99:.1f} ms"
        f" ({b99 / q99:.2f}× quiet; target < 150 ms)"
    )
    print(f"  longest loop stall: quiet {quiet[1] * 1000:.1f} ms, busy {loaded[1] * 1000:.1f} ms")


def fresh_copy(source: Path, target: Path) -> Path:
    """A copy of the built country, so each run starts with nothing reminded."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()
    return target


async def main() -> None:
    """Build, run quiet and busy, print side by side."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--provinces", type=int, default=34)
    args = parser.parse_args()
    logging.getLogger("thidua").setLevel(logging.WARNING)
    port = free_port()
    server = start_fake_server(port)
    base = f"http://127.0.0.1:{port}"
    results: dict[str, list[tuple[list[float], float, float]]] = {"quiet": [], "busy": []}
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "country.sqlite3"
        await asyncio.to_thread(build_country, source, provinces=args.provinces)
        enrol_people(source, args.people)
        try:
            async with httpx.AsyncClient(base_url=base) as client:
                await wait_ready(client)
            for round_number in range(1, args.rounds + 1):
                for name in ("quiet", "busy"):
                    path = fresh_copy(source, Path(folder) / f"{name}-{round_number}.sqlite3")
                    outcome = await scenario(path, base, args.people, name == "busy")
                    results[name].append(outcome)
                    lat, stall, took = outcome
                    print(
                        f"round {round_number} {name:5}: p50 {percentile(lat, 0.5) * 1000:6.1f} ms"
                        f"   p99 {percentile(lat, 0.99) * 1000:6.1f} ms"
                        f"   longest stall {stall * 1000:6.1f} ms   ({took:.1f} s)"
                    )
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(
        f"\n{args.people} people × {len(FORM_STEPS)} steps on a country of {args.provinces} provinces"
    )
    print(f"{'':8}{'p50 ms':>9}{'p99 ms':>9}{'stall ms':>10}   (best p99 of {args.rounds})")
    for name, outcomes in results.items():
        lat, stall, _ = min(outcomes, key=lambda o: percentile(o[0], 0.99))
        worst = max(o[1] for o in outcomes)
        print(
            f"{name:8}{percentile(lat, 0.5) * 1000:9.1f}{percentile(lat, 0.99) * 1000:9.1f}"
            f"{worst * 1000:10.1f}"
        )
    print("targets: busy p99 < 150 ms, longest stall ≤ 50 ms")


Runner = Callable[[], Awaitable[object]]

if __name__ == "__main__":
    asyncio.run(main())
