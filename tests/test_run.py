"""`thidua run`: a real subprocess on both fake servers; a clean stop finishes the update in flight."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot import admin
from bot.config import Settings
from bot.context import Context
from bot.messages import Outbound
from bot.runtime import run_bot
from bot.words import Parsed
from handlers import enrol
from storage.db import open_database
from tests.channels_harness import TELEGRAM_TOKEN, ZALO_TOKEN
from tests.conftest import units_csv
from tests.fakes.runner import serve
from tests.fakes.telegram_server import FakeTelegram
from tests.fakes.zalo_server import FakeZalo, id_for

THIDUA = str(Path(sys.executable).with_name("thidua"))


def _config(tmp_path: Path, tg_url: str, zalo_base: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        f'[database]\npath = "{tmp_path / "bot.sqlite3"}"\n'
        f'[telegram]\nenabled = true\nbase_url = "{tg_url}/bot"\nbase_file_url = "{tg_url}/file/bot"\n'
        f'[zalo]\nenabled = true\nbase_url = "{zalo_base}"\n',
        "utf-8",
    )
    return path


async def _cli(*args: str, env: dict[str, str]) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        THIDUA, *args, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await proc.communicate()
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


async def test_thidua_run_subprocess_enrols_on_both_channels(tmp_path: Path) -> None:
    fake_tg = FakeTelegram(token=TELEGRAM_TOKEN, username="phuong_mau_bot")
    fake_zalo = FakeZalo(token=ZALO_TOKEN)
    fake_zalo.webhook_url = "https://old.example/hook"  # polling must remove it first
    async with serve(fake_tg.app) as tg_url, fake_zalo.serving():
        config = _config(tmp_path, tg_url, fake_zalo.api_base)
        (tmp_path / "units.csv").write_text(units_csv(), "utf-8")
        env = {
            **os.environ,
            "THIDUA_CONFIG": str(config),
            "THIDUA_TELEGRAM__TOKEN": TELEGRAM_TOKEN,
            "THIDUA_ZALO__TOKEN": ZALO_TOKEN,
        }
        assert (await _cli("init", env=env))[0] == 0
        assert (await _cli("units", "import", str(tmp_path / "units.csv"), env=env))[0] == 0
        _, out, _ = await _cli("invite", "--unit", "KP-03", "--role", "rep", "--json", env=env)
        tg_invite = json.loads(out)
        # The CLI asked the (fake) Bot API for the username: the link is the spec's.
        assert (
            tg_invite["telegram_link"] == f"https://t.me/phuong_mau_bot?start={tg_invite['code']}"
        )
        _, out, _ = await _cli("invite", "--unit", "AP-02", "--role", "rep", "--json", env=env)
        zalo_code = json.loads(out)["code"]

        log_path = tmp_path / "run.log"
        with log_path.open("w") as log_file:
            proc = await asyncio.create_subprocess_exec(
                THIDUA, "run", env=env, stdout=log_file, stderr=log_file
            )
            try:
                fake_tg.inject_message(4242, f"/start {tg_invite['code']}", first_name="Tư")
                sent = await fake_tg.wait_for_sent(4242, 2, timeout=20)
                assert "Ban công tác Mặt trận Khu phố 3, Phường Mẫu" in (sent[0].text or "")
                user = id_for("ap-binh-hoa")
                fake_zalo.inject_text(user, zalo_code, display_name="Nguyễn Văn Hòa")
                sent_z = await fake_zalo.wait_for_sent(user, 2, timeout=20)
                assert "Ấp Bình Hòa, Xã Sông Mẫu" in (sent_z[0].text or "")
                assert fake_zalo.webhook_url == ""
            finally:
                proc.send_signal(signal.SIGTERM)
                returncode = await asyncio.wait_for(proc.wait(), timeout=20)
        assert returncode == 0
    log = log_path.read_text()
    assert "Traceback" not in log
    assert TELEGRAM_TOKEN not in log and ZALO_TOKEN not in log
    assert "update channel=telegram" in log and "update channel=zalo" in log
    assert zalo_code not in log  # message text stays out of the log


async def test_run_refuses_missing_token(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[telegram]\nenabled = true\n[database]\npath = "x.sqlite3"\n', "utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("THIDUA_")}
    env["THIDUA_CONFIG"] = str(config)
    code, _, err = await _cli("run", env=env)
    assert code == 1 and "THIDUA_TELEGRAM__TOKEN" in err and "Traceback" not in err


async def test_run_with_wrong_token_exits_cleanly(tmp_path: Path) -> None:
    fake_zalo = FakeZalo(token=ZALO_TOKEN)
    async with fake_zalo.serving():
        config = tmp_path / "config.toml"
        config.write_text(
            f'[database]\npath = "{tmp_path / "b.sqlite3"}"\n[telegram]\nenabled = false\n'
            f'[zalo]\nenabled = true\nbase_url = "{fake_zalo.api_base}"\n',
            "utf-8",
        )
        env = {
            **os.environ,
            "THIDUA_CONFIG": str(config),
            "THIDUA_ZALO__TOKEN": "1:wrong-token-xyz",
        }
        code, _, err = await _cli("run", env=env)
    assert code == 1 and "401" in err and "wrong-token-xyz" not in err and "Traceback" not in err


async def test_stop_finishes_the_update_in_flight(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_zalo = FakeZalo(token=ZALO_TOKEN)
    entered = asyncio.Event()
    original = enrol.unenrolled

    async def slow(ctx: Context, parsed: Parsed | None) -> list[Outbound]:
        entered.set()
        await asyncio.sleep(0.5)
        return await original(ctx, parsed)

    monkeypatch.setattr(enrol, "unenrolled", slow)
    async with fake_zalo.serving():
        settings = Settings(
            database={"path": str(tmp_path / "b.sqlite3")},
            telegram={"enabled": False},
            zalo={"enabled": True, "token": ZALO_TOKEN, "base_url": fake_zalo.api_base},
        )
        async with open_database(settings.database.path) as db:
            csv = tmp_path / "u.csv"
            csv.write_text(units_csv(), "utf-8")
            await admin.import_units(db, settings, csv)
        stop = asyncio.Event()
        runner = asyncio.create_task(run_bot(settings, stop))
        user = id_for("in-flight")
        message_id = fake_zalo.inject_text(user, "trogiup")
        await asyncio.wait_for(entered.wait(), timeout=10)
        stop.set()  # as SIGTERM does, while the update is being handled
        assert await asyncio.wait_for(runner, timeout=15) == 0
        assert "chưa tham gia" in fake_zalo.texts_to(user)[0]
        async with open_database(settings.database.path) as db, db.read() as repos:
            key = f"zalo:message.text.received:{message_id}"
            repeat = await repos.sessions.record_and_load(
                key, datetime.now(UTC), "zalo", user, user
            )
            assert repeat is None  # the key was saved: a redelivery would be ignored


async def test_sigkill_mid_form_then_resume(tmp_path: Path) -> None:
    fake_zalo = FakeZalo(token=ZALO_TOKEN)
    async with fake_zalo.serving():
        config = tmp_path / "config.toml"
        config.write_text(
            f'[database]\npath = "{tmp_path / "bot.sqlite3"}"\n[telegram]\nenabled = false\n'
            f'[zalo]\nenabled = true\nbase_url = "{fake_zalo.api_base}"\n'
            '[clock]\nstart = "2023-11-20T08:00:00+07:00"\n',
            "utf-8",
        )
        (tmp_path / "units.csv").write_text(units_csv(), "utf-8")
        env = {**os.environ, "THIDUA_CONFIG": str(config), "THIDUA_ZALO__TOKEN": ZALO_TOKEN}
        assert (await _cli("units", "import", str(tmp_path / "units.csv"), env=env))[0] == 0
        example = Path(__file__).resolve().parent.parent / "bot/data/campaigns/example.toml"
        assert (await _cli("campaign", "load", str(example), env=env))[0] == 0
        _, out, _ = await _cli("invite", "--unit", "KP-04", "--role", "rep", "--json", env=env)
        code = json.loads(out)["code"]
        user = id_for("kp4")

        async def start_bot() -> asyncio.subprocess.Process:
            return await asyncio.create_subprocess_exec(
                THIDUA,
                "run",
                env=env,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.DEVNULL,
            )

        async def say(text: str, count: int) -> str:
            fake_zalo.inject_text(user, text)
            return (await fake_zalo.wait_for_sent(user, count, timeout=20))[-1].text or ""

        proc = await start_bot()
        try:
            await say(code, 2)
            assert "Câu 1/11" in await say("dangky", 3)
            assert "Câu 2/11" in await say("Sân chơi thiếu nhi", 4)
            assert "Câu 3/11" in await say("1", 5)
        finally:
            proc.kill()  # SIGKILL: no clean shutdown at all
            await proc.wait()
        proc = await start_bot()
        try:
            reply = await say("3", 6)
            assert "Câu 4/11" in reply
            reply = await say("quay lai", 7)
            assert "Câu 3/11" in reply and "Đang ghi: Điện chiếu sáng" in reply
        finally:
            proc.send_signal(signal.SIGTERM)
            assert await asyncio.wait_for(proc.wait(), timeout=20) == 0
    async with open_database(tmp_path / "bot.sqlite3") as db, db.read() as repos:
        member = await repos.members.find("zalo", user)
        assert member is not None
        draft = await repos.drafts.get(member.id, "dai-hoi-mttq-2024/dang-ky/new")
        assert draft is not None
        assert draft.state["engine"]["answers"]["ten"] == "Sân chơi thiếu nhi"
        assert draft.state["engine"]["answers"]["loai"] == "Công trình"
