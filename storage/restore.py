"""Put a backup in place of the database (`thidua restore`): checked first, the old file kept.

The backup is copied beside the database and checked there (`PRAGMA integrity_check`, a schema
this code can read), so what goes into place is exactly what was checked. Only then is the old
database, with its journal and WAL, renamed aside (never deleted: it may hold the last hours),
and the checked copy renamed into its place. Nothing is done while any process has the
database open: a running bot would go on writing into the file that was set aside.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import sqlite3
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from storage.db import refuse_newer_schema, remove_with_journals

# SQLite's files beside a database: the WAL holds committed changes not yet in the main file,
# a rollback journal the undo of an interrupted write; both belong to the file they sit beside.
_JOURNALS = ("-wal", "-journal")
_SHARED_MEMORY = "-shm"  # rebuilt from the WAL on open: a stale one is only removed
# The byte of the -shm file SQLite's unix VFS keeps read-locked while a connection is open
# (os_unix.c: UNIX_SHM_DMS, after the 120 bytes of header and 8 lock slots).
_DEAD_MAN_SWITCH = 128


class BackupUnusable(Exception):
    """The backup is damaged (`problems` from integrity_check) or holds no thidua database."""

    def __init__(self, path: str, problems: list[str]) -> None:
        super().__init__(path)
        self.path = path
        self.problems = problems  # empty: a valid SQLite file without any thidua table


class DatabaseInUse(Exception):
    """A process (the running bot, a `thidua chat`) has the database open."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


@dataclass(frozen=True)
class Restored:
    """What a restore did: the backup's schema version, and where the old database went."""

    version: int
    aside: Path | None  # None: there was no database to set aside


def in_use(path: Path) -> bool:
    """Whether a process has the WAL database at `path` open, found without touching it.

    Every connection to a WAL database holds a read lock on one byte of its -shm file for as
    long as it is open (SQLite's "dead man switch"): a write lock on that byte is refused
    exactly while one exists. Opening the database to ask would not do: SQLite could fold or
    reset the WAL beside a broken file, which the restore must keep as it was.
    """
    try:
        fd = os.open(f"{path}{_SHARED_MEMORY}", os.O_RDWR)
    except FileNotFoundError:
        return False  # no connection in WAL mode is open without it
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, _DEAD_MAN_SWITCH)
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EAGAIN):
            return True
        raise
    fcntl.lockf(fd, fcntl.LOCK_UN, 1, _DEAD_MAN_SWITCH)
    return False


def check_copy(path: Path, shown_as: str) -> int:
    """Check a database file this process owns (a copy of `shown_as`); return its version.

    Raises BackupUnusable when integrity_check finds damage or the file holds no thidua schema,
    DatabaseTooNew when a newer program wrote it, sqlite3.Error when it is no database at all;
    the errors name `shown_as`, the file the operator typed.
    """
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        problems = [str(row[0]) for row in conn.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            raise BackupUnusable(shown_as, problems)
        version = refuse_newer_schema(conn, shown_as)
        if version == 0:
            raise BackupUnusable(shown_as, [])
        # Fold a WAL that came with the copy into the file, so it stands alone once renamed.
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return version
    finally:
        conn.close()


def aside_name(target: Path, stamp: str) -> Path:
    """Return a free name beside `target` for the database a restore replaces."""
    base = target.with_name(f"{target.name}.before-restore-{stamp}")
    candidate, number = base, 1
    while any(Path(f"{candidate}{suffix}").exists() for suffix in ("", *_JOURNALS)):
        number += 1
        candidate = base.with_name(f"{base.name}-{number}")
    return candidate


def restore(backup: Path, target: Path, stamp: str) -> Restored:
    """Replace the database at `target` by a checked copy of `backup`; keep the old one aside.

    `stamp` goes into the name of the set-aside file (e.g. 20240115-0830). Raises
    BackupUnusable, DatabaseTooNew or sqlite3.Error for a backup that cannot be used (nothing
    changed), DatabaseInUse while any process has `target` open (nothing changed).
    """
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".restore", dir=target.parent)
    os.close(handle)
    copy = Path(name)
    try:
        for suffix in ("", *_JOURNALS):
            source = Path(f"{backup}{suffix}")
            if source.exists():
                shutil.copyfile(source, f"{copy}{suffix}")
        version = check_copy(copy, str(backup))
        _keep_owner(copy, target, backup)
        _sync(copy)
        if in_use(target):
            raise DatabaseInUse(str(target))
        aside = _set_aside(target, stamp)
        os.replace(copy, target)
        _sync(target.parent)
    except BaseException:
        remove_with_journals(copy)
        raise
    return Restored(version=version, aside=aside)


def _set_aside(target: Path, stamp: str) -> Path | None:
    """Rename the database and its journals aside; drop its stale shared memory."""
    if not target.exists():
        Path(f"{target}{_SHARED_MEMORY}").unlink(missing_ok=True)
        return None
    aside = aside_name(target, stamp)
    # The journals first: a main file found without its WAL would lose the commits in it.
    for suffix in _JOURNALS:
        if Path(f"{target}{suffix}").exists():
            os.replace(f"{target}{suffix}", f"{aside}{suffix}")
    os.replace(target, aside)
    Path(f"{target}{_SHARED_MEMORY}").unlink(missing_ok=True)
    return aside


def _keep_owner(copy: Path, target: Path, backup: Path) -> None:
    """Give the copy the permissions of the file it replaces (else the backup's) and, run as
    root, its owner (else the folder's).

    An operator restoring with sudo must not leave a root-owned database the service's own
    account can no longer write.
    """
    replaced = target.exists()
    os.chmod(copy, stat.S_IMODE((target if replaced else backup).stat().st_mode))
    if os.geteuid() == 0:
        owner = (target if replaced else target.parent).stat()
        os.chown(copy, owner.st_uid, owner.st_gid)


def _sync(path: Path) -> None:
    """Flush a file (or a folder's entries) to disk, so a crash cannot leave half a restore."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
