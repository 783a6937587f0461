"""Run a Starlette app on 127.0.0.1 at a random port inside the current event loop."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from starlette.types import ASGIApp


@asynccontextmanager
async def serve(app: ASGIApp, host: str = "127.0.0.1") -> AsyncIterator[str]:
    """Serve `app` until the block ends; yields its base URL, e.g. http://127.0.0.1:54321."""
    # With a protocol number asyncio sets TCP_NODELAY on each connection (else ~40 ms per request).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, lifespan="off", log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            if task.done():
                task.result()  # surface the start-up error
            await asyncio.sleep(0.005)
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        # Long polls keep connections open; don't wait for them to finish on their own.
        server.force_exit = True
        await task
        sock.close()


def run_forever(app: ASGIApp, port: int, host: str = "127.0.0.1") -> None:
    """Serve `app` in the foreground (for benchmarks and subprocess tests)."""
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
