"""Units CSV import: all or nothing, every bad row reported by its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import admin
from bot.admin import Refused
from bot.config import Settings
from storage.db import open_database
from tests.conftest import make_settings, units_csv


async def _import(settings: Settings, path: Path, content: str) -> None:
    path.write_text(content, encoding="utf-8")
    async with open_database(settings.database.path) as db:
        await admin.import_units(db, settings, path)


async def _codes(settings: Settings) -> list[str]:
    async with open_database(settings.database.path) as db, db.read() as repos:
        return [u.code for u in await repos.units.all()]


async def test_sample_tree_imports_with_paths(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    await _import(settings, tmp_path / "u.csv", units_csv())
    async with open_database(settings.database.path) as db, db.read() as repos:
        kp = await repos.units.get("KP-01")
        root = await repos.units.get("T-MAU")
        ward = await repos.units.get("X-MAU")
        assert kp is not None and root is not None and ward is not None
        assert kp.path == "/T-MAU/X-MAU/KP-01/" and kp.depth == 2
        assert [u.code for u in await repos.units.subtree(ward)] == [
            "X-MAU",
            "KP-01",
            "KP-02",
            "KP-03",
            "KP-04",
        ]
        assert len(await repos.units.subtree(root)) == 9


async def test_reimport_updates_and_moves(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    await _import(settings, tmp_path / "u.csv", units_csv())
    await _import(
        settings,
        tmp_path / "u2.csv",
        "code,name,level,parent\nKP-01,Khu phố Một,khu_dan_cu,X-SONG\nKP-05,Khu phố 5,khu_dan_cu,X-MAU\n",
    )
    async with open_database(settings.database.path) as db, db.read() as repos:
        kp = await repos.units.get("KP-01")
        assert kp is not None and kp.name == "Khu phố Một" and kp.path == "/T-MAU/X-SONG/KP-01/"
        assert await repos.units.count() == 10


@pytest.mark.parametrize(
    ("rows", "line", "needle"),
    [
        ("KP-09,Khu phố 9,khu_pho,X-MAU", 3, "khu_pho"),  # unknown level
        ("KP-09,Khu phố 9,khu_dan_cu,X-NONE", 3, "X-NONE"),  # unknown parent
        ("KP-01,Khu phố 1,khu_dan_cu,X-MAU", 3, "dòng 2"),  # duplicate code in the file
        ("KP-09,,khu_dan_cu,X-MAU", 3, "thiếu tên"),  # empty name
        (",Khu phố 9,khu_dan_cu,X-MAU", 3, "thiếu mã"),  # empty code
        ("KP 09!,Khu phố 9,khu_dan_cu,X-MAU", 3, "mã chỉ gồm"),  # bad code
        ("KP-09,Khu phố 9,khu_dan_cu", 3, "4 cột"),  # missing column
        ("KP-09,Khu phố 9,khu_dan_cu,KP-09", 3, "chính nó"),  # own parent
    ],
)
async def test_each_bad_row_kind(tmp_path: Path, rows: str, line: int, needle: str) -> None:
    settings = make_settings(tmp_path)
    await _import(settings, tmp_path / "u.csv", units_csv())
    before = await _codes(settings)
    content = f"code,name,level,parent\nKP-01,Khu phố 1,khu_dan_cu,X-MAU\n{rows}\nKP-08,Khu phố 8,khu_dan_cu,X-MAU\n"
    with pytest.raises(Refused) as caught:
        await _import(settings, tmp_path / "bad.csv", content)
    assert len(caught.value.lines) == 1
    problem = caught.value.lines[0]
    assert problem.startswith(f"{tmp_path / 'bad.csv'}:{line}:")
    assert needle in problem
    assert " / " in problem  # Vietnamese and English
    assert await _codes(settings) == before  # KP-08 on a good row was not imported either


async def test_cycle_is_refused(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    await _import(settings, tmp_path / "u.csv", units_csv())
    content = "code,name,level,parent\nX-MAU,Phường Mẫu,xa,KP-01\n"
    with pytest.raises(Refused) as caught:
        await _import(settings, tmp_path / "bad.csv", content)
    assert ":2: X-MAU:" in caught.value.lines[0] and "vòng lặp" in caught.value.lines[0]


async def test_every_bad_row_is_listed(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    content = (
        "code,name,level,parent\n"
        "T,Tỉnh,tinh,\n"
        "A,,xa,T\n"
        "B,Xã B,nope,T\n"
        "C,Xã C,xa,Z\n"
        "T,Tỉnh lại,tinh,\n"
    )
    with pytest.raises(Refused) as caught:
        await _import(settings, tmp_path / "bad.csv", content)
    assert [line.split(":")[1] for line in caught.value.lines] == ["3", "4", "5", "6"]
    assert await _codes(settings) == []


@pytest.mark.parametrize(
    "content",
    ["", "name,code,level,parent\nT,Tỉnh,tinh,\n", "\n\n"],
)
async def test_empty_or_wrong_header(tmp_path: Path, content: str) -> None:
    settings = make_settings(tmp_path)
    with pytest.raises(Refused) as caught:
        await _import(settings, tmp_path / "bad.csv", content)
    assert ":1:" in caught.value.lines[0]


async def test_not_utf8_and_missing_file(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    path = tmp_path / "latin.csv"
    path.write_bytes("code,name,level,parent\nT,Tỉnh,tinh,\n".encode("cp1258", "replace") + b"\xff")
    async with open_database(settings.database.path) as db:
        with pytest.raises(Refused, match="UTF-8"):
            await admin.import_units(db, settings, path)
        with pytest.raises(Refused, match="no such file"):
            await admin.import_units(db, settings, tmp_path / "missing.csv")


async def test_excel_bom_and_blank_lines_are_fine(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    path = tmp_path / "u.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "code,name,level,parent\n\nT,Tỉnh Mẫu,tinh,\n".encode())
    async with open_database(settings.database.path) as db:
        report = await admin.import_units(db, settings, path)
    assert report.new == 1


async def test_deep_tree_any_depth(tmp_path: Path) -> None:
    levels = [{"id": f"l{i}", "label": f"Cấp {i}"} for i in range(8)]
    settings = make_settings(tmp_path, org={"levels": levels})
    rows = ["code,name,level,parent"] + [
        f"U{i},Đơn vị {i},l{i},{'U' + str(i - 1) if i else ''}" for i in range(8)
    ]
    await _import(settings, tmp_path / "deep.csv", "\n".join(rows) + "\n")
    async with open_database(settings.database.path) as db, db.read() as repos:
        leaf = await repos.units.get("U7")
        assert leaf is not None and leaf.depth == 7


async def test_the_same_unit_twice_under_one_parent_is_warned_not_refused(tmp_path: Path) -> None:
    """A ward's file naming a khu phố already there under another code ("Khu pho 1" beside
    KP-01), or twice in itself: imported, with a warning naming the unit already there."""
    settings = make_settings(tmp_path)
    await _import(settings, tmp_path / "u.csv", units_csv())
    path = tmp_path / "more.csv"
    path.write_text(
        "code,name,level,parent\nKP-11,Khu pho 1,khu_dan_cu,X-MAU\n"
        "KP-12,Khu phố 12,khu_dan_cu,X-MAU\nKP-13,khu phố 12,khu_dan_cu,X-MAU\n"
        "AP-11,Khu phố 12,khu_dan_cu,X-SONG\n",
        encoding="utf-8",
    )
    async with open_database(settings.database.path) as db:
        report = await admin.import_units(db, settings, path)
    assert report.new == 4
    lines = [w.split(": ", 2)[1] + ": " + w.split(": ", 2)[2] for w in report.warnings]
    assert len(lines) == 2, report.warnings
    assert lines[0].startswith("KP-11: cùng tên với KP-01 (Khu phố 1)") and "mã KP-01" in lines[0]
    assert lines[1].startswith("KP-13: cùng tên với KP-12 (Khu phố 12)")  # the later row is told
    # Another ward may have a Khu phố 12 of its own.
    assert not any("AP-11" in w for w in report.warnings)
