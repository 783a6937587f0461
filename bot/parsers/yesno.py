"""Yes and no, in the many ways Vietnamese chat spells them."""

from __future__ import annotations

from bot.parsers._text import reply_phrase
from bot.parsers.politeness import politely

# Folded phrases, read after the particles around them are dropped ("dạ có ạ" → "co").
YES_WORDS = frozenset(
    {
        "co", "c", "1", "yes", "y", "u", "uh", "um", "uhm", "uk", "ukm", "dung", "dung roi",
        "dung vay", "roi", "co roi", "co chu", "da", "vang", "da vang", "vang da", "da co",
        "duoc", "duoc roi", "dong y", "ok", "oke", "okay", "oki", "okie", "chinh xac",
        "\U0001f44d",
    }
)  # fmt: skip
NO_WORDS = frozenset(
    {
        "khong", "k", "ko", "kg", "kh", "khg", "hong", "hok", "hk", "khum", "0", "no", "n",
        "chua", "chua co", "khong co", "ko co", "k co", "hong co", "khong phai", "khong dung",
        "sai", "sai roi", "thoi", "thoi khong", "thoi khoi", "khoi", "khong can", "ko can",
        "k can", "khong dau", "khong dong y", "khong muon", "\U0001f44e",
    }
)  # fmt: skip


def parse_yesno(text: str) -> bool | None:
    """Read có/không and their spellings (co, c, ừ, ok, đúng, vâng, dạ / khong, k, ko, chưa,
    thôi, không cần), with particles ("dạ không", "có ạ"); None when neither."""
    return politely(_yesno, text)


def _yesno(text: str) -> bool | None:
    phrase = reply_phrase(text)
    if phrase in YES_WORDS:
        return True
    if phrase in NO_WORDS:
        return False
    return None


def render_yesno(b: bool) -> str:
    """Write Có or Không."""
    return "Có" if b else "Không"
