"""Webhooks (issue 15), end to end: `thidua run` in webhook mode registers itself on both fake
servers, which POST their updates to the bot's web app; a wrong or missing secret gets 403 and
nothing is kept; both Zalo body shapes; an empty probe gets 200; a POST made twice is handled
once; a body over 1 MB is refused; an update whose 200 went out before a SIGKILL is answered
once after the restart."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from bot import admin
from bot.config import Settings, channel_problems
from bot.runtime import run_bot
from bot.web.hooks import MAX_BODY, webhook_secret
from storage.db import open_database
from tests.channels_harness import TELEGRAM_TOKEN, ZALO_TOKEN
from tests.conftest import units_csv
from tests.fakes.runner import serve
from tests.fakes.telegram_server import TELEGRAM_SECRET_HEADER, FakeTelegram
from tests.fakes.zalo_server import SECRET_HEADER, FakeZalo, id_for, text_update
from tests.test_run import THIDUA, _cli

SECRET = "webhook-test-secret-0123456789"


def free_port() -> int:
    """A port nobody listens on now (the bot must know its public URL before it starts)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Running:
    """The bot running in webhook mode on both fakes, and a client for its web app."""

    settings: Settings
    telegram: FakeTelegram
    zalo: FakeZalo
    web: httpx.AsyncClient

    def rows(self, table: str) -> int:
        """Rows in a table of the bot's database, read beside it."""
        with sqlite3.connect(self.settings.database.path) as conn:
            return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


@asynccontextmanager
async def running(tmp_path: Path) -> AsyncIterator[Running]:
    """`run_bot` in this process, both channels in webhook mode, until the block ends."""
    telegram = FakeTelegram(token=TELEGRAM_TOKEN, username="phuong_mau_bot")
    zalo = FakeZalo(token=ZALO_TOKEN)
    port = free_port()
    async with serve(telegram.app) as tg_url, zalo.serving():
        settings = Settings(
            database={"path": str(tmp_path / "bot.sqlite3")},
            telegram={
                "enabled": True, "token": TELEGRAM_TOKEN, "mode": "webhook",
                "base_url": f"{tg_url}/bot", "base_file_url": f"{tg_url}/file/bot",
            },
            zalo={"enabled": True, "token": ZALO_TOKEN, "base_url": zalo.api_base,
                  "mode": "webhook"},
            web={"listen": f"127.0.0.1:{port}", "public_url": f"http://127.0.0.1:{port}",
                 "secret": SECRET},
        )  # fmt: skip
        async with open_database(settings.database.path) as db:
            csv = tmp_path / "units.csv"
            csv.write_text(units_csv(), "utf-8")
            await admin.import_units(db, settings, csv)
        stop = asyncio.Event()
        bot = asyncio.create_task(run_bot(settings, stop))
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as web:
                for _ in range(200):  # until both webhooks are registered
                    if telegram.webhook_url and zalo.webhook_url:
                        break
                    assert not bot.done(), "thidua run stopped"
                    await asyncio.sleep(0.05)
                yield Running(settings, telegram, zalo, web)
        finally:
            stop.set()
            assert await asyncio.wait_for(bot, timeout=20) == 0


async def test_both_platforms_post_to_the_bot_and_hear_200(tmp_path: Path) -> None:
    async with running(tmp_path) as bot:
        base = bot.settings.web.public_url
        # Registered by the bot itself, with a secret derived from [web].secret.
        assert bot.telegram.webhook_url == f"{base}/hook/telegram"
        assert bot.telegram.webhook_secret == webhook_secret(SECRET, "telegram")
        assert bot.zalo.webhook_url == f"{base}/hook/zalo"
        assert bot.zalo.webhook_secret == webhook_secret(SECRET, "zalo")
        assert bot.zalo.webhook_secret != bot.telegram.webhook_secret
        bot.telegram.inject_message(4242, "trogiup", first_name="Tư")
        sent = await bot.telegram.wait_for_sent(4242, 1, timeout=10)
        assert "chưa tham gia" in (sent[0].text or "")
        user = id_for("ba-hoa")
        bot.zalo.inject_text(user, "trogiup")
        sent_z = await bot.zalo.wait_for_sent(user, 1, timeout=10)
        assert "chưa tham gia" in (sent_z[0].text or "")
        assert [status for _, status in bot.telegram.webhook_deliveries] == [200]
        assert bot.zalo.webhook_deliveries == [200]
        # The same words in the flat body shape seen in real traffic.
        bot.zalo.flat_webhooks = True
        bot.zalo.inject_text(user, "trogiup")
        await bot.zalo.wait_for_sent(user, 2, timeout=10)
        # Polling is off: getUpdates is refused while a webhook is set.
        assert not bot.telegram.calls_of("getUpdates")
        assert not [c for c in bot.zalo.calls if c[0] == "getUpdates"]
        # Handled and answered: nothing is waiting in the kept updates for a restart.
        health = (await bot.web.get("/healthz")).json()
        assert set(health["last_update"]) == {"telegram", "zalo"}


