"""Replay conversation transcripts on the console channel and on both fake servers.

A transcript is a text file:

    # a comment
    @campaign example                 load bot/data/campaigns/example.toml (or tests/data/campaigns/NAME.toml)
    @clock 2023-11-20T08:00:00+07:00  set the manual clock
    @advance 12d                      move it (d, h, m)
    @enrol ba-lan KP-01 rep           ba-lan types a fresh invite code on the channel
    @photo ba-lan                     ba-lan sends a photo
    @restart                          the bot stops and starts again on the same database
    ba-lan> dangky                    ba-lan types a line
      Câu 1/11                        …and the replies must contain these, in this order
      !Traceback                      …and must not contain this

Every expected line is a substring of the replies to that one input, found after the previous one.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

from bot import admin
from bot.channels.console import console_inbound
from bot.channels.telegram import TelegramChannel
from bot.channels.zalo import ZaloChannel
from bot.clock import ManualClock
from bot.config import Settings
from bot.messages import Inbound, InboundKind, Outbound
from bot.router import Handled, Router
from storage.db import Database
from storage.models import Role
from tests.channels_harness import stage
from tests.conftest import START, Recorder
from tests.fakes.telegram_server import FakeTelegram
from tests.fakes.zalo_server import FakeZalo, id_for

ROOT = Path(__file__).resolve().parent.parent
TRANSCRIPTS = Path(__file__).resolve().parent / "transcripts"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 32


def campaign_path(name: str) -> Path:
    """Where a campaign named in a transcript lives."""
    if name == "example":
        return ROOT / "bot/data/campaigns/example.toml"
    return ROOT / "tests/data/campaigns" / f"{name}.toml"


def parse_duration(text: str) -> timedelta:
    """'12d', '3h', '30m'."""
    unit = {"d": "days", "h": "hours", "m": "minutes"}[text[-1]]
    return timedelta(**{unit: int(text[:-1])})


@dataclass
class Step:
    """One line of a transcript with the expectations that follow it."""

    line_no: int
    command: str  # "say", "photo", "campaign", "clock", "advance", "enrol", "restart"
    args: list[str]
    text: str = ""
    expect: list[str] = field(default_factory=list)
    forbid: list[str] = field(default_factory=list)


def parse(path: Path) -> list[Step]:
    """Read a transcript file into steps."""
    steps: list[Step] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        if raw.startswith((" ", "\t")):
            wanted = raw.strip()
            target = steps[-1]
            (target.forbid if wanted.startswith("!") else target.expect).append(wanted.lstrip("!"))
        elif raw.startswith("@"):
            name, *args = raw[1:].split()
            steps.append(Step(number, name, args))
        else:
            user, _, text = raw.partition("> ")
            steps.append(Step(number, "say", [user.strip()], text=text))
    return steps


class Driver(Protocol):
    """A way to talk to the bot as named people."""

    clock: ManualClock

    async def say(self, user: str, text: str) -> list[str]:
        """`user` types `text`; return the texts the bot sent back."""
        ...

    async def photo(self, user: str) -> list[str]:
        """`user` sends a photo; return the replies."""
        ...

    async def restart(self) -> None:
        """Stop the bot and start it again on the same database."""
        ...

    async def invite(self, unit: str, role: str) -> str:
        """Create an invite code as the command line does."""
        ...

    async def load_campaign(self, path: Path) -> None:
        """Load a campaign file as `thidua campaign load` does."""
        ...


class PhotoRecorder(Recorder):
    """The console channel for tests: records replies and 'downloads' a tiny PNG."""

    async def fetch(self, inbound: Inbound) -> tuple[bytes, str] | None:
        """Return a photo's bytes."""
        return PNG, ".png"


@dataclass
class Base:
    """What every driver shares: settings, database, clock, router."""

    settings: Settings
    db: Database
    clock: ManualClock
    router: Router

    async def invite(self, unit: str, role: str) -> str:
        """Create an invite code as the command line does."""
        info = await admin.make_invite(
            self.db,
            self.settings,
            unit_code=unit,
            role=Role(role),
            expires_in=timedelta(days=30),
            now=self.clock.now(),
        )
        return str(info["code"])

    async def load_campaign(self, path: Path) -> None:
        """Load a campaign file as `thidua campaign load` does."""
        await admin.load_campaign(self.db, self.settings, path, self.clock.now())


class ConsoleDriver(Base):
    """Talks to the router directly as the console channel does."""

    recorder: PhotoRecorder

    def attach(self) -> None:
        """Register the recording console channel."""
        self.recorder = PhotoRecorder()
        self.router.register("console", self.recorder)

    async def say(self, user: str, text: str) -> list[str]:
        """Dispatch a typed line."""
        handled = await self.router.dispatch(console_inbound(user, text))
        return [m.text for m in handled.replies]

    async def photo(self, user: str) -> list[str]:
        """Dispatch a photo."""
        inbound = Inbound(
            channel="console", chat_id=user, user_id=user, kind=InboundKind.PHOTO, photo_ref="p"
        )
        return [m.text for m in (await self.router.dispatch(inbound)).replies]

    async def restart(self) -> None:
        """A new router on the same database: all state must come from the rows."""
        self.router = Router(self.db, self.settings, self.clock)
        self.attach()


