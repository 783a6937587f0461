"""Operator actions shared by the command line and the demo: units, invites, the bot's links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from bot import invites, org
from bot.campaigns.loader import load_file
from bot.campaigns.model import STORED_DEFINITION, Campaign
from bot.config import Settings
from bot.context import BotLinks
from storage.db import Database
from storage.models import Role
from storage.repos import FormRow

TELEGRAM_USERNAME_KEY = "telegram.username"


class Refused(Exception):
    """The operator's input was refused; `lines` say why (Vietnamese / English)."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


@dataclass(frozen=True)
class ImportReport:
    """How a units import went: units in the file, how many new, how many changed."""

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
    total = plan.new + plan.updated + plan.unchanged
    return ImportReport(total=total, new=plan.new, updated=plan.updated)


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
    except (httpx.HTTPError, httpx.InvalidURL, ValueError):
        return None  # offline (or a token that makes no URL): the link is simply left out
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


async def check_campaign(db: Database | None, settings: Settings, path: Path) -> Campaign:
    """Validate a campaign file (against the tree when a database is given); Refused lists all."""
    units: set[str] | None = None
    if db is not None:
        async with db.read() as repos:
            units = {u.code for u in await repos.units.all()} or None
    campaign, problems = load_file(path, levels=set(settings.org.level_ids()), units=units)
    if problems or campaign is None:
        raise Refused([p.render() for p in problems] or [f"{path}: không đọc được / unreadable"])
    return campaign


async def load_campaign(
    db: Database, settings: Settings, path: Path, now: datetime
) -> tuple[Campaign, int]:
    """Validate and store a campaign (insert or update by code); return it and its revision.

    A reload never loses an answer: submissions keep their JSON, and a form that already has
    submissions cannot be removed from the file.
    """
    campaign = await check_campaign(db, settings, path)
    source = read_text_file(path)
    info = campaign.campaign
    async with db.transaction() as repos:
        used = await repos.campaigns.forms_with_submissions(info.code)
        kept = {form.id for form in campaign.forms}
        missing = sorted(set(used) - kept)
        if missing:
            raise Refused(
                [
                    f"{path}: forms[{form_id}]: mẫu này đã có {used[form_id]} bài gửi, không xóa"
                    f" được khỏi tệp / this form has {used[form_id]} submissions and cannot be"
                    " removed"
                    for form_id in missing
                ]
            )
        revision = await repos.campaigns.save(
            code=info.code,
            title=info.title,
            scope=info.scope,
            starts_on=info.starts_on.isoformat(),
            ends_on=info.ends_on.isoformat(),
            definition=campaign.model_dump(mode="json"),
            source=source,
            forms=[
                FormRow(
                    form_id=form.id,
                    title=form.title,
                    kind=form.kind.value,
                    level=form.level,
                    multiple=form.multiple,
                    about=form.about,
                    opens_on=(form.opens_on or info.starts_on).isoformat(),
                    due_on=form.due_on.isoformat(),
                    late=form.late.value,
                )
                for form in campaign.forms
            ],
            now=now,
        )
    return campaign, revision


def campaign_summary(campaign: Campaign, revision: int | None = None) -> dict[str, Any]:
    """The JSON shape of `thidua campaign list` for one campaign."""
    info = campaign.campaign
    return {
        "code": info.code,
        "title": info.title,
        "plan_number": info.plan_number,
        "scope": info.scope,
        "starts_on": info.starts_on.isoformat(),
        "ends_on": info.ends_on.isoformat(),
        "revision": revision,
        "forms": [
            {
                "id": form.id,
                "title": form.title,
                "kind": form.kind.value,
                "level": form.level,
                "multiple": form.multiple,
                "opens_on": (form.opens_on or info.starts_on).isoformat(),
                "due_on": form.due_on.isoformat(),
                "late": form.late.value,
                "questions": len(form.questions),
            }
            for form in campaign.forms
        ],
    }


async def list_campaigns(db: Database) -> list[dict[str, Any]]:
    """Every loaded campaign in the JSON shape of `thidua campaign list`."""
    async with db.read() as repos:
        stored = await repos.campaigns.all()
    # Stored definitions were valid when loaded; newer checks must not make listing them fail.
    return [
        campaign_summary(
            Campaign.model_validate(s.definition, context={STORED_DEFINITION: True}), s.revision
        )
        for s in stored
    ]
