"""The `thidua` command line (spec/interface.md §1): exit 0 ok, 1 input refused, 2 usage."""

from __future__ import annotations

import argparse
import asyncio
import errno
import json
import os
import sqlite3
import sys
from collections.abc import Callable, Coroutine
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Final, Literal

from bot import admin, invites, org
from bot.admin import Refused
from bot.config import ConfigError, Settings, load_settings
from bot.digest import service
from bot.digest.render import render
from bot.logs import setup_logging
from bot.texts import VI
from storage.db import DatabaseNotReady, DatabaseTooNew, open_database, program_version
from storage.models import Role, Unit
from storage.repos import Repos
from storage.restore import BackupUnusable, DatabaseInUse, restore

OK, REFUSED, USAGE = 0, 1, 2

Command = Callable[[argparse.Namespace, Settings], Coroutine[Any, Any, int]]


def _duration(text: str) -> timedelta:
    try:
        return invites.parse_duration(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r}: thời hạn như 7d, 12h, 30m / a duration such as 7d, 12h, 30m"
        ) from None


TODAY: Final = "today"


def _shift_target(text: str) -> date | Literal["today"]:
    """Read --shift-to: `today`, 2026-12-01 or 01/12/2026."""
    value = text.strip()
    if value.casefold() in (TODAY, "homnay", "hôm nay", "hom nay"):
        return TODAY
    for layout in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, layout).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(
        f"{text!r}: cần một ngày như 2026-12-01 hoặc 01/12/2026, hoặc today / "
        "a date such as 2026-12-01 or 01/12/2026, or today"
    )


def _chat_user(text: str) -> str:
    """Read --user: any visible name; an empty one would be nobody."""
    name = text.strip()
    if not name:
        raise argparse.ArgumentTypeError(
            "cần một tên, ví dụ ba-lan / a name is needed, e.g. ba-lan"
        )
    return name


def _emit(args: argparse.Namespace, payload: dict[str, Any], human: list[str]) -> None:
    if getattr(args, "json", False):
        print(json.dumps(payload, ensure_ascii=False))
    else:
        for line in human:
            print(line)


class FileFailure(Exception):
    """A database or file system failure while working on `path` (e.g. a backup's target)."""

    def __init__(self, path: str, cause: sqlite3.Error | OSError, vi: str, en: str) -> None:
        super().__init__(str(cause))
        self.path, self.cause, self.vi, self.en = path, cause, vi, en


# SQLite's (extended) result names → the cause in two languages; the first prefix that matches.
_SQLITE_CAUSES: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("SQLITE_FULL",), "đĩa đầy", "the disk is full"),
    (("SQLITE_IOERR_READ", "SQLITE_IOERR_SHORT_READ"), "không đọc được đĩa", "a disk read failed"),
    # A write refused by the system (ENOSPC, EFBIG, a quota) mostly comes back as IOERR.
    (
        ("SQLITE_IOERR",),
        "ghi đĩa thất bại, đĩa đầy?",
        "writing to the disk failed; is the disk full?",
    ),
    (("SQLITE_NOTADB",), "không phải tệp cơ sở dữ liệu SQLite", "not an SQLite database file"),
    (("SQLITE_CORRUPT",), "cơ sở dữ liệu bị hỏng", "the database is corrupt"),
    (("SQLITE_READONLY_DIRECTORY",), "thư mục chỉ cho đọc", "its folder is read-only"),
    (("SQLITE_READONLY",), "chỉ cho đọc, không ghi được", "it is read-only"),
    (("SQLITE_BUSY", "SQLITE_LOCKED"), "đang bị tiến trình khác giữ", "locked by another process"),
    (("SQLITE_PERM", "SQLITE_AUTH"), "không có quyền", "permission denied"),
)
_DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def _cause(exc: sqlite3.Error | OSError, path: str) -> tuple[str, str]:
    """Return why a database or file operation on `path` failed, in Vietnamese and English."""
    if isinstance(exc, OSError):
        reason = exc.strerror or type(exc).__name__
        if exc.errno in _DISK_FULL:
            return "đĩa đầy", f"the disk is full ({reason})"
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return "không có quyền ghi hoặc đọc", reason
        if exc.errno == errno.ENOENT:
            return "không có tệp hoặc thư mục này", reason
        return "lỗi hệ thống tệp", reason
    name = getattr(exc, "sqlite_errorname", "")
    if name.startswith("SQLITE_CANTOPEN"):
        folder = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(folder):
            return f"không có thư mục {folder}", f"the folder {folder} does not exist"
        if os.path.isdir(path):
            return "đây là một thư mục", "it is a folder"
        return "không mở được (quyền truy cập?)", f"cannot open it (permissions?) ({name})"
    for prefix, vi, en in _SQLITE_CAUSES:
        if name.startswith(prefix):
            return vi, f"{en} ({name})"
    return "lỗi cơ sở dữ liệu", f"database error: {exc}"