class LiveDriver(Base):
    """Talks through a fake server to the real channel adapter."""

    def __init__(
        self,
        settings: Settings,
        db: Database,
        clock: ManualClock,
        kind: str,
        telegram: FakeTelegram,
        zalo: FakeZalo,
    ) -> None:
        super().__init__(settings, db, clock, Router(db, settings, clock))
        self.kind, self.telegram, self.zalo = kind, telegram, zalo
        self.handled: dict[str, int] = defaultdict(int)
        self.changed = asyncio.Event()
        self.channel: TelegramChannel | ZaloChannel | None = None
        self.users: dict[str, str] = {}

    def _observe(self, inbound: Inbound, handled: Handled) -> None:
        self.handled[inbound.chat_id] += 1
        self.changed.set()

    async def start(self) -> None:
        """Start the adapter of this driver's channel."""
        self.router.observers.append(self._observe)
        if self.kind == "telegram":
            self.channel = TelegramChannel(self.settings.telegram, self.router, poll_timeout=1)
        else:
            self.channel = ZaloChannel(self.settings.zalo, self.router, poll_timeout=1)
        await self.channel.start()

    async def stop(self) -> None:
        """Stop the adapter."""
        if self.channel is not None:
            await self.channel.stop()

    async def restart(self) -> None:
        """Stop everything and start a new router and adapter on the same database."""
        await self.stop()
        self.router = Router(self.db, self.settings, self.clock)
        await self.start()

    def chat(self, user: str) -> str:
        """The platform chat id of a named person."""
        if user not in self.users:
            self.users[user] = (
                str(5000 + len(self.users)) if self.kind == "telegram" else id_for(user)
            )
        return self.users[user]

    def _sent_texts(self, chat: str) -> list[str]:
        if self.kind == "telegram":
            return [m.text or m.caption or "" for m in self.telegram.sent_to(chat)]
        return self.zalo.texts_to(chat)

    async def _exchange(self, user: str, inject: object) -> list[str]:
        chat = self.chat(user)
        before_sent = len(self._sent_texts(chat))
        target = self.handled[chat] + 1
        if callable(inject):
            inject(chat)
        deadline = asyncio.get_running_loop().time() + 10
        while self.handled[chat] < target:
            self.changed.clear()
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise AssertionError(f"no answer to {user} within 10 s")
            try:
                await asyncio.wait_for(self.changed.wait(), remaining)
            except TimeoutError:
                continue
        return self._sent_texts(chat)[before_sent:]

    async def say(self, user: str, text: str) -> list[str]:
        """Type a line on the platform."""
        if self.kind == "telegram":
            return await self._exchange(
                user, lambda chat: self.telegram.inject_message(int(chat), text)
            )
        return await self._exchange(
            user, lambda chat: self.zalo.inject_text(chat, text, display_name=user)
        )

    async def photo(self, user: str) -> list[str]:
        """Send a photo on the platform."""
        if self.kind == "telegram":
            return await self._exchange(
                user, lambda chat: self.telegram.inject_photo(int(chat), file_bytes=PNG)
            )
        url = self.zalo.add_file(f"{user}-{len(self.zalo.sent)}.jpg", PNG)
        return await self._exchange(
            user, lambda chat: self.zalo.inject_image(chat, url, display_name=user)
        )


@asynccontextmanager
async def driver(kind: str, tmp_path: Path) -> AsyncIterator[Driver]:
    """A fresh bot with the sample tree, talked to on `kind` (console, telegram, zalo)."""
    async with stage(tmp_path, telegram=kind == "telegram", zalo=kind == "zalo") as ready:
        settings, db, clock = ready.settings, ready.db, ManualClock(START)
        if kind == "console":
            console = ConsoleDriver(settings, db, clock, Router(db, settings, clock))
            console.attach()
            yield console
            return
        live = LiveDriver(settings, db, clock, kind, ready.telegram, ready.zalo)
        await live.start()
        try:
            yield live
        finally:
            await live.stop()


async def replay(path: Path, bot: Driver) -> None:
    """Run every step of a transcript, checking each reply."""
    for step in parse(path):
        where = f"{path.name}:{step.line_no}"
        if step.command == "campaign":
            await bot.load_campaign(campaign_path(step.args[0]))
            continue
        if step.command == "clock":
            bot.clock.set(datetime.fromisoformat(step.args[0]))
            continue
        if step.command == "advance":
            bot.clock.advance(parse_duration(step.args[0]))
            continue
        if step.command == "restart":
            await bot.restart()
            continue
        if step.command == "enrol":
            user, unit, role = step.args
            replies = await bot.say(user, await bot.invite(unit, role))
            assert replies and "Chào mừng" in replies[0], f"{where}: {replies}"
            continue
        if step.command == "photo":
            replies = await bot.photo(step.args[0])
        else:
            replies = await bot.say(step.args[0], step.text)
        _check(where, step, replies)


def _check(where: str, step: Step, replies: list[str]) -> None:
    joined = "\n".join(replies)
    position = 0
    for wanted in step.expect:
        found = joined.find(wanted, position)
        assert found >= 0, f"{where}: expected {wanted!r} after position {position} in:\n{joined}"
        position = found + len(wanted)
    for unwanted in step.forbid:
        assert unwanted not in joined, f"{where}: {unwanted!r} must not appear in:\n{joined}"
    for reply in replies:
        assert reply.strip(), f"{where}: an empty message was sent"
        for word in ("Traceback", "None", "null", "error", "invalid"):
            assert word not in reply, f"{where}: {word!r} reached a person:\n{reply}"


def replies_of(outbound: list[Outbound]) -> list[str]:
    """The texts of some replies."""
    return [m.text for m in outbound]
