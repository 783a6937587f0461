"""Reminders and digests on the real country's communes (≈100,000 units), timed.

    .venv/bin/python benchmarks/scale.py [--provinces 34] [--areas 30] [--synthetic --communes 100]

The tree is the official 2025 list (34 provinces, 3,321 communes) with `--areas` invented
residential areas below each commune; `--synthetic` makes up provinces and communes instead.

Targets (issue 12): one reminder tick ≤ 200 ms, a commune digest ≤ 50 ms, a province digest
≤ 2 s, the national one ≤ 10 s. The baseline in the same run is a plain `SELECT count(*)` over
the residential areas of the country, so the ratios show what the work costs beyond one scan.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.country import build_country, country_tree, settings_for
from bot.config import Settings
from bot.digest import digest_for
from bot.scheduling import tick_reminders
from storage.db import Database, open_database


async def timed(run: Callable[[], Awaitable[object]], times: int = 3) -> float:
    """Best wall time of `times` runs, in seconds."""
    best = float("inf")
    for _ in range(times):
        started = time.perf_counter()
        await run()
        best = min(best, time.perf_counter() - started)
    return best


async def measure(path: Path, sample: tuple[str, str]) -> dict[str, float]:
    """Every figure, on the database at `path` (`sample`: a province and one of its communes)."""
    settings = settings_for(path)
    figures: dict[str, float] = {}

    def baseline() -> None:
        conn = sqlite3.connect(path)
        conn.execute("SELECT count(*) FROM units WHERE level = 'khu_dan_cu'").fetchone()
        conn.close()

    started = time.perf_counter()
    baseline()
    figures["baseline count(*)"] = time.perf_counter() - started
    async with open_database(path) as db:
        first_at = datetime.fromisoformat("2023-11-27T08:05:00+07:00")
        started = time.perf_counter()
        queued = await tick_reminders(db, settings, first_at)
        figures[f"first reminder tick ({queued} queued)"] = time.perf_counter() - started
        steady_at = datetime.fromisoformat("2023-11-27T09:05:00+07:00")
        figures["steady reminder tick (all sent)"] = await timed(
            lambda: tick_reminders(db, settings, steady_at)
        )
        figures.update(await digest_figures(db, settings, sample))
    return figures


async def digest_figures(
    db: Database, settings: Settings, sample: tuple[str, str]
) -> dict[str, float]:
    """A commune, a province and the national digest, read and rendered (best of 3)."""
    now = datetime.fromisoformat("2023-11-27T07:30:00+07:00")
    figures: dict[str, float] = {}
    province, commune = sample
    for name, code in (("commune", commune), ("province", province), ("national", "VN")):
        figures[f"{name} digest"] = await timed(partial(digest_for, db, settings, code, now, None))
    return figures


def main() -> None:
    """Build the country, run every measure, print the figures and their targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--provinces", type=int, default=34)
    parser.add_argument("--communes", type=int, default=100, help="with --synthetic")
    parser.add_argument("--areas", type=int, default=30)
    parser.add_argument("--synthetic", action="store_true", help="made-up provinces and communes")
    args = parser.parse_args()
    official = not args.synthetic
    tree = country_tree(args.provinces, args.communes, official=official)
    # The biggest province (Hồ Chí Minh, 168 communes, in the official list) and its first commune.
    code, _, communes = max(tree, key=lambda province: len(province[2]))
    sample = (code, communes[0][0])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "country.sqlite3"
        started = time.perf_counter()
        counts = build_country(
            path,
            provinces=args.provinces,
            communes=args.communes,
            areas=args.areas,
            official=official,
        )
        print(f"built {counts} in {time.perf_counter() - started:.1f} s")
        figures = asyncio.run(measure(path, sample))
    base = figures["baseline count(*)"]
    for name, seconds in figures.items():
        print(f"{name:45} {seconds * 1000:9.1f} ms   ×{seconds / base:8.1f} of the baseline")


if __name__ == "__main__":
    main()