def _failure_line(path: str, exc: sqlite3.Error | OSError, vi: str = "", en: str = "") -> str:
    """Return 'PATH: [what failed: ]cause / [what failed: ]cause' for a failed file operation."""
    if isinstance(exc, OSError) and exc.filename and not vi:
        path = str(exc.filename)  # e.g. the units file or the demo folder, not the database
    cause_vi, cause_en = _cause(exc, path)
    what_vi, what_en = (f"{vi}: ", f"{en}: ") if vi else ("", "")
    return f"{path}: {what_vi}{cause_vi} / {what_en}{cause_en}"


def _not_ready_line(exc: DatabaseNotReady) -> str:
    """Say that the database is missing or too old, and that `thidua init` fixes it."""
    if exc.version is None:
        return (
            f"{exc.path}: chưa có cơ sở dữ liệu, hãy chạy thidua init / "
            "no database here; run thidua init"
        )
    return (
        f"{exc.path}: cơ sở dữ liệu cũ (phiên bản {exc.version}, cần {exc.expected}), "
        f"hãy chạy thidua init / the database is older than this program (version "
        f"{exc.version}, needs {exc.expected}); run thidua init"
    )


def _too_new_line(exc: DatabaseTooNew) -> str:
    """Say that a newer thidua-bot wrote the database, and which one this needs."""
    mine = program_version()
    by_vi = f" do thidua-bot {exc.program} ghi" if exc.program else ""
    by_en = f", written by thidua-bot {exc.program}" if exc.program else ""
    need_vi = f"thidua-bot {exc.program} trở lên" if exc.program else "bản thidua-bot đã ghi nó"
    need_en = f"thidua-bot {exc.program} or newer" if exc.program else "the one that wrote it"
    return (
        f"{exc.path}: cơ sở dữ liệu phiên bản {exc.version}{by_vi}, mới hơn chương trình này"
        f" (thidua-bot {mine} đọc được tới phiên bản {exc.expected}); hãy cài {need_vi}, hoặc"
        f" phục hồi bản sao lưu làm bằng bản này / the database is version {exc.version}{by_en},"
        f" newer than this program (thidua-bot {mine} reads up to version {exc.expected});"
        f" install {need_en}, or restore a backup made with this one"
    )


def _refuse(args: argparse.Namespace, lines: list[str]) -> int:
    for line in lines:
        print(line, file=sys.stderr)
    if getattr(args, "json", False):
        print(json.dumps({"ok": False, "problems": lines}, ensure_ascii=False))
    return REFUSED


async def cmd_init(args: argparse.Namespace, settings: Settings) -> int:
    """Create or migrate the database."""
    path = settings.database.path
    existed = os.path.exists(path)
    async with open_database(path, migrate=False) as db:
        applied = await db.migrate()
        version = await db.schema_version()
    # The full path: a relative one depends on the folder the command was run from.
    where = settings.database.location()
    if not existed:
        vi, en = "Đã tạo cơ sở dữ liệu", "created the database"
    elif applied:
        vi, en = "Đã nâng cấp cơ sở dữ liệu", "upgraded the database"
    else:
        vi, en = "Cơ sở dữ liệu đã sẵn sàng", "the database is ready"
    _emit(
        args,
        {"database": path, "version": version, "applied": applied},
        [f"{vi}: {where} (phiên bản {version}) / {en} (version {version})"],
    )
    return OK


