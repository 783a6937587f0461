"""Admin broadcasts (issue 14): the audience, the preview, the queue, status and cancel.

`audience` resolves who gets one (SQL in storage/broadcast_reads.py), `timing` when it starts,
`message` what they read, `service` the entry points for the command line and the chat.
This package is where the command line, the chat and the tests import them from.
"""

from bot.broadcasts.audience import parse_missing, recipients, select, within
from bot.broadcasts.model import (
    Audience,
    BroadcastRefused,
    Preview,
    Queued,
    Reason,
    Selection,
    State,
    Status,
)
from bot.broadcasts.service import (
    cancel,
    get,
    not_reached,
    preview,
    queue,
    seconds_for,
    status,
    status_in,
)
from bot.broadcasts.timing import parse_at, start_time
from storage.broadcast_reads import NotReached, Recipient

__all__ = [
    "Audience",
    "BroadcastRefused",
    "NotReached",
    "Preview",
    "Queued",
    "Reason",
    "Recipient",
    "Selection",
    "State",
    "Status",
    "cancel",
    "get",
    "not_reached",
    "parse_at",
    "parse_missing",
    "preview",
    "queue",
    "recipients",
    "seconds_for",
    "select",
    "start_time",
    "status",
    "status_in",
    "within",
]
