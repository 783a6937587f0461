"""Operator actions shared by the command line and the demo: units, invites, the bot's links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from bot import invites, org
from bot.config import Settings
from bot.context import BotLinks
from storage.db import Database
from storage.models import Role

TELEGRAM_USERNAME_KEY = "telegram.username"


class Refused(Exception):
    """The operator's input was refused; `lines` say why (Vietnamese / English)."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


@dataclass(frozen=True)
class ImportReport:
    """How a units import went."""

    total: int
    new: int
    updated: int


def read_text_file(path: Path) -> str:
    """Read a UTF-8 file (a BOM from Excel is fine); Refused if missing or not UTF-8."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise Refused([f"{path}: không có tệp này / no such file"]) from None
    except UnicodeDecodeError:
        raise Refused(
            [f"{path}: tệp không phải UTF-8; lưu lại dạng CSV UTF-8 / the file is not UTF-8"]
        ) from None
    except OSError as exc:
        raise Refused([f"{path}: không đọc được / cannot read: {exc.strerror}"]) from None


async def import_units(db: Database, settings: Settings, path: Path) -> ImportReport:
    """Import a units CSV all or nothing; Refused lists every bad row."""
    content = read_text_file(path)
    async with db.transaction() as repos:
        plan = org.plan_import(content, await repos.units.all(), settings.org)
        if plan.problems:
            raise Refused([p.render(str(path)) for p in plan.problems])
        await org.apply_import(repos, plan)
    return ImportReport(total=plan.new + plan.updated, new=plan.new, updated=plan.updated)


async def telegram_links(db: Database, settings: Settings) -> BotLinks:
    """Find the Telegram bot's username: config, then the last run's getMe, then getMe now."""
    if not settings.telegram.enabled:
        return BotLinks(None)
    if settings.telegram.username:
        return BotLinks(settings.telegram.username.lstrip("@"))
    async with db.read() as repos:
        known = await repos.meta.get(TELEGRAM_USERNAME_KEY)
    if known:
        return BotLinks(known)
    username = await _ask_telegram_username(settings)
    if username:
        async with db.transaction() as repos:
            await repos.meta.put(TELEGRAM_USERNAME_KEY, username)
    return BotLinks(username)


async def _ask_telegram_username(settings: Settings) -> str | None:
    token = settings.telegram.token.get_secret_value()
    if not token:
        return None
    url = f"{settings.telegram.base_url}{token}/getMe"
    try:
        async with httpx.AsyncClient(timeout=5.0) as client:
            answer = (await client.post(url)).json()
    except (httpx.HTTPError, ValueError):
        return None  # offline: the link is simply left out
    result = answer.get("result") if isinstance(answer, dict) else None
    username = result.get("username") if isinstance(result, dict) else None
    return str(username) if username else None


async def make_invite(
    db: Database,
    settings: Settings,
    *,
    unit_code: str,
    role: Role,
    expires_in: timedelta,
    now: datetime,
) -> dict[str, Any]:
    """Create an invite from the command line; return the spec's JSON shape."""
    links = await telegram_links(db, settings)
    async with db.transaction() as repos:
        unit = await repos.units.get(unit_code)
        if unit is None:
            raise Refused([f"không có đơn vị mã {unit_code!r} / unknown unit {unit_code!r}"])
        created = await invites.create_invite(
            repos, unit=unit, role=role, now=now, expires_in=expires_in
        )
    zone = settings.schedule.zone()
    return {
        "code": created.code,
        "unit": unit.code,
        "role": role.value,
        "expires_at": created.invite.expires_at.astimezone(zone).isoformat(timespec="seconds"),
        "telegram_link": links.telegram_start_link(created.code),
    }