async def cmd_units_import(args: argparse.Namespace, settings: Settings) -> int:
    """Import units from a CSV, all or nothing."""
    async with open_database(settings.database.path) as db:
        report = await admin.import_units(db, settings, Path(args.file))
    # Warnings go to stderr: stdout stays the result (one JSON object with --json).
    for line in report.warnings:
        print(f"{line} (cảnh báo / warning)", file=sys.stderr)
    payload: dict[str, Any] = {
        "ok": True,
        "imported": report.total,
        "new": report.new,
        "updated": report.updated,
    }
    if report.warnings:  # only then: scripts that compare the whole object keep working
        payload["warnings"] = list(report.warnings)
    _emit(
        args,
        payload,
        [
            f"Đã nhập {report.total} đơn vị ({report.new} mới, {report.updated} cập nhật) / "
            f"imported {report.total} units ({report.new} new, {report.updated} updated)"
        ],
    )
    return OK


async def cmd_units_seed(args: argparse.Namespace, settings: Settings) -> int:
    """Create or update a province and its communes from the official 2025 list."""
    async with open_database(settings.database.path, read_only=args.dry_run) as db:
        plan = await admin.seed_province(db, settings, args.province, dry_run=args.dry_run)
    root, renamed = plan.root, len(plan.renamed)
    total = len(plan.new) + renamed + plan.unchanged
    counts_vi = f"{len(plan.new)} mới, {renamed} cập nhật, {plan.unchanged} không đổi"
    counts_en = f"{len(plan.new)} new, {renamed} updated, {plan.unchanged} unchanged"
    if args.dry_run:
        head_vi, head_en = "Sẽ nhập (chưa ghi gì)", "would seed (nothing written)"
    else:
        head_vi, head_en = "Đã nhập", "seeded"
    human = [
        f"{head_vi} {root.name} (mã {root.code}) và {plan.communes} xã, phường theo danh sách"
        f" chính thức 2025: {total} đơn vị ({counts_vi}) / {head_en} {root.name} (code"
        f" {root.code}) and its {plan.communes} communes from the official 2025 list: {total}"
        f" units ({counts_en})"
    ]
    if args.dry_run:
        human += [f"  + {u.code}  {u.name}" for u in plan.new]
    human += [f"  ~ {a.code}  {b.name} ← {a.name}" for a, b in plan.renamed]
    human += [
        f"  ? {u.code}  {u.name}: không có trong danh sách chính thức (đã gộp? xem thidua units"
        " merge) / not in the official list (merged? see thidua units merge)"
        for u in plan.unofficial
    ]
    human += [
        f"  = {u.code}  {u.name}: đã gộp vào {u.merged_into}, giữ nguyên / merged into"
        f" {u.merged_into}, left as it is"
        for u in plan.merged
    ]
    payload = {
        "ok": True,
        "dry_run": args.dry_run,
        "province": {"code": root.code, "name": root.name, "official_code": plan.province.code},
        "communes": plan.communes,
        "new": len(plan.new),
        "updated": renamed,
        "unchanged": plan.unchanged,
        "merged": [u.code for u in plan.merged],
        "not_official": [u.code for u in plan.unofficial],
    }
    _emit(args, payload, human)
    return OK


async def cmd_units_merge(args: argparse.Namespace, settings: Settings) -> int:
    """Merge units into one: their members, submissions and history move to it."""
    from bot.unit_merge import merge_units

    now = settings.make_clock().now()
    async with open_database(settings.database.path) as db, db.transaction() as repos:
        report = await merge_units(repos, args.old, args.into, force=args.force, now=now)
    olds = ", ".join(u.code for u in report.merged)
    into, moved = report.into.code, report.moved
    _emit(
        args,
        {
            "ok": True,
            "into": into,
            "merged": [u.code for u in report.merged],
            "members": moved.members,
            "drafts": moved.drafts,
            "submissions": moved.submissions,
            "invites": moved.invites,
            "children": moved.children,
        },
        [
            f"Đã gộp {olds} vào {into}: chuyển {moved.members} người, {moved.submissions} bài"
            f" gửi, {moved.drafts} bản nháp, {moved.invites} mã mời chưa dùng, {moved.children}"
            f" đơn vị cấp dưới; {olds} được giữ làm lịch sử / merged {olds} into {into}: moved"
            f" {moved.members} members, {moved.submissions} submissions, {moved.drafts} drafts,"
            f" {moved.invites} unused invites, {moved.children} units below; {olds} kept as"
            " history"
        ],
    )
    return OK


