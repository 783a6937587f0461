"""Channel-neutral message types: what comes in from a person and what goes back out."""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

# Characters that show nothing but make two equal-looking texts differ: zero-width space,
# (non-)joiners, word joiner, BOM, soft hyphen, direction marks, Mongolian vowel separator.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u180e]")


def clean_text(text: str) -> str:
    """What a person meant: invisible characters removed, composed to NFC (one code per letter)."""
    return unicodedata.normalize("NFC", _INVISIBLE.sub("", text))


class InboundKind(StrEnum):
    """What kind of thing a person sent."""

    TEXT = "text"
    PHOTO = "photo"
    DOCUMENT = "document"
    UNSUPPORTED = "unsupported"  # stickers, voice, contact cards: we ask for text instead


class Inbound(BaseModel):
    """One message from a person, translated out of its platform's shape."""

    model_config = ConfigDict(frozen=True)

    channel: str
    chat_id: str
    user_id: str
    display_name: str = ""
    kind: InboundKind = InboundKind.TEXT
    text: str = ""
    # Stable key for deduplication (Telegram update_id, Zalo event_name+message_id); None = no dedupe.
    key: str | None = None
    # A group chat (Zalo's chat_type GROUP): nobody's conversation or membership lives there.
    group: bool = False
    photo_ref: str | None = None  # platform file id (Telegram) or URL (Zalo)
    photo_url: str | None = None
    document_ref: str | None = None
    document_name: str | None = None

    @field_validator("text")
    @classmethod
    def _clean(cls, text: str) -> str:
        # Every channel's text is judged only after this: "trangthai\u200b" is "trangthai".
        return clean_text(text)


class Button(BaseModel):
    """A choice shown as a button where the channel has buttons; its value is what typing it means."""

    model_config = ConfigDict(frozen=True)

    label: str
    value: str


class Outbound(BaseModel):
    """One message to a person. The text always stands alone: buttons only repeat what it says."""

    model_config = ConfigDict(frozen=True)

    text: str = ""
    buttons: list[list[Button]] = Field(default_factory=list)  # rows of buttons
    photo_url: str | None = None
    document_path: str | None = None  # a file on disk (Telegram sends it; Zalo gets link_url)
    document_name: str | None = None
    link_url: str | None = None  # signed download link for channels without documents


def numbered_buttons(labels: list[str]) -> list[list[Button]]:
    """One button per label, '1. …', one per row; pressing it types the number."""
    return [
        [Button(label=f"{index}. {label}", value=str(index))]
        for index, label in enumerate(labels, 1)
    ]


def render_plain(message: Outbound) -> str:
    """What a text-only channel shows for a message: its text, then a link or a file, a photo.

    Buttons are not drawn: the text always says what they say (numbered options).
    """
    parts = [message.text] if message.text else []
    if message.link_url:
        parts.append(message.link_url)
    elif message.document_path:
        parts.append(f"[tệp] {message.document_path}")
    if message.photo_url:
        parts.append(f"[ảnh] {message.photo_url}")
    return "\n".join(parts)
