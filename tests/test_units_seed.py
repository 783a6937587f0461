"""`thidua units seed` and the official 2025 list (issue 16): a province and its communes with
their official codes and names, seeded twice without a change, renamed units updated rather than
duplicated, and `units import` warning of a commune the list does not have."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from vietnam_provinces import ProvinceCode, Ward

from bot.cli import main

DAK_LAK = list(Ward.iter_by_province(ProvinceCode.P_66))
BUON_MA_THUOT = "24133"  # Phường Buôn Ma Thuột, Đắk Lắk


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    """Run a command with --json; return its one object."""
    capsys.readouterr()
    assert main([*argv, "--json"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1, out  # one JSON object and nothing else
    payload: dict[str, object] = json.loads(out)
    return payload


def _refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run a command that must be refused (exit 1, one line, no traceback); return stderr."""
    capsys.readouterr()
    assert main(list(argv)) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "Traceback" not in captured.err
    assert len(captured.err.strip().splitlines()) == 1, captured.err
    return captured.err


def _units(folder: Path) -> list[tuple[str, ...]]:
    """Every row of the units table, as stored."""
    with sqlite3.connect(folder / "t.sqlite3") as conn:
        rows = conn.execute("SELECT * FROM units ORDER BY code").fetchall()
    return [tuple(str(value) for value in row) for row in rows]


def _import(folder: Path, capsys: pytest.CaptureFixture[str], text: str) -> dict[str, object]:
    (folder / "more.csv").write_text("code,name,level,parent\n" + text, "utf-8")
    return _json(capsys, "units", "import", "more.csv")