async def cmd_units_list(args: argparse.Namespace, settings: Settings) -> int:
    """Print the organisation tree."""
    async with open_database(settings.database.path, read_only=True) as db, db.read() as repos:
        if args.under:
            root = await admin.find_unit(repos, args.under)
            units = await repos.units.subtree(root, merged=True)
            base = root.depth
        else:
            units, base = await repos.units.all(merged=True), 0
    payload = {
        "units": [
            u.model_dump(include={"code", "name", "level", "parent_code", "merged_into"})
            for u in units
        ]
    }
    _emit(args, payload, org.render_tree(units, settings.org, base))
    return OK


NO_TELEGRAM_LINK = (
    "Chưa có đường dẫn Telegram: chưa biết tên bot (đặt telegram.username, hoặc chạy thidua run"
    " một lần khi có mạng và mã bot) / no Telegram link: the bot's username is unknown (set"
    " telegram.username, or run thidua run once with a token and a network)"
)


async def cmd_invite(args: argparse.Namespace, settings: Settings) -> int:
    """Create a single-use invite code."""
    clock = settings.make_clock()
    async with open_database(settings.database.path) as db:
        info = await admin.make_invite(
            db,
            settings,
            unit_code=args.unit,
            role=Role(args.role),
            expires_in=args.expires,
            now=clock.now(),
        )
    human = [
        f"Mã mời / invite code: {info['code']}",
        f"Đơn vị / unit: {info['unit']}  Vai trò / role: {info['role']}",
        f"Hạn / expires: {datetime.fromisoformat(info['expires_at']):%H:%M %d/%m/%Y}"
        f" ({info['expires_at']})",
    ]
    if info["telegram_link"]:
        human.append(f"Telegram: {info['telegram_link']}")
    elif settings.telegram.enabled:
        # stderr, so --json stays one object; else a null link leaves the operator guessing.
        print(NO_TELEGRAM_LINK, file=sys.stderr)
    _emit(args, info, human)
    return OK


async def cmd_campaign_check(args: argparse.Namespace, settings: Settings) -> int:
    """Validate a campaign file; every problem as FILE:LINE: key: message."""
    path = Path(args.file)
    try:
        async with open_database(settings.database.path, read_only=True) as db:
            campaign = await admin.check_campaign(db, settings, path)
    except DatabaseNotReady:
        # Without a usable tree only the scope check is skipped; checking never creates one.
        campaign = await admin.check_campaign(None, settings, path)
    forms = len(campaign.forms)
    _emit(
        args,
        {"ok": True, "code": campaign.campaign.code, "forms": forms},
        [f"{path}: hợp lệ, {forms} mẫu / valid, {forms} forms ({campaign.campaign.code})"],
    )
    return OK


async def cmd_campaign_load(args: argparse.Namespace, settings: Settings) -> int:
    """Validate, then insert or update a campaign by its code."""
    clock = settings.make_clock()
    now = clock.now()
    shift: date | Literal["today"] | None = args.shift_to
    # "today" is the configured clock's day in the configured zone, like every other date.
    target = now.astimezone(settings.schedule.zone()).date() if isinstance(shift, str) else shift
    async with open_database(settings.database.path) as db:
        campaign, revision = await admin.load_campaign(
            db, settings, Path(args.file), now, shift_to=target
        )
    info = campaign.campaign
    human = [
        f"Đã nạp đợt thi đua {info.code} (lần {revision}) / "
        f"loaded campaign {info.code} (revision {revision})"
    ]
    if target is not None:
        # Say what the shift did, in the dates a person reads, so nobody wonders later.
        human.append(
            f"Các ngày đã được dời: đợt thi đua từ {info.starts_on:%d/%m/%Y} đến"
            f" {info.ends_on:%d/%m/%Y}; tệp {args.file} không đổi / dates moved: the campaign"
            f" runs {info.starts_on} to {info.ends_on}; the file is unchanged"
        )
        human.extend(
            f"  {form.title}: nhận từ {form.opens(campaign):%d/%m/%Y}, hạn {form.due_on:%d/%m/%Y}"
            for form in campaign.forms
        )
    payload: dict[str, Any] = {
        "ok": True,
        "code": info.code,
        "revision": revision,
        "forms": len(campaign.forms),
    }
    if target is not None:
        payload["starts_on"] = info.starts_on.isoformat()
    _emit(args, payload, human)
    return OK


