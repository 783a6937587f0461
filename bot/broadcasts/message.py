"""The message a broadcast's recipients read: the admin's text, checked, under one line saying
which body of the Front it comes from."""

from __future__ import annotations

import unicodedata

from bot.broadcasts.model import BroadcastRefused, Reason
from bot.config import OrgConfig
from bot.messages import Outbound
from storage.models import Unit
from storage.reads import UnitRow

# One Telegram message (4,096 UTF-16 units) with room for the header line: 10,000 copies of
# a text are written in one transaction, and a text that splits reads badly as an announcement.
MAX_TEXT = 4000


def clean(text: str) -> str:
    """The text as stored and sent: NFC, line ends as \\n, trimmed; BroadcastRefused when it is
    empty, holds a control character other than a newline, or is too long."""
    value = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if not value:
        raise BroadcastRefused(
            Reason.TEXT, "", "nội dung thông báo đang trống", "the announcement's text is empty"
        )
    for position, char in enumerate(value, start=1):
        # Cs: a lone surrogate (bytes that were not UTF-8 on the command line) cannot be stored.
        if char != "\n" and unicodedata.category(char) in ("Cc", "Cs"):
            code = f"U+{ord(char):04X}"
            raise BroadcastRefused(
                Reason.TEXT,
                code,
                f"nội dung có ký tự điều khiển {code} ở vị trí {position}",
                f"the text holds the control character {code} at position {position}",
            )
    units = len(value.encode("utf-16-le")) // 2
    if units > MAX_TEXT:
        raise BroadcastRefused(
            Reason.TEXT,
            str(units),
            f"nội dung dài {units} ký tự, tối đa {MAX_TEXT}",
            f"the text is {units} characters long; at most {MAX_TEXT}",
        )
    return value


def header(org: OrgConfig, unit: Unit | UnitRow) -> str:
    """'Thông báo của Ủy ban MTTQ Việt Nam Phường Mẫu:' — the body at the unit's level."""
    return f"Thông báo của {org.body(unit.level)} {unit.name}:"


def compose(
    org: OrgConfig, unit: Unit | UnitRow, text: str, photo_ref: str | None = None
) -> Outbound:
    """The message every recipient gets (`text` already cleaned)."""
    return Outbound(text=f"{header(org, unit)}\n{text}", photo_url=photo_ref)
