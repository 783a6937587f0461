"""The one clock: simulated time runs from [clock].start at [clock].speed."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest

from bot.clock import ManualClock, SimulatedClock, SystemClock
from bot.config import Settings


def test_simulated_clock_runs_fast() -> None:
    start = datetime.fromisoformat("2023-11-20T07:59:00+07:00")
    clock = SimulatedClock(start, speed=3600)
    time.sleep(0.05)
    elapsed = clock.now() - start
    assert timedelta(minutes=2) < elapsed < timedelta(minutes=30)


def test_config_builds_the_clock() -> None:
    sim = Settings(clock={"start": "2023-11-20T07:59:00+07:00", "speed": 60}).make_clock()
    assert isinstance(sim, SimulatedClock)
    assert sim.now().year == 2023
    naive = Settings(clock={"start": "2023-11-20T07:59:00"}).make_clock()
    assert naive.now().utcoffset() == timedelta(hours=7)  # the configured time zone
    assert isinstance(Settings().make_clock(), SystemClock)


def test_manual_clock_moves_only_when_told() -> None:
    clock = ManualClock(datetime.fromisoformat("2023-11-30T23:59:00+07:00"))
    first = clock.now()
    clock.advance(timedelta(minutes=2))
    assert clock.now() - first == timedelta(minutes=2)
    with pytest.raises(ValueError):
        ManualClock(datetime(2023, 1, 1))
