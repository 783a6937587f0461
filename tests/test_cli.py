"""The `thidua` command line: exit codes, --json shapes, refusals that list every problem."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from bot.cli import main

THIDUA = str(Path(sys.executable).with_name("thidua"))


@pytest.fixture
def workdir(cli_workdir: Path) -> Path:
    """The command-line working folder."""
    return cli_workdir


def run(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the installed `thidua` script."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("THIDUA_CONFIG", None)
    return subprocess.run(
        [THIDUA, *args], cwd=cwd, capture_output=True, text=True, env=full_env, timeout=60
    )


def test_installed_script_end_to_end(workdir: Path) -> None:
    assert run("init", cwd=workdir).returncode == 0
    assert run("init", cwd=workdir).returncode == 0  # idempotent
    imported = run("units", "import", "units.csv", "--json", cwd=workdir)
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout) == {"ok": True, "imported": 9, "new": 9, "updated": 0}
    invite = run("invite", "--unit", "KP-01", "--role", "rep", "--json", cwd=workdir)
    assert invite.returncode == 0, invite.stderr
    payload = json.loads(invite.stdout)
    assert set(payload) == {"code", "unit", "role", "expires_at", "telegram_link"}
    assert payload["unit"] == "KP-01" and payload["role"] == "rep"
    assert payload["telegram_link"] is None  # Telegram is off in this config
    assert datetime.fromisoformat(payload["expires_at"]).tzinfo is not None
    assert invite.stdout.count("\n") == 1  # one JSON object and nothing else


def test_usage_errors_exit_2(workdir: Path) -> None:
    assert run("invite", "--unit", "KP-01", "--role", "boss", cwd=workdir).returncode == 2
    assert run("frobnicate", cwd=workdir).returncode == 2
    assert (
        run(
            "invite", "--unit", "KP-01", "--role", "rep", "--expires", "soon", cwd=workdir
        ).returncode
        == 2
    )


def test_bad_config_exit_1_one_line_per_problem(workdir: Path) -> None:
    (workdir / "bad.toml").write_text(
        '[schedule]\ntimezone = "Nowhere"\n[zalo]\nbogus = 1\n', "utf-8"
    )
    result = run("init", "--config", "bad.toml", cwd=workdir)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2 and "Traceback" not in result.stderr
    assert any("schedule.timezone" in line for line in lines)
    assert any("zalo.bogus" in line for line in lines)


def test_config_from_environment_variable(workdir: Path) -> None:
    other = workdir / "other"
    other.mkdir()
    (other / "c.toml").write_text('[database]\npath = "other.sqlite3"\n', "utf-8")
    env = {**os.environ, "THIDUA_CONFIG": str(other / "c.toml")}
    done = subprocess.run([THIDUA, "init"], cwd=other, env=env, capture_output=True, text=True)
    assert done.returncode == 0 and (other / "other.sqlite3").exists()
    assert not (workdir / "t.sqlite3").exists()


def test_refused_units_file(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init"]) == 0
    (workdir / "bad.csv").write_text(
        "code,name,level,parent\nT,Tỉnh,tinh,\nA,,xa,T\nB,Xã B,huyen,T\n", "utf-8"
    )
    capsys.readouterr()
    assert main(["units", "import", "bad.csv"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert [line.split(":")[1] for line in err] == ["3", "4"]
    assert main(["units", "list"]) == 0
    assert capsys.readouterr().out == ""  # nothing was imported


def test_units_list_and_unknown_unit(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["units", "import", "units.csv"]) == 0
    capsys.readouterr()
    assert main(["units", "list", "--under", "X-SONG"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("X-SONG") and out[1].startswith("  AP-01")
    assert main(["units", "list", "--under", "NOPE"]) == 1
    assert "NOPE" in capsys.readouterr().err
    assert main(["invite", "--unit", "NOPE", "--role", "rep", "--json"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out)["ok"] is False and "NOPE" in captured.err


def test_invite_expiry_flag(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "config.toml").write_text(
        '[database]\npath = "t.sqlite3"\n[telegram]\nenabled = false\n'
        '[clock]\nstart = "2023-11-20T08:00:00+07:00"\nspeed = 1.0\n',
        "utf-8",
    )
    assert main(["units", "import", "units.csv"]) == 0
    capsys.readouterr()
    assert main(["invite", "--unit", "KP-01", "--role", "rep", "--expires", "2d", "--json"]) == 0
    expires = datetime.fromisoformat(json.loads(capsys.readouterr().out)["expires_at"])
    assert expires.date().isoformat() == "2023-11-22"  # the simulation clock, not the wall clock


def test_telegram_link_uses_configured_username(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "config.toml").write_text(
        '[database]\npath = "t.sqlite3"\n[telegram]\nenabled = true\nusername = "phuong_mau_bot"\n',
        "utf-8",
    )
    assert main(["units", "import", "units.csv"]) == 0
    capsys.readouterr()
    assert main(["invite", "--unit", "KP-01", "--role", "rep", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["telegram_link"] == f"https://t.me/phuong_mau_bot?start={payload['code']}"


def test_backup(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["units", "import", "units.csv"]) == 0
    assert main(["backup", "copy.sqlite3"]) == 0
    assert (workdir / "copy.sqlite3").stat().st_size > 0
    assert main(["backup", "copy.sqlite3"]) == 1  # never overwrites


def test_chat_on_the_console(workdir: Path) -> None:
    assert run("units", "import", "units.csv", cwd=workdir).returncode == 0
    code = json.loads(
        run("invite", "--unit", "KP-02", "--role", "rep", "--json", cwd=workdir).stdout
    )["code"]
    result = subprocess.run(
        [THIDUA, "chat", "--user", "ba-lan"],
        cwd=workdir,
        input=f"xin chào\n{code}\ntrogiup\nhủy\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Ban công tác Mặt trận Khu phố 2, Phường Mẫu" in result.stdout
    assert "dangky (đăng ký)" in result.stdout
    assert "Traceback" not in result.stderr


def test_demo_runs_offline(tmp_path: Path) -> None:
    result = run("demo", "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    # A real province and ward of the official 2025 list (issue 16), seeded, not typed.
    assert '$ thidua units seed "Đắk Lắk"' in result.stdout
    assert "Ban công tác Mặt trận Khu phố 1, Phường Buôn Ma Thuột" in result.stdout
    # The confirmation's wording belongs to bot/texts; the demo must reach it with these values.
    assert any(
        "Đã nhận" in line and "Thắp sáng hẻm 12" in line and "Khu phố 1" in line
        for line in result.stdout.splitlines()
    )
    assert "lần sửa thứ 1" in result.stdout and "nộp trễ 4 ngày" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    # The days before the deadline: a reminder to the unit that has not registered, a digest.
    assert "[nhắc hạn tự động]" in result.stdout and "[tổng hợp tự động]" in result.stdout
    # It ends by writing the ward's files, which open as Excel and Word.
    from docx import Document
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "out" / "dang-ky.xlsx").worksheets[0]
    assert sheet["A1"].value == "DANH SÁCH ĐĂNG KÝ CÔNG TRÌNH, PHẦN VIỆC THI ĐUA"
    names = [row[1] for row in sheet.iter_rows(min_row=5, values_only=True)]
    assert "Khu phố 1" in names and "Khu phố 2" in names
    report = Document(str(tmp_path / "out" / "dang-ky.docx"))
    assert any("Phường Buôn Ma Thuột, ngày" in p.text for p in report.paragraphs)
