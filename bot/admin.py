"""Operator actions shared by the command line and the demo: units, invites, the bot's links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from pydantic import ValidationError

from bot import invites, official_units, org
from bot.campaigns.loader import load_file
from bot.campaigns.model import STORED_DEFINITION, Campaign
from bot.config import Settings
from bot.context import BotLinks
from storage.db import Database
from storage.models import Role, Unit
from storage.repos import FormRow, Repos

TELEGRAM_USERNAME_KEY = "telegram.username"


class Refused(Exception):
    """The operator's input was refused; `lines` say why (Vietnamese / English)."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines

    def __reduce__(self) -> tuple[type[Refused], tuple[list[str]]]:
        # Raised in an export's child process too: it must come back whole.
        return (Refused, (self.lines,))


@dataclass(frozen=True)
class ImportReport:
    """How a units import went: units in the file, how many new, how many changed."""

    total: int
    new: int
    updated: int
    warnings: tuple[str, ...] = ()  # 'FILE:LINE: CODE: vi / en', said but not refused


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
        plan = org.plan_import(content, await repos.units.all(merged=True), settings.org)
        if plan.problems:
            raise Refused([p.render(str(path)) for p in plan.problems])
        await org.apply_import(repos, plan)
    total = plan.new + plan.updated + plan.unchanged
    warnings = tuple(w.render(str(path)) for w in plan.warnings)
    return ImportReport(total=total, new=plan.new, updated=plan.updated, warnings=warnings)


async def seed_province(
    db: Database, settings: Settings, typed: str, *, dry_run: bool = False
) -> official_units.SeedPlan:
    """Create or update a province and its communes from the official 2025 list, at the first
    two levels of `[org].levels` (with `dry_run`, only plan it); Refused says why not."""
    levels = settings.org.level_ids()
    if len(levels) < 2:
        raise Refused(
            [
                "cần ít nhất hai cấp trong [org].levels (tỉnh, xã) / "
                "[org].levels needs at least two levels (province, commune)"
            ]
        )
    try:
        province = official_units.find_province(typed)
        async with db.read() if dry_run else db.transaction() as repos:
            plan = official_units.plan_seed(province, await repos.units.all(merged=True), levels)
            if not dry_run:
                await repos.units.upsert_many(plan.units)
    except official_units.OfficialRefusal as exc:
        raise Refused(exc.lines) from None
    return plan


async def find_unit(repos: Repos, typed: str) -> Unit:
    """Return the unit whose code is `typed`, ignoring case and spaces; Refused if none.

    Every command that takes a unit code goes through here, so `kp-01` finds KP-01 everywhere.
    """
    code = typed.strip()
    exact = await repos.units.get(code) if code else None
    matches = [exact] if exact else await repos.units.find_nocase(code) if code else []
    if len(matches) == 1:
        found = matches[0]
        if found.merged_into:
            # Kept as history only: its members and submissions are the other unit's now.
            raise Refused([" / ".join(merged_unit(found.code, found.merged_into))])
        return found
    if matches:
        # Imports refuse codes that differ only in case; an older database may still hold some.
        raise Refused([" / ".join(several_units(typed, [u.code for u in matches]))])
    raise Refused([" / ".join(unknown_unit(typed))])


# The sentences of a unit code that does not lead to one live unit, (Vietnamese, English):
# said by `find_unit`, and by a broadcast's audience, which looks units up on its own thread.


def unknown_unit(typed: str) -> tuple[str, str]:
    """No unit has this code."""
    return (
        f"không có đơn vị mã {typed!r} (xem thidua units list)",
        f"unknown unit {typed!r} (see thidua units list)",
    )


def several_units(typed: str, codes: list[str]) -> tuple[str, str]:
    """The code names several units, differing only in case (an older import)."""
    listed = ", ".join(codes)
    return (
        f"mã {typed!r} ứng với nhiều đơn vị ({listed}), hãy gõ đúng chữ hoa, chữ thường",
        f"{typed!r} matches several units ({listed}); type the code with its exact case",
    )


