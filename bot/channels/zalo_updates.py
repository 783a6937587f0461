"""Translate Zalo updates (getUpdates results and webhook bodies) into our neutral Inbound."""

from __future__ import annotations

import json
from typing import Any

from bot.messages import Inbound, InboundKind

CHANNEL = "zalo"
TEXT_EVENT = "message.text.received"
IMAGE_EVENT = "message.image.received"

_MAX_DEPTH = 4  # envelope -> list -> update is 3 levels; deeper nesting is garbage


def unwrap(payload: Any) -> list[dict[str, Any]]:
    """The updates in a getUpdates result or webhook body, whatever its shape; garbage gives []."""
    if isinstance(payload, str | bytes | bytearray):
        try:
            payload = json.loads(payload)
        except ValueError:
            return []
    return _unwrap(payload, 0)


def _unwrap(payload: Any, depth: int) -> list[dict[str, Any]]:
    if depth > _MAX_DEPTH:
        return []
    if isinstance(payload, list):
        return [update for item in payload for update in _unwrap(item, depth + 1)]
    if not isinstance(payload, dict):
        return []
    if "event_name" in payload or "message" in payload:
        return [payload]
    if "result" in payload and payload.get("ok") is not False:
        return _unwrap(payload["result"], depth + 1)
    return []


def to_inbound(update: dict[str, Any]) -> Inbound | None:
    """Our Inbound for one Zalo update, or None when there is nobody to answer; never raises."""
    if not isinstance(update, dict):
        return None
    message = update.get("message")
    if not isinstance(message, dict):
        return None
    chat_id = _id(_field(message.get("chat"), "id"))
    if not chat_id:
        return None
    sender = message.get("from")
    event = update.get("event_name")
    event = event if isinstance(event, str) else ""
    message_id = _id(message.get("message_id"))
    # In private chats from.id equals chat.id, so a missing sender is the chat itself.
    user_id = _id(_field(sender, "id")) or chat_id
    common: dict[str, Any] = {
        "channel": CHANNEL,
        "chat_id": chat_id,
        "user_id": user_id,
        "group": is_group(message.get("chat"), user_id),
        "display_name": _text(_field(sender, "display_name")),
        "key": f"{CHANNEL}:{event}:{message_id}" if message_id else None,
    }
    if event == TEXT_EVENT:
        return Inbound(**common, kind=InboundKind.TEXT, text=_text(message.get("text")))
    if event == IMAGE_EVENT:
        url = _photo_url(message)
        if url:
            return Inbound(
                **common,
                kind=InboundKind.PHOTO,
                text=_text(message.get("caption")),
                photo_ref=url,
                photo_url=url,
            )
    return Inbound(**common, kind=InboundKind.UNSUPPORTED)


def is_group(chat: Any, user_id: str) -> bool:
    """True unless the chat is plainly one person's: PRIVATE (or unsaid) and the sender's own id.

    A group's messages share one chat id among many senders; treating them as private would let
    one unit's person continue another's conversation, so anything doubtful counts as a group.
    """
    kind = _field(chat, "chat_type")
    if isinstance(kind, str) and kind.strip() and kind.strip().upper() != "PRIVATE":
        return True
    return _id(_field(chat, "id")) != user_id


def _field(value: Any, name: str) -> Any:
    return value.get(name) if isinstance(value, dict) else None


def _id(value: Any) -> str:
    """Ids are documented as strings but may arrive as numbers; anything else counts as absent."""
    if isinstance(value, bool):
        return ""
    if isinstance(value, int | str):
        return str(value).strip()
    return ""


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _photo_url(message: dict[str, Any]) -> str | None:
    """The image link: real traffic has `photo_url`, the docs say `photo` (maybe an object)."""
    for candidate in (message.get("photo_url"), message.get("photo")):
        if isinstance(candidate, list) and candidate:
            candidate = candidate[-1]  # Telegram-style sizes list: the largest comes last
        if isinstance(candidate, dict):
            candidate = candidate.get("url") or candidate.get("photo_url")
        if isinstance(candidate, str) and candidate.strip():
            return candidate.strip()
    return None
