"""Broadcasts at the platform's ceiling: every person once, and the form stays quick meanwhile.

    .venv/bin/python benchmarks/broadcast.py [--recipients 10000] [--zalo-recipients 10000]

1. The fake Telegram server (its own process) with flood control on — at most 30 sends in any
   one second overall, one a second per chat, real 429s with retry_after — first meets a bare
   client that sends as fast as the fake lets it (many at once, a refused send tried again at
   once): the ceiling, measured. Then `Outbox` with `telegram_per_second = 30` sends a broadcast
   of N rows from a real SQLite file: sustained messages a second, the 429s it provoked (all,
   and after its first seconds), the ratio to the ceiling (target ≥ 0.93), lost and duplicated
   copies counted on the fake. 1b: the same over a jittery link (each send held up to 50 ms on
   its way, at random), which is what breaks a sender that merely spaces its sends 1/30 s apart.
1c. The same where each send takes 100 ms, then 250 ms, on the link (a far server): the
   sender opens as many sending lanes as the pace needs there, and no more (the lanes open
   are the messages a crash could send twice).
2. The same on the fake Zalo server limited to its configured rate (10 a second; Zalo's 429
   says nothing about when to come back), with `zalo_per_second = 10`.
3. 50 people answer the long form (benchmarks/stall.py's scenario) quiet, then while the
   outbox sends a Telegram broadcast (flood control off there: 50 people answering at once are
   more than 30 replies a second by themselves): the form's p99 beside it, target < 150 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.country import build_country
from benchmarks.stall import Background, enrol_people, quiet_and_busy
from benchmarks.throughput import TOKEN, free_port, start_fake_server, wait_ready
from bot.channels.telegram import TelegramChannel
from bot.channels.zalo import ZaloChannel
from bot.clock import SystemClock
from bot.config import OutboxConfig, Settings
from bot.messages import Outbound
from bot.outbox import Outbox, enqueue
from bot.transport import Senders
from storage.db import Database, open_database
from storage.models import OutboxKind, OutboxState
from tests.fakes.zalo_server import DEFAULT_TOKEN as ZALO_TOKEN

TEXT = (
    "Thông báo: Hội nghị sơ kết dời sang 8 giờ ngày 28/8 tại hội trường Ủy ban MTTQ phường."
    " Đề nghị các đồng chí sắp xếp dự đầy đủ."
)
SETTLE = 5.0  # seconds after the first send from which "after adapting" counts
JITTER = 0.05  # 1b: the most a send is held on its way to the fake, at random
CHAT_BASE = 5_000_000  # broadcast chats, apart from the form's people (benchmarks/throughput)


@dataclass
class Fake:
    """A fake server in its own process, and how to reach it."""

    channel: str
    base: str
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        """End the process."""
        self.process.terminate()
        self.process.wait(timeout=10)


def start_zalo(port: int, per_second: int) -> subprocess.Popen[bytes]:
    """Start the fake Zalo server in its own process, limited to `per_second` sends."""
    command = [sys.executable, "-m", "tests.fakes.zalo_server", "--port", str(port)]
    return subprocess.Popen(
        [*command, "--per-second", str(per_second)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def chat_ids(channel: str, count: int, base: int = CHAT_BASE) -> list[str]:
    """Distinct recipients: Telegram user ids, or Zalo-shaped hex ids."""
    if channel == "telegram":
        return [str(base + n) for n in range(count)]
    return [f"{base + n:020x}" for n in range(count)]


def settings_on(fake: Fake, path: Path) -> Settings:
    """Settings that reach the fake, on the database at `path`."""
    if fake.channel == "telegram":
        return Settings(
            database={"path": str(path)},
            telegram={
                "enabled": True,
                "token": TOKEN,
                "base_url": f"{fake.base}/bot",
                "base_file_url": f"{fake.base}/file/bot",
            },
        )
    return Settings(
        database={"path": str(path)},
        telegram={"enabled": False},
        zalo={"enabled": True, "token": ZALO_TOKEN, "base_url": f"{fake.base}/bot"},
    )


async def ceiling(fake: Fake, seconds: float, workers: int = 16) -> float:
    """Sends a second the fake accepts from a client that never waits: the platform's ceiling.

    The fake lets a window's worth through at once and then nothing until the second is over,
    so the count is taken over whole seconds, from the end of the first.
    """
    token = TOKEN if fake.channel == "telegram" else ZALO_TOKEN
    url = f"{fake.base}/bot{token}/sendMessage"
    accepted: list[float] = []
    chats = iter(chat_ids(fake.channel, 100_000, base=9 * CHAT_BASE))  # not the broadcast's
    deadline = time.monotonic() + seconds

    async def worker(client: httpx.AsyncClient) -> None:
        while time.monotonic() < deadline:
            answer = (await client.post(url, json={"chat_id": next(chats), "text": "x"})).json()
            if answer.get("ok"):
                accepted.append(time.monotonic())

    async with httpx.AsyncClient(timeout=30) as client:
        await asyncio.gather(*(worker(client) for _ in range(workers)))
    start = accepted[0] + 1.0
    whole = int(accepted[-1] - start)
    return sum(1 for t in accepted if start <= t < start + whole) / whole


async def queue_broadcast(db: Database, channel: str, chats: list[str]) -> None:
    """The broadcast's rows, as the broadcast command queues them (kind broadcast, ref 1)."""
    now = datetime.now(UTC)
    message = Outbound(text=TEXT)
    for start in range(0, len(chats), 1000):
        async with db.transaction() as repos:
            for chat in chats[start : start + 1000]:
                await enqueue(
                    repos,
                    channel=channel,
                    chat_id=chat,
                    member_id=None,
                    kind=OutboxKind.BROADCAST,
                    ref="1",
                    message=message,
                    not_before=now,
                    now=now,
                )


