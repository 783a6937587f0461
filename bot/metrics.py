"""Counters of what the bot could not do normally, for /metrics and for tests to read."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

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
UPDATES = Counter(
    "thidua_updates_total",
    "Updates handled, by channel and by the handler that took them",
    ["channel", "handler"],
)
UPDATE_SECONDS = Histogram(
    "thidua_update_seconds",
    "Seconds from taking an update to its replies sent, by handler (form steps: 'forms')",
    ["handler"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
OUTBOX = Counter(
    "thidua_outbox_messages_total",
    "Outbox messages ended, by channel, kind (reminder, digest, broadcast) and outcome"
    " (sent, failed, unreachable)",
    ["channel", "kind", "outcome"],
)
WEBHOOK_REFUSED = Counter(
    "thidua_webhook_refused_total",
    "Webhook POSTs refused: a wrong or missing secret, a body too large",
    ["channel", "reason"],
)
