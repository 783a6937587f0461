"""One flooding chat must not slow everyone else: the people's latency with and without a flood.

    .venv/bin/python benchmarks/fairness.py [--people 50] [--flood 500] [--rounds 2]

The fake Telegram Bot API runs in its own process and answers sends to the flooding chat faster
than one a second with 429 (retry_after 1), as Telegram does per chat. 50 enrolled people fill
the long registration form (27 steps, all at once each step) — once on a quiet bot, once right
after an unenrolled chat sent 500 messages. Printed side by side: steps per second and the
people's p50/p99 (the flooding chat's own replies left out), and the ratio flood / quiet.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.throughput import (
    FORM_STEPS,
    USER_BASE,
    free_port,
    our_bot,
    percentile,
    start_fake_server,
    wait_ready,
)

FLOODER = 99_999


async def run_form(client: httpx.AsyncClient, people: int, flood: int) -> tuple[float, list[float]]:
    """Optionally flood from one chat, then everyone answers the form; seconds and latencies."""
    await client.post("/_fake/reset")
    exclude = {"exclude": str(FLOODER)}
    if flood:
        await client.post("/_fake/limit", json={"chat_id": FLOODER, "retry_after": 1})
        batch = [{"user_id": FLOODER, "text": f"xin chào {n}"} for n in range(flood)]
        await client.post("/_fake/bulk", json={"messages": batch})
    started = time.perf_counter()
    for number, step in enumerate(FORM_STEPS, 1):
        batch = [{"user_id": USER_BASE + p, "text": step.format(i=p)} for p in range(people)]
        await client.post("/_fake/bulk", json={"messages": batch})
        while (await client.get("/_fake/stats", params=exclude)).json()[
            "answered"
        ] < number * people:
            await asyncio.sleep(0.002)
    seconds = time.perf_counter() - started
    latencies = (await client.get("/_fake/latencies", params=exclude)).json()["latencies"]
    return seconds, [float(x) for x in latencies]


async def main() -> None:
    """Run both scenarios in the same process, same fake server, and print them side by side."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--flood", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    logging.getLogger("thidua").setLevel(logging.ERROR)  # the flood's warnings are expected
    port = free_port()
    server = start_fake_server(port)
    base = f"http://127.0.0.1:{port}"
    results: dict[str, list[tuple[float, list[float]]]] = {"quiet": [], "flood": []}
    try:
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            await wait_ready(client)
            for round_number in range(1, args.rounds + 1):
                for name, flood in (("quiet", 0), ("flood", args.flood)):
                    into = results[name]

                    async def job(
                        flood: int = flood, into: list[tuple[float, list[float]]] = into
                    ) -> float:
                        outcome = await run_form(client, args.people, flood)
                        into.append(outcome)
                        return outcome[0]

                    await our_bot(base, args.people, job)
                    seconds, latencies = into[-1]
                    print(
                        f"round {round_number} {name:5}: {len(latencies) / seconds:7.1f} steps/s"
                        f"   p50 {percentile(latencies, 0.5) * 1000:6.1f} ms"
                        f"   p99 {percentile(latencies, 0.99) * 1000:6.1f} ms"
                    )
    finally:
        server.terminate()
        server.wait(timeout=10)

    def p99(outcome: tuple[float, list[float]]) -> float:
        return percentile(outcome[1], 0.99)

    best = {name: min(outcomes, key=p99) for name, outcomes in results.items()}
    steps = args.people * len(FORM_STEPS)
    print(
        f"\n{args.people} people × {len(FORM_STEPS)} form steps; flood = one unenrolled chat "
        f"sending {args.flood} messages at once (429 beyond 1/s to it); best p99 of {args.rounds}"
    )
    print(f"{'':18}{'steps/s':>9}{'p50 ms':>9}{'p99 ms':>9}")
    for name, (seconds, latencies) in best.items():
        print(
            f"{name:18}{steps / seconds:9.1f}{percentile(latencies, 0.5) * 1000:9.1f}"
            f"{percentile(latencies, 0.99) * 1000:9.1f}"
        )
    ratio = p99(best["flood"]) / p99(best["quiet"])
    print(f"p99 with the flood / without: {ratio:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
