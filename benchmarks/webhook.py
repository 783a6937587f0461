"""What keeping each webhook update on disk before the 200 costs, against answering at once.

    .venv/bin/python benchmarks/webhook.py [--posts 2000] [--concurrency 8] [--rounds 3]

The bot's web app (Starlette on uvicorn, as `thidua run` serves it) takes N Zalo webhook POSTs,
each a different update, from a client sending `concurrency` at a time. Two routes side by side
in the same app and the same run:

* `/hook/zalo`, the real endpoint: secret header checked, the body read and turned into an
  Inbound, the update kept in `webhook_inbox` (one SQLite transaction on a real file, WAL),
  then 200 and the hand-over to the router (here a counter: the router is measured elsewhere);
* the baseline, `/baseline`: the same secret check and body reading, then 200 at once — what a
  webhook that keeps nothing would cost (and lose on a crash).

Printed: POSTs a second and p50/p99 latency of each, and the ratio of the two.
"""

from __future__ import annotations

import argparse
import asyncio
import hmac
import json
import socket
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.channels.zalo import SECRET_HEADER, ZaloChannel
from bot.clock import SystemClock
from bot.config import ZaloConfig
from bot.messages import Inbound
from bot.web.app import build_app
from bot.web.downloads import Downloads
from bot.web.hooks import Webhooks, webhook_secret
from bot.web.server import WebServer
from storage.db import open_database

SECRET = webhook_secret("benchmark-secret-0123456789", "zalo")


class Stopped:
    """A scheduler that is not running (/healthz is not measured here)."""

    last_tick: datetime | None = None
    running = False


def body(number: int) -> bytes:
    """A Zalo text update, different each time (its own message_id)."""
    update = {
        "event_name": "message.text.received",
        "message": {
            "message_id": f"{number:020x}",
            "date": 1750316131602,
            "from": {"id": f"{number % 500:020x}", "display_name": "Nguyen Van A"},
            "chat": {"id": f"{number % 500:020x}", "chat_type": "PRIVATE"},
            "text": "dạ em gửi báo cáo ạ",
        },
    }
    return json.dumps({"ok": True, "result": update}).encode()


async def baseline(request: Request) -> Response:
    """The same check and reading, then 200 without keeping anything."""
    given = request.headers.get(SECRET_HEADER, "")
    if not hmac.compare_digest(given.encode(), SECRET.encode()):
        return JSONResponse({"ok": False}, status_code=403)
    json.loads(await request.body())
    return JSONResponse({"ok": True, "description": "ok"})


def free_port() -> int:
    """A port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def hammer(
    client: httpx.AsyncClient, path: str, posts: int, concurrency: int, first: int
) -> tuple[float, list[float]]:
    """POST `posts` updates to `path`, `concurrency` at a time; (seconds, latencies)."""
    numbers = iter(range(first, first + posts))
    latencies: list[float] = []

    async def worker() -> None:
        for number in numbers:
            started = time.perf_counter()
            answer = await client.post(path, content=body(number), headers={SECRET_HEADER: SECRET})
            latencies.append(time.perf_counter() - started)
            assert answer.status_code == 200, answer.text

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started, latencies


def line(name: str, seconds: float, latencies: list[float]) -> tuple[float, float]:
    """Print one route's figures; return (posts a second, p99 ms)."""
    ordered = sorted(latencies)
    p50 = ordered[len(ordered) // 2] * 1000
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
    rate = len(latencies) / seconds
    print(f"  {name:<34} {rate:8.0f} POSTs/s   p50 {p50:6.2f} ms   p99 {p99:6.2f} ms")
    return rate, p99


async def main() -> None:
    """Measure both routes, alternately, and print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        async with open_database(Path(folder) / "bench.sqlite3") as db:
            handed: list[Inbound] = []
            zalo = ZaloChannel(ZaloConfig(token="1:x", base_url="http://127.0.0.1:9/bot"))
            webhooks = Webhooks({"zalo": zalo}, {"zalo": SECRET}, handed.append)
            downloads = Downloads(
                Path(folder) / "d", secret="", public_url="", lifetime=timedelta(hours=1)
            )
            app = build_app(
                db,
                Stopped(),
                downloads,
                SystemClock(),
                routes=[Route("/baseline", baseline, methods=["POST"])],
                webhooks=webhooks,
            )
            port = free_port()
            server = WebServer(app, f"127.0.0.1:{port}")
            await server.start()
            try:
                async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
                    await hammer(client, "/baseline", 200, args.concurrency, 0)  # warm up
                    print(
                        f"{args.posts:,} Zalo webhook POSTs, {args.concurrency} at a time,"
                        " client and server on one loop"
                    )
                    first = 1_000_000
                    for round_ in range(1, args.rounds + 1):
                        print(f"round {round_}:")
                        seconds, lat = await hammer(
                            client, "/baseline", args.posts, args.concurrency, first
                        )
                        base_rate, base_p99 = line("baseline (200 at once, keeps nothing)",
                                                   seconds, lat)  # fmt: skip
                        first += args.posts
                        seconds, lat = await hammer(
                            client, "/hook/zalo", args.posts, args.concurrency, first
                        )
                        rate, p99 = line("/hook/zalo (kept on disk, then 200)", seconds, lat)
                        first += args.posts
                        print(
                            f"  ratio: {rate / base_rate:.2f} of the baseline's rate,"
                            f" p99 {p99 / base_p99:.2f}× the baseline's"
                        )
            finally:
                await server.stop()
            print(f"updates handed to the router: {len(handed):,} (each once)")
            assert len(handed) == args.posts * args.rounds


if __name__ == "__main__":
    asyncio.run(main())
