"""A newcomer's first hour: the README's commands as written, words instead of exception names,
unit codes in any case, a past campaign tried today, a chat that says who you are."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from bot import admin
from bot.admin import Refused
from bot.cli import main
from bot.config import ConfigError, Settings, channel_problems, load_settings
from bot.runtime import run_bot, start_failure
from storage.db import open_database
from storage.models import Unit
from tests.channels_harness import TELEGRAM_TOKEN, ZALO_TOKEN
from tests.fakes.runner import serve
from tests.fakes.telegram_server import FakeTelegram
from tests.fakes.zalo_server import FakeZalo

ROOT = Path(__file__).resolve().parent.parent
THIDUA = str(Path(sys.executable).with_name("thidua"))
EXAMPLE = ROOT / "examples" / "dai-hoi-mttq-2024.toml"


def closed_port() -> int:
    """A local port nobody listens on (connections to it are refused at once)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def thidua(
    *args: str, cwd: Path, env: dict[str, str], stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """Run the installed `thidua` script."""
    return subprocess.run(
        [THIDUA, *args], cwd=cwd, env=env, input=stdin, capture_output=True, text=True, timeout=60
    )


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without any THIDUA_ variable of the person running the tests."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("THIDUA_")}
    return {**env, **extra}


def readme_block(heading: str) -> list[str]:
    """The shell lines of the first ```sh block after `heading` in the README."""
    text = (ROOT / "README.md").read_text("utf-8")
    section = text[text.index(heading) :]
    found = re.search(r"```sh\n(.*?)```", section, re.S)
    assert found is not None
    return [line.strip() for line in found.group(1).splitlines() if line.strip()]


def without_comment(line: str) -> str:
    """The command part of a README line (comments there start with two spaces and #)."""
    return re.split(r"\s{2,}#", line, maxsplit=1)[0].strip()


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """What a fresh clone holds that the README's commands read."""
    target = tmp_path / "thidua-bot"
    target.mkdir()
    shutil.copy(ROOT / "config.example.toml", target)
    shutil.copytree(ROOT / "examples", target / "examples")
    (target / ".venv").symlink_to(Path(sys.executable).parent.parent)
    return target


# 1. The README works exactly as written.


def test_running_it_for_a_ward_works_as_written(clone: Path) -> None:
    # Tokens as the README writes them ("..."); Telegram's server is a closed local port, so
    # no test reaches the network and `thidua run` must explain why it cannot start.
    env = clean_env(THIDUA_TELEGRAM__BASE_URL=f"http://127.0.0.1:{closed_port()}/bot")
    invite_code = ""
    for line in readme_block("## Running it for a ward"):
        command = shlex.split(without_comment(line))
        if command[0] == "cp":
            shutil.copy(clone / command[1], clone / command[2])
            continue
        if command[0] == "export":
            name, _, value = command[1].partition("=")
            env[name] = value
            continue
        assert command[0] == ".venv/bin/thidua", f"README line the test cannot run: {line}"
        args = command[1:]
        stdin = f"{invite_code}\ndangky\n" if args[0] == "chat" else ""
        done = thidua(*args, cwd=clone, env=env, stdin=stdin)
        output = done.stdout + done.stderr
        assert "Traceback" not in output, line
        if args[0] == "run":
            assert done.returncode == 1
            assert "không kết nối được tới máy chủ" in done.stderr
            assert "cannot connect to the server" in done.stderr
            assert "Error" not in done.stderr  # words, not an exception's name
            continue
        assert done.returncode == 0, f"{line}\n{output}"
        if args[0] == "invite" and "kp-01" in args:
            invite_code = done.stdout.split("invite code: ")[1].split()[0]
        if args[0] == "chat":
            assert "Ban công tác Mặt trận Khu phố 1, Phường Mẫu" in done.stdout
            assert "Câu 1/" in done.stdout  # the registration is open today
            assert "talking as ba-lan" in done.stderr and "Ctrl-D" in done.stderr
    assert (clone / "copy.sqlite3").exists()


def test_the_clock_example_works_as_written(clone: Path) -> None:
    env = clean_env()
    cwd = clone
    expected: list[str] = []
    code = chat = ""
    for line in readme_block("### Dates"):
        if line.startswith("#"):
            expected.append(line.lstrip("# ").strip())
            continue
        for part in without_comment(line).split(" && "):
            command = shlex.split(part)
            if command[0] == "mkdir":
                (cwd / command[1]).mkdir()
            elif command[0] == "cd":
                cwd = cwd / command[1]
            elif command[0] == "printf":
                assert command[2] == ">"
                (cwd / command[3]).write_text(command[1].replace("\\n", "\n"), "utf-8")
            else:
                assert command[0] == "../.venv/bin/thidua", (
                    f"README line the test cannot run: {line}"
                )
                args = command[1:]
                done = thidua(*args, cwd=cwd, env=env, stdin=f"{code}\ntrangthai\n")
                assert done.returncode == 0, f"{line}\n{done.stdout}{done.stderr}"
                if args[0] == "invite":
                    assert "Hạn / expires: 08:00 27/11/2023" in done.stdout
                    code = done.stdout.split("invite code: ")[1].split()[0]
                if args[0] == "chat":
                    chat = done.stdout
    assert expected and all(text.lstrip("- ") in chat for text in expected)
    # The paragraph after the block: a later start puts the same campaign past its deadline.
    text = (ROOT / "README.md").read_text("utf-8")
    later = re.search(r'Change `start` to `"([^"]+)"` and `trangthai` says `([^`]+)`', text)
    assert later is not None
    config = cwd / "config.toml"
    config.write_text(config.read_text("utf-8").replace("2023-11-20T08:00:00+07:00", later[1]))
    done = thidua("chat", "--user", "lan", cwd=cwd, env=env, stdin="trangthai\n")
    assert later[2] in done.stdout, done.stdout


def test_make_demo_and_make_test_stay_first() -> None:
    text = (ROOT / "README.md").read_text("utf-8")
    first = re.search(r"```sh\n(.*?)```", text, re.S)
    assert first is not None
    lines = first.group(1).strip().splitlines()
    assert lines[0].startswith("make demo") and lines[1].startswith("make test")


# 2. A channel that cannot start says why, in words.


def _settings(tmp_path: Path, channel: str, base_url: str, token: str) -> Settings:
    other = "zalo" if channel == "telegram" else "telegram"
    sections: dict[str, Any] = {
        "database": {"path": str(tmp_path / "b.sqlite3")},
        channel: {"enabled": True, "token": token, "base_url": base_url},
        other: {"enabled": False},
    }
    return Settings(**sections)


async def _refusal(settings: Settings, capsys: pytest.CaptureFixture[str]) -> str:
    assert await run_bot(settings) == 1
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert " / " in lines[0] and "Traceback" not in err
    for secret in settings.secrets():
        assert secret not in err
    assert "TransientError" not in err and "Unauthorized" not in err
    return lines[0]


@pytest.mark.parametrize("channel", ["telegram", "zalo"])
async def test_an_unreachable_server_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], channel: str
) -> None:
    url = f"http://127.0.0.1:{closed_port()}/bot"
    token = TELEGRAM_TOKEN if channel == "telegram" else ZALO_TOKEN
    line = await _refusal(_settings(tmp_path, channel, url, token), capsys)
    assert "không kết nối được tới máy chủ" in line and url in line
    assert f"{channel}.base_url" in line


