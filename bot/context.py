"""What a handler gets: the message, the member, the conversation, the repositories, the time."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.config import Settings
from bot.files import Downloaded
from bot.messages import Button, Inbound, Outbound, numbered_buttons
from bot.texts import Texts
from bot.words import Command
from storage.models import Conversation, Draft, Member, Unit
from storage.repos import Repos

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.web.downloads import Downloads
    from storage.db import Database


@dataclass
class BotLinks:
    """Facts about the bots themselves that replies need (the Telegram @username for links)."""

    telegram_username: str | None = None

    def telegram_start_link(self, code: str) -> str | None:
        """Return https://t.me/<bot>?start=<code>, or None when the username is unknown."""
        if not self.telegram_username:
            return None
        return f"https://t.me/{self.telegram_username}?start={code}"


@dataclass(frozen=True)
class Services:
    """What work done after the transaction may use: the database, the clock, the downloads."""

    db: Database
    settings: Settings
    clock: Clock
    texts: Texts
    downloads: Downloads | None = None


# Work a handler leaves for after its transaction (an export): long, off the database lock,
# its replies sent after the handler's own ("preparing the file…", then the file).
Later = Callable[[Services], Awaitable[list[Outbound]]]


@dataclass
class Context:
    """Everything one update's handling may read or change, inside one transaction."""

    inbound: Inbound
    repos: Repos
    conversation: Conversation
    member: Member | None
    unit: Unit | None
    now: datetime
    texts: Texts
    settings: Settings
    links: BotLinks = field(default_factory=BotLinks)
    download: Downloaded | None = None  # a photo or file fetched before the transaction
    download_kept: bool = False  # a handler stored it; otherwise the router removes it
    draft: Draft | None = None  # the draft the conversation points at, loaded with the session
    campaign_revisions: dict[str, int] | None = None  # code -> revision, loaded with the session
    # The commands this version has (the router's table): help lists only these.
    commands: frozenset[Command] = frozenset()
    # True while a command is answered in the middle of a conversation (which then continues):
    # the handler shows, it does not start anything.
    interrupting: bool = False
    # What the command's long read found before the transaction (router.PREFETCH: tonghop).
    prefetched: object = None
    # The published files behind download links (None: this bot makes no links).
    downloads: Downloads | None = None
    # Work to run once the transaction has committed (see `Later`).
    later: list[Later] = field(default_factory=list)

    def say(self, key: str, buttons: list[list[Button]] | None = None, **values: Any) -> Outbound:
        """Return one reply built from the catalogue sentence `key`."""
        return Outbound(text=self.texts(key, **values), buttons=buttons or [])

    @property
    def cancel_row(self) -> list[Button]:
        """The row with the button that types huy."""
        return [Button(label=self.texts("button_cancel"), value="huy")]

    def local(self, moment: datetime) -> datetime:
        """Return `moment` in the configured time zone."""
        return moment.astimezone(self.settings.schedule.zone())


def numbered(texts: Texts, labels: list[str]) -> tuple[str, list[list[Button]]]:
    """Return '1. …' lines and matching buttons (one per row) for a list of options."""
    lines = "\n".join(
        texts("option_line", number=index, label=label) for index, label in enumerate(labels, 1)
    )
    return lines, numbered_buttons(labels)