async def cmd_campaign_list(args: argparse.Namespace, settings: Settings) -> int:
    """List campaigns with their forms, windows and deadlines."""
    async with open_database(settings.database.path, read_only=True) as db:
        campaigns = await admin.list_campaigns(db)
    human: list[str] = []
    for item in campaigns:
        human.append(f"{item['code']}  {item['title']}  ({item['starts_on']} – {item['ends_on']})")
        for form in item["forms"]:
            human.append(
                f"  {form['id']}  {form['title']}  [{form['kind']}, {form['level']}]"
                f"  {form['opens_on']} → {form['due_on']} ({form['late']})"
            )
    _emit(args, {"campaigns": campaigns}, human)
    return OK


async def _digest_campaign(repos: Repos, typed: str, unit: Unit) -> str:
    """The code of the campaign typed for `thidua digest` (any case); Refused unless it covers
    the unit's subtree."""
    stored = await repos.campaigns.all()
    found = next((c for c in stored if c.code == typed.strip()), None) or next(
        (c for c in stored if c.code.casefold() == typed.strip().casefold()), None
    )
    if found is None:
        raise Refused(
            [
                f"không có đợt thi đua mã {typed!r} (xem thidua campaign list) / "
                f"unknown campaign {typed!r} (see thidua campaign list)"
            ]
        )
    scope = await repos.units.get(found.scope)
    if scope is None or not (unit.contains(scope) or scope.contains(unit)):
        raise Refused(
            [
                f"đợt thi đua {found.code} không áp dụng cho đơn vị {unit.code} (phạm vi"
                f" {found.scope}) / campaign {found.code} does not cover unit {unit.code}"
                f" (its scope is {found.scope})"
            ]
        )
    return found.code


async def cmd_digest(args: argparse.Namespace, settings: Settings) -> int:
    """Print the digest the unit's secretary would receive now (spec §1.1 with --json)."""
    now = settings.make_clock().now()
    async with open_database(settings.database.path, read_only=True) as db:
        async with db.read() as repos:
            unit = await admin.find_unit(repos, args.unit)
            campaign = await _digest_campaign(repos, args.campaign, unit) if args.campaign else None
        # "What is new" starts where the unit's secretaries' last digest did, as theirs would.
        since = await service.last_digest_of_unit(db, unit.code)
        digest = await service.gather(db, settings, unit.code, now, since, campaign=campaign)
    zone = settings.schedule.zone()
    # On a terminal nothing needs cutting: the whole digest as one text, as a chat would read it.
    text = render(digest, VI, settings.org, zone, limit=sys.maxsize)
    _emit(args, digest.as_json(zone), text)
    return OK


async def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    """Write one form's submissions in a subtree as an Excel list or a Word report."""
    from bot.exports.files import write_export

    target = Path(args.out)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise Refused([f"{target}: không có thư mục {folder} / the folder {folder} does not exist"])
    if target.is_dir():
        raise Refused([f"{target}: đây là một thư mục / it is a folder"])
    now = settings.make_clock().now()
    async with open_database(settings.database.path, read_only=True) as db:
        unit_code: str | None = None
        if args.unit:
            async with db.read() as repos:
                unit_code = (await admin.find_unit(repos, args.unit)).code
        try:
            written = await write_export(
                db,
                settings,
                campaign=args.campaign,
                form=args.form,
                unit_code=unit_code,
                fmt=args.format,
                target=target,
                now=now,
            )
        except OSError as exc:
            raise FileFailure(
                str(target), exc, "không ghi được tệp", "could not write the file"
            ) from exc
    rows, export, root = written.rows, written.export, written.export.root
    kind = "Excel" if args.format == "xlsx" else "Word"
    _emit(
        args,
        {"ok": True, "path": str(target), "rows": rows},
        [
            f"Đã ghi {target} ({kind}, {rows} dòng, {export.form.id} của {root.code}) / "
            f"wrote {target} ({kind}, {rows} rows, {export.form.id} of {root.code})"
        ],
    )
    return OK


def _unit_codes(typed: list[str]) -> list[str]:
    """The codes of `--unit A --unit B` or `--unit A,B` (unit codes hold no comma)."""
    return [code.strip() for value in typed for code in value.split(",") if code.strip()]


