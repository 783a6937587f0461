"""Counters of what the bot could not do normally, for /metrics and for tests to read."""

from __future__ import annotations

from prometheus_client import Counter

UNPARSEABLE = Counter(
    "thidua_updates_unparseable_total",
    "Updates skipped because the platform library could not read them",
    ["channel"],
)
DROPPED = Counter(
    "thidua_updates_dropped_total",
    "Messages dropped because their chat sent more than its queue holds",
    ["channel"],
)
INBOX_PRUNED = Counter(
    "thidua_inbox_pruned_total",
    "Seen-update keys removed after the redelivery window",
)
