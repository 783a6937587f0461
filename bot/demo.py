"""`thidua demo`: an offline, scripted walk through the bot, printed as a transcript."""

from __future__ import annotations

import re
import sys
import textwrap
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import TextIO

from bot import admin, invites
from bot.channels.console import console_inbound, render_plain
from bot.clock import ManualClock
from bot.config import Settings
from bot.context import BotLinks
from bot.messages import Outbound
from bot.router import Router
from storage.db import open_database
from storage.models import Role

DEMO_START = datetime.fromisoformat("2023-11-20T08:00:00+07:00")


class TranscriptChannel:
    """Prints what the bot sends, indented under the person it answers."""

    name = "console"

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.last_code = ""

    async def send(self, chat_id: str, message: Outbound) -> None:
        """Print one reply, remembering any invite code in it."""
        body = textwrap.indent(render_plain(message), "      ")
        self.out.write(f"  bot → {chat_id}:\n{body}\n")
        for line in message.text.splitlines():
            if re.fullmatch(f"[{invites.ALPHABET}]{{{invites.CODE_LENGTH}}}", line.strip()):
                self.last_code = line.strip()


class Demo:
    """The demo's state: a fresh database, a manual clock, and a transcript."""

    def __init__(self, router: Router, clock: ManualClock, out: TextIO) -> None:
        self.router, self.clock, self.out = router, clock, out

    def heading(self, title: str) -> None:
        """Print a section heading."""
        self.out.write(f"\n=== {title} ===\n")

    def note(self, text: str) -> None:
        """Print a narrator's line."""
        self.out.write(f"  ({text})\n")

    async def say(self, user: str, text: str) -> None:
        """`user` types `text` on the console channel."""
        self.out.write(f"\n  {user} > {text}\n")
        await self.router.dispatch(console_inbound(user, text))

    async def invite(self, unit: str, role: Role) -> str:
        """Create an invite as `thidua invite` would, print it, and return the code."""
        info = await admin.make_invite(
            self.router.db,
            self.router.settings,
            unit_code=unit,
            role=role,
            expires_in=timedelta(days=7),
            now=self.clock.now(),
        )
        self.out.write(f"\n  $ thidua invite --unit {unit} --role {role.value}\n")
        self.out.write(f"      Mã mời / invite code: {info['code']}\n")
        return str(info["code"])


def _units_csv() -> str:
    return resources.files("bot").joinpath("data/units.csv").read_text("utf-8")


async def run_demo(out_dir: Path, out: TextIO | None = None) -> None:
    """Play the demo into `out_dir` (a fresh database each time) and print the transcript."""
    stream = out or sys.stdout
    out_dir.mkdir(parents=True, exist_ok=True)
    db_path = out_dir / "demo.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    settings = Settings(database={"path": str(db_path)}, telegram={"enabled": False})
    clock = ManualClock(DEMO_START)
    units_file = out_dir / "units.csv"
    units_file.write_text(_units_csv(), encoding="utf-8")
    async with open_database(db_path) as db:
        router = Router(db, settings, clock, links=BotLinks(None))
        router.register("console", TranscriptChannel(stream))
        demo = Demo(router, clock, stream)
        demo.heading("1. Chuẩn bị trên dòng lệnh (quản trị) / set-up on the command line")
        report = await admin.import_units(db, settings, units_file)
        stream.write(f"  $ thidua units import {units_file}\n      Đã nhập {report.total} đơn vị\n")
        admin_code = await demo.invite("X-MAU", Role.ADMIN)

        demo.heading("2. Quản trị phường tham gia / the ward admin enrols")
        await demo.say("chi-hoa", "xin chào")
        await demo.say("chi-hoa", admin_code)
        await demo.say("chi-hoa", "trogiup")

        demo.heading("3. Mời Khu phố 1 ngay trong trò chuyện / an invite made in chat (moi)")
        await demo.say("chi-hoa", "moi")
        await demo.say("chi-hoa", "1")
        await demo.say("chi-hoa", "1")
        rep_code = _last_code(demo)

        demo.heading("4. Khu phố 1 gõ sai rồi đúng mã / a khu phố head mistypes, then enrols")
        await demo.say("ba-lan", "ABCD2345")
        await demo.say("ba-lan", rep_code.lower())
        await demo.say("ba-lan", "Trợ giúp")
        await demo.say("ba-lan", "tonghop")
        await demo.say("ba-lan", "hôm nay trời đẹp")
        await demo.say("ba-lan", "HỦY")

        demo.heading("5. Thư ký phường / the ward secretary")
        secretary_code = await demo.invite("X-MAU", Role.SECRETARY)
        await demo.say("anh-minh", f"/start {secretary_code}")
        await demo.say("anh-minh", "moi")
        await demo.say("anh-minh", "quay lai")
        await demo.say("anh-minh", "huy")
        await demo.say("anh-minh", "thongbao")

        demo.heading("6. Mã đã dùng, mã hết hạn / a used code, an expired code")
        await demo.say("co-ba", rep_code)
        late_code = await demo.invite("KP-02", Role.REP)
        clock.advance(timedelta(days=8))
        demo.note("8 ngày sau / eight days later")
        await demo.say("co-ba", late_code)
    stream.write(f"\nCơ sở dữ liệu của bản chạy thử / demo database: {db_path}\n")


def _last_code(demo: Demo) -> str:
    """Return the invite code shown in the last 'moi' reply (the demo reads it like a person)."""
    channel = demo.router.channels["console"]
    assert isinstance(channel, TranscriptChannel)
    return channel.last_code
