"""The command line under hostile conditions: one vi / en line and exit 1, never a traceback.

Missing or mistyped config files, databases that are not databases or cannot be written, an
account that may only read, a full disk, deeply nested TOML, URLs with impossible ports.
"""

from __future__ import annotations

import asyncio
import ctypes
import json
import os
import resource
import signal
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.cli import main
from storage.db import bundled_migrations, open_database
from tests.transcript_runner import campaign_path

THIDUA = str(Path(sys.executable).with_name("thidua"))
EXAMPLE = campaign_path("example")
CONFIG = '[database]\npath = "t.sqlite3"\n[telegram]\nenabled = false\n'


def run(
    *args: str,
    cwd: Path,
    env: dict[str, str] | None = None,
    preexec: Callable[[], None] | None = None,
    stdin: str = "",
) -> subprocess.CompletedProcess[str]:
    """Run the installed `thidua` script."""
    full_env = {**os.environ, **(env or {})}
    if "THIDUA_CONFIG" not in (env or {}):
        full_env.pop("THIDUA_CONFIG", None)
    full_env.pop("THIDUA_DEBUG", None)
    return subprocess.run(
        [THIDUA, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=120,
        preexec_fn=preexec,
        input=stdin,
    )


def one_line(text: str) -> str:
    """Return the only line of `text`, which must be a two-language refusal."""
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    assert " / " in lines[0] and "Traceback" not in text
    return lines[0]


def refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """Run the CLI in-process, expect exit 1 and return its one stderr line."""
    capsys.readouterr()
    assert main(argv) == 1
    return one_line(capsys.readouterr().err)


def big_units_csv(path: Path) -> None:
    """Write a tree of 4,051 units (about 750 KB of database)."""
    rows = ["code,name,level,parent", "T,Tỉnh Mẫu,tinh,"]
    for x in range(50):
        rows.append(f"X{x},Xã số {x} có một cái tên khá dài,xa,T")
        rows += [
            f"X{x}-K{k},Khu dân cư số {k} của xã {x} với một cái tên dài,khu_dan_cu,X{x}"
            for k in range(80)
        ]
    path.write_text("\n".join(rows) + "\n", "utf-8")


def file_size_limit(limit: int) -> Callable[[], None]:
    """A preexec_fn that makes every write past `limit` bytes fail, as on a full disk."""

    def limit_writes() -> None:
        # Ignored SIGXFSZ: the write fails with EFBIG instead of killing the process.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limit_writes


PR_CAPBSET_DROP = 24
# CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER: what lets root ignore file permissions.
FILE_PERMISSION_CAPS = (1, 2, 3)


def _as_ordinary_account() -> None:
    """preexec_fn for root: after exec, file permissions apply to us like to anyone else.

    Switching to uid 65534 would be closer, but here the interpreter lives under /root (0700)
    and pytest's folders are 0700 too, so that account could not even start Python. Dropping
    the capabilities that bypass permissions has the same effect on the database files.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in FILE_PERMISSION_CAPS:
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


@pytest.fixture
def reader_preexec(tmp_path: Path) -> Callable[[], None] | None:
    """How to run the CLI as an account that chmod can restrict (None: we already are one)."""
    if os.geteuid() != 0:
        return None
    probe = tmp_path / "probe"
    probe.write_text("x")
    probe.chmod(0o444)
    try:
        done = subprocess.run(
            [sys.executable, "-c", f"open({str(probe)!r}, 'a')"],
            preexec_fn=_as_ordinary_account,
            capture_output=True,
            timeout=60,
        )
    except subprocess.SubprocessError:
        pytest.skip("cannot drop root's file-permission capabilities here")
    if done.returncode == 0:
        pytest.skip("root still writes read-only files here")
    return _as_ordinary_account


@pytest.fixture
def workdir(cli_workdir: Path) -> Path:
    """The CLI folder with the sample units imported and the example campaign loaded."""
    assert main(["units", "import", "units.csv"]) == 0
    assert main(["campaign", "load", str(EXAMPLE)]) == 0
    return cli_workdir


# 6. A named config file that does not exist is an error; the database in use is named.


@pytest.mark.parametrize("command", [["init"], ["units", "list"], ["chat", "--user", "a"]])
@pytest.mark.parametrize("how", ["env", "flag"])
def test_a_named_config_that_does_not_exist_is_refused(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
    how: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("THIDUA_CONFIG", raising=False)
    argv = list(command)
    if how == "env":
        monkeypatch.setenv("THIDUA_CONFIG", str(tmp_path / "cofnig.toml"))
    else:
        argv += ["--config", "cofnig.toml"]
    line = refused(argv, capsys)
    assert "cofnig.toml" in line and "no such configuration file" in line
    assert list(tmp_path.iterdir()) == []  # no database was created on defaults


def test_the_implicit_config_may_be_absent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("THIDUA_CONFIG", raising=False)
    assert main(["init"]) == 0
    assert "thidua.sqlite3" in capsys.readouterr().out


def test_chat_names_its_database_on_stderr(cli_workdir: Path) -> None:
    done = run("chat", "--user", "ba-lan", cwd=cli_workdir, stdin="trogiup\n")
    assert done.returncode == 0, done.stderr
    # The full path: a relative one would depend on the folder the command ran in.
    database = (cli_workdir / "t.sqlite3").resolve()
    assert f"Cơ sở dữ liệu / database: {database}" in done.stderr
    assert "t.sqlite3" not in done.stdout  # stdout is the conversation only


# 7. A backup never leaves a broken file under its name.


def test_backup_on_a_full_disk_leaves_nothing_and_can_be_retried(cli_workdir: Path) -> None:
    big_units_csv(cli_workdir / "big.csv")
    assert run("units", "import", "big.csv", cwd=cli_workdir).returncode == 0
    assert (cli_workdir / "t.sqlite3").stat().st_size > 256 * 1024
    before = set(os.listdir(cli_workdir))

    full = run("backup", "copy.sqlite3", cwd=cli_workdir, preexec=file_size_limit(128 * 1024))
    assert full.returncode == 1
    line = one_line(full.stderr)
    assert "copy.sqlite3" in line and "full" in line and "đầy" in line
    leftovers = {n for n in set(os.listdir(cli_workdir)) - before if "copy" in n}
    assert leftovers == set()

    again = run("backup", "copy.sqlite3", cwd=cli_workdir)
    assert again.returncode == 0, again.stderr
    copy = sqlite3.connect(cli_workdir / "copy.sqlite3")
    try:
        assert copy.execute("SELECT count(*) FROM units").fetchone()[0] == 4051
    finally:
        copy.close()
    assert not [n for n in os.listdir(cli_workdir) if n.startswith(".copy")]


def test_backup_into_a_missing_folder_names_the_target(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = refused(["backup", "nowhere/copy.sqlite3"], capsys)
    assert "nowhere/copy.sqlite3" in line


# 8. Files that are not what the config says they are.


READERS = [
    ["units", "list"],
    ["campaign", "list"],
    ["backup", "copy.sqlite3"],
]
WRITERS = [
    ["init"],
    ["units", "import", "units.csv"],
    ["invite", "--unit", "KP-01", "--role", "rep"],
    ["campaign", "load", str(EXAMPLE)],
]


@pytest.mark.parametrize("command", READERS + WRITERS)
@pytest.mark.parametrize("kind", ["text file", "missing folder", "folder"])
def test_a_database_path_that_is_no_database(
    cli_workdir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
    kind: str,
) -> None:
    path = {"text file": "notes.txt", "missing folder": "nowhere/t.sqlite3", "folder": "sub"}[kind]
    (cli_workdir / "notes.txt").write_text("not a database\n" * 100, "utf-8")
    (cli_workdir / "sub").mkdir()
    monkeypatch.setenv("THIDUA_DATABASE__PATH", path)
    line = refused(command, capsys)
    assert line.startswith(f"{path}:")
    assert (cli_workdir / "notes.txt").read_text("utf-8").startswith("not a database")
    assert not (cli_workdir / "copy.sqlite3").exists()


@pytest.mark.parametrize("command", READERS)
def test_reading_never_creates_the_database(
    cli_workdir: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    line = refused(command, capsys)
    assert "thidua init" in line and "t.sqlite3" in line
    assert sorted(os.listdir(cli_workdir)) == ["config.toml", "units.csv"]


async def _schema(path: Path, migrate_to: int | None = None) -> int:
    """Return the schema version of `path`, first migrating it to `migrate_to` if given."""
    async with open_database(path, migrate=False) as db:
        if migrate_to is not None:
            await db.migrate(bundled_migrations()[:migrate_to])
        return await db.schema_version()


@pytest.mark.parametrize("command", READERS)
def test_reading_never_migrates(
    cli_workdir: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    assert asyncio.run(_schema(cli_workdir / "t.sqlite3", migrate_to=1)) == 1
    line = refused(command, capsys)
    assert "thidua init" in line
    assert asyncio.run(_schema(cli_workdir / "t.sqlite3")) == 1


def test_campaign_check_skips_the_tree_of_a_database_not_made_yet(
    cli_workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["campaign", "check", str(EXAMPLE)]) == 0
    assert not (cli_workdir / "t.sqlite3").exists()


@pytest.fixture
def read_only_data(workdir: Path) -> Iterator[Path]:
    """The workdir with a cleanly closed database, then made read-only (folder and file)."""
    (workdir / "out").mkdir()
    (workdir / "out").chmod(0o777)
    yield workdir
    for path in (workdir, workdir / "t.sqlite3"):
        path.chmod(path.stat().st_mode | stat.S_IWUSR)


@pytest.mark.parametrize("folder_writable", [False, True])
def test_an_account_that_may_only_read(
    read_only_data: Path,
    reader_preexec: Callable[[], None] | None,
    folder_writable: bool,
) -> None:
    data = read_only_data
    assert not (data / "t.sqlite3-wal").exists()  # closed cleanly
    (data / "t.sqlite3").chmod(0o444)
    if not folder_writable:
        data.chmod(0o555)
    before = (data / "t.sqlite3").read_bytes()

    listed = run("units", "list", cwd=data, preexec=reader_preexec)
    assert listed.returncode == 0, listed.stderr
    assert "KP-01" in listed.stdout
    campaigns = run("campaign", "list", "--json", cwd=data, preexec=reader_preexec)
    assert campaigns.returncode == 0, campaigns.stderr
    assert json.loads(campaigns.stdout)["campaigns"][0]["code"] == "dai-hoi-mttq-2024"
    backup = run("backup", "out/copy.sqlite3", cwd=data, preexec=reader_preexec)
    assert backup.returncode == 0, backup.stderr
    assert (data / "out/copy.sqlite3").stat().st_size > 0

    for command in (
        ["units", "import", "units.csv"],
        ["invite", "--unit", "X-MAU", "--role", "rep"],
    ):
        write = run(*command, cwd=data, preexec=reader_preexec)
        assert write.returncode == 1
        assert "t.sqlite3" in one_line(write.stderr)
    assert (data / "t.sqlite3").read_bytes() == before


def test_debug_mode_shows_the_traceback(cli_workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (cli_workdir / "t.sqlite3").write_text("not a database\n" * 100, "utf-8")
    monkeypatch.setenv("THIDUA_DEBUG", "1")
    with pytest.raises(sqlite3.DatabaseError):
        main(["units", "import", "units.csv"])


def test_units_import_on_a_full_disk_names_the_cause(cli_workdir: Path) -> None:
    assert run("units", "import", "units.csv", cwd=cli_workdir).returncode == 0
    big_units_csv(cli_workdir / "big.csv")
    full = run("units", "import", "big.csv", cwd=cli_workdir, preexec=file_size_limit(128 * 1024))
    assert full.returncode == 1
    line = one_line(full.stderr)
    assert line.startswith("t.sqlite3:") and "full" in line and "đầy" in line
    assert "rollback" not in line
    listed = run("units", "list", cwd=cli_workdir)
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) == 9  # all or nothing


# TOML nested hundreds of levels deep.


def _deep(kind: str, depth: int) -> str:
    if kind == "array":
        return "x = " + "[" * depth + "]" * depth + "\n"
    return "x = " + "{a = " * depth + "1" + "}" * depth + "\n"


@pytest.mark.parametrize("kind", ["array", "table"])
@pytest.mark.parametrize("depth", [500, 5000])
def test_deeply_nested_toml_is_one_line(
    cli_workdir: Path, capsys: pytest.CaptureFixture[str], kind: str, depth: int
) -> None:
    (cli_workdir / "deep.toml").write_text(_deep(kind, depth), "utf-8")
    for argv in (
        ["init", "--config", "deep.toml"],
        ["campaign", "check", "deep.toml"],
        ["campaign", "load", "deep.toml"],
    ):
        line = refused(argv, capsys)
        assert line.startswith("deep.toml:") and "nested too deeply" in line


def test_deeply_nested_config_named_by_environment(
    cli_workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (cli_workdir / "config.toml").write_text(CONFIG + "[web]\n" + _deep("array", 800), "utf-8")
    monkeypatch.setenv("THIDUA_CONFIG", str(cli_workdir / "config.toml"))
    assert "nested too deeply" in refused(["units", "list"], capsys)


# Config values that used to crash later, far from the config.


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("telegram.base_url", "http://localhost:99999/bot"),
        ("telegram.base_url", "http://localhost:0/bot"),
        ("telegram.base_url", "http://[::1/bot"),
        ("telegram.base_url", "localhost/bot"),
        ("telegram.base_url", "ftp://localhost/bot"),
        ("telegram.base_file_url", "https://:8081/file/bot"),
        ("telegram.base_file_url", "https://api.telegram.org:-1/file/bot"),
        ("zalo.base_url", "https://zalo.example:99999/bot"),
        ("zalo.base_url", "https://zalo example/bot"),
        ("web.public_url", "https://thidua.example.vn:70000"),
        ("web.public_url", "thidua.example.vn"),
        ("web.listen", "127.0.0.1:²"),
        ("web.listen", "127.0.0.1:٨٠٨٠"),
        ("web.listen", "127.0.0.1:99999"),
        ("clock.speed", "inf"),
        ("clock.speed", "nan"),
        ("clock.start", "9999-12-31T23:00:00+00:00"),
        ("database.path", ""),
        ("telegram.token", "123:abc def"),
        ("outbox.zalo_per_second", "inf"),
    ],
)
@pytest.mark.parametrize("source", ["env", "file"])
def test_config_values_that_would_crash_later_are_refused(
    cli_workdir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    key: str,
    value: str,
    source: str,
) -> None:
    assert main(["units", "import", "units.csv"]) == 0
    section, name = key.split(".")
    config: dict[str, dict[str, str]] = {
        "database": {"path": '"t.sqlite3"'},
        "telegram": {"enabled": "true", "token": '"1:x"'},
    }
    if source == "env":
        monkeypatch.setenv(f"THIDUA_{section.upper()}__{name.upper()}", value)
    else:
        numeric = key in ("clock.speed", "outbox.zalo_per_second")
        config.setdefault(section, {})[name] = value if numeric else json.dumps(value)
    text = "".join(
        f"[{table}]\n" + "".join(f"{k} = {v}\n" for k, v in values.items())
        for table, values in config.items()
    )
    (cli_workdir / "config.toml").write_text(text, "utf-8")
    line = refused(["invite", "--unit", "KP-01", "--role", "rep"], capsys)
    assert key in line
    if key == "telegram.token":
        assert "abc" not in line  # a secret is never echoed


def test_a_table_variable_that_is_not_json_is_one_line(
    cli_workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("THIDUA_ORG__LEVELS", "tinh,xa")
    assert "THIDUA_ORG__LEVELS" in refused(["units", "list"], capsys)


def test_run_refuses_a_bad_base_url_before_starting(cli_workdir: Path) -> None:
    done = run(
        "run",
        cwd=cli_workdir,
        env={
            "THIDUA_TELEGRAM__ENABLED": "true",
            "THIDUA_TELEGRAM__TOKEN": "1:x",
            "THIDUA_TELEGRAM__BASE_URL": "http://127.0.0.1:99999/bot",
        },
    )
    assert done.returncode == 1
    assert "telegram.base_url" in one_line(done.stderr)


def test_a_reader_that_goes_away_is_no_error(workdir: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("THIDUA_CONFIG", "THIDUA_DEBUG")}
    child = subprocess.Popen(
        [THIDUA, "units", "list"],
        cwd=workdir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()  # like `| head -0`
    assert child.wait(timeout=60) == 0
    assert child.stderr.read() == ""
    child.stderr.close()


def test_a_number_too_long_for_python_is_one_line(cli_workdir: Path) -> None:
    """tomllib raises a bare ValueError past 4,300 digits: campaign files and the config."""
    from bot.cli import main

    campaign = cli_workdir / "long.toml"
    campaign.write_text("[campaign]\ncode = 'x'\nmax = " + "1" * 5000 + "\n", "utf-8")
    assert main(["campaign", "check", str(campaign)]) == 1
    config = cli_workdir / "long-config.toml"
    config.write_text("[outbox]\nzalo_per_second = " + "9" * 5000 + "\n", "utf-8")
    assert main(["--config", str(config), "init"]) == 1
