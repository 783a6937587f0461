"""Yes and no, in the many ways Vietnamese chat spells them."""

from __future__ import annotations

import re

from bot.parsers._text import short_answer

# Folded answers, after politeness particles are dropped ("dạ có ạ" → "co").
_YES = frozenset(
    {
        "co", "c", "1", "yes", "y", "u", "uh", "um", "uhm", "dung", "dung roi", "dung vay",
        "roi", "co roi", "da", "vang", "duoc", "dong y", "ok", "oke", "okay", "oki", "\U0001f44d",
    }
)  # fmt: skip
_NO = frozenset(
    {
        "khong", "k", "ko", "kg", "kh", "khg", "hong", "hok", "hk", "0", "no", "n", "chua",
        "chua co", "khong co", "khong phai", "khong dung", "sai", "\U0001f44e",
    }
)  # fmt: skip
_LEADING_PARTICLES = frozenset({"da", "vang", "thua"})
_TRAILING_PARTICLES = frozenset({"a", "ah", "nhe", "nha", "nhi"})
# Commas and other marks between words, and the skin-tone modifiers of 👍.
_MARKS = re.compile(r"[.,;:!?~\-\u2026\U0001f3fb-\U0001f3ff]+")


def parse_yesno(text: str) -> bool | None:
    """Read có/không and their spellings (co, c, 1, ừ, đúng, rồi / khong, k, ko, 0, chưa)."""
    answer = short_answer(text)
    if answer is None:
        return None
    words = _MARKS.sub(" ", answer).split()
    while len(words) > 1 and words[-1] in _TRAILING_PARTICLES:
        words.pop()
    if len(words) > 1 and words[0] in _LEADING_PARTICLES:
        words = words[1:]
    phrase = " ".join(words)
    if phrase in _YES:
        return True
    if phrase in _NO:
        return False
    return None


def render_yesno(b: bool) -> str:
    """Write Có or Không."""
    return "Có" if b else "Không"
