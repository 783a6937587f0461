"""`thidua run` serves the web app: /healthz and the links, stopped by SIGTERM; a busy port is a line."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from bot.config import Settings
from bot.runtime import run_bot
from bot.web.downloads import Downloads
from tests.channels_harness import ZALO_TOKEN
from tests.fakes.zalo_server import FakeZalo

THIDUA = str(Path(sys.executable).with_name("thidua"))
SECRET = "runtime-test-secret-5f0a9c"


async def _bound_port(log: Path, proc: asyncio.subprocess.Process) -> int:
    """The port `thidua run` says it listens on (it was given port 0)."""
    for _ in range(400):
        found = re.search(r"web_started listen=127\.0\.0\.1:(\d+)", log.read_text())
        if found:
            return int(found.group(1))
        assert proc.returncode is None, log.read_text()
        await asyncio.sleep(0.05)
    raise AssertionError(f"thidua run did not start its web server:\n{log.read_text()}")


async def test_thidua_run_serves_healthz_and_links(tmp_path: Path) -> None:
    fake_zalo = FakeZalo(token=ZALO_TOKEN)
    async with fake_zalo.serving():
        config = tmp_path / "config.toml"
        config.write_text(
            f'[database]\npath = "{tmp_path / "bot.sqlite3"}"\n[telegram]\nenabled = false\n'
            f'[zalo]\nenabled = true\nbase_url = "{fake_zalo.api_base}"\n'
            '[web]\nlisten = "127.0.0.1:0"\npublic_url = "https://thidua.example.vn"\n',
            "utf-8",
        )
        env = {
            **os.environ,
            "THIDUA_CONFIG": str(config),
            "THIDUA_ZALO__TOKEN": ZALO_TOKEN,
            "THIDUA_WEB__SECRET": SECRET,
        }
        log_path = tmp_path / "run.log"
        with log_path.open("w") as log_file:
            proc = await asyncio.create_subprocess_exec(
                THIDUA, "run", env=env, stdout=log_file, stderr=log_file
            )
            try:
                port = await _bound_port(log_path, proc)
                async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
                    health = await http.get("/healthz")
                    assert health.status_code == 200, health.text
                    assert health.json()["status"] == "ok"
                    # A file published as a chat handler would: the running bot serves it.
                    settings = Settings(
                        database={"path": str(tmp_path / "bot.sqlite3")},
                        web={"secret": SECRET, "public_url": "https://thidua.example.vn"},
                    )
                    source = tmp_path / "staged.xlsx"
                    source.write_bytes(b"the list")
                    url = Downloads.from_settings(settings).publish(
                        source, "Danh sách.xlsx", datetime.now(UTC)
                    )
                    path = urlsplit(url).path
                    assert (await http.get(path)).content == b"the list"
                    assert (await http.get(path[:-2] + "xx")).status_code == 403
            finally:
                proc.send_signal(signal.SIGTERM)
                returncode = await asyncio.wait_for(proc.wait(), timeout=20)
    log = log_path.read_text()
    assert returncode == 0, log
    assert "web_stopped" in log and "Traceback" not in log
    assert SECRET not in log and path.removeprefix("/t/") not in log


async def test_a_busy_port_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    busy = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    port = busy.getsockname()[1]
    fake_zalo = FakeZalo(token=ZALO_TOKEN)
    try:
        async with fake_zalo.serving():
            settings = Settings(
                database={"path": str(tmp_path / "b.sqlite3")},
                telegram={"enabled": False},
                zalo={"enabled": True, "token": ZALO_TOKEN, "base_url": fake_zalo.api_base},
                web={"listen": f"127.0.0.1:{port}"},
            )
            assert await asyncio.wait_for(run_bot(settings), 20) == 1
    finally:
        busy.close()
    err = capsys.readouterr().err
    [line] = err.strip().splitlines()
    assert line.startswith(f"web.listen: cổng 127.0.0.1:{port} đang có chương trình khác dùng")
    assert " / " in line and "already in use" in line and "Traceback" not in err
