"""Read one form's export in a snapshot and write it as Excel or Word (CLI, demo, and `xuat`)."""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from datetime import datetime
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
) -> Written:
    """Read in one snapshot (worker thread), write beside `target` and rename it when complete.

    Raises `bot.admin.Refused` for an unknown campaign, form or unit, and OSError when the file
    cannot be written (no half-written file is left).
    """
    export = await db.snapshot(
        lambda conn: read_export(conn, campaign_code=campaign, form_id=form, unit_code=unit_code)
    )
    root = export.root
    body = f"{settings.org.body(root.level)} {root.name}"
    local = now.astimezone(settings.schedule.zone())  # the project clock's, as the caller read it

    def write(into: Path) -> int:
        if fmt == "xlsx":
            return write_xlsx(export, into, local)
        return write_docx(
            export,
            into,
            issuer=body,  # the report goes up from the unit itself, which also signs it
            level_label=settings.org.label(export.form.level),
            today=local.date(),
            signer=body,
        )

    partial = target.with_name(f".{target.name}.partial")
    try:
        rows = await asyncio.to_thread(write, partial)
        os.replace(partial, target)
    except OSError:
        partial.unlink(missing_ok=True)
        raise
    return Written(target, rows, export)
