"""`thidua broadcast` (spec §1, §1.2): the preview queues nothing, --yes queues, the JSON
objects to the letter, status and cancel, quiet hours, one bilingual line and exit 1 for what
is refused, exit 2 for a usage error."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

import pytest

from bot.cli import main
from storage.db import open_database
from tests.test_broadcast_core import seed

PREVIEW_KEYS = {"id", "recipients", "channels", "scheduled_at"}
STATUS_KEYS = {"id", "state", "recipients", "sent", "failed", "unreachable", "pending"}


def _workdir(folder: Path, clock: str) -> Path:
    with (folder / "config.toml").open("a", encoding="utf-8") as config:
        config.write(f'[clock]\nstart = "{clock}"\nspeed = 0.001\n')
    assert main(["units", "import", "units.csv"]) == 0

    async def seeded() -> None:
        async with open_database(str(folder / "t.sqlite3")) as db:
            await seed(db)

    asyncio.run(seeded())
    return folder


@pytest.fixture
def workdir(cli_workdir: Path) -> Path:
    """The sample tree, eleven people on Telegram and Zalo, the example campaign with KP-03
    not registered; a clock stopped at Monday 20/11/2023 08:00."""
    return _workdir(cli_workdir, "2023-11-20T08:00:00+07:00")


@pytest.fixture
def night(cli_workdir: Path) -> Path:
    """The same at 22:00, inside the quiet hours (21:00-07:00)."""
    return _workdir(cli_workdir, "2023-11-20T22:00:00+07:00")


def _rows(folder: Path) -> tuple[int, int]:
    """(broadcasts, outbox rows) in the database."""
    with sqlite3.connect(folder / "t.sqlite3") as conn:
        broadcasts = conn.execute("SELECT count(*) FROM broadcasts").fetchone()[0]
        outbox = conn.execute("SELECT count(*) FROM outbox").fetchone()[0]
    return int(broadcasts), int(outbox)


def _json(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    out = capsys.readouterr().out
    assert out.count("\n") == 1  # one object and nothing else
    payload: dict[str, object] = json.loads(out)
    return payload


def test_preview_queues_nothing(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["broadcast", "--unit", "x-mau", "--text", "Họp lúc 8 giờ"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "Thông báo sẽ tới 7 người (Telegram 4, Zalo 3) / the broadcast would reach 7 people"
        " (Telegram 4, Zalo 3)",
        "Đơn vị / unit: Phường Mẫu (X-MAU)",
        "Thời gian gửi khoảng 1 giây theo nhịp [outbox] / about 1 s at the [outbox] pace",
        "Bắt đầu: ngay (thidua run gửi đi) / starts: at once (thidua run sends it)",
        "Chưa xếp hàng gửi gì: thêm --yes để gửi / nothing was queued; add --yes",
    ]
    assert _rows(workdir) == (0, 0)


def test_preview_json(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["broadcast", "--unit", "T-MAU", "--text", "Họp", "--level", "khu_dan_cu",
                 "--role", "rep", "--json"]) == 0  # fmt: skip
    assert _json(capsys) == {
        "id": None,
        "recipients": 6,
        "channels": {"telegram": 3, "zalo": 3},
        "scheduled_at": None,
    }
    assert _rows(workdir) == (0, 0)


def test_yes_queues_and_status_and_cancel(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    args = ["broadcast", "--unit", "X-MAU", "--text", "Nhắc nộp đăng ký",
            "--missing", "dai-hoi-mttq-2024/dang-ky"]  # fmt: skip
    assert main([*args, "--yes", "--json"]) == 0
    queued = _json(capsys)
    assert set(queued) == PREVIEW_KEYS
    assert queued == {
        "id": 1,
        "recipients": 2,
        "channels": {"telegram": 1, "zalo": 1},
        "scheduled_at": None,
    }
    assert _rows(workdir) == (1, 2)
    assert main(["broadcast", "status", "1", "--json"]) == 0
    status = _json(capsys)
    assert set(status) == STATUS_KEYS
    assert status == {"id": 1, "state": "sending", "recipients": 2, "sent": 0, "failed": 0,
                      "unreachable": 0, "pending": 2}  # fmt: skip
    # The sender delivers one of them, then the operator stops the rest.
    with sqlite3.connect(workdir / "t.sqlite3") as conn:
        conn.execute("UPDATE outbox SET state = 'sent' WHERE id = 1")
    assert main(["broadcast", "cancel", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        "Đã dừng thông báo số 1: 1 tin chưa gửi sẽ không gửi; 1 tin đã gửi / stopped broadcast"
        " 1: 1 not yet sent will not be; 1 were sent"
    )
    assert main(["broadcast", "status", "1", "--json"]) == 0
    assert _json(capsys) == {"id": 1, "state": "cancelled", "recipients": 2, "sent": 1,
                             "failed": 0, "unreachable": 0, "pending": 0}  # fmt: skip
    assert main(["broadcast", "status", "1"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Thông báo số 1: đã dừng / broadcast 1: cancelled",
        "2 người nhận: đã gửi 1, lỗi 0, không liên lạc được 0, đang chờ 0, đã dừng 1 / 2"
        " recipients: sent 1, failed 0, unreachable 0, pending 0, stopped 1",
    ]
    assert _rows(workdir) == (1, 2)  # nothing is deleted


def test_yes_human_output(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["broadcast", "--unit", "KP-01", "--text", "Họp tổ", "--at",
                 "2023-11-20T10:00", "--yes"]) == 0  # fmt: skip
    assert capsys.readouterr().out.splitlines() == [
        "Đã xếp hàng thông báo số 1, tới 2 người (Telegram 1, Zalo 1) / queued broadcast 1, to"
        " 2 people (Telegram 1, Zalo 1)",
        "Đơn vị / unit: Khu phố 1 (KP-01)",
        "Thời gian gửi khoảng 1 giây theo nhịp [outbox] / about 1 s at the [outbox] pace",
        "Bắt đầu: 10:00 20/11/2023 / starts: 10:00 on 20/11/2023",
        "Xem tiến độ: thidua broadcast status 1 / progress: thidua broadcast status 1",
    ]
    assert main(["broadcast", "status", "1", "--json"]) == 0
    assert _json(capsys)["state"] == "scheduled"
    assert main(["broadcast", "status", "1"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        "Thông báo số 1: đã hẹn giờ 10:00 20/11/2023 / broadcast 1: scheduled for 10:00 on"
        " 20/11/2023"
    )


def test_at_inside_quiet_hours_is_refused(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["broadcast", "--unit", "X-MAU", "--text", "Họp", "--at", "22:30", "--yes"]) == 1
    captured = capsys.readouterr()
    (line,) = captured.err.strip().splitlines()
    assert "22:30" in line and "07:00" in line and " / " in line
    assert captured.out == "" and _rows(workdir) == (0, 0)


def test_without_at_at_night_it_starts_at_seven(
    night: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["broadcast", "--unit", "X-MAU", "--text", "Họp", "--json"]) == 0
    assert _json(capsys)["scheduled_at"] == "2023-11-21T07:00:00+07:00"
    assert main(["broadcast", "--unit", "X-MAU", "--text", "Họp"]) == 0
    assert (
        "Bắt đầu: 07:00 21/11/2023, khi hết giờ yên lặng / starts: 07:00 on 21/11/2023, when the"
        " quiet hours end"
    ) in capsys.readouterr().out.splitlines()
    assert main(["broadcast", "--unit", "X-MAU", "--text", "Họp", "--yes", "--json"]) == 0
    assert _json(capsys) == {
        "id": 1,
        "recipients": 7,
        "channels": {"telegram": 4, "zalo": 3},
        "scheduled_at": "2023-11-21T07:00:00+07:00",
    }
    assert main(["broadcast", "status", "1", "--json"]) == 0
    assert _json(capsys)["state"] == "scheduled"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--unit", "KP-99"], "KP-99"),
        (["--unit", "T-MAU", "--level", "huyen"], "huyen"),
        (["--unit", "T-MAU", "--missing", "khong-co/dang-ky"], "khong-co"),
        (["--unit", "T-MAU", "--missing", "dai-hoi-mttq-2024/khong-co"], "khong-co"),
        (["--unit", "T-MAU", "--missing", "dang-ky"], "dang-ky"),
        (["--unit", "X-SONG", "--missing", "dai-hoi-mttq-2024/dang-ky"], "X-SONG"),
        (["--unit", "X-MAU", "--at", "mai"], "mai"),
        (["--unit", "KP-04", "--yes"], "nobody"),
    ],
)
def test_refused_is_one_line_exit_1(
    workdir: Path, capsys: pytest.CaptureFixture[str], args: list[str], says: str
) -> None:
    capsys.readouterr()
    assert main(["broadcast", "--text", "Họp", *args]) == 1
    captured = capsys.readouterr()
    (line,) = captured.err.strip().splitlines()
    assert says in line and " / " in line and "Traceback" not in captured.err
    assert captured.out == "" and _rows(workdir) == (0, 0)


@pytest.mark.parametrize("text", ["", "   ", "chuông\x07"])
def test_a_text_that_cannot_go_is_refused_even_in_a_preview(
    workdir: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    capsys.readouterr()
    assert main(["broadcast", "--unit", "X-MAU", "--text", text]) == 1
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert " / " in line


@pytest.mark.parametrize("command", [["status", "9"], ["cancel", "9"], ["status", "9", "--json"]])
def test_an_unknown_id_is_one_line_exit_1(
    workdir: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    capsys.readouterr()
    assert main(["broadcast", *command]) == 1
    captured = capsys.readouterr()
    (line,) = captured.err.strip().splitlines()
    assert line == "không có thông báo số 9 / no broadcast 9"
    if "--json" in command:
        assert json.loads(captured.out) == {"ok": False, "problems": [line]}


def test_usage_errors_exit_2(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["broadcast", "--unit", "X-MAU"]) == 2  # no --text
    assert "--text" in capsys.readouterr().err
    for argv in (["broadcast", "status"], ["broadcast", "status", "x"],
                 ["broadcast", "--unit", "X-MAU", "--text", "a", "--role", "boss"]):  # fmt: skip
        with pytest.raises(SystemExit) as exit_:
            main(argv)
        assert exit_.value.code == 2


def test_several_units_repeated_or_with_commas(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--unit` repeated, or codes separated by commas: each person once, every unit named."""
    capsys.readouterr()
    assert main(["broadcast", "--unit", "KP-03", "--unit", "kp-01", "--text", "Họp"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Thông báo sẽ tới 4 người"), lines
    assert lines[1] == "Đơn vị / unit: Khu phố 1 (KP-01), Khu phố 3 (KP-03)"
    assert main(["broadcast", "--unit", "KP-01,KP-03,X-MAU", "--text", "Họp", "--json"]) == 0
    assert _json(capsys)["recipients"] == 7  # the ward holds both khu phố: its 7 once
    assert main(["broadcast", "--unit", "KP-01,KP-99", "--text", "Họp"]) == 1
    assert "KP-99" in capsys.readouterr().err
    assert main(["broadcast", "--unit", " , ", "--text", "Họp"]) == 2
    assert _rows(workdir) == (0, 0)
    assert main(["broadcast", "--unit", "KP-01", "--unit", "AP-01", "--text", "Họp", "--yes",
                 "--json"]) == 0  # fmt: skip
    assert _json(capsys)["recipients"] == 3
    assert _rows(workdir) == (1, 3)
