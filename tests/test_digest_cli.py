"""`thidua digest --unit X [--campaign C] [--json]`: the §1.1 object to the letter, the same
text as tonghop, one bilingual line and exit 1 for an unknown unit or campaign."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from bot.cli import main
from storage.db import open_database
from tests.test_digest import CAMPAIGN, OTHER, amend, submit
from tests.transcript_runner import campaign_path

SPEC_KEYS = {"unit", "at", "campaigns"}
SPEC_CAMPAIGN_KEYS = {"code", "title", "forms"}
SPEC_FORM_KEYS = {
    "id",
    "title",
    "kind",
    "due_on",
    "expected",
    "submitted",
    "late",
    "missing",
    "submitted_units",
    "late_units",
    "missing_units",
}


async def _seed(path: str) -> None:
    async with open_database(path) as db:
        first = await submit(db, "ho-ngheo", "KP-01", "2024-10-20T09:00:00")
        await submit(db, "ho-ngheo", "KP-02", "2024-10-21T10:00:00")
        await submit(db, "ho-ngheo", "AP-01", "2024-11-02T15:00:00", late=2)
        await amend(db, first, "2024-11-03T08:00:00")
        await submit(db, "bao-cao-thang", "X-MAU", "2024-11-03T09:00:00")


@pytest.fixture
def workdir(cli_workdir: Path) -> Path:
    """The sample tree and the "Vì người nghèo" campaign, on a clock stopped at 04/11/2024 07:30."""
    with (cli_workdir / "config.toml").open("a", encoding="utf-8") as config:
        config.write('[clock]\nstart = "2024-11-04T07:30:00+07:00"\nspeed = 0.001\n')
    assert main(["units", "import", "units.csv"]) == 0
    assert main(["campaign", "load", str(OTHER)]) == 0
    asyncio.run(_seed(str(cli_workdir / "t.sqlite3")))
    return cli_workdir


def test_json_is_the_spec_object(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["digest", "--unit", "t-mau", "--json"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1  # one object and nothing else
    payload = json.loads(out)
    assert set(payload) >= SPEC_KEYS
    assert payload["unit"] == "T-MAU"  # the unit's own code, whatever the case typed
    assert payload["at"] == "2024-11-04T07:30:00+07:00"  # the configured clock and zone
    (campaign,) = payload["campaigns"]
    assert set(campaign) >= SPEC_CAMPAIGN_KEYS
    assert campaign["code"] == CAMPAIGN and campaign["title"].startswith("Tháng cao điểm")
    registration, report = campaign["forms"]
    assert set(registration) >= SPEC_FORM_KEYS and set(report) >= SPEC_FORM_KEYS
    assert {key: registration[key] for key in SPEC_FORM_KEYS} == {
        "id": "ho-ngheo",
        "title": "Đăng ký hộ cần hỗ trợ",
        "kind": "registration",
        "due_on": "2024-10-31",
        "expected": 6,
        "submitted": 3,
        "late": 1,
        "missing": 3,
        "submitted_units": ["KP-01", "KP-02", "AP-01"],
        "late_units": ["AP-01"],
        "missing_units": ["KP-03", "KP-04", "AP-02"],
    }
    assert {key: report[key] for key in SPEC_FORM_KEYS} == {
        "id": "bao-cao-thang",
        "title": "Báo cáo kết quả Tháng cao điểm",
        "kind": "report",
        "due_on": "2024-11-15",
        "expected": 2,
        "submitted": 1,
        "late": 0,
        "missing": 1,
        "submitted_units": ["X-MAU"],
        "late_units": [],
        "missing_units": ["X-SONG"],
    }
    assert campaign["areas"] == {"level": "khu_dan_cu", "total": 6, "with_work": 3}


def test_text_is_the_digest(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["digest", "--unit", "X-MAU"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Tổng hợp sáng Thứ Hai, 04/11/2024 — Phường Mẫu"
    assert "Đăng ký hộ cần hỗ trợ (hạn 31/10, đã quá 4 ngày): 2/4 khu dân cư (50%)." in lines
    assert "Chưa đăng ký (2): Khu phố 3, Khu phố 4." in lines


def test_one_campaign_by_code(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["campaign", "load", str(campaign_path("example"))]) == 0  # scope X-MAU
    capsys.readouterr()
    assert main(["digest", "--unit", "X-MAU", "--campaign", CAMPAIGN.upper(), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert [c["code"] for c in payload["campaigns"]] == [CAMPAIGN]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--unit", "KP-99"], "KP-99"),
        (["--unit", "X-MAU", "--campaign", "khong-co"], "khong-co"),
        # The example campaign covers Phường Mẫu only, not Xã Sông Mẫu.
        (["--unit", "X-SONG", "--campaign", "dai-hoi-mttq-2024"], "X-SONG"),
    ],
)
def test_unknown_unit_or_campaign_is_one_line_exit_1(
    workdir: Path, capsys: pytest.CaptureFixture[str], args: list[str], says: str
) -> None:
    assert main(["campaign", "load", str(campaign_path("example"))]) == 0
    capsys.readouterr()
    assert main(["digest", *args]) == 1
    captured = capsys.readouterr()
    (line,) = captured.err.strip().splitlines()
    assert says in line and " / " in line and "Traceback" not in captured.err
    assert captured.out == ""
