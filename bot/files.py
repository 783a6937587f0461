"""Where photos and files people send are kept: a folder beside the database."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

from bot.config import Settings

MAX_BYTES = 20 * 1024 * 1024  # Telegram's own download limit for bots


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
