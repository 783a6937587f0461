"""The one normal form every parser reads: folded, NFKC, without trailing sentence marks."""

from __future__ import annotations

import re
import unicodedata

from bot.words import fold

# Answers to number, money, date and yes/no questions are short; anything longer is prose, and
# refusing it early keeps every regular expression's work small.
MAX_SHORT_ANSWER = 200

# A sentence may end with these; "12." and "Có!" mean "12" and "Có".
_TRAILING = ".!?… "


def normalise(text: str) -> str:
    """Fold `text` after NFKC (full-width digits become ASCII) and drop trailing sentence marks."""
    return fold(unicodedata.normalize("NFKC", text)).rstrip(_TRAILING)


def short_answer(text: str) -> str | None:
    """Return the normal form of a short answer, or None when empty or too long to be one."""
    if len(text) > MAX_SHORT_ANSWER and len(text.strip()) > MAX_SHORT_ANSWER:
        return None
    return normalise(text) or None


# Marks between the words of a short reply ("Dạ, có!"), and the skin-tone modifiers of 👍.
_MARKS = re.compile(r"[.,;:!?~\-\u2026\U0001f3fb-\U0001f3ff]+")


def reply_phrase(text: str) -> str | None:
    """The folded words of a short reply with marks dropped ("Có, ạ!" → "co a"), or None."""
    answer = short_answer(text)
    return None if answer is None else " ".join(_MARKS.sub(" ", answer).split()) or None
