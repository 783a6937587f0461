"""How times are written to and read from the database."""

from __future__ import annotations

from datetime import UTC, datetime


def ts(moment: datetime) -> str:
    """Format a time for the database: UTC, fixed width, so text order is time order."""
    if moment.tzinfo is None:
        raise ValueError("naive datetimes are not stored")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_ts(text: str) -> datetime:
    """Read a time written by `ts`."""
    return datetime.fromisoformat(text)  # Python 3.11 reads the trailing Z as UTC


def parse_ts_or_none(text: str | None) -> datetime | None:
    """Read a time written by `ts`, or None for a time never set (NULL)."""
    return parse_ts(text) if text else None