@pytest.mark.parametrize("channel", ["telegram", "zalo"])
async def test_a_refused_token_names_the_variable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], channel: str
) -> None:
    if channel == "telegram":
        fake_tg = FakeTelegram(token=TELEGRAM_TOKEN)
        async with serve(fake_tg.app) as url:
            settings = _settings(tmp_path, channel, f"{url}/bot", "123:wrong-token-abc")
            line = await _refusal(settings, capsys)
    else:
        fake_zalo = FakeZalo(token=ZALO_TOKEN)
        async with fake_zalo.serving():
            settings = _settings(tmp_path, channel, fake_zalo.api_base, "123:wrong-token-abc")
            line = await _refusal(settings, capsys)
    assert "từ chối mã bot" in line and "401" in line
    assert f"THIDUA_{channel.upper()}__TOKEN" in line


def _garbage_app() -> Starlette:
    async def page(request: Request) -> Response:
        if "getMe" in request.url.path and "404" in request.url.path:
            return HTMLResponse("<h1>Not here</h1>", status_code=404)
        return HTMLResponse("<html><body>Chào mừng đến với nginx!</body></html>")

    return Starlette(routes=[Route("/{path:path}", page, methods=["GET", "POST"])])


@pytest.mark.parametrize("channel", ["telegram", "zalo"])
async def test_a_server_that_is_not_a_bot_api_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], channel: str
) -> None:
    async with serve(_garbage_app()) as url:
        settings = _settings(tmp_path, channel, f"{url}/bot", "123:token-xyz")
        line = await _refusal(settings, capsys)
    label = "Telegram" if channel == "telegram" else "Zalo"
    assert f"không phải Bot API của {label}" in line and "HTTP 200, text/html" in line
    assert f"{channel}.base_url" in line


