"""The one test driver: a bot on a real database with the sample tree, spoken to as people.

`Bot` speaks as a named person on the console (straight to the router), on Telegram (the real
PTB adapter against the fake Bot API) or on Zalo (our adapter against the fake Zalo server), and
returns what that person received. The `bot` fixture (tests/conftest.py), `live_bot()`
(tests/channels_harness.py) and the transcript runner are all this class.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path

from bot import admin
from bot.channels.console import console_inbound
from bot.channels.telegram import TelegramChannel
from bot.channels.zalo import ZaloChannel
from bot.clock import ManualClock
from bot.config import Settings
from bot.messages import Inbound, InboundKind, Outbound, render_plain
from bot.router import Handled, Router
from storage.db import Database, open_database
from storage.models import Role
from tests.fakes.runner import serve
from tests.fakes.telegram_server import FakeTelegram, SentMessage
from tests.fakes.zalo_server import FakeZalo, Sent, id_for

START = datetime.fromisoformat("2023-11-20T08:00:00+07:00")
TELEGRAM_TOKEN = "123456:TEST-token-abcdefghijk"
ZALO_TOKEN = "1234567890:fake-zalo-token-abcdefABCDEF"
CHANNELS = ("console", "telegram", "zalo")
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 32
ANSWER_WITHIN = 10.0  # seconds a live channel may take to answer one message


def units_csv() -> str:
    """Return the sample organisation tree shipped with the bot."""
    return resources.files("bot").joinpath("data/units.csv").read_text("utf-8")


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    """Return settings on a database file in `tmp_path`, Telegram off unless asked."""
    values: dict[str, object] = {
        "database": {"path": str(tmp_path / "thidua.sqlite3")},
        "telegram": {"enabled": False},
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@asynccontextmanager
async def sample_database(settings: Settings, tmp_path: Path) -> AsyncIterator[Database]:
    """Open the settings' database with the sample tree imported."""
    csv_path = tmp_path / "units.csv"
    csv_path.write_text(units_csv(), encoding="utf-8")
    async with open_database(settings.database.path) as db:
        await admin.import_units(db, settings, csv_path)
        yield db


@dataclass
class Recorder:
    """The console channel for tests: keeps what the bot sends, per chat; photos are a tiny PNG."""

    name: str = "console"
    sent: list[tuple[str, Outbound]] = field(default_factory=list)

    async def send(self, chat_id: str, message: Outbound) -> None:
        """Keep the message."""
        self.sent.append((chat_id, message))

    def texts(self, chat_id: str) -> list[str]:
        """Return the texts sent to one chat."""
        return [m.text for c, m in self.sent if c == chat_id]

    async def fetch(self, inbound: Inbound) -> tuple[bytes, str] | None:
        """Return a photo's bytes: every console photo is the same tiny PNG."""
        return PNG, ".png"


@dataclass(frozen=True)
class Seen:
    """One message as a person reads it: its text, and its buttons' labels row by row."""

    text: str
    buttons: tuple[tuple[str, ...], ...] = ()


def seen_on_console(message: Outbound) -> Seen:
    """What the router's reply looks like: the console's text, and the buttons it carries."""
    labels = tuple(tuple(button.label for button in row) for row in message.buttons)
    return Seen(render_plain(message), labels)


def seen_on_telegram(message: SentMessage) -> Seen:
    """What a Telegram person reads: the text (or caption) and the inline keyboard's labels."""
    text = message.text if message.text is not None else message.caption or ""
    if message.document_name is not None:
        text = f"{text}\n[tệp] {message.document_name}".strip()
    elif message.photo is not None or message.file_ref is not None:
        text = f"{text}\n[ảnh]".strip()
    rows = (message.reply_markup or {}).get("inline_keyboard") or []
    return Seen(text, tuple(tuple(str(button.get("text")) for button in row) for row in rows))


def seen_on_zalo(message: Sent) -> Seen:
    """What a Zalo person reads: plain text (Zalo has no buttons); a photo comes on its own."""
    if message.photo is not None:
        return Seen(f"{message.caption or ''}\n[ảnh]".strip())
    return Seen(message.text or message.caption or "")


def texts(seen: list[Seen]) -> list[str]:
    """The texts of some messages."""
    return [message.text for message in seen]


