"""Backups that restore.

A backup taken while 50 people fill forms (the real router and handlers writing through one
connection, `thidua backup` reading from another process, as the nightly timer does) is a whole
database: integrity_check is ok, nothing half-written, and every answer sent before it is in it.
Put back with `thidua restore` over a broken database, it is what a bot answers from. The
restore refuses a damaged backup, a file that is no thidua backup, and a database still open.
Every command refuses a database that a newer thidua-bot has migrated, naming the version needed.
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path

import pytest

from bot import admin
from bot.channels.console import console_inbound
from storage.db import SCHEMA_PROGRAM_KEY, bundled_migrations, open_database, program_version
from storage.models import Role
from tests.driver import Bot, open_bot, units_csv
from tests.test_cli_hardening import THIDUA, one_line
from tests.test_cli_hardening import run as thidua
from tests.transcript_runner import campaign_path

PEOPLE = 50
EARLY = 25  # these people have sent a registration before the backup starts
CAMPAIGN, FORM = "dai-hoi-mttq-2024", "dang-ky"
LATEST = len(bundled_migrations())
# The bot's manual clock (tests/driver.START) is 20/11/2023; subprocesses read the same days.
CLOCK = '[clock]\nstart = "2023-11-21T08:00:00+07:00"\n'


def person(i: int) -> str:
    """The console name of person `i`."""
    return f"nguoi-{i}"


def unit(i: int) -> str:
    """The residential area person `i` represents."""
    return f"KP-{100 + i}"


def registration(i: int, name: str) -> list[str]:
    """What person `i` types to register the work `name` (a costed one: every question)."""
    return [
        "dangky",
        name,
        "1",  # Công trình: the cost questions are asked
        "2",
        f"Bê tông 200 m hẻm {i}",
        f"Hẻm {i}",
        "11/2023",
        "1/2024",
        f"{i + 1} triệu",
        "2",
        str(10 + i),
        "boqua",
        "gui",
    ]


def work_name(round_number: int, i: int) -> str:
    """The work person `i` registers in a round while the backup runs."""
    return f"Lượt {round_number} người {i}"


def refused(done: subprocess.CompletedProcess[str]) -> str:
    """The one two-language line of a command that exited 1."""
    assert done.returncode == 1, (done.stdout, done.stderr)
    return one_line(done.stderr)


def write_config(folder: Path, database: Path, extra: str = "") -> None:
    """A config.toml in `folder` on `database`, Telegram off, on the test's days."""
    (folder / "config.toml").write_text(
        f'[database]\npath = "{database}"\n[telegram]\nenabled = false\n{CLOCK}{extra}', "utf-8"
    )


async def seat_people(bot: Bot, folder: Path) -> None:
    """Fifty residential areas under Phường Mẫu, a representative of each on the console."""
    rows = "\n".join(f"{unit(i)},Khu phố {100 + i},khu_dan_cu,X-MAU" for i in range(PEOPLE))
    (folder / "more.csv").write_text(f"code,name,level,parent\n{rows}\n", "utf-8")
    await admin.import_units(bot.db, bot.settings, folder / "more.csv")
    await bot.load_campaign(campaign_path("example"))
    async with bot.db.transaction() as repos:
        for i in range(PEOPLE):
            await repos.members.enrol(
                channel="console",
                user_id=person(i),
                chat_id=person(i),
                display_name=f"Người {i}",
                unit_code=unit(i),
                role=Role.REP,
                now=bot.clock.now(),
            )


async def fill_forms(bot: Bot, people: range, name: Callable[[int], str]) -> None:
    """Everyone in `people` registers a work at once, one step a round (real router, handlers)."""
    steps = {i: registration(i, name(i)) for i in people}
    for position in range(len(steps[people[0]])):
        handled = await asyncio.gather(
            *(bot.router.dispatch(console_inbound(person(i), steps[i][position])) for i in people)
        )
        for result in handled:
            assert not any("trục trặc" in m.text for m in result.replies), result.replies


