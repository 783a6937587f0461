"""Politeness around an answer: "dạ", "vâng", "thưa" before it, "ạ", "nhé" after it.

A neighbourhood head answers "Dạ, 5 triệu ạ.", "da co a", "vâng ạ" or "con xin trả lời là 3".
Every parser reads the answer as typed first and only when that fails reads it again without
these words (`politely`), so an option named "Tổ A" or a yes/no "dạ" keeps its meaning. Only the
two ends are touched: a particle inside an answer is part of it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from itertools import pairwise, product
from typing import TypeVar

from bot.words import fold

T = TypeVar("T")

# Words are what lies between blanks and sentence marks: "Dạ,có ạ." is "Dạ", "có", "ạ". Marks
# are not words, so dropping an edge word drops the marks next to it; "-" and "/" stay inside
# words ("-5", "30/11").
_WORD = re.compile(r"[^\s.,;:!?…~]+")
# People do not wrap an answer in more particles than this; the cap keeps the work linear.
_MAX_DROPPED = 12
# Emoji and their modifiers (🙏, 👍🏻, ❤️): politeness, not content, when beside an answer.
_EMOJI_CATEGORIES = frozenset({"So", "Sk", "Cf", "Mn", "Me"})

# Who answers, and how they open: "con xin trả lời là", "em báo cáo", "tôi chọn".
_PRONOUNS = ("", "con", "em", "tôi", "tui", "cháu", "mình")
_OPENING_VERBS = ("trả lời", "báo cáo", "thưa", "chọn", "câu trả lời")
# Address after "thưa": "thưa anh/chị". Not "cô": "thưa có" must stay a yes.
_ADDRESSES = ("anh", "chị", "anh chị", "anh/chị")


@dataclass(frozen=True)
class _Vocabulary:
    """The particles of one reading, as keys made by `key`."""

    key: Callable[[str], str]
    # Meaningless wherever they stand at an edge: "thưa", "ạ", "nhé".
    leading: frozenset[tuple[str, ...]]
    trailing: frozenset[str]
    # Meaningful alone, dropped only before or after something that is not a particle:
    # "dạ" is a yes, "dạ thưa 2" is 2; "thôi" is a no, "5 triệu thôi" is 5 triệu.
    yes_leading: frozenset[str]
    only_trailing: frozenset[str]
    emoji: bool
    # In prose "dạ"/"vâng" go only before a mark or another particle ("Dạ, hội…" not "Dạ hội").
    yes_needs_mark: bool

    def is_particle(self, key: str) -> bool:
        """Whether a word is any kind of particle, so no content."""
        return (
            key in self.trailing
            or key in self.yes_leading
            or key in self.only_trailing
            or (key,) in self.leading
            or (self.emoji and _is_emoji(key))
        )


def _openings() -> set[tuple[str, ...]]:
    """Every "[con] [xin] trả lời [là]"-style opening, and "thưa anh/chị", as word tuples."""
    phrases: set[tuple[str, ...]] = {("thưa",), ("kính", "thưa"), ("xin", "thưa")}
    for pronoun, polite, verb, is_ in product(_PRONOUNS, ("", "xin"), _OPENING_VERBS, ("", "là")):
        phrases.add(tuple(f"{pronoun} {polite} {verb} {is_}".split()))
    for address in _ADDRESSES:
        phrases.add(("thưa", *address.split()))
    return phrases


def _exact(word: str) -> str:
    """A word as spelled, only lower-cased: "Ạ" is "ạ", "A" stays "a" but never "ạ"."""
    composed = unicodedata.normalize("NFC", word)
    return "".join(ch for ch in composed if unicodedata.category(ch) != "Cf").lower()


def _is_emoji(word: str) -> bool:
    return all(unicodedata.category(ch) in _EMOJI_CATEGORIES for ch in word)


_OPENINGS = _openings()
# In prose "Báo cáo kết quả…" or "Chọn lọc giống…" may be the answer itself; an opening there
# needs a speaker, "xin" or a closing "là": "con trả lời", "xin báo cáo", "trả lời là".
_PROSE_OPENINGS = frozenset(
    phrase
    for phrase in _OPENINGS
    if phrase[0] in _PRONOUNS or phrase[0] in ("thưa", "kính", "xin") or phrase[-1] == "là"
)
_SURE_TRAILING = frozenset(
    {"ạ", "à", "ạh", "ah", "ạk", "ak", "nhé", "nhá", "nhen", "nghen", "nhỉ", "nè"}
)

# What every parser strips: folded, so "da co a" reads as "dạ có ạ". "a", "nha", "do" are also
# words ("Tổ A", "nhà", "đỏ"); a parser only strips them after the answer as typed failed.
_LOOSE = _Vocabulary(
    key=fold,
    leading=frozenset(tuple(fold(w) for w in phrase) for phrase in _OPENINGS),
    trailing=frozenset(
        {"a", "ah", "ak", "nhe", "nha", "nhen", "nghen", "nhi", "ne", "do", "day", "di", "ha"}
    ),
    yes_leading=frozenset({"da", "vang"}),
    only_trailing=frozenset({"thoi"}),
    emoji=True,
    yes_needs_mark=False,
)
# For free text: only spellings that cannot be anything but a particle, diacritics and all, so
# "Khu phố A", "Sửa nhà" and "Đã hoàn thành" ("da hoan thanh") keep every word.
_FREE_TEXT = _Vocabulary(
    key=_exact,
    leading=_PROSE_OPENINGS,
    trailing=_SURE_TRAILING,
    yes_leading=frozenset({"dạ", "vâng"}),
    only_trailing=frozenset(),
    emoji=False,
    yes_needs_mark=True,
)
_LONGEST_OPENING = max(len(phrase) for phrase in _OPENINGS)


def strip_politeness(text: str, *, free_text: bool = False) -> str:
    """Drop particles at both ends ("Dạ, 5 triệu ạ." → "5 triệu"), keeping at least one word.

    The rest is returned as typed (case, diacritics, inner spacing). `free_text=True` drops only
    spellings that cannot be words of an answer ("ạ", "nhé", "thưa anh/chị", and "dạ", "vâng"
    before a comma), for answers in prose. Returns `text` itself when nothing is dropped.
    """
    steps = list(_steps(text, _FREE_TEXT if free_text else _LOOSE))
    return steps[-1] if steps else text


def politely(
    read: Callable[[str], T | None], text: str, *, keep: AbstractSet[str] = frozenset()
) -> T | None:
    """`read` the answer as typed; if that fails, again after each particle dropped, the fewest
    first, so "khu a ạ" is read as "khu a" before it could become "khu".

    Words in `keep` (folded) are answers here, never particles: an option named "A".
    """
    value = read(text)
    if value is not None:
        return value
    for shorter in _steps(text, _LOOSE, keep):
        value = read(shorter)
        if value is not None:
            return value
    return None


def _steps(text: str, words: _Vocabulary, keep: AbstractSet[str] = frozenset()) -> Iterator[str]:
    """The text, as typed, after each particle dropped at either end, in order."""
    spans = [match.span() for match in _WORD.finditer(text)]
    # A kept word gets a key no particle has, so it counts as content wherever it stands.
    keys = [words.key(text[start:end]) for start, end in spans]
    keys = [f"\x00{key}" if key in keep else key for key in keys]
    # Whether a mark follows a word: "Dạ, hội" opens politely; "Dạ hội" is a gala.
    marked = [bool(text[end:next_start].strip()) for (_, end), (next_start, _) in pairwise(spans)]
    low, high = 0, len(keys)
    for _ in range(_MAX_DROPPED):
        dropped = _drop_one(keys, marked, low, high, words)
        if dropped is None:
            return
        low, high = dropped
        start = spans[low][0] if low else 0
        end = spans[high - 1][1] if high < len(keys) else len(text)
        yield text[start:end]


def _drop_one(
    keys: list[str], marked: list[bool], low: int, high: int, words: _Vocabulary
) -> tuple[int, int] | None:
    """The kept range after dropping one particle (or opening) at an edge; None when none is."""
    if high - low < 2:
        return None
    last = keys[high - 1]
    if last in words.trailing or (words.emoji and _is_emoji(last)):
        return low, high - 1
    for size in range(min(_LONGEST_OPENING, high - low - 1), 0, -1):
        if tuple(keys[low : low + size]) in words.leading:
            return low + size, high
    first = keys[low]
    if words.emoji and _is_emoji(first):
        return low + 1, high
    # "dạ không" → "không"; "dạ thưa" stays, as the one meaning it has is a polite opening.
    # "Vâng ạ, 5 triệu": the "ạ" goes with the "vâng" (alone at the start it could be a letter).
    if (
        first in words.yes_leading
        and (marked[low] or not words.yes_needs_mark or _is_polite(keys[low + 1], words))
        and any(_is_polite(key, words) is False for key in keys[low + 1 : high])
    ):
        if keys[low + 1] in words.trailing and high - low > 2:
            return low + 2, high
        return low + 1, high
    if last in words.only_trailing and any(
        not words.is_particle(key) for key in keys[low : high - 1]
    ):
        return low, high - 1
    return None


def _is_polite(key: str, words: _Vocabulary) -> bool:
    """Whether a word only opens or closes politely: "dạ", "vâng", "thưa", "ạ"."""
    return key in words.yes_leading or (key,) in words.leading or key in words.trailing