@dataclass(eq=False)
class Bot:
    """A router on a real database, spoken to as named people on the console, Telegram or Zalo.

    `channel` is where `say`, `photo` and `enrol` speak unless told otherwise; `live` names the
    adapters running against the fakes. The console is always there: its replies come back
    from the router, everything else from what the fake server received for the person's chat.
    """

    router: Router
    clock: ManualClock
    recorder: Recorder
    settings: Settings
    db: Database
    channel: str = "console"
    telegram: FakeTelegram | None = None
    zalo: FakeZalo | None = None
    live: tuple[str, ...] = ()
    poll_timeout: int = 1
    adapters: list[TelegramChannel | ZaloChannel] = field(default_factory=list)
    _handled: defaultdict[tuple[str, str], int] = field(
        default_factory=lambda: defaultdict(int), repr=False
    )
    _changed: asyncio.Event = field(default_factory=asyncio.Event, repr=False)
    _ids: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._attach()

    def _attach(self) -> None:
        self.router.senders.register("console", self.recorder)
        self.router.observers.append(self._observe)

    def _observe(self, inbound: Inbound, handled: Handled) -> None:
        self._handled[(inbound.channel, inbound.chat_id)] += 1
        self._changed.set()

    # ------------------------------------------------------------------ running

    async def start(self) -> None:
        """Start the adapters named in `live` on the current router."""
        for kind in self.live:
            adapter: TelegramChannel | ZaloChannel
            if kind == "telegram":
                adapter = TelegramChannel(self.settings.telegram, poll_timeout=self.poll_timeout)
            elif kind == "zalo":
                adapter = ZaloChannel(self.settings.zalo, poll_timeout=self.poll_timeout)
            else:
                raise ValueError(f"no adapter called {kind!r}")
            self.router.senders.register(kind, adapter)
            await adapter.start(self.router.submit)
            if isinstance(adapter, TelegramChannel):
                self.router.links.telegram_username = adapter.username  # as `thidua run` does
            self.adapters.append(adapter)

    async def stop(self) -> None:
        """Stop receiving, let the router finish (its replies go out), then close the adapters."""
        for adapter in reversed(self.adapters):
            await adapter.stop()
        await self.router.drain()
        while self.adapters:
            await self.adapters.pop().close()

    async def restart(self) -> None:
        """Stop everything and start a new router (and adapters) on the same database."""
        await self.stop()
        await self.router.drain()
        self.router = Router(self.db, self.settings, self.clock)
        self._attach()
        await self.start()

    # ------------------------------------------------------------------ the bot's side

    async def invite(self, unit: str, role: Role | str, days: int = 7) -> str:
        """Create an invite as the command line does; return its code."""
        info = await admin.make_invite(
            self.db,
            self.settings,
            unit_code=unit,
            role=Role(role),
            expires_in=timedelta(days=days),
            now=self.clock.now(),
        )
        return str(info["code"])

    async def load_campaign(self, path: Path) -> None:
        """Load a campaign file as `thidua campaign load` does."""
        await admin.load_campaign(self.db, self.settings, path, self.clock.now())

    async def send(self, inbound: Inbound) -> Handled:
        """Dispatch any inbound straight to the router."""
        return await self.router.dispatch(inbound)

    # ------------------------------------------------------------------ a person's side

    def chat(self, user: str, channel: str | None = None) -> str:
        """The chat (and user) id of a named person on a channel."""
        kind = channel or self.channel
        if kind == "console":
            return user
        key = (kind, user)
        if key not in self._ids:
            known = sum(1 for k, _ in self._ids if k == kind)
            self._ids[key] = str(5000 + known) if kind == "telegram" else id_for(user)
        return self._ids[key]

    async def hear(self, user: str, text: str, *, channel: str | None = None) -> list[Seen]:
        """`user` types `text`; return the messages they received in answer."""
        kind = channel or self.channel
        if kind == "console":
            handled = await self.router.dispatch(console_inbound(user, text))
            return [seen_on_console(m) for m in handled.replies]
        if kind == "telegram":
            telegram = self._fake_telegram()
            return await self._exchange(
                kind, user, lambda chat: telegram.inject_message(int(chat), text, first_name=user)
            )
        zalo = self._fake_zalo()
        return await self._exchange(
            kind, user, lambda chat: zalo.inject_text(chat, text, display_name=user)
        )

    async def hear_photo(self, user: str, *, channel: str | None = None) -> list[Seen]:
        """`user` sends a photo; return the messages they received in answer."""
        kind = channel or self.channel
        if kind == "console":
            inbound = Inbound(
                channel="console",
                chat_id=user,
                user_id=user,
                display_name=user,
                kind=InboundKind.PHOTO,
                photo_ref=f"photo-{len(self.recorder.sent)}",
            )
            return [seen_on_console(m) for m in (await self.router.dispatch(inbound)).replies]
        if kind == "telegram":
            telegram = self._fake_telegram()
            return await self._exchange(
                kind,
                user,
                lambda chat: telegram.inject_photo(int(chat), file_bytes=PNG, first_name=user),
            )
        zalo = self._fake_zalo()
        url = zalo.add_file(f"{user}-{len(zalo.sent)}.png", PNG)
        return await self._exchange(
            kind, user, lambda chat: zalo.inject_image(chat, url, display_name=user)
        )

    async def say(self, user: str, text: str, *, channel: str | None = None) -> list[str]:
        """`user` types `text`; return the texts of the replies."""
        return texts(await self.hear(user, text, channel=channel))

    async def photo(self, user: str, *, channel: str | None = None) -> list[str]:
        """`user` sends a photo; return the texts of the replies."""
        return texts(await self.hear_photo(user, channel=channel))

    async def join(
        self, user: str, unit: str, role: Role | str, *, channel: str | None = None, days: int = 7
    ) -> list[Seen]:
        """`user` types a fresh invite code; return what they received (fails unless enrolled)."""
        kind = channel or self.channel
        seen = await self.hear(user, await self.invite(unit, role, days), channel=kind)
        async with self.db.read() as repos:
            member = await repos.members.find(kind, self.chat(user, kind))
        assert member is not None and member.unit_code == unit, (
            f"{user} is not enrolled in {unit} on {kind}; the bot said: {texts(seen)}"
        )
        return seen

    async def enrol(
        self, user: str, unit: str, role: Role | str, *, channel: str | None = None
    ) -> list[str]:
        """Enrol `user` with a fresh invite (on the console unless told); return the replies."""
        return texts(await self.join(user, unit, role, channel=channel))

    # ------------------------------------------------------------------ plumbing

    def _fake_telegram(self) -> FakeTelegram:
        assert self.telegram is not None and "telegram" in self.live, "Telegram is not running"
        return self.telegram

    def _fake_zalo(self) -> FakeZalo:
        assert self.zalo is not None and "zalo" in self.live, "Zalo is not running"
        return self.zalo

    def _received(self, kind: str, chat: str) -> list[Seen]:
        if kind == "telegram":
            return [seen_on_telegram(m) for m in self._fake_telegram().sent_to(chat)]
        return [seen_on_zalo(m) for m in self._fake_zalo().sent_to(chat)]

    async def _exchange(self, kind: str, user: str, inject: Callable[[str], object]) -> list[Seen]:
        """Inject a message on a live channel and wait until the router has answered it."""
        chat = self.chat(user, kind)
        before = len(self._received(kind, chat))
        target = self._handled[(kind, chat)] + 1
        inject(chat)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + ANSWER_WITHIN
        while self._handled[(kind, chat)] < target:
            self._changed.clear()
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"no answer to {user} on {kind} within {ANSWER_WITHIN:g} s")
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except TimeoutError:
                continue
        return self._received(kind, chat)[before:]


