"""The national Excel export: 100,000 works in ≤ 30 s and ≤ 300 MB, and the bot stays quick.

    .venv/bin/python benchmarks/export.py [--provinces 34] [--people 50]

A country of ≈102,000 residential areas, each with one work registered with every answer. Two
parts, each against a baseline measured in the same run:
1. The Excel export of the whole country (the campaign's scope), in a fresh process so its peak
   memory is its own; the baseline is the same process only reading the rows (one SELECT,
   every answer decoded), which no export can beat.
2. 50 people filling the long form on the fake Telegram server, alone ("quiet") and while the
   national export runs on the same database as `xuat` runs it, in a child process ("busy"):
   the form's p99 and the longest stall of the event loop. Target: busy p99 < 150 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.country import CAMPAIGN, build_country, settings_for
from benchmarks.stall import NOW, Background, enrol_people, quiet_and_busy
from bot.config import Settings
from bot.exports.files import write_export
from storage.db import Database, open_database


def _peak_mb() -> float:
    """This process's own peak resident memory (VmHWM; ru_maxrss of a child starts at its
    parent's peak on Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def _child_export(path: Path, out: Path) -> dict[str, float]:
    settings = settings_for(path)
    async with open_database(path) as db:
        before = _peak_mb()
        started = time.perf_counter()
        written = await write_export(
            db, settings, campaign=CAMPAIGN, form="dang-ky", unit_code=None, fmt="xlsx",
            target=out, now=NOW,
        )  # fmt: skip
        took = time.perf_counter() - started
    return {"seconds": took, "peak_mb": _peak_mb(), "start_mb": before, "rows": written.rows,
            "size_mb": out.stat().st_size / 2**20}  # noqa: ASYNC240  # fmt: skip


def _child_read(path: Path) -> dict[str, float]:
    import sqlite3

    before = _peak_mb()
    started = time.perf_counter()
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    rows = [
        (code, json.loads(answers))
        for code, answers in conn.execute(
            "SELECT s.unit_code, v.answers FROM submissions AS s JOIN submission_versions AS v"
            " ON v.submission_id = s.id AND v.version = s.current_version"
        )
    ]
    took = time.perf_counter() - started
    conn.close()
    return {"seconds": took, "peak_mb": _peak_mb(), "start_mb": before, "rows": len(rows)}


def child(mode: str, path: Path, out: Path) -> None:
    """Run one measured part in this (fresh) process and print its figures as JSON."""
    logging.getLogger("thidua").setLevel(logging.WARNING)
    figures = asyncio.run(_child_export(path, out)) if mode == "export" else _child_read(path)
    print(json.dumps(figures))


def measure(mode: str, path: Path, out: Path) -> dict[str, float]:
    """Run `child` in a fresh interpreter and return its figures."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(path), str(out)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def national_export(out: Path) -> Background:
    """The busy run's background: the national Excel export, as `xuat` would run it."""

    def work(db: Database, settings: Settings) -> list[Awaitable[object]]:
        return [
            write_export(
                db, settings, campaign=CAMPAIGN, form="dang-ky", unit_code=None, fmt="xlsx",
                target=out, now=NOW, in_process=True,
            )
        ]  # fmt: skip

    return work


async def responsiveness(source: Path, folder: Path, people: int, rounds: int) -> None:
    """Part 2: the form's latencies alone and beside the national export."""

    async def busy(path: Path, number: int) -> Background:
        return national_export(folder / f"busy-{number}.xlsx")

    await quiet_and_busy(source, folder, people, rounds, busy, "export")


def main() -> None:
    """Build the country, measure both parts, print the figures and their ratios."""
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--provinces", type=int, default=34)
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    logging.getLogger("thidua").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        source = folder / "country.sqlite3"
        started = time.perf_counter()
        counts = build_country(source, provinces=args.provinces, registered=1.0, full=True)
        enrol_people(source, args.people)
        print(f"country: {counts['registered']:,} works in {counts['units']:,} units"
              f" (built in {time.perf_counter() - started:.0f} s)")  # fmt: skip

        read = measure("read", source, folder / "unused")
        export = measure("export", source, folder / "national.xlsx")
        print("1. national Excel export")
        print(f"  baseline, reading the rows: {read['seconds']:.1f} s,"
              f" peak {read['peak_mb']:.0f} MB (interpreter {read['start_mb']:.0f} MB)")  # fmt: skip
        print(f"  export of {export['rows']:,.0f} works: {export['seconds']:.1f} s"
              f" ({export['seconds'] / read['seconds']:.1f}× the read; target ≤ 30 s),"
              f" peak {export['peak_mb']:.0f} MB ({export['peak_mb'] / read['peak_mb']:.2f}×"
              f" the read; target ≤ 300 MB), file {export['size_mb']:.1f} MB")  # fmt: skip
        print(f"2. {args.people} people filling the form")
        asyncio.run(responsiveness(source, folder, args.people, args.rounds))


if __name__ == "__main__":
    main()