async def run_outbox(
    db: Database, settings: Settings, channel: str, per_second: float
) -> list[int]:
    """Send every pending broadcast row of `channel` with the real adapter, then stop; return
    the lanes the sender kept open, sampled every half second (the crash bound of that moment)."""
    adapter: TelegramChannel | ZaloChannel = (
        TelegramChannel(settings.telegram) if channel == "telegram" else ZaloChannel(settings.zalo)
    )
    await adapter.open()
    senders = Senders()
    senders.register(channel, adapter)
    config = OutboxConfig(**{f"{channel}_per_second": per_second})
    outbox = Outbox(db, senders, SystemClock(), config, channels=[channel])
    outbox.start()
    lanes: list[int] = []
    try:
        while True:
            async with db.read() as repos:
                counts = await repos.outbox.counts(OutboxKind.BROADCAST, "1")
            if not counts.get(OutboxState.PENDING):
                return lanes
            lanes.append(outbox.senders[channel].lanes())
            await asyncio.sleep(0.5)
    finally:
        await outbox.stop()
        await adapter.close()


@dataclass
class Outcome:
    """What one broadcast came to, counted on the fake."""

    recipients: int
    seconds: float
    rate: float  # sends a second, first to last
    settled_rate: float  # the same from SETTLE seconds in
    too_many: int
    too_many_late: int  # after SETTLE seconds
    lost: int
    duplicated: int
    lanes: list[int]  # sampled while sending: the most a crash could send twice then


async def broadcast(fake: Fake, folder: Path, recipients: int, per_second: float) -> Outcome:
    """A broadcast of `recipients` rows through the outbox; counted on the fake."""
    chats = chat_ids(fake.channel, recipients)
    path = folder / f"{fake.channel}-{fake.base.rsplit(':', 1)[-1]}.sqlite3"  # one per fake
    settings = settings_on(fake, path)
    async with open_database(path) as db:
        await queue_broadcast(db, fake.channel, chats)
        started = time.perf_counter()
        lanes = await run_outbox(db, settings, fake.channel, per_second)
        seconds = time.perf_counter() - started
    async with httpx.AsyncClient(base_url=fake.base, timeout=60) as client:
        tally: dict[str, Any] = (await client.get("/_fake/tally")).json()
    per_chat: dict[str, int] = tally["per_chat"]
    sent_at = sorted(float(t) for t in tally["sent_at"])
    refused = [float(t) for t in tally["too_many_at"]]
    first, last = sent_at[0], sent_at[-1]
    settled = [t for t in sent_at if t >= first + SETTLE]
    return Outcome(
        recipients=recipients,
        seconds=seconds,
        rate=(len(sent_at) - 1) / (last - first),
        settled_rate=(len(settled) - 1) / (settled[-1] - settled[0]),
        too_many=len(refused),
        too_many_late=sum(1 for t in refused if t >= first + SETTLE),
        lost=sum(1 for chat in chats if per_chat.get(chat, 0) == 0),
        duplicated=sum(max(per_chat.get(chat, 0) - 1, 0) for chat in chats),
        lanes=lanes,
    )


async def measure_channel(
    fake: Fake, folder: Path, recipients: int, per_second: int, flood: dict[str, Any]
) -> tuple[float, Outcome]:
    """The ceiling, then our broadcast, on one fake with its limits on."""
    async with httpx.AsyncClient(base_url=fake.base, timeout=30) as client:
        await wait_ready(client)
        if flood:  # Telegram's limits are switched on; Zalo's rate is the fake's own
            await client.post("/_fake/flood", json=flood)
        top = await ceiling(fake, seconds=8)
        await client.post("/_fake/reset")
        if flood:  # a Telegram reset lifts them
            await client.post("/_fake/flood", json=flood)
        await asyncio.sleep(1.1)  # the ceiling's sends leave the window
    outcome = await broadcast(fake, folder, recipients, per_second)
    return top, outcome