async def registered(db_path: Path, people: range) -> dict[str, list[str]]:
    """The names of the works each unit of `people` has registered, in the database at a path."""
    async with open_database(db_path, read_only=True) as db, db.read() as repos:
        return {
            unit(i): sorted(
                s.answers["ten"] for s in await repos.submissions.for_unit(unit(i), CAMPAIGN, FORM)
            )
            for i in people
        }


def assert_whole(copy: Path) -> None:
    """integrity_check is ok, no dangling reference, and every submission has its version."""
    conn = sqlite3.connect(copy)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        orphans = conn.execute(
            "SELECT count(*) FROM submissions AS s WHERE NOT EXISTS (SELECT 1 FROM"
            " submission_versions AS v WHERE v.submission_id = s.id AND v.version = s.current_version)"
        ).fetchone()[0]
        assert orphans == 0
    finally:
        conn.close()


async def backup_by_command(bot: Bot, folder: Path, target: Path) -> None:
    """`thidua backup` in its own process, as the nightly timer runs it beside the bot."""
    await asyncio.sleep(0)  # the people's first messages are on their way
    child = await asyncio.create_subprocess_exec(
        THIDUA,
        "backup",
        str(target),
        cwd=folder,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await child.communicate()
    assert child.returncode == 0, err.decode()


async def backup_in_process(bot: Bot, folder: Path, target: Path) -> None:
    """The bot's own connection writes the copy (Database.backup), between two people's steps."""
    await asyncio.sleep(0.05)  # well inside the first round of forms
    await bot.db.backup(target)


Backup = Callable[[Bot, Path, Path], Awaitable[None]]


@pytest.mark.parametrize("take_backup", [backup_by_command, backup_in_process])
async def test_a_backup_taken_while_fifty_people_fill_forms_restores(
    tmp_path: Path, take_backup: Backup
) -> None:
    copy = tmp_path / "backups" / "thidua-2023-11-21.sqlite3"
    copy.parent.mkdir()
    async with open_bot(tmp_path) as bot:
        live = Path(bot.settings.database.path)
        write_config(tmp_path, live)
        await seat_people(bot, tmp_path)
        await fill_forms(bot, range(EARLY), lambda i: f"Công trình đầu tiên {i}")
        before = await registered(live, range(EARLY))
        assert all(len(names) == 1 for names in before.values())

        # Everyone keeps registering works, round after round, until the backup is written.
        handled = [0]
        bot.router.observers.append(lambda inbound, result: handled.append(handled.pop() + 1))

        async def counted() -> tuple[int, int]:
            started = handled[0]
            await take_backup(bot, tmp_path, copy)
            return started, handled[0]

        backup = asyncio.ensure_future(counted())
        rounds = 0
        while not backup.done() or rounds == 0:
            rounds += 1
            await fill_forms(bot, range(PEOPLE), partial(work_name, rounds))
        started, ended = await backup
        # Messages were written before the backup ended, and after it started: it overlapped.
        assert ended > 0 and handled[0] > started
        after = await registered(live, range(PEOPLE))

    assert_whole(copy)
    in_copy = await registered(copy, range(PEOPLE))
    for code, names in before.items():
        assert names[0] in in_copy[code]  # sent before the backup: there
    for code, names in in_copy.items():
        assert set(names) <= set(after[code])  # nothing the bot did not write

    # The database breaks (a disk fault); its stale WAL and shared memory lie beside it.
    live.write_bytes(b"\x00broken\x00" * 4096)
    Path(f"{live}-wal").write_bytes(b"stale wal")
    Path(f"{live}-shm").write_bytes(b"stale shm")
    restored = thidua("restore", str(copy), "--json", cwd=tmp_path)
    assert restored.returncode == 0, restored.stderr
    report = json.loads(restored.stdout)
    assert report["version"] == LATEST and report["applied"] == []
    aside = Path(report["aside"])
    assert aside.read_bytes() == b"\x00broken\x00" * 4096  # kept, never deleted
    assert Path(f"{aside}-wal").read_bytes() == b"stale wal"
    assert not Path(f"{live}-shm").exists() and not Path(f"{live}-wal").exists()
    assert copy.exists()  # the backup itself is only read

    # A bot on the restored file answers, from what was sent before the backup.
    assert await registered(live, range(PEOPLE)) == in_copy
    chat = thidua("chat", "--user", person(0), cwd=tmp_path, stdin="trangthai\n")
    assert chat.returncode == 0, chat.stderr
    assert "Tình hình của Khu phố 100" in chat.stdout
    assert '"Công trình đầu tiên 0": gửi 20/11/2023' in chat.stdout
    invite = thidua("invite", "--unit", unit(1), "--role", "rep", "--json", cwd=tmp_path)
    assert invite.returncode == 0, invite.stderr
    newcomer = thidua(
        "chat", "--user", "nguoi-moi", cwd=tmp_path, stdin=json.loads(invite.stdout)["code"] + "\n"
    )
    assert "Khu phố 101" in newcomer.stdout


def test_restore_waits_for_the_bot_to_stop(tmp_path: Path) -> None:
    write_config(tmp_path, tmp_path / "thidua.sqlite3")
    assert thidua("init", cwd=tmp_path).returncode == 0
    assert thidua("backup", "copy.sqlite3", cwd=tmp_path).returncode == 0
    # `thidua chat` holds the database open as `thidua run` does, until its input ends.
    env = {k: v for k, v in os.environ.items() if k not in ("THIDUA_CONFIG", "THIDUA_DEBUG")}
    holder = subprocess.Popen(
        [THIDUA, "chat", "--user", "ba-lan"],
        cwd=tmp_path,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert holder.stderr is not None and holder.stdin is not None
        while "Ctrl-D" not in holder.stderr.readline():  # its greeting: the database is open
            assert holder.poll() is None
        before = sorted(os.listdir(tmp_path))
        line = refused(thidua("restore", "copy.sqlite3", cwd=tmp_path))
        assert (
            "đang mở" in line and "systemctl stop thidua" in line and "is the bot running" in line
        )
        assert sorted(os.listdir(tmp_path)) == before  # nothing moved, no copy left behind
        holder.stdin.close()
        assert holder.wait(timeout=60) == 0
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
    done = thidua("restore", "copy.sqlite3", cwd=tmp_path)
    assert done.returncode == 0, done.stderr


def damage(path: Path) -> None:
    """Change a unit's code inside the units' index page only: the file opens, the index no
    longer matches its table, and only integrity_check can tell."""
    conn = sqlite3.connect(path)
    try:
        page = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'sqlite_autoindex_units_1'"
        ).fetchone()[0]
    finally:
        conn.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page
    found = data.find(b"KP-01", start, start + page)
    assert found > 0
    data[found : found + 5] = b"KP-0Z"
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("kind", ["damaged", "empty SQLite file", "not SQLite"])
def test_a_backup_that_cannot_be_used_changes_nothing(tmp_path: Path, kind: str) -> None:
    write_config(tmp_path, tmp_path / "thidua.sqlite3")
    assert thidua("init", cwd=tmp_path).returncode == 0
    (tmp_path / "units.csv").write_text(units_csv(), "utf-8")
    assert thidua("units", "import", "units.csv", cwd=tmp_path).returncode == 0
    bad = tmp_path / "bad.sqlite3"
    if kind == "damaged":
        assert thidua("backup", str(bad), cwd=tmp_path).returncode == 0
        damage(bad)
    elif kind == "empty SQLite file":
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE notes (x)")  # an SQLite file, but none of thidua's
        conn.close()
    else:
        bad.write_text("không phải cơ sở dữ liệu\n" * 100, "utf-8")
    live = (tmp_path / "thidua.sqlite3").read_bytes()
    before = sorted(os.listdir(tmp_path))

    line = refused(thidua("restore", str(bad), cwd=tmp_path))
    assert line.startswith(f"{bad}:")
    expected = {
        "damaged": ("hỏng", "damaged"),
        "empty SQLite file": ("không phải bản sao lưu của thidua", "not a thidua backup"),
        "not SQLite": ("không phải tệp cơ sở dữ liệu SQLite", "not an SQLite database"),
    }[kind]
    assert all(words in line for words in expected), line
    assert (tmp_path / "thidua.sqlite3").read_bytes() == live
    assert sorted(os.listdir(tmp_path)) == before


async def test_an_older_backup_is_migrated_and_a_new_server_needs_no_database(
    tmp_path: Path,
) -> None:
    old = tmp_path / "old.sqlite3"
    async with open_database(old, migrate=False) as db:
        await db.migrate(bundled_migrations()[:3])  # a backup from before the inbox existed
    server = tmp_path / "server"
    server.mkdir()
    write_config(server, server / "data" / "thidua.sqlite3")
    (server / "data").mkdir()

    done = thidua("restore", str(old), "--json", cwd=server)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["applied"] == list(range(4, LATEST + 1)) and report["version"] == LATEST
    assert report["aside"] is None
    assert sorted(os.listdir(server / "data")) == ["thidua.sqlite3"]
    assert thidua("units", "list", cwd=server).returncode == 0


def newer(database: Path, program: str | None) -> None:
    """Make `database` look migrated by a newer thidua-bot (`program`, when it said so)."""
    conn = sqlite3.connect(database, isolation_level=None)
    try:
        conn.execute(f"PRAGMA user_version = {LATEST + 1}")
        if program is None:
            conn.execute("DELETE FROM meta WHERE key = ?", (SCHEMA_PROGRAM_KEY,))
        else:
            conn.execute("UPDATE meta SET value = ? WHERE key = ?", (program, SCHEMA_PROGRAM_KEY))
    finally:
        conn.close()


COMMANDS = [
    ["run"],
    ["init"],
    ["chat", "--user", "ba-lan"],
    ["units", "list"],
    ["units", "import", "units.csv"],
    ["campaign", "check", str(campaign_path("example"))],
    ["backup", "copy.sqlite3"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_database_newer_than_the_program_is_refused(tmp_path: Path, command: list[str]) -> None:
    database = tmp_path / "thidua.sqlite3"
    # Zalo on, with a token and nowhere to reach: `run` must refuse before any network.
    write_config(
        tmp_path,
        database,
        '[zalo]\nenabled = true\ntoken = "1234567890:fake-zalo-token"\n'
        'base_url = "http://127.0.0.1:9/bot"\n',
    )
    (tmp_path / "units.csv").write_text("code,name,level,parent\nT,Tỉnh,tinh,\n", "utf-8")
    assert thidua("init", cwd=tmp_path).returncode == 0

    async def program() -> str | None:
        async with open_database(database, read_only=True) as db, db.read() as repos:
            return await repos.meta.get(SCHEMA_PROGRAM_KEY)

    assert asyncio.run(program()) == program_version()  # `init` said who migrated it
    newer(database, "9.1.0")
    stored = database.read_bytes()

    line = refused(thidua(*command, cwd=tmp_path, stdin="trogiup\n"))
    assert line.startswith(f"{database}:")
    assert f"phiên bản {LATEST + 1} do thidua-bot 9.1.0 ghi" in line
    assert "hãy cài thidua-bot 9.1.0 trở lên" in line
    assert f"version {LATEST + 1}, written by thidua-bot 9.1.0" in line
    assert f"reads up to version {LATEST}" in line and "install thidua-bot 9.1.0 or newer" in line
    assert database.read_bytes() == stored
    assert not (tmp_path / "copy.sqlite3").exists()


def test_a_newer_database_without_its_program_noted_and_a_newer_backup(tmp_path: Path) -> None:
    database = tmp_path / "thidua.sqlite3"
    write_config(tmp_path, database)
    assert thidua("init", cwd=tmp_path).returncode == 0
    assert thidua("backup", "newer.sqlite3", cwd=tmp_path).returncode == 0
    newer(tmp_path / "newer.sqlite3", None)
    line = refused(thidua("restore", "newer.sqlite3", cwd=tmp_path))
    assert line.startswith("newer.sqlite3:")
    assert "hãy cài bản thidua-bot đã ghi nó" in line and "install the one that wrote it" in line
    newer(database, None)
    line = refused(thidua("units", "list", cwd=tmp_path))
    assert f"phiên bản {LATEST + 1}, mới hơn" in line
