"""Replies that steer a form rather than answer it: skip an optional question, confirm a summary.

Which question a reply may skip is the form's decision: "không" skips an optional photo, but at
a yes/no question it is the answer no.
"""

from __future__ import annotations

from itertools import product

from bot.parsers._text import reply_phrase
from bot.parsers.politeness import politely

# "không biết", "ko rõ", "chưa có ảnh": a negation, then what is missing (or nothing).
_NEGATIONS = ("khong", "ko", "k", "kg", "kh", "khg", "hong", "hok", "chua")
_MISSING = (
    "", "biet", "bit", "bt", "ro", "nho", "co", "co gi", "co anh", "co hinh", "co hinh anh",
    "co anh nao", "co thong tin", "co so lieu", "co du lieu", "co so", "can", "tra loi",
    "biet ro", "ro lam",
)  # fmt: skip
SKIP_WORDS = frozenset(
    {
        " ".join(f"{negation} {missing}".split())
        for negation, missing in product(_NEGATIONS, _MISSING)
    }
    | {"kb", "kbt", "bo qua", "boqua", "bo", "skip", "de trong", "bo trong"}
)
CONFIRM_WORDS = frozenset(
    {
        "ok", "oke", "okay", "oki", "okie", "oce", "dong y", "dung", "dung roi", "dung vay",
        "dung het", "dung het roi", "chinh xac", "chinh xac roi", "chuan", "chuan roi", "gui",
        "gui di", "gui luon", "ok gui", "ok gui di", "nop", "nop di", "xac nhan", "duoc",
        "duoc roi", "on roi", "xong", "xong roi", "\U0001f44d",
    }
)  # fmt: skip


def is_skip(text: str) -> bool:
    """Whether the reply asks to leave the question empty: "không biết", "khong co", "chưa có
    ảnh", "bỏ qua", "boqua", "không", "ko rõ ạ"; particles around it are allowed."""
    return politely(_skip, text) is True


def is_confirmation(text: str) -> bool:
    """Whether the reply confirms a summary: "ok", "oke", "đồng ý", "đúng rồi", "chính xác",
    "gửi đi", "xác nhận", "được rồi"; particles around it are allowed ("dạ đúng rồi ạ")."""
    return politely(_confirmation, text) is True


def _skip(text: str) -> bool | None:
    return True if reply_phrase(text) in SKIP_WORDS else None


def _confirmation(text: str) -> bool | None:
    return True if reply_phrase(text) in CONFIRM_WORDS else None
