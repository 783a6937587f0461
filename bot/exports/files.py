"""Read one form's export in a snapshot and write it as Excel or Word (CLI, demo, and `xuat`)."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime, tzinfo
from functools import partial
from pathlib import Path
from typing import Literal

from bot.config import Settings
from bot.exports.docx import write_docx
from bot.exports.rows import Export, read_export
from bot.exports.xlsx import write_xlsx
from storage.db import Database

Format = Literal["xlsx", "docx"]


@dataclass(frozen=True)
class Written:
    """What an export wrote: the file, its rows, and what it covers."""

    path: Path
    rows: int
    export: Export


def _read_and_write(
    settings: Settings,
    campaign: str,
    form: str,
    unit_code: str | None,
    fmt: Format,
    into: Path,
    local: datetime,
    zone: tzinfo,
    conn: sqlite3.Connection,
) -> tuple[Export, int]:
    """Read the export in the snapshot `conn` and stream it into `into` (module-level, so that
    it runs in a child process as well as on a thread)."""
    export = read_export(conn, campaign_code=campaign, form_id=form, unit_code=unit_code)
    if fmt == "xlsx":
        return export, write_xlsx(conn, export, into, local, zone)
    body = f"{settings.org.body(export.root.level)} {export.root.name}"
    rows = write_docx(
        conn,
        export,
        into,
        issuer=body,  # the report goes up from the unit itself, which also signs it
        level_label=settings.org.label(export.form.level),
        today=local.date(),
        signer=body,
    )
    return export, rows


async def write_export(
    db: Database,
    settings: Settings,
    *,
    campaign: str,
    form: str,
    unit_code: str | None,
    fmt: Format,
    target: Path,
    now: datetime,
    in_process: bool = False,
) -> Written:
    """Read and write in one snapshot, beside `target`; rename it when complete.

    The writer runs inside the snapshot so that rows stream from the cursor to the file (a
    national list is never held in memory). On a worker thread by default (the command line,
    the demo); `in_process=True` runs it in a child process, for the running bot, whose event
    loop would otherwise share the interpreter lock with the writer. Raises
    `bot.admin.Refused` for an unknown campaign, form or unit, and OSError when the file cannot
    be written (no half-written file is left).
    """
    zone = settings.schedule.zone()
    local = now.astimezone(zone)  # the project clock's, as the caller read it
    partial_path = target.with_name(f".{target.name}.partial")
    work = partial(
        _read_and_write, settings, campaign, form, unit_code, fmt, partial_path, local, zone
    )
    try:
        if in_process:
            export, rows = await db.snapshot_in_process(work)
        else:
            export, rows = await db.snapshot(work)
        os.replace(partial_path, target)
    except BaseException:
        partial_path.unlink(missing_ok=True)
        raise
    return Written(target, rows, export)