def test_seeding_twice_changes_nothing_the_second_time(
    cli_workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _json(capsys, "units", "seed", "Đắk Lắk")
    # The counts are the package's own: 102 communes, each new, and the province.
    assert first["communes"] == len(DAK_LAK) == 102
    assert first["new"] == len(DAK_LAK) + 1 and first["updated"] == first["unchanged"] == 0
    assert first["province"] == {"code": "66", "name": "Tỉnh Đắk Lắk", "official_code": "66"}
    stored = _units(cli_workdir)
    assert {row[0] for row in stored} == {"66"} | {f"{w.code:05d}" for w in DAK_LAK}
    ward = next(row for row in stored if row[0] == BUON_MA_THUOT)
    # The official name (the package has a doubled space in it), at the second level.
    assert ward[1:6] == ("Phường Buôn Ma Thuột", "xa", "66", f"/66/{BUON_MA_THUOT}/", "1")
    second = _json(capsys, "units", "seed", "dak lak")  # typed without diacritics
    assert (second["new"], second["updated"], second["unchanged"]) == (0, 0, 103)
    assert _units(cli_workdir) == stored
    third = _json(capsys, "units", "seed", "66")  # or by its official code
    assert third["new"] == third["updated"] == 0


def test_a_renamed_commune_is_updated_not_duplicated(
    cli_workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _json(capsys, "units", "seed", "Đắk Lắk")
    # An old spelling came in with a ward's file: seeding puts the official name back.
    _import(cli_workdir, capsys, f"{BUON_MA_THUOT},Phường Buôn Mê Thuột,xa,66\n")
    again = _json(capsys, "units", "seed", "Đắk Lắk")
    assert (again["new"], again["updated"], again["unchanged"]) == (0, 1, 102)
    stored = _units(cli_workdir)
    assert len(stored) == 103
    assert next(r for r in stored if r[0] == BUON_MA_THUOT)[1] == "Phường Buôn Ma Thuột"


def test_a_hand_made_province_keeps_its_codes(
    cli_workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Typed by hand before the official list: codes of its own making, names without diacritics
    # or without the word for the commune's kind, and a residential area below one of them.
    _import(
        cli_workdir,
        capsys,
        "DL,Dak Lak,tinh,\nBMT,Buon Ma Thuot,xa,DL\nEAKAO,phường ea kao,xa,DL\n"
        "XA-CU,Xã Cũ,xa,DL\nKP-1,Khu phố 1,khu_dan_cu,BMT\n",
    )
    seeded = _json(capsys, "units", "seed", "Đắk Lắk")
    assert seeded["province"] == {"code": "DL", "name": "Tỉnh Đắk Lắk", "official_code": "66"}
    assert (seeded["new"], seeded["updated"], seeded["unchanged"]) == (100, 3, 0)
    assert seeded["not_official"] == ["XA-CU"]  # left alone, and said
    listed = _json(capsys, "units", "list")["units"]
    assert isinstance(listed, list)
    codes = {u["code"]: u for u in listed}
    assert "66" not in codes and BUON_MA_THUOT not in codes  # matched, not duplicated
    assert codes["BMT"]["name"] == "Phường Buôn Ma Thuột"
    assert codes["EAKAO"]["name"] == "Phường Ea Kao"
    assert codes["KP-1"]["parent_code"] == "BMT"
    assert len(listed) == 103 + 2  # the province, its 102 communes, Xã Cũ and KP-1


def test_dry_run_prints_the_changes_and_writes_nothing(
    cli_workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init"]) == 0
    capsys.readouterr()
    assert main(["units", "seed", "Đắk Lắk", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Sẽ nhập" in out and "nothing written" in out
    assert f"  + {BUON_MA_THUOT}  Phường Buôn Ma Thuột" in out
    assert _units(cli_workdir) == []
    dry = _json(capsys, "units", "seed", "Đắk Lắk", "--dry-run")
    assert dry["dry_run"] is True and dry["new"] == 103
    assert _units(cli_workdir) == []


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("Dak Lac", "gần nhất: Đắk Lắk"),
        # The provinces that ceased in 2025: the one they became part of is named.
        ("Quảng Nam", "'Quảng Nam' đã hợp nhất vào Đà Nẵng: hãy gõ Đà Nẵng"),
        ("dak nong", "đã hợp nhất vào Lâm Đồng"),
        ("Tỉnh Bà Rịa - Vũng Tàu", "đã hợp nhất vào Hồ Chí Minh"),
        ("99", "không có tỉnh, thành phố mã 99"),
        ("", "cần tên hoặc mã tỉnh"),
        ("   ", "cần tên hoặc mã tỉnh"),
        ("😀🇻🇳", "34 tỉnh, thành phố: Hà Nội"),
        ("Đắk Lắk" * 2000, "dài quá 100 ký tự"),
    ],
)
def test_an_unknown_province_is_refused_with_the_closest_names(
    cli_workdir: Path, capsys: pytest.CaptureFixture[str], typed: str, said: str
) -> None:
    assert main(["init"]) == 0
    assert said in _refused(capsys, "units", "seed", typed)
    assert _units(cli_workdir) == []
    assert main(["units", "seed", typed, "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["ok"] is False


def test_an_official_code_taken_by_another_unit_is_refused(
    cli_workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["units", "import", "units.csv"]) == 0
    _import(cli_workdir, capsys, f"{BUON_MA_THUOT},Khu phố 5,khu_dan_cu,X-MAU\n")
    before = _units(cli_workdir)
    err = _refused(capsys, "units", "seed", "Đắk Lắk")
    assert f"mã {BUON_MA_THUOT} đã là mã của Khu phố 5" in err
    assert _units(cli_workdir) == before  # all or nothing


def test_seeding_needs_two_levels(cli_workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (cli_workdir / "config.toml").write_text(
        '[database]\npath = "t.sqlite3"\n[telegram]\nenabled = false\n'
        '[org]\nlevels = [{ id = "tinh", label = "Tỉnh" }]\n',
        "utf-8",
    )
    assert main(["init"]) == 0
    assert "hai cấp" in _refused(capsys, "units", "seed", "Đắk Lắk")


def test_a_merged_commune_stays_history_when_seeding_again(
    cli_workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _json(capsys, "units", "seed", "Đắk Lắk")
    tan_an = next(f"{w.code:05d}" for w in DAK_LAK if w.name.split() == ["Phường", "Tân", "An"])
    _json(capsys, "units", "merge", tan_an, "--into", BUON_MA_THUOT)
    again = _json(capsys, "units", "seed", "Đắk Lắk")
    assert again["merged"] == [tan_an] and again["new"] == 0
    listed = _json(capsys, "units", "list", "--under", "66")["units"]
    assert isinstance(listed, list)
    assert {"code": tan_an, "merged_into": BUON_MA_THUOT}.items() <= next(
        u for u in listed if u["code"] == tan_an
    ).items()


def test_units_import_warns_of_a_commune_the_official_list_lacks(
    cli_workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The sample tree's province is not an official one: nothing to say about its communes.
    assert main(["units", "import", "units.csv"]) == 0
    assert capsys.readouterr().err == ""
    _json(capsys, "units", "seed", "Đắk Lắk")
    (cli_workdir / "ward.csv").write_text(
        "code,name,level,parent\n"
        "X-1,Phường Buôn Ma Thuộc,xa,66\n"  # a typo: the closest official name is offered
        "X-2,Phường Ea Kao,xa,66\n"  # official, but seeded already under its own code
        "X-3,buon ho,xa,66\n"  # the official spelling is given
        "X-4,Xã Không Có,xa,66\n"  # nothing close
        "KP-1,Khu phố 1,khu_dan_cu,X-1\n",  # below the commune level: the ward's own names
        "utf-8",
    )
    capsys.readouterr()
    assert main(["units", "import", "ward.csv", "--json"]) == 0  # warned, not refused
    captured = capsys.readouterr()
    payload = json.loads(captured.out)
    assert payload["new"] == 5
    warnings = payload["warnings"]
    assert [w.split(":")[1] for w in warnings] == ["2", "3", "4", "5"]
    assert "gần nhất: Phường Buôn Ma Thuột" in warnings[0]
    assert "X-2: cùng tên với 24" in warnings[1] and "(Phường Ea Kao)" in warnings[1]
    assert "tên chính thức là Phường Buôn Hồ" in warnings[2]
    assert "Xã Không Có" in warnings[3] and "gần nhất" not in warnings[3]
    assert len(captured.err.strip().splitlines()) == 4  # said on stderr as well


def test_every_ceased_province_points_to_one_of_the_34() -> None:
    from bot.official_units import MERGED_PROVINCES, provinces

    assert len(MERGED_PROVINCES) == 63 - 34
    assert set(MERGED_PROVINCES.values()) <= {p.short for p in provinces()}
