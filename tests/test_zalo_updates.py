"""Zalo update shapes in, neutral Inbound out: every documented shape and a lot of garbage."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.channels.zalo_updates import to_inbound, unwrap
from bot.messages import Inbound, InboundKind

USER = "6ede9afa66b88fe6d6a9"
MID = "2d758cb5e222177a4e35"


def _update(event: str, **content: Any) -> dict[str, Any]:
    return {
        "event_name": event,
        "message": {
            "message_id": MID,
            "date": 1750316131602,
            "from": {"id": USER, "display_name": "Nguyen Van A", "is_bot": False},
            "chat": {"id": USER, "chat_type": "PRIVATE"},
            **content,
        },
    }


TEXT = _update("message.text.received", text="Xin chào")


def _inbound(kind: InboundKind, event: str, **fields: Any) -> Inbound:
    return Inbound(
        channel="zalo",
        chat_id=USER,
        user_id=USER,
        display_name="Nguyen Van A",
        kind=kind,
        key=f"zalo:{event}:{MID}",
        **fields,
    )


IMAGE = "message.image.received"
URL = "https://photo.zdn.vn/abc.jpg"

CASES: list[tuple[str, dict[str, Any], Inbound | None]] = [
    ("text", TEXT, _inbound(InboundKind.TEXT, "message.text.received", text="Xin chào")),
    (
        "image with photo_url and caption",
        _update(IMAGE, photo_url=URL, caption="Công trình xong"),
        _inbound(InboundKind.PHOTO, IMAGE, text="Công trình xong", photo_ref=URL, photo_url=URL),
    ),
    (
        "image with photo (the documented name)",
        _update(IMAGE, photo=URL),
        _inbound(InboundKind.PHOTO, IMAGE, photo_ref=URL, photo_url=URL),
    ),
    (
        "image with no link at all",
        _update(IMAGE),
        _inbound(InboundKind.UNSUPPORTED, IMAGE),
    ),
    (
        "sticker",
        _update("message.sticker.received", sticker="abc", url="https://x/s.png"),
        _inbound(InboundKind.UNSUPPORTED, "message.sticker.received"),
    ),
    (
        "voice",
        _update("message.voice.received", voice_url="https://x/v.aac"),
        _inbound(InboundKind.UNSUPPORTED, "message.voice.received"),
    ),
    (
        "unsupported with message",
        _update("message.unsupported.received"),
        _inbound(InboundKind.UNSUPPORTED, "message.unsupported.received"),
    ),
    ("unsupported without message", {"event_name": "message.unsupported.received"}, None),
    (
        "unknown event",
        _update("message.reaction.received", text="hi"),
        _inbound(InboundKind.UNSUPPORTED, "message.reaction.received"),
    ),
    ("no chat id", {"event_name": "message.text.received", "message": {"text": "x"}}, None),
    ("message not an object", {"event_name": "message.text.received", "message": "x"}, None),
    ("empty", {}, None),
]


@pytest.mark.parametrize(("update", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_to_inbound(update: dict[str, Any], expected: Inbound | None) -> None:
    assert to_inbound(update) == expected


def test_int_ids_become_strings_and_missing_parts_have_defaults() -> None:
    update = {
        "event_name": "message.text.received",
        "message": {"message_id": 42, "chat": {"id": 1234}, "from": {"id": 1234}, "text": "hi"},
    }
    assert to_inbound(update) == Inbound(
        channel="zalo",
        chat_id="1234",
        user_id="1234",
        text="hi",
        key="zalo:message.text.received:42",
    )


def test_no_message_id_means_no_key_and_no_sender_means_the_chat() -> None:
    inbound = to_inbound({"event_name": "message.text.received", "message": {"chat": {"id": "c"}}})
    assert inbound is not None
    assert (inbound.key, inbound.user_id, inbound.text) == (None, "c", "")


@pytest.mark.parametrize(
    ("payload", "count"),
    [
        ({"ok": True, "result": TEXT}, 1),
        (TEXT, 1),
        ([TEXT, {"ok": True, "result": TEXT}], 2),
        ({"ok": True, "result": [TEXT, TEXT]}, 2),
        ({"event_name": "message.unsupported.received"}, 1),
        ({"ok": False, "error_code": 408, "description": "Request timeout"}, 0),
        ({"ok": True, "result": None}, 0),
        ({"ok": True}, 0),
        (None, 0),
        ({}, 0),
        ([], 0),
        ("", 0),
        (b"", 0),
        ('{"ok": true, "result": {"event_name": "x", "message": {}}}', 1),
        ("not json", 0),
        (42, 0),
        ([1, "a", None, [TEXT]], 1),
        ({"ok": True, "result": {"ok": True, "result": {"ok": True, "result": [[[[[TEXT]]]]]}}}, 0),
    ],
)
def test_unwrap_shapes(payload: Any, count: int) -> None:
    updates = unwrap(payload)
    assert len(updates) == count
    assert all(isinstance(update, dict) for update in updates)


def test_wrapped_and_flat_webhook_bodies_give_the_same_inbound() -> None:
    wrapped = [to_inbound(u) for u in unwrap({"ok": True, "result": TEXT})]
    flat = [to_inbound(u) for u in unwrap(TEXT)]
    assert wrapped == flat == [to_inbound(TEXT)]


_KEYS = ["event_name", "message", "chat", "from", "id", "message_id", "text", "photo", "ok"]
_KEYS += ["photo_url", "caption", "result", "display_name"]
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(_KEYS),
            inner,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(payload=_json)
def test_garbage_never_raises(payload: Any) -> None:
    for update in unwrap(payload):
        result = to_inbound(update)
        assert result is None or result.chat_id
    garbage: Any = payload
    to_inbound(garbage)


@pytest.mark.parametrize(
    ("chat", "sender", "group"),
    [
        ({"id": "c1", "chat_type": "PRIVATE"}, {"id": "c1"}, False),
        ({"id": "c1", "chat_type": "private"}, {"id": "c1"}, False),
        ({"id": "c1"}, {"id": "c1"}, False),
        ({"id": "c1"}, None, False),
        ({"id": "g1", "chat_type": "GROUP"}, {"id": "u1"}, True),
        ({"id": "g1", "chat_type": "group"}, {"id": "g1"}, True),
        ({"id": "g1", "chat_type": "COMMUNITY"}, {"id": "u1"}, True),
        # A sender other than the chat is never one person's private chat, whatever it says.
        ({"id": "g1", "chat_type": "PRIVATE"}, {"id": "u1"}, True),
        ({"id": 1234}, {"id": 99}, True),
    ],
)
def test_group_chats_are_marked(chat: dict[str, Any], sender: Any, group: bool) -> None:
    message: dict[str, Any] = {"message_id": "m", "chat": chat, "text": "trangthai"}
    if sender is not None:
        message["from"] = sender
    inbound = to_inbound({"event_name": "message.text.received", "message": message})
    assert inbound is not None and inbound.group is group