def report(name: str, per_second: int, top: float, outcome: Outcome) -> None:
    """Print one channel's figures and their ratios to the ceiling."""
    print(f"{name}: {outcome.recipients:,} recipients, the fake at {per_second}/s")
    print(f"  ceiling measured (a client that never waits): {top:6.2f} msg/s")
    print(
        f"  thidua outbox at {per_second}/s: {outcome.rate:6.2f} msg/s sustained"
        f" ({outcome.settled_rate:.2f} after {SETTLE:g} s), {outcome.seconds:.0f} s in all"
    )
    print(
        f"  ratio to the measured ceiling {outcome.rate / top:.3f}, to the nominal"
        f" {per_second}/s {outcome.rate / per_second:.3f} (target ≥ 0.93)"
    )
    print(
        f"  429s provoked: {outcome.too_many} ({outcome.too_many_late} after the first"
        f" {SETTLE:g} s)   lost: {outcome.lost}   duplicated: {outcome.duplicated}"
    )
    if outcome.lanes:
        settled = sorted(outcome.lanes[len(outcome.lanes) // 4 :] or outcome.lanes)
        print(
            f"  lanes open (sends in flight at most, the crash bound): median"
            f" {settled[len(settled) // 2]}, most {max(outcome.lanes)}"
        )


async def slow_links(folder: Path, latencies: list[float], recipients: int, rate: int) -> None:
    """1c: the same broadcast where every send takes `latency` on the link (a far server, a
    slow uplink): the sender opens as many lanes as the pace needs over that link."""
    for latency in latencies:
        await telegram_part(
            f"1c. Telegram over a slow link (each send takes {latency * 1000:.0f} ms)",
            folder,
            recipients,
            rate,
            0.0,
            latency,
        )


def sending_beside(db: Database, settings: Settings) -> list[Awaitable[object]]:
    """The busy run's background: the outbox sending the queued broadcast until it is done."""
    return [run_outbox(db, settings, "telegram", 30)]


async def form_during_broadcast(folder: Path, people: int, recipients: int, rounds: int) -> None:
    """Part 3: the form's latencies quiet and beside a running broadcast."""
    source = folder / "country.sqlite3"
    await asyncio.to_thread(build_country, source, provinces=2)
    enrol_people(source, people)

    async def busy(path: Path, number: int) -> Background:
        # Queued beforehand: the sending is what is measured.
        async with open_database(path) as db:
            await queue_broadcast(db, "telegram", chat_ids("telegram", recipients))
        return sending_beside

    await quiet_and_busy(source, folder, people, rounds, busy, "broadcast")


async def telegram_part(
    title: str, folder: Path, recipients: int, rate: int, jitter: float, latency: float
) -> None:
    """One Telegram broadcast against a fresh fake with flood control on; print it."""
    port = free_port()
    fake = Fake("telegram", f"http://127.0.0.1:{port}", start_fake_server(port))
    flood = {"per_second": rate, "per_chat": 1.0, "jitter": jitter, "send_delay": latency}
    try:
        top, outcome = await measure_channel(fake, folder, recipients, rate, flood)
    finally:
        fake.stop()
    report(title, rate, top, outcome)


async def main() -> None:
    """Measure each part and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--zalo-recipients", type=int, default=10_000)
    parser.add_argument("--telegram-rate", type=int, default=30)
    parser.add_argument("--zalo-rate", type=int, default=10)
    parser.add_argument("--jitter", type=float, default=0.0, help="seconds, on the fake's side")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds each send takes")
    parser.add_argument(
        "--jittery-recipients", type=int, default=3_000, help="1b, over a jittery link; 0: skip"
    )
    parser.add_argument(
        "--slow-links",
        default="0.1,0.25",
        help="1c: seconds each send takes, comma-separated; empty: skip",
    )
    parser.add_argument("--slow-recipients", type=int, default=2_000)
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--form-recipients", type=int, default=1_000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--only", choices=["telegram", "zalo", "form"], default=None)
    args = parser.parse_args()
    logging.getLogger("thidua").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        rate = args.telegram_rate
        if args.only in (None, "telegram"):
            await telegram_part(
                "1. Telegram", folder, args.recipients, rate, args.jitter, args.latency
            )
            if args.jittery_recipients:
                await telegram_part(
                    f"1b. Telegram over a jittery link (each send held 0-{JITTER * 1000:.0f} ms"
                    " on its way, at random)",
                    folder,
                    args.jittery_recipients,
                    rate,
                    JITTER,
                    args.latency,
                )
            if args.slow_links:
                latencies = [float(x) for x in args.slow_links.split(",") if x.strip()]
                await slow_links(folder, latencies, args.slow_recipients, rate)
        if args.only in (None, "zalo"):
            port = free_port()
            fake = Fake("zalo", f"http://127.0.0.1:{port}", start_zalo(port, args.zalo_rate))
            try:
                top, outcome = await measure_channel(
                    fake, folder, args.zalo_recipients, args.zalo_rate, {}
                )
            finally:
                fake.stop()
            report("2. Zalo", args.zalo_rate, top, outcome)
        if args.only in (None, "form"):
            print(
                f"3. {args.people} people answering the long form, quiet and during a"
                f" {args.form_recipients:,}-person Telegram broadcast at 30/s"
            )
            await form_during_broadcast(folder, args.people, args.form_recipients, args.rounds)


if __name__ == "__main__":
    asyncio.run(main())