async def test_a_wrong_or_missing_secret_is_403_and_nothing_is_kept(tmp_path: Path) -> None:
    async with running(tmp_path) as bot:
        update = {"update_id": 5, "message": {
            "message_id": 1, "date": 1700000000, "text": "trogiup",
            "chat": {"id": 77, "type": "private"}, "from": {"id": 77, "is_bot": False,
                                                           "first_name": "A"}}}  # fmt: skip
        for headers in ({}, {TELEGRAM_SECRET_HEADER: "wrong"},
                        {TELEGRAM_SECRET_HEADER: webhook_secret(SECRET, "zalo")}):  # fmt: skip
            answer = await bot.web.post("/hook/telegram", json=update, headers=headers)
            assert answer.status_code == 403
        zalo_body = {"ok": True, "result": text_update(id_for("x"), "trogiup")}
        for headers in ({}, {SECRET_HEADER: "wrong-secret-123"}):
            answer = await bot.web.post("/hook/zalo", json=zalo_body, headers=headers)
            assert answer.status_code == 403
        assert (await bot.zalo.post_webhook(None, secret="wrong-secret-123")).status_code == 403
        assert (await bot.web.post("/hook/viber", json={})).status_code == 404
        await asyncio.sleep(0.2)
        assert bot.rows("webhook_inbox") == 0 and bot.rows("inbox") == 0
        assert not bot.telegram.sent and not bot.zalo.sent


async def test_zalo_probes_shapes_duplicates_and_a_body_too_big(tmp_path: Path) -> None:
    async with running(tmp_path) as bot:
        # The empty probe: 200, nothing kept.
        assert (await bot.zalo.post_webhook(None)).status_code == 200
        # `unsupported` with no message at all: 200, nobody to answer.
        assert (
            await bot.zalo.post_webhook({"event_name": "message.unsupported.received"})
        ).status_code == 200
        user = id_for("hai-lan")
        update = text_update(user, "trogiup")
        # The same update twice (wrapped, then flat): kept once, answered once.
        assert (await bot.zalo.post_webhook(update)).status_code == 200
        assert (await bot.zalo.post_webhook(update, flat=True)).status_code == 200
        await bot.zalo.wait_for_sent(user, 1, timeout=10)
        await asyncio.sleep(0.3)
        assert len(bot.zalo.sent_to(user)) == 1
        # Garbage JSON is not a platform's update to retry: 200, counted, nothing kept.
        secret = {SECRET_HEADER: bot.zalo.webhook_secret}
        assert (await bot.web.post("/hook/zalo", content=b"{no", headers=secret)).status_code == 200
        deep = b"[" * 500_000 + b"]" * 500_000  # under 1 MB, deeper than the parser goes
        assert (await bot.web.post("/hook/zalo", content=deep, headers=secret)).status_code == 200
        # Over 1 MB: refused before it is read whole.
        huge = json.dumps({"event_name": "x", "pad": "a" * MAX_BODY}).encode()
        assert (await bot.web.post("/hook/zalo", content=huge, headers=secret)).status_code == 413
        assert bot.rows("webhook_inbox") <= 1  # the one update, until it is pruned


async def test_a_telegram_update_posted_twice_is_answered_once(tmp_path: Path) -> None:
    async with running(tmp_path) as bot:
        headers = {TELEGRAM_SECRET_HEADER: bot.telegram.webhook_secret}
        update = {"update_id": 900, "message": {
            "message_id": 3, "date": 1700000000, "text": "trogiup",
            "chat": {"id": 88, "type": "private"},
            "from": {"id": 88, "is_bot": False, "first_name": "Ba"}}}  # fmt: skip
        answers = await asyncio.gather(
            *(bot.web.post("/hook/telegram", json=update, headers=headers) for _ in range(3))
        )
        assert [a.status_code for a in answers] == [200, 200, 200]
        await bot.telegram.wait_for_sent(88, 1, timeout=10)
        await asyncio.sleep(0.3)
        assert len(bot.telegram.sent_to(88)) == 1
        # A body PTB cannot read is skipped with 200 (sent again it would fail again).
        bad = await bot.web.post("/hook/telegram", json={"update_id": "x"}, headers=headers)
        assert bad.status_code == 200


def test_webhook_mode_needs_a_public_https_address_and_a_secret() -> None:
    settings = Settings(
        telegram={"enabled": True, "token": "1:x", "mode": "webhook"},
        web={"public_url": "http://thidua.example.vn", "secret": "short"},
    )
    problems = channel_problems(settings)
    assert any("https://" in line for line in problems)
    assert any("THIDUA_WEB__SECRET" in line for line in problems)
    ok = Settings(
        telegram={"enabled": True, "token": "1:x", "mode": "webhook"},
        web={"public_url": "https://thidua.example.vn", "secret": "a" * 32},
    )
    assert channel_problems(ok) == []


