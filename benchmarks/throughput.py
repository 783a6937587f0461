"""Messages per second through our bot vs a bare python-telegram-bot echo bot, same fake server.

    .venv/bin/python benchmarks/throughput.py [--people 50] [--messages 20] [--rounds 2]

The fake Telegram Bot API runs in its own process; N simulated people each send M `trogiup`
messages at once; the clock stops when the last reply reaches the fake. Our bot does the whole
job (inbox dedupe, member lookup, role check, conversation, one SQLite transaction per message);
the baseline only echoes. Both use PTB's Application with the same polling settings.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path

import httpx
from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import admin
from bot.channels.telegram import TelegramChannel
from bot.clock import ManualClock
from bot.config import Settings
from bot.router import Router
from storage.db import open_database
from storage.models import Role

TOKEN = "123456:BENCH-token-abcdefghij"
USER_BASE = 10_000


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_fake_server(port: int) -> subprocess.Popen[bytes]:
    """Start the fake Telegram Bot API in its own process on `port`."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.fakes.telegram_server",
            "--port",
            str(port),
            "--token",
            TOKEN,
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


async def wait_ready(client: httpx.AsyncClient) -> None:
    """Wait until the fake server answers."""
    for _ in range(200):
        try:
            await client.get("/_fake/stats")
            return
        except httpx.HTTPError:
            await asyncio.sleep(0.05)
    raise RuntimeError("the fake server did not start")


async def measure(client: httpx.AsyncClient, people: int, messages: int) -> float:
    """Inject people × messages at once; return seconds until every reply arrived."""
    await client.post("/_fake/reset")
    batch = [
        {"user_id": USER_BASE + p, "text": "trogiup"}
        for _ in range(messages)
        for p in range(people)
    ]
    expected = len(batch)
    started = time.perf_counter()
    await client.post("/_fake/bulk", json={"messages": batch})
    while True:
        stats = (await client.get("/_fake/stats")).json()
        if stats["sent_count"] >= expected:
            return time.perf_counter() - started
        await asyncio.sleep(0.01)


FORM_STEPS = [
    "dangky",
    "Thắp sáng hẻm {i}",
    "1",
    "2,3",
    "Lắp 40 bóng LED dọc hẻm {i}",
    "Hẻm {i} đường Trần Hưng Đạo",
    "11/2023",
    "12/2023",
    "45 triệu",
    "1 2",
    "{i}",
    "boqua",
    "gui",
    "1",  # register another work: the long form again
    "Đường cờ Tổ quốc {i}",
    "1",
    "5",
    "30 cột cờ",
    "Đường số {i}",
    "12/2023",
    "1/2024",
    "30tr",
    "2",
    "150",
    "boqua",
    "gui",
    "2",
]


async def measure_form(client: httpx.AsyncClient, people: int) -> tuple[float, list[float]]:
    """Everyone answers the long registration form twice, one step a round, all at once.

    Returns the seconds taken and each step's latency (injection → first reply), from the fake.
    """
    await client.post("/_fake/reset")
    started = time.perf_counter()
    for number, step in enumerate(FORM_STEPS, 1):
        batch = [{"user_id": USER_BASE + p, "text": step.format(i=p)} for p in range(people)]
        await client.post("/_fake/bulk", json={"messages": batch})
        while (await client.get("/_fake/stats")).json()["answered"] < number * people:
            await asyncio.sleep(0.002)
    seconds = time.perf_counter() - started
    latencies = (await client.get("/_fake/latencies")).json()["latencies"]
    return seconds, [float(x) for x in latencies]


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of `values` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


async def echo_bot(base: str, run: Callable[[], Awaitable[float]], concurrent: int) -> float:
    """Run `run` while a bare PTB echo bot polls the fake (0 = PTB's default, one at a time)."""

    async def echo(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.message.text is not None
        await update.message.reply_text(update.message.text)

    builder = ApplicationBuilder().token(TOKEN).base_url(f"{base}/bot")
    builder = builder.base_file_url(f"{base}/file/bot")
    if concurrent:
        builder = builder.concurrent_updates(concurrent)
    app = builder.build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    async with app:
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=10)
        await app.start()
        try:
            return await run()
        finally:
            await app.updater.stop()
            await app.stop()


