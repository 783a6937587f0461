"""Units CSV from real spreadsheets: other delimiters, Excel's padding, NFD, invisible characters."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from bot import admin
from bot.admin import ImportReport, Refused
from bot.cli import main
from bot.config import Settings
from storage.db import open_database
from tests.conftest import make_settings, units_csv


async def _import(settings: Settings, path: Path, content: str) -> ImportReport:
    path.write_text(content, encoding="utf-8")
    async with open_database(settings.database.path) as db:
        return await admin.import_units(db, settings, path)


async def _names(settings: Settings) -> dict[str, str]:
    async with open_database(settings.database.path) as db, db.read() as repos:
        return {u.code: u.name for u in await repos.units.all()}


def _refusal(caught: pytest.ExceptionInfo[Refused]) -> list[str]:
    return caught.value.lines


@pytest.mark.parametrize("delimiter", [";", "\t"])
async def test_semicolon_and_tab_files_are_read(tmp_path: Path, delimiter: str) -> None:
    settings = make_settings(tmp_path)
    content = units_csv().replace(",", delimiter)
    report = await _import(settings, tmp_path / "u.csv", content)
    assert (report.total, report.new) == (9, 9)
    assert (await _names(settings))["KP-01"] == "Khu phố 1"


async def test_semicolons_keep_commas_inside_names(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    content = "code;name;level;parent\nT;Tỉnh Mẫu, miền Nam;tinh;\n"
    await _import(settings, tmp_path / "u.csv", content)
    assert (await _names(settings))["T"] == "Tỉnh Mẫu, miền Nam"


async def test_excel_trailing_empty_columns_are_ignored(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    content = (
        "code;name;level;parent;;\r\n"
        "T;Tỉnh Mẫu;tinh;;;\r\n"
        "X;Xã Mẫu;xa;T;;\r\n"
        ";;;;;\r\n"  # a row Excel left empty
    )
    report = await _import(settings, tmp_path / "u.csv", content)
    assert report.new == 2


async def test_an_extra_filled_column_is_still_refused(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    content = "code,name,level,parent\nT,Tỉnh Mẫu,tinh,,ghi chú\n"
    with pytest.raises(Refused) as caught:
        await _import(settings, tmp_path / "u.csv", content)
    assert ":2:" in _refusal(caught)[0] and "5" in _refusal(caught)[0]


async def test_unknown_delimiter_is_refused_saying_which_are_read(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    with pytest.raises(Refused) as caught:
        await _import(settings, tmp_path / "u.csv", "code|name|level|parent\nT|Tỉnh|tinh|\n")
    (line,) = _refusal(caught)
    assert ":1:" in line and "semicolons" in line and "chấm phẩy" in line


async def test_names_are_stored_nfc_and_nfd_reimport_changes_nothing(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    nfd = unicodedata.normalize("NFD", units_csv())
    assert nfd != units_csv()
    first = await _import(settings, tmp_path / "nfd.csv", nfd)
    assert first.new == 9
    names = await _names(settings)
    assert names["KP-01"] == "Khu phố 1" and unicodedata.is_normalized("NFC", names["KP-01"])
    again = await _import(settings, tmp_path / "nfc.csv", units_csv())
    assert (again.total, again.new, again.updated) == (9, 0, 0)
    once_more = await _import(settings, tmp_path / "nfd2.csv", nfd)
    assert (once_more.new, once_more.updated) == (0, 0)


async def test_only_changed_units_count_as_updated(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    await _import(settings, tmp_path / "u.csv", units_csv())
    changed = units_csv().replace("Khu phố 1,", "Khu phố Một,")
    report = await _import(settings, tmp_path / "u2.csv", changed)
    assert (report.total, report.new, report.updated) == (9, 0, 1)


@pytest.mark.parametrize(
    ("row", "column", "char"),
    [
        ("KP-09,Khu phố\x009,khu_dan_cu,X-MAU", "name", "U+0000"),
        ("KP-09,Khu phố 9\x07,khu_dan_cu,X-MAU", "name", "U+0007"),
        ("KP-09,Khu\u200b phố 9,khu_dan_cu,X-MAU", "name", "U+200B"),
        ("KP-09,Khu phố 9\u00ad,khu_dan_cu,X-MAU", "name", "U+00AD"),
        ("KP-09,\ufeffKhu phố 9,khu_dan_cu,X-MAU", "name", "U+FEFF"),
        ('KP-09,"Khu phố\n9",khu_dan_cu,X-MAU', "name", "U+000A"),
        ("KP\u200b-09,Khu phố 9,khu_dan_cu,X-MAU", "code", "U+200B"),
        ("KP-09,Khu phố 9,khu_dan_cu\x1f,X-MAU", "level", "U+001F"),
        ("KP-09,Khu phố 9,khu_dan_cu,X-MAU\u2028", "parent", "U+2028"),
    ],
)
async def test_control_and_invisible_characters_are_refused_by_line(
    tmp_path: Path, row: str, column: str, char: str
) -> None:
    settings = make_settings(tmp_path)
    await _import(settings, tmp_path / "u.csv", units_csv())
    before = await _names(settings)
    content = f"code,name,level,parent\nKP-08,Khu phố 8,khu_dan_cu,X-MAU\n{row}\n"
    with pytest.raises(Refused) as caught:
        await _import(settings, tmp_path / "bad.csv", content)
    (line,) = _refusal(caught)
    assert line.startswith(f"{tmp_path / 'bad.csv'}:3:")
    assert char in line and column in line and " / " in line
    assert "\x00" not in line and "\u200b" not in line  # the refusal prints nothing invisible
    assert await _names(settings) == before  # KP-08 was not imported either


async def test_surrounding_spaces_are_trimmed_not_refused(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    report = await _import(
        settings, tmp_path / "u.csv", "code,name,level,parent\n T ,\tTỉnh Mẫu\u00a0,tinh,\n"
    )
    assert report.new == 1 and (await _names(settings))["T"] == "Tỉnh Mẫu"


async def test_a_field_over_the_csv_limit_is_refused_with_its_line(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    content = f"code,name,level,parent\nT,Tỉnh Mẫu,tinh,\nX,{'x' * 140_000},xa,T\nY,Xã Y,nope,T\n"
    with pytest.raises(Refused) as caught:
        await _import(settings, tmp_path / "big.csv", content)
    lines = _refusal(caught)
    assert [line.split(":")[1] for line in lines] == ["3", "4"]  # both bad rows, by line
    assert "131" in lines[0] and " / " in lines[0]
    assert await _names(settings) == {}


async def test_line_numbers_count_lines_not_records(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    content = 'code,name,level,parent\n"T","Tỉnh\nMẫu",tinh,\nX,Xã,nope,T\n'
    with pytest.raises(Refused) as caught:
        await _import(settings, tmp_path / "u.csv", content)
    lines = _refusal(caught)
    assert [line.split(":")[1] for line in lines] == ["2", "4"]


def test_cli_reports_counts_for_a_semicolon_nfd_file(
    cli_workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["units", "import", "units.csv"]) == 0
    excel = unicodedata.normalize("NFD", units_csv()).replace(",", ";").replace("\n", ";;\r\n")
    (cli_workdir / "excel.csv").write_bytes(b"\xef\xbb\xbf" + excel.encode("utf-8"))
    capsys.readouterr()
    assert main(["units", "import", "excel.csv", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "ok": True,
        "imported": 9,
        "new": 0,
        "updated": 0,
    }


async def test_old_mac_line_endings_are_read(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    report = await _import(settings, tmp_path / "u.csv", units_csv().replace("\n", "\r"))
    assert report.new == 9


@pytest.mark.parametrize(
    "header",
    ["x" * 200_000, "code,name,level,parent" + "," * 200_000 + "x", "code\x00,name,level,parent"],
)
async def test_a_strange_header_is_refused_on_line_1(tmp_path: Path, header: str) -> None:
    settings = make_settings(tmp_path)
    with pytest.raises(Refused) as caught:
        await _import(settings, tmp_path / "u.csv", f"{header}\nT,Tỉnh,tinh,\n")
    (line,) = _refusal(caught)
    assert ":1:" in line and "code,name,level,parent" in line