async def test_an_html_404_is_not_called_a_refused_token(tmp_path: Path) -> None:
    # PTB reports any 404 as an invalid token; a web page is a wrong address, not a wrong token.
    async with serve(_garbage_app()) as url:
        settings = _settings(tmp_path, "telegram", f"{url}/404/bot", "123:token-xyz")
        line = await start_failure("telegram", settings, RuntimeError("InvalidToken"))
    assert "không phải Bot API" in line and "HTTP 404" in line and "mã bot" not in line


async def test_a_server_error_says_try_later(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_zalo = FakeZalo(token=ZALO_TOKEN)
    fake_zalo.fail_next("getMe", 502, times=10)
    async with fake_zalo.serving():
        settings = _settings(tmp_path, "zalo", fake_zalo.api_base, ZALO_TOKEN)
        line = await _refusal(settings, capsys)
    assert "đang gặp lỗi (lỗi 502)" in line and "try again" in line


async def test_a_failure_after_getme_is_said_with_its_cause(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_zalo = FakeZalo(token=ZALO_TOKEN)
    fake_zalo.fail_next("getWebhookInfo", 500)
    async with fake_zalo.serving():
        settings = _settings(tmp_path, "zalo", fake_zalo.api_base, ZALO_TOKEN)
        line = await _refusal(settings, capsys)
    assert "kết nối được nhưng không khởi động được" in line and "getWebhookInfo" in line


async def test_a_rate_limit_says_wait(tmp_path: Path) -> None:
    from bot.channels.errors import RateLimited

    settings = _settings(tmp_path, "zalo", "http://127.0.0.1:1/bot", ZALO_TOKEN)
    line = await start_failure("zalo", settings, RateLimited(30))
    assert "yêu cầu chờ" in line and "429" in line


def test_no_channel_and_no_token_are_said_in_two_languages() -> None:
    settings = Settings(telegram={"enabled": True}, zalo={"enabled": True, "mode": "webhook"})
    problems = channel_problems(settings)
    # Two missing tokens; webhook mode without a public https address, nor a secret.
    assert len(problems) == 4
    for line in problems:
        vi, _, en = line.partition(" / ")
        assert en and any(ch in vi for ch in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệ"), line


def test_run_with_no_channel_is_one_line_in_two_languages(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(
        "[telegram]\nenabled = false\n[zalo]\nenabled = false\n", "utf-8"
    )
    done = thidua("run", cwd=tmp_path, env=clean_env())
    assert done.returncode == 1
    assert done.stderr.strip().startswith("chưa bật kênh nào") and "no channel" in done.stderr


# 3. The chat greets on stderr; init and chat name their database.


def test_chat_greets_on_stderr_and_says_who_you_are(cli_workdir: Path) -> None:
    env = clean_env()
    assert thidua("units", "import", "units.csv", cwd=cli_workdir, env=env).returncode == 0
    invite = thidua(
        "invite", "--unit", "KP-02", "--role", "rep", "--json", cwd=cli_workdir, env=env
    )
    code = json.loads(invite.stdout)["code"]

    first = thidua("chat", "--user", "ba-lan", cwd=cli_workdir, env=env, stdin=f"{code}\n")
    assert first.returncode == 0, first.stderr
    assert "talking as ba-lan, not enrolled" in first.stderr
    assert "chưa tham gia" in first.stderr and "Ctrl-D" in first.stderr and "Ctrl-C" in first.stderr
    assert str((cli_workdir / "t.sqlite3").resolve()) in first.stderr
    assert "Ctrl" not in first.stdout and "t.sqlite3" not in first.stdout  # stdout: replies only

    again = thidua("chat", "--user", "ba-lan", cwd=cli_workdir, env=env, stdin="")
    assert again.returncode == 0 and again.stdout == ""
    assert "đại diện, Ban công tác Mặt trận Khu phố 2, Phường Mẫu" in again.stderr
    assert "talking as ba-lan (rep, KP-02)" in again.stderr


def test_chat_ends_on_ctrl_c_at_once(cli_workdir: Path) -> None:
    """Ctrl-C while waiting for a line ends the chat; no thread keeps it waiting for Enter."""
    proc = subprocess.Popen(
        [THIDUA, "chat", "--user", "ba-lan"],
        cwd=cli_workdir,
        env=clean_env(),
        stdin=subprocess.PIPE,  # held open: the chat waits for a line that never comes
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert proc.stderr is not None
        greeting = b""
        while b"Ctrl-C" not in greeting:
            chunk = proc.stderr.readline()
            assert chunk, "the chat ended before greeting"
            greeting += chunk
        time.sleep(0.3)  # let it reach the read
        proc.send_signal(signal.SIGINT)  # what the terminal sends for Ctrl-C
        assert proc.wait(timeout=10) == 0
        assert b"Traceback" not in proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def test_init_names_the_full_path_and_what_it_did(
    cli_workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = (cli_workdir / "t.sqlite3").resolve()
    assert main(["init"]) == 0
    assert capsys.readouterr().out.startswith(f"Đã tạo cơ sở dữ liệu: {path}")
    assert main(["init"]) == 0
    assert capsys.readouterr().out.startswith(f"Cơ sở dữ liệu đã sẵn sàng: {path}")


# 4. Unit codes ignore case on the command line.


def test_unit_codes_ignore_case(cli_workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["units", "import", "units.csv"]) == 0
    capsys.readouterr()
    assert main(["invite", "--unit", "kp-01", "--role", "rep", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["unit"] == "KP-01"
    assert main(["invite", "--unit", " Kp-01 ", "--role", "rep", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["unit"] == "KP-01"
    assert main(["units", "list", "--under", "x-mau"]) == 0
    assert capsys.readouterr().out.startswith("X-MAU  Phường Mẫu")
    assert main(["units", "list", "--under", "kp-99"]) == 1
    err = capsys.readouterr().err
    assert "kp-99" in err and "thidua units list" in err and len(err.strip().splitlines()) == 1


async def test_the_resolver_refuses_codes_that_only_case_tells_apart(tmp_path: Path) -> None:
    async with open_database(tmp_path / "t.sqlite3") as db:
        async with db.transaction() as repos:
            # As an older database may hold them (imports now refuse this).
            await repos.units.upsert_many(
                [
                    Unit(
                        code="Ab-1", name="A", level="xa", parent_code=None, path="/Ab-1/", depth=0
                    ),
                    Unit(
                        code="aB-1", name="B", level="xa", parent_code=None, path="/aB-1/", depth=0
                    ),
                ]
            )
        async with db.read() as repos:
            assert (await admin.find_unit(repos, "Ab-1")).name == "A"  # exact wins
            with pytest.raises(Refused) as caught:
                await admin.find_unit(repos, "ab-1")
    assert "Ab-1, aB-1" in caught.value.lines[0]


def test_units_import_refuses_codes_that_differ_only_in_case(
    cli_workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["units", "import", "units.csv"]) == 0
    (cli_workdir / "more.csv").write_text(
        "code,name,level,parent\nkp-01,Khu phố một,khu_dan_cu,X-MAU\nKP-09,Khu phố 9,khu_dan_cu,x-mau\n"
        "kp-09,Khu phố chín,khu_dan_cu,X-MAU\n",
        "utf-8",
    )
    capsys.readouterr()
    assert main(["units", "import", "more.csv"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert [line.split(":")[1] for line in err] == ["2", "4"]
    assert "KP-01" in err[0] and "KP-09" in err[1]
    (cli_workdir / "more.csv").write_text(
        "code,name,level,parent\nKP-09,Khu phố 9,khu_dan_cu,x-mau\n", "utf-8"
    )
    assert main(["units", "import", "more.csv"]) == 0
    capsys.readouterr()
    assert main(["units", "list", "--under", "X-MAU", "--json"]) == 0
    units = json.loads(capsys.readouterr().out)["units"]
    assert {
        "code": "KP-09",
        "name": "Khu phố 9",
        "level": "khu_dan_cu",
        "parent_code": "X-MAU",
    } in [{k: u[k] for k in ("code", "name", "level", "parent_code")} for u in units]


# 5. A past campaign, tried today.


def test_campaign_load_shift_to_today(
    cli_workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (cli_workdir / "config.toml").write_text(
        '[database]\npath = "t.sqlite3"\n[telegram]\nenabled = false\n'
        '[clock]\nstart = "2026-12-01T09:00:00+07:00"\n',
        "utf-8",
    )
    assert main(["units", "import", "units.csv"]) == 0
    capsys.readouterr()
    assert main(["campaign", "load", str(EXAMPLE), "--shift-to", "today"]) == 0
    out = capsys.readouterr().out
    assert "từ 01/12/2026" in out and "hạn 21/01/2027" in out  # 30/11/2023 was 51 days in
    assert main(["campaign", "list", "--json"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)["campaigns"]
    assert listed["starts_on"] == "2026-12-01"
    forms = {f["id"]: f for f in listed["forms"]}
    assert forms["dang-ky"]["due_on"] == "2027-01-21"
    assert forms["so-ket"]["opens_on"] == str(date(2024, 3, 15) + timedelta(days=1148))
    # Back to the file's own dates by loading it again without the flag.
    assert main(["campaign", "load", str(EXAMPLE), "--shift-to", "10/10/2023"]) == 0
    capsys.readouterr()
    assert main(["campaign", "load", str(EXAMPLE), "--json"]) == 0
    assert "starts_on" not in json.loads(capsys.readouterr().out)
    assert main(["campaign", "list", "--json"]) == 0
    forms = {f["id"]: f for f in json.loads(capsys.readouterr().out)["campaigns"][0]["forms"]}
    assert forms["dang-ky"]["due_on"] == "2023-11-30"


def test_shifted_bounds_move_with_the_dates() -> None:
    from bot.campaigns.loader import load_file

    campaign, problems = load_file(EXAMPLE, levels={"tinh", "xa", "khu_dan_cu"})
    assert campaign is not None and not problems
    moved = admin.shift_campaign(campaign, admin.shift_for(campaign, date(2026, 12, 1)))
    start = moved.form("dang-ky").question("bat_dau")
    assert start.min == date(2023, 10, 1) + timedelta(days=1148)
    assert moved.campaign.issued_on == date(2023, 10, 10) + timedelta(days=1148)


@pytest.mark.parametrize("value", ["tomorrow", "31/02/2026", "2026-13-01", ""])
def test_a_bad_shift_date_is_a_usage_error(
    cli_workdir: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["campaign", "load", str(EXAMPLE), "--shift-to", value])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "2026-12-01" in err and "today" in err and "Traceback" not in err


def test_a_shift_too_far_is_one_line(cli_workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["units", "import", "units.csv"]) == 0
    capsys.readouterr()
    assert main(["campaign", "load", str(EXAMPLE), "--shift-to", "2100-06-01"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "2101" in err[0] and " / " in err[0]


def test_loading_before_importing_units_says_which_step_is_missing(
    cli_workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["campaign", "load", str(EXAMPLE)]) == 1
    err = capsys.readouterr().err
    assert "campaign.scope" in err and "thidua units import" in err
    assert "FOREIGN KEY" not in err


# 6. The demo speaks Vietnamese and names people as a person would.


@pytest.fixture(scope="module")
def demo_transcript(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One run of `thidua demo`, shared by the checks below."""
    folder = tmp_path_factory.mktemp("demo")
    done = thidua("demo", "--out", str(folder / "out"), cwd=folder, env=clean_env())
    assert done.returncode == 0, done.stderr
    yield done.stdout


def test_demo_headings_and_narration_are_vietnamese(demo_transcript: str) -> None:
    headings = re.findall(r"^=== (.*) ===$", demo_transcript, re.M)
    assert len(headings) >= 5
    narration = [
        line
        for line in demo_transcript.splitlines()
        if line.startswith(("===", "  (", "Bản chạy thử", "Hết bản chạy thử", "      Mã mời"))
    ]
    english = re.compile(r"\b(the|and|set-up|enrolment|invite code|demo database|later|past)\b")
    for line in narration:
        assert " / " not in line and not english.search(line), line


def test_demo_names_people_not_chat_ids(demo_transcript: str) -> None:
    assert "Cô Lan (Khu phố 1) gõ:" in demo_transcript
    assert "Trợ lý gửi Cô Lan:" in demo_transcript
    assert "Chào mừng Anh/Chị Trần Thị Lan" in demo_transcript
    for handle in ("ba-lan", "ong-tu", "chi-hoa", "anh-minh"):
        assert handle not in demo_transcript


# 7. Configuration problems in both languages, the Vietnamese half saying what to write.


def test_config_problems_say_in_vietnamese_what_to_write(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[schedule]\ntimezone = "Mars/Base"\nquiet_hours = "9pm-7am"\n'
        '[outbox]\ntelegram_per_second = 500\n[telegram]\nenabled = "yes please"\n'
        '[web]\nlisten = "8080"\n[clock]\nstart = "yesterday"\n',
        "utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    by_key = {line.split(": ")[1]: line.split(": ", 2)[2] for line in caught.value.problems}
    assert by_key["schedule.timezone"].startswith("không biết múi giờ 'Mars/Base'")
    assert by_key["schedule.quiet_hours"].startswith("phải có dạng GG:PP-GG:PP")
    assert by_key["outbox.telegram_per_second"].startswith("không được quá 30")
    assert by_key["telegram.enabled"].startswith("phải là true hoặc false")
    assert by_key["web.listen"].startswith("phải có dạng MÁY:CỔNG")
    assert by_key["clock.start"].startswith("phải là thời điểm ISO-8601")
    for message in by_key.values():
        vi, _, en = message.partition(" / ")
        assert vi and en and "giá trị không hợp lệ" not in vi, message


def test_an_invite_without_a_telegram_link_says_why(
    cli_workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (cli_workdir / "config.toml").write_text(
        '[database]\npath = "t.sqlite3"\n[telegram]\nenabled = true\n', "utf-8"
    )
    assert main(["units", "import", "units.csv"]) == 0
    capsys.readouterr()
    assert main(["invite", "--unit", "KP-01", "--role", "rep", "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["telegram_link"] is None  # stdout: still one object
    assert "telegram.username" in captured.err and " / " in captured.err


@pytest.mark.parametrize("name", ["", "   "])
def test_chat_needs_a_name(cli_workdir: Path, name: str) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["chat", "--user", name])
    assert caught.value.code == 2