async def our_bot(base: str, people: int, run: Callable[[], Awaitable[float]]) -> float:
    """Run `run` while our bot (router + SQLite + Telegram adapter) polls the fake."""
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            database={"path": str(Path(folder) / "bench.sqlite3")},
            telegram={
                "enabled": True,
                "token": TOKEN,
                "base_url": f"{base}/bot",
                "base_file_url": f"{base}/file/bot",
            },
        )
        units = Path(folder) / "units.csv"
        units.write_text((ROOT / "bot/data/units.csv").read_text("utf-8"), "utf-8")
        async with open_database(settings.database.path) as db:
            await admin.import_units(db, settings, units)
            # Inside the sample campaign's registration window, so `dangky` opens the form.
            clock = ManualClock(datetime.fromisoformat("2023-11-20T08:00:00+07:00"))
            await admin.load_campaign(
                db, settings, ROOT / "bot/data/campaigns/example.toml", clock.now()
            )
            async with db.transaction() as repos:
                for p in range(people):
                    await repos.members.enrol(
                        channel="telegram",
                        user_id=str(USER_BASE + p),
                        chat_id=str(USER_BASE + p),
                        display_name=f"Người {p}",
                        unit_code="KP-01",
                        role=Role.REP,
                        now=clock.now(),
                    )
            router = Router(db, settings, clock)
            channel = TelegramChannel(settings.telegram)
            router.senders.register(channel.name, channel)
            await channel.start(router.submit)
            try:
                cpu = time.process_time()
                seconds = await run()
                if os.environ.get("BENCH_CPU"):
                    print(f"  thidua process CPU: {(time.process_time() - cpu) / seconds:.0%}")
                return seconds
            finally:
                await channel.stop()
                await router.drain()
                await channel.close()


async def main() -> None:
    """Run the comparison and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--form-people", type=int, default=50)
    args = parser.parse_args()
    port = free_port()
    server = start_fake_server(port)
    base = f"http://127.0.0.1:{port}"
    total = args.people * args.messages
    try:
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            await wait_ready(client)

            def job() -> Callable[[], Awaitable[float]]:
                return lambda: measure(client, args.people, args.messages)

            rates: dict[str, list[float]] = {"echo": [], "echo256": [], "thidua": []}
            form_rates: dict[str, list[float]] = {"echo": [], "thidua": []}
            form_latency: dict[str, list[float]] = {"echo": [], "thidua": []}
            for round_number in range(1, args.rounds + 1):
                rates["echo"].append(total / await echo_bot(base, job(), 0))
                rates["echo256"].append(total / await echo_bot(base, job(), 256))
                rates["thidua"].append(total / await our_bot(base, args.people, job()))
                print(
                    f"round {round_number}: "
                    + "   ".join(
                        f"{name} {values[-1]:7.1f} msg/s" for name, values in rates.items()
                    )
                )
                steps = args.form_people * len(FORM_STEPS)
                for name in ("echo", "thidua"):
                    measured: list[tuple[float, list[float]]] = []

                    async def form_job(into: list[tuple[float, list[float]]] = measured) -> float:
                        result = await measure_form(client, args.form_people)
                        into.append(result)
                        return result[0]

                    if name == "echo":
                        await echo_bot(base, form_job, 0)
                    else:
                        await our_bot(base, args.form_people, form_job)
                    seconds, latencies = measured[0]
                    form_rates[name].append(steps / seconds)
                    if not form_latency[name] or steps / seconds >= max(form_rates[name]):
                        form_latency[name] = latencies
                print(
                    f"  form steps: echo {form_rates['echo'][-1]:7.1f} steps/s   "
                    f"thidua {form_rates['thidua'][-1]:7.1f} steps/s"
                )
    finally:
        server.terminate()
        server.wait(timeout=10)
    best = {name: max(values) for name, values in rates.items()}
    baseline = max(best["echo"], best["echo256"])
    print(
        f"\n{args.people} people × {args.messages} messages = {total} messages, best of {args.rounds}"
    )
    print(f"bare PTB echo bot, PTB defaults (sequential) : {best['echo']:7.1f} msg/s")
    print(f"bare PTB echo bot, concurrent_updates(256)   : {best['echo256']:7.1f} msg/s")
    print(f"thidua-bot (every message one SQLite commit) : {best['thidua']:7.1f} msg/s")
    print(f"ratio to the faster echo bot: {best['thidua'] / baseline:.2f} (target ≥ 0.8)")
    echo_steps, our_steps = max(form_rates["echo"]), max(form_rates["thidua"])
    ours, echo = form_latency["thidua"], form_latency["echo"]
    print(
        f"\nlong form, {args.form_people} people at once, {len(FORM_STEPS)} steps each"
        f" (two registrations of 11 questions), best of {args.rounds}"
    )
    print(
        f"bare PTB echo bot  : {echo_steps:7.1f} steps/s   p50 {percentile(echo, 0.5) * 1000:6.1f} ms"
        f"   p99 {percentile(echo, 0.99) * 1000:6.1f} ms"
    )
    print(
        f"thidua-bot         : {our_steps:7.1f} steps/s   p50 {percentile(ours, 0.5) * 1000:6.1f} ms"
        f"   p99 {percentile(ours, 0.99) * 1000:6.1f} ms   (every step committed to SQLite)"
    )
    print(f"ratio: {our_steps / echo_steps:.2f} (target ≥ 0.6); p99 target < 100 ms")


if __name__ == "__main__":
    asyncio.run(main())