async def test_sigkill_right_after_the_200_then_restart_answers_once(tmp_path: Path) -> None:
    """The update is on disk when the platform hears 200: a process killed before handling it
    handles it at the next start, and only then."""
    telegram = FakeTelegram(token=TELEGRAM_TOKEN, username="phuong_mau_bot")
    port = free_port()
    async with serve(telegram.app) as tg_url:
        config = tmp_path / "config.toml"
        config.write_text(
            f'[database]\npath = "{tmp_path / "bot.sqlite3"}"\n'
            f'[telegram]\nenabled = true\nmode = "webhook"\nbase_url = "{tg_url}/bot"\n'
            f'base_file_url = "{tg_url}/file/bot"\n'
            f'[web]\nlisten = "127.0.0.1:{port}"\npublic_url = "http://127.0.0.1:{port}"\n',
            "utf-8",
        )
        env = {
            **os.environ,
            "THIDUA_CONFIG": str(config),
            "THIDUA_TELEGRAM__TOKEN": TELEGRAM_TOKEN,
            "THIDUA_WEB__SECRET": SECRET,
        }
        (tmp_path / "units.csv").write_text(units_csv(), "utf-8")
        assert (await _cli("units", "import", str(tmp_path / "units.csv"), env=env))[0] == 0
        headers = {TELEGRAM_SECRET_HEADER: webhook_secret(SECRET, "telegram")}

        def update(update_id: int, text: str) -> dict[str, object]:
            return {"update_id": update_id, "message": {
                "message_id": update_id, "date": 1700000000, "text": text,
                "chat": {"id": 55, "type": "private"},
                "from": {"id": 55, "is_bot": False, "first_name": "Năm"}}}  # fmt: skip

        async def start() -> asyncio.subprocess.Process:
            telegram.webhook_url = ""
            proc = await asyncio.create_subprocess_exec(
                THIDUA, "run", env=env,
                stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
            )  # fmt: skip
            for _ in range(400):
                if telegram.webhook_url:
                    return proc
                await asyncio.sleep(0.05)
            raise AssertionError("thidua run never registered its webhook")

        proc = await start()
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as web:
                # The first reply takes 5 s to go: the chat's second update waits behind it.
                telegram.send_delay = 5.0
                first = await web.post("/hook/telegram", json=update(1, "/start"), headers=headers)
                assert first.status_code == 200
                await asyncio.sleep(0.3)  # the first is being answered
                second = await web.post(
                    "/hook/telegram", json=update(2, "trogiup"), headers=headers
                )
                assert second.status_code == 200
                proc.send_signal(signal.SIGKILL)  # right after the 200: "trogiup" not handled
                await proc.wait()
                # The first reply the fake was holding lands now; the second never left.
                await telegram.wait_for_sent(55, 1, timeout=10)
        finally:
            if proc.returncode is None:
                proc.kill()
        with sqlite3.connect(tmp_path / "bot.sqlite3") as conn:
            kept = conn.execute("SELECT key FROM webhook_inbox ORDER BY id").fetchall()
            handled = {row[0] for row in conn.execute("SELECT key FROM inbox")}
        assert [k for (k,) in kept] == ["telegram:1", "telegram:2"]
        assert handled == {"telegram:1"}  # the second was kept, never handled
        telegram.send_delay = 0.0
        telegram.clear()
        proc = await start()
        try:
            await telegram.wait_for_sent(55, 1, timeout=20)
            await asyncio.sleep(0.5)
            texts = [m.text or "" for m in telegram.sent_to(55)]
            assert len(texts) == 1 and "chưa tham gia" in texts[0], texts  # once, at restart
        finally:
            proc.send_signal(signal.SIGTERM)
            assert await asyncio.wait_for(proc.wait(), timeout=20) == 0
        with sqlite3.connect(tmp_path / "bot.sqlite3") as conn:
            handled = {row[0] for row in conn.execute("SELECT key FROM inbox")}
        assert handled == {"telegram:1", "telegram:2"}


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fakes POST to 127.0.0.1: no proxy from the environment in between."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


async def test_a_shutdown_leaves_the_webhooks_registered(tmp_path: Path) -> None:
    """Updates wait at the platform while the bot restarts: nothing deletes the webhooks."""
    async with running(tmp_path) as bot:
        pass
    assert bot.telegram.webhook_url and bot.zalo.webhook_url
    assert not bot.telegram.calls_of("deleteWebhook")
    assert not [call for call in bot.zalo.calls if call[0] == "deleteWebhook"]