async def cmd_broadcast(args: argparse.Namespace, settings: Settings) -> int:
    """Preview an announcement to a subtree, or queue it with --yes (spec §1.2)."""
    from bot import broadcasts
    from bot.broadcasts.lines import preview_lines
    from bot.broadcasts.message import clean

    if not _unit_codes(args.unit or []) or args.text is None:
        print(
            "thidua broadcast: cần --unit và --text (hoặc status ID, cancel ID) / "
            "--unit and --text are required (or status ID, cancel ID)",
            file=sys.stderr,
        )
        return USAGE
    now = settings.make_clock().now()
    zone = settings.schedule.zone()
    at = broadcasts.parse_at(args.at, now, zone) if args.at is not None else None
    missing = broadcasts.parse_missing(args.missing) if args.missing is not None else None
    first, *more = _unit_codes(args.unit)
    audience = broadcasts.Audience(
        first, level=args.level, role=args.role, missing=missing, also=tuple(more)
    )
    broadcast_id: int | None = None
    if args.yes:
        async with open_database(settings.database.path) as db:
            queued = await broadcasts.queue(db, settings, audience, args.text, at=at, now=now)
        preview, broadcast_id = queued.preview, queued.id
    else:
        # The text is checked too, so a preview that passes is one that --yes will queue.
        clean(args.text)
        async with open_database(settings.database.path, read_only=True) as db:
            preview = await broadcasts.preview(db, settings, audience, at=at, now=now)
    _emit(
        args,
        preview.as_json(zone, broadcast_id),
        preview_lines(preview, zone, broadcast_id=broadcast_id, asked_at=at),
    )
    return OK


async def cmd_broadcast_status(args: argparse.Namespace, settings: Settings) -> int:
    """Print a broadcast's delivery counts."""
    from bot import broadcasts
    from bot.broadcasts.lines import status_lines

    now = settings.make_clock().now()
    async with open_database(settings.database.path, read_only=True) as db:
        status = await broadcasts.status(db, args.id, now)
    _emit(args, status.as_json(), status_lines(status, settings.schedule.zone()))
    return OK


async def cmd_broadcast_cancel(args: argparse.Namespace, settings: Settings) -> int:
    """Stop the part of a broadcast not yet sent; what was sent stays sent."""
    from bot import broadcasts
    from bot.broadcasts.lines import cancel_lines

    now = settings.make_clock().now()
    async with open_database(settings.database.path) as db:
        status = await broadcasts.cancel(db, args.id, now)
    stopped_now = status.cancelled_at == now  # an earlier cancel keeps its own time
    _emit(args, status.as_json(), cancel_lines(status, stopped_now, settings.schedule.zone()))
    return OK


async def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    """Write an online, consistent copy of the database."""
    target = Path(args.path)
    if target.exists():
        raise Refused([f"{target}: tệp đã có, không ghi đè / the file exists; not overwriting"])
    async with open_database(settings.database.path, read_only=True) as db:
        try:
            await db.backup(target)
        except (sqlite3.Error, OSError) as exc:
            raise FileFailure(str(target), exc, "sao lưu thất bại", "backup failed") from exc
    _emit(args, {"ok": True, "path": str(target)}, [f"Đã sao lưu vào / backed up to {target}"])
    return OK


async def cmd_restore(args: argparse.Namespace, settings: Settings) -> int:
    """Put a checked backup in place of the database (the bot stopped); keep the old file aside."""
    backup, target = Path(args.backup), Path(settings.database.path)
    if not backup.is_file():
        raise Refused([f"{backup}: không có tệp sao lưu này / no such backup file"])
    stamp = f"{settings.make_clock().now().astimezone(settings.schedule.zone()):%Y%m%d-%H%M%S}"
    try:
        done = restore(backup, target, stamp)
    except BackupUnusable as exc:
        raise Refused([_unusable_line(exc)]) from None
    except DatabaseInUse:
        raise Refused(
            [
                f"{target}: cơ sở dữ liệu đang mở (bot đang chạy?); hãy dừng bot trước, ví dụ"
                " systemctl stop thidua / the database is open (is the bot running?); stop it"
                " first, e.g. systemctl stop thidua"
            ]
        ) from None
    except sqlite3.Error as exc:
        raise FileFailure(
            str(backup), exc, "không dùng được bản sao lưu", "cannot use the backup"
        ) from exc
    except OSError as exc:
        where = str(exc.filename or target)
        raise FileFailure(where, exc, "phục hồi thất bại", "restore failed") from exc
    async with open_database(target, migrate=False) as db:
        applied = await db.migrate()
        version = await db.schema_version()
    where = settings.database.location()
    human = [
        f"Đã phục hồi {where} từ {backup} (phiên bản {version}) / restored {where} from"
        f" {backup} (version {version})"
    ]
    if applied:
        human.append(
            f"Đã nâng cấp bản sao lưu từ phiên bản {done.version} / upgraded the backup from"
            f" version {done.version}"
        )
    if done.aside is not None:
        human.append(f"Tệp cũ để ở / the old file is kept at {done.aside}")
    payload = {
        "ok": True,
        "database": str(target),
        "backup": str(backup),
        "version": version,
        "applied": applied,
        "aside": None if done.aside is None else str(done.aside),
    }
    _emit(args, payload, human)
    return OK


