"""Where photos and files people send are kept: a folder beside the database."""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from bot.config import Settings

MAX_BYTES = 20 * 1024 * 1024  # Telegram's own download limit for bots
# Attachments a conversation holds until it uses them (an announcement's photo until it is
# queued): a conversation left half-way leaves its file here, removed after HELD_DAYS.
HELD = "held"
HELD_DAYS = 7


@dataclass(frozen=True)
class Downloaded:
    """A file fetched from a platform and written to the files folder."""

    path: str  # relative to files_dir()
    sha256: str
    size: int


def files_dir(settings: Settings) -> Path:
    """Return the folder for attachments: '<database>.files' next to the database file."""
    database = Path(settings.database.path)
    return database.with_name(database.name + ".files")


def save_bytes(folder: Path, data: bytes, suffix: str) -> Downloaded:
    """Write `data` under a random name in `folder`; return where and what it was."""
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(12)}{suffix}"
    (folder / name).write_bytes(data)
    return Downloaded(path=name, sha256=hashlib.sha256(data).hexdigest(), size=len(data))


def hold(settings: Settings, relative: str, now: datetime) -> str:
    """Move a download into the held folder, dated `now` on the project's clock (the one
    `prune_held` reads, simulated or not); return its new path, relative to files_dir()."""
    folder = files_dir(settings) / HELD
    folder.mkdir(parents=True, exist_ok=True)
    name = Path(relative).name
    os.replace(files_dir(settings) / relative, folder / name)
    os.utime(folder / name, (now.timestamp(), now.timestamp()))
    return f"{HELD}/{name}"


def prune_held(folder: Path, now: datetime, keep: timedelta = timedelta(days=HELD_DAYS)) -> int:
    """Delete the held files dated before `now - keep`; return how many went."""
    before = (now - keep).timestamp()
    removed = 0
    try:
        entries = list(folder.iterdir())
    except FileNotFoundError:
        return 0
    for entry in entries:
        try:
            if entry.is_file() and entry.stat().st_mtime < before:
                entry.unlink()
                removed += 1
        except OSError:
            continue  # gone meanwhile, or not ours to remove
    return removed