@dataclass
class Stage:
    """Both fake servers, settings pointing at them, and a database with the sample tree."""

    telegram: FakeTelegram
    zalo: FakeZalo
    settings: Settings
    db: Database


@asynccontextmanager
async def stage(
    tmp_path: Path, *, telegram: bool = True, zalo: bool = True
) -> AsyncIterator[Stage]:
    """Serve fresh fakes and open a database on the sample tree; the channels are the caller's."""
    fake_tg = FakeTelegram(token=TELEGRAM_TOKEN, username="thidua_test_bot")
    fake_zalo = FakeZalo(token=ZALO_TOKEN)
    async with serve(fake_tg.app) as tg_url, fake_zalo.serving():
        settings = make_settings(
            tmp_path,
            telegram={
                "enabled": telegram,
                "token": TELEGRAM_TOKEN,
                "base_url": f"{tg_url}/bot",
                "base_file_url": f"{tg_url}/file/bot",
            },
            zalo={"enabled": zalo, "token": ZALO_TOKEN, "base_url": fake_zalo.api_base},
        )
        async with sample_database(settings, tmp_path) as db:
            yield Stage(fake_tg, fake_zalo, settings, db)


@asynccontextmanager
async def open_bot(
    tmp_path: Path,
    channel: str = "console",
    *,
    live: tuple[str, ...] | None = None,
    poll_timeout: int = 1,
) -> AsyncIterator[Bot]:
    """A fresh bot on the sample tree at 20/11/2023 08:00, spoken to on `channel`.

    `live` names the adapters to run against fresh fakes (by default the one of `channel`, if
    it is not the console); with none, no fake server is started at all.
    """
    if channel not in CHANNELS:
        raise ValueError(f"no channel called {channel!r}")
    running = live if live is not None else (() if channel == "console" else (channel,))
    clock = ManualClock(START)
    if not running:
        settings = make_settings(tmp_path)
        async with sample_database(settings, tmp_path) as db:
            router = Router(db, settings, clock)
            yield Bot(router, clock, Recorder(), settings, db, channel)
        return
    async with stage(tmp_path, telegram="telegram" in running, zalo="zalo" in running) as ready:
        router = Router(ready.db, ready.settings, clock)
        bot = Bot(
            router,
            clock,
            Recorder(),
            ready.settings,
            ready.db,
            channel,
            telegram=ready.telegram,
            zalo=ready.zalo,
            live=running,
            poll_timeout=poll_timeout,
        )
        await bot.start()
        try:
            yield bot
        finally:
            await bot.stop()
