"""uvicorn in-process, on the running event loop, at `[web].listen`.

The socket is bound here (not by uvicorn, which answers a busy port with sys.exit), so a port
in use is an exception the command line turns into one line. uvicorn installs no signal
handlers (`thidua run` owns SIGINT/SIGTERM) and writes no access log: a request's path holds
the download token.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import socket
from collections.abc import Iterator

import uvicorn
from starlette.types import ASGIApp

from bot.logs import logfmt

log = logging.getLogger("thidua.web")

# How long a stop waits for requests in progress (a download) before cutting them.
GRACE_SECONDS = 5


class WebStartFailed(Exception):
    """The web server could not listen; `line` says why in Vietnamese / English."""

    def __init__(self, line: str) -> None:
        super().__init__(line)
        self.line = line


class _Server(uvicorn.Server):
    """uvicorn's server, minus its signal handlers."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        """Install nothing: thidua run's own SIGINT/SIGTERM handlers must stay in place."""
        yield


def split_listen(listen: str) -> tuple[str, int]:
    """'127.0.0.1:8080' → ('127.0.0.1', 8080); '[::1]:8080' → ('::1', 8080)."""
    host, _, port = listen.rpartition(":")
    return host.strip().removeprefix("[").removesuffix("]"), int(port)


def bind(listen: str) -> socket.socket:
    """Return a socket bound to `listen`, or raise WebStartFailed with the reason in words."""
    host, port = split_listen(listen)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    except socket.gaierror:
        raise WebStartFailed(
            _line(
                f"web.listen: không biết máy {host!r}: kiểm tra địa chỉ này",
                f"web.listen: unknown host {host!r}: check the address",
            )
        ) from None
    family, kind, proto, _, address = infos[0]
    # With the protocol number asyncio sets TCP_NODELAY on each connection.
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise WebStartFailed(_bind_line(listen, exc)) from None
    return sock


def _bind_line(listen: str, exc: OSError) -> str:
    """Why `listen` could not be bound, and what to do."""
    if exc.errno == errno.EADDRINUSE:
        return _line(
            f"web.listen: cổng {listen} đang có chương trình khác dùng (có thể là một thidua run"
            " khác): dừng chương trình đó hoặc chọn cổng khác",
            f"web.listen: {listen} is already in use (perhaps by another thidua run): stop it"
            " or choose another port",
        )
    if exc.errno == errno.EACCES:
        return _line(
            f"web.listen: không có quyền mở cổng {listen}: chọn cổng từ 1024 trở lên",
            f"web.listen: no permission to listen on {listen}: choose a port from 1024 up",
        )
    reason = exc.strerror or type(exc).__name__
    return _line(
        f"web.listen: không mở được {listen} ({reason}): máy này có địa chỉ đó không?",
        f"web.listen: cannot listen on {listen} ({reason}): does this machine have that address?",
    )


def _line(vi: str, en: str) -> str:
    return f"{vi} / {en}"


class WebServer:
    """The web app served by uvicorn on the running loop: `start`, then `stop`."""

    def __init__(self, app: ASGIApp, listen: str) -> None:
        self.app = app
        self.listen = listen
        self._sock: socket.socket | None = None
        self._port: int | None = None
        self._server: _Server | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def port(self) -> int:
        """The port actually bound (the one the system chose for port 0)."""
        if self._port is None:
            raise RuntimeError("the web server is not started")
        return self._port

    async def start(self) -> None:
        """Bind and serve; return once listening (WebStartFailed if the address cannot be had)."""
        sock = bind(self.listen)
        config = uvicorn.Config(
            self.app,
            lifespan="off",
            ws="none",
            log_config=None,  # our logging (masked secrets) stays as it is
            log_level="warning",
            access_log=False,  # the path holds the token
            server_header=False,
            timeout_graceful_shutdown=GRACE_SECONDS,
        )
        server = _Server(config)
        task = asyncio.create_task(server.serve(sockets=[sock]), name="web")
        while not server.started:
            if task.done():
                sock.close()
                task.result()  # uvicorn's own start-up error, as it is
                raise WebStartFailed(_line("web: không khởi động được", "web: could not start"))
            await asyncio.sleep(0.005)
        self._sock, self._server, self._task = sock, server, task
        self._port = int(sock.getsockname()[1])
        log.info(logfmt("web_started", listen=f"{split_listen(self.listen)[0]}:{self.port}"))

    async def stop(self) -> None:
        """Stop accepting, let requests in progress finish (up to GRACE_SECONDS), close."""
        server, task = self._server, self._task
        if server is None or task is None:
            return
        server.should_exit = True
        try:
            await asyncio.wait_for(asyncio.shield(task), GRACE_SECONDS + 2)
        except TimeoutError:
            server.force_exit = True
            await task
        finally:
            if self._sock is not None:
                self._sock.close()
            self._server = self._task = None
        log.info(logfmt("web_stopped"))
