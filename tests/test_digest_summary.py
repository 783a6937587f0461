"""A big subtree's digest is counted per group in SQL; the message must read exactly the same as
the one built from every unit (which the CLI's JSON still lists in full)."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

import pytest

from benchmarks.country import build_country, settings_for
from bot.digest.render import limit_for, render
from bot.digest.service import gather
from bot.texts import VI
from storage.db import open_database


@pytest.mark.parametrize(
    ("registered", "unit"),
    [(0.5, "VN"), (0.5, "T00"), (0.5, "T00X000"), (0.96, "VN"), (0.97, "T01"), (1.0, "VN")],
)
async def test_summary_reads_like_the_full_digest(
    tmp_path: Path, registered: float, unit: str
) -> None:
    path = tmp_path / "country.sqlite3"
    await asyncio.to_thread(
        build_country, path, provinces=3, communes=4, areas=5, registered=registered
    )
    settings = settings_for(path)
    now = datetime.fromisoformat("2023-11-27T07:30:00+07:00")
    since = datetime.fromisoformat("2023-11-19T07:30:00+07:00")
    zone = settings.schedule.zone()
    async with open_database(path) as db:
        full = await gather(db, settings, unit, now, since)
        counted = await gather(db, settings, unit, now, since, summary=True)
    for before, after in zip(full.campaigns, counted.campaigns, strict=True):
        for one, other in zip(before.forms, after.forms, strict=True):
            assert (one.expected, one.submitted, one.late, one.missing) == (
                other.expected,
                other.submitted,
                other.late,
                other.missing,
            )
            assert (one.new, one.amended, one.entries, one.new_entries) == (
                other.new,
                other.amended,
                other.entries,
                other.new_entries,
            )
            assert one.groups == other.groups
        assert before.areas == after.areas
    limit = limit_for("zalo")
    assert render(full, VI, settings.org, zone, limit=limit) == render(
        counted, VI, settings.org, zone, limit=limit
    )


async def test_a_few_missing_units_are_named_with_their_commune(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "country.sqlite3"
    await asyncio.to_thread(build_country, path, provinces=2, communes=3, areas=4, registered=1.0)
    conn = sqlite3.connect(path)
    gone = [row[0] for row in conn.execute("SELECT id FROM submissions ORDER BY id LIMIT 5")]
    conn.executemany(
        "DELETE FROM submission_versions WHERE submission_id = ?", [(i,) for i in gone]
    )
    conn.executemany("DELETE FROM submissions WHERE id = ?", [(i,) for i in gone])
    conn.commit()
    conn.close()
    settings = settings_for(path)
    now = datetime.fromisoformat("2023-11-27T07:30:00+07:00")
    zone = settings.schedule.zone()
    async with open_database(path) as db:
        full = await gather(db, settings, "VN", now, None)
        counted = await gather(db, settings, "VN", now, None, summary=True)
    form = counted.campaigns[0].forms[0]
    assert form.missing == 5 and len(form.missing_units) == 5
    shown = render(counted, VI, settings.org, zone, limit=limit_for("zalo"))
    assert shown == render(full, VI, settings.org, zone, limit=limit_for("zalo"))
    assert "Chưa đăng ký (5)" in "\n".join(shown)