def _unusable_line(exc: BackupUnusable) -> str:
    """Say why a backup cannot be restored."""
    if not exc.problems:
        return (
            f"{exc.path}: không phải bản sao lưu của thidua (không có bảng nào), không phục hồi /"
            " not a thidua backup (it holds no thidua tables); nothing restored"
        )
    more = len(exc.problems) - 1
    extra_vi, extra_en = (f" (và {more} lỗi khác)", f" (and {more} more)") if more else ("", "")
    return (
        f"{exc.path}: bản sao lưu bị hỏng, không phục hồi: {exc.problems[0]}{extra_vi} /"
        f" the backup is damaged; nothing restored: {exc.problems[0]}{extra_en}"
    )


async def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """Run every enabled channel until SIGINT/SIGTERM."""
    from bot.runtime import run_bot

    setup_logging(settings.secrets())
    return await run_bot(settings)


async def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    """Talk to the bot in the terminal as `--user`."""
    from bot.runtime import run_console

    setup_logging(settings.secrets(), level=30)
    await run_console(settings, args.user)
    return OK


async def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    """Play the scripted offline demo."""
    from bot.demo import run_demo

    setup_logging(settings.secrets(), level=30)
    await run_demo(Path(args.out))
    return OK


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser for every command."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config",
        default=argparse.SUPPRESS,
        help="config file (default: $THIDUA_CONFIG, else ./config.toml)",
    )
    parser = argparse.ArgumentParser(
        prog="thidua", description="thidua-bot: emulation campaigns on Zalo and Telegram"
    )
    parser.add_argument("--config", default=None, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True)

    def add(
        name: str, handler: Command, help_text: str, target: Any = sub
    ) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = target.add_parser(name, parents=[common], help=help_text)
        p.set_defaults(handler=handler)
        return p

    p = add("init", cmd_init, "create or migrate the database")
    p.add_argument("--json", action="store_true")

    units = sub.add_parser("units", help="organisation units")
    units_sub = units.add_subparsers(dest="units_command", required=True)
    p = add("import", cmd_units_import, "import units from a CSV (all or nothing)", units_sub)
    p.add_argument("file")
    p.add_argument("--json", action="store_true")
    p = add("list", cmd_units_list, "print the tree", units_sub)
    p.add_argument("--under", default=None)
    p.add_argument("--json", action="store_true")
    p = add(
        "seed",
        cmd_units_seed,
        "create or update a province and its communes from the official 2025 list",
        units_sub,
    )
    p.add_argument("province", help='name (with or without diacritics) or code, e.g. "Đắk Lắk"')
    p.add_argument("--dry-run", action="store_true", help="print what would change, write nothing")
    p.add_argument("--json", action="store_true")
    p = add(
        "merge", cmd_units_merge, "merge units into one (the old ones stay as history)", units_sub
    )
    p.add_argument("old", nargs="+", metavar="OLD")
    p.add_argument("--into", required=True, metavar="NEW")
    p.add_argument("--force", action="store_true", help="merge across different parents")
    p.add_argument("--json", action="store_true")

    p = add("invite", cmd_invite, "create a single-use invite code")
    p.add_argument("--unit", required=True)
    p.add_argument("--role", required=True, choices=[r.value for r in Role])
    p.add_argument("--expires", type=_duration, default=invites.DEFAULT_EXPIRY)
    p.add_argument("--json", action="store_true")

    campaign = sub.add_parser("campaign", help="campaign files")
    campaign_sub = campaign.add_subparsers(dest="campaign_command", required=True)
    p = add("check", cmd_campaign_check, "validate a campaign file", campaign_sub)
    p.add_argument("file")
    p.add_argument("--json", action="store_true")
    p = add("load", cmd_campaign_load, "validate and store a campaign", campaign_sub)
    p.add_argument("file")
    p.add_argument(
        "--shift-to",
        type=_shift_target,
        default=None,
        metavar="DATE",
        help="store it with every date moved so that it starts on DATE"
        " (today, 2026-12-01 or 01/12/2026), to try a past campaign out",
    )
    p.add_argument("--json", action="store_true")
    p = add("list", cmd_campaign_list, "campaigns with their forms and deadlines", campaign_sub)
    p.add_argument("--json", action="store_true")

    add("run", cmd_run, "run the enabled channels until SIGINT/SIGTERM")
    p = add("chat", cmd_chat, "talk to the bot in the terminal")
    p.add_argument(
        "--user",
        required=True,
        type=_chat_user,
        help="who you are in the chat (any name, e.g. ba-lan)",
    )
    p = add("demo", cmd_demo, "the offline, scripted demo")
    p.add_argument("--out", default="demo-out")
    p = add("digest", cmd_digest, "the digest a unit's secretary would receive now")
    p.add_argument("--unit", required=True)
    p.add_argument("--campaign", default=None)
    p.add_argument("--json", action="store_true")
    p = add("export", cmd_export, "one form's submissions as an Excel list or a Word report")
    p.add_argument("--campaign", required=True)
    p.add_argument("--form", required=True)
    p.add_argument("--format", required=True, choices=["xlsx", "docx"])
    p.add_argument("--out", required=True)
    p.add_argument("--unit", default=None)
    p.add_argument("--json", action="store_true")
    p = add("broadcast", cmd_broadcast, "an announcement to a subtree (preview; --yes queues)")
    p.add_argument(
        "--unit",
        action="append",
        default=None,
        metavar="CODE",
        help="the subtree; repeat it (or CODE,CODE) for several",
    )
    p.add_argument("--text", default=None)
    p.add_argument("--level", default=None)
    p.add_argument("--role", default=None, choices=[r.value for r in Role])
    p.add_argument("--missing", default=None, metavar="CAMPAIGN/FORM")
    p.add_argument("--at", default=None, metavar="ISO-8601")
    p.add_argument("--yes", action="store_true", help="queue it (without: only the preview)")
    p.add_argument("--json", action="store_true")
    broadcast_sub = p.add_subparsers(dest="broadcast_command", metavar="{status,cancel}")
    q = add("status", cmd_broadcast_status, "a broadcast's delivery counts", broadcast_sub)
    q.add_argument("id", type=int)
    q.add_argument("--json", action="store_true")
    q = add("cancel", cmd_broadcast_cancel, "stop the part not yet sent", broadcast_sub)
    q.add_argument("id", type=int)
    q.add_argument("--json", action="store_true")
    p = add("backup", cmd_backup, "an online, consistent copy of the database")
    p.add_argument("path")
    p.add_argument("--json", action="store_true")
    p = add("restore", cmd_restore, "put a backup in place of the database (bot stopped)")
    p.add_argument("backup")
    p.add_argument("--json", action="store_true")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command and return its exit code."""
    args = build_parser().parse_args(argv)
    config = getattr(args, "config", None)
    try:
        settings = load_settings(None if config is None else Path(config))
    except ConfigError as exc:
        for line in exc.problems:
            print(line, file=sys.stderr)
        return REFUSED
    handler: Command = args.handler
    # A full disk, a read-only or foreign file is the operator's to fix: one line, exit 1.
    # THIDUA_DEBUG=1 re-raises instead, for the traceback of what may be a bug of ours.
    debug = os.environ.get("THIDUA_DEBUG", "") not in ("", "0")
    try:
        code = asyncio.run(handler(args, settings))
        sys.stdout.flush()  # a reader that went away shows here, not at interpreter exit
        return code
    except BrokenPipeError:
        # `thidua units list | head`: the reader has what it wanted. Silence the final flush.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return OK
    except Refused as exc:
        return _refuse(args, exc.lines)
    except DatabaseNotReady as exc:
        return _refuse(args, [_not_ready_line(exc)])
    except DatabaseTooNew as exc:
        return _refuse(args, [_too_new_line(exc)])
    except FileFailure as exc:
        if debug:
            raise
        return _refuse(args, [_failure_line(exc.path, exc.cause, exc.vi, exc.en)])
    except (sqlite3.Error, OSError) as exc:
        if debug:
            raise
        return _refuse(args, [_failure_line(settings.database.path, exc)])
    except KeyboardInterrupt:
        return OK


if __name__ == "__main__":
    sys.exit(main())