def merged_unit(code: str, into: str) -> tuple[str, str]:
    """The unit was merged into another: its people are there now."""
    return (
        f"đơn vị {code} đã được gộp vào {into}, hãy dùng mã {into}",
        f"unit {code} was merged into {into}; use {into}",
    )


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
        unit = await find_unit(repos, unit_code)
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


NO_UNITS_YET = (
    "chưa có đơn vị nào trong cơ sở dữ liệu: nhập trước bằng thidua units import FILE.csv / "
    "no units yet: import them first with thidua units import FILE.csv"
)


async def check_campaign(
    db: Database | None, settings: Settings, path: Path, *, need_scope: bool = False
) -> Campaign:
    """Validate a campaign file (against the tree when a database is given); Refused lists all.

    An empty tree skips the scope check, unless `need_scope`: a campaign is only stored for a
    unit that exists.
    """
    units: set[str] | None = None
    if db is not None:
        async with db.read() as repos:
            units = {u.code for u in await repos.units.all()}
    empty = not units
    if empty and not need_scope:
        units = None
    campaign, problems = load_file(path, levels=set(settings.org.level_ids()), units=units)
    if problems or campaign is None:
        lines = [p.render() for p in problems] or [f"{path}: không đọc được / unreadable"]
        # An unknown scope in an empty tree means a step was skipped: say which one.
        if empty and need_scope and any(p.key == "campaign.scope" for p in problems):
            lines.append(NO_UNITS_YET)
        raise Refused(lines)
    return campaign


def shift_campaign(campaign: Campaign, days: int) -> Campaign:
    """Return the campaign with every date in it moved by `days` (period, windows, bounds).

    For trying a past campaign out today: the spacing between dates is kept, so each form
    stays open as long as it was. Refused if a moved date leaves the years a plan may use.
    """
    if days == 0:
        return campaign
    step = timedelta(days=days)

    def moved(value: Any) -> Any:
        # date only: datetime is a subclass, and a campaign holds no date-times anyway.
        if isinstance(value, date) and not isinstance(value, datetime):
            return value + step
        if isinstance(value, dict):
            return {key: moved(item) for key, item in value.items()}
        if isinstance(value, list):
            return [moved(item) for item in value]
        return value

    try:
        return Campaign.model_validate(moved(campaign.model_dump()))
    except OverflowError:
        reasons = ["quá năm 9999 / past the year 9999"]
    except ValidationError as exc:
        reasons = [error["msg"] for error in exc.errors()]  # rule errors are already "vi / en"
    # One reason is enough: a shift that is too far breaks every date the same way.
    raise Refused(
        [
            f"không dời được các ngày {days:+d} ngày / cannot move the dates by {days:+d} days:"
            f" {reasons[0]}"
        ]
    )


def shift_for(campaign: Campaign, target: date) -> int:
    """How many days move the campaign's start (`starts_on`) to `target`."""
    return (target - campaign.campaign.starts_on).days


async def load_campaign(
    db: Database, settings: Settings, path: Path, now: datetime, *, shift_to: date | None = None
) -> tuple[Campaign, int]:
    """Validate and store a campaign (insert or update by code); return it and its revision.

    A reload never loses an answer: submissions keep their JSON, and a form that already has
    submissions cannot be removed from the file. `shift_to` stores it with every date moved
    so that it starts on that day (the file itself is not changed).
    """
    campaign = await check_campaign(db, settings, path, need_scope=True)
    source = read_text_file(path)
    if shift_to is not None:
        days = shift_for(campaign, shift_to)
        campaign = shift_campaign(campaign, days)
        # At the end, so that line numbers of the stored source still match the file's.
        source += f"\n# thidua campaign load --shift-to {shift_to}: mọi ngày dời {days:+d} ngày\n"
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
