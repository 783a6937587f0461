"""Choosing options from a numbered list, by number or by (part of) the option's text."""

from __future__ import annotations

import re

from bot.parsers._text import normalise
from bot.parsers.politeness import politely
from bot.parsers.vietnamese_numbers import parse_words

# "2", "2.", "2)", "số 2", "chọn 2", "câu 2": ASCII digits only (after NFKC), so int() never sees
# "²" or a 5,000-digit run (Python refuses to convert more than 4,300 digits); no list is longer
# than 9,999 lines.
_POSITION = re.compile(r"(?:(?:chon|cau|muc) )?(?:so )?([0-9]{1,4})[.)]?", re.ASCII)
# "số hai", "chọn ba", "hai": a position in words, read only when no option's text matched.
_SPOKEN_POSITION = re.compile(r"(?:(?:chon|cau|muc) )?(?:so )?(?P<words>[a-z ]+)", re.ASCII)
_MAX_SPOKEN_POSITION = 9_999
# Longer than any way of writing a position; refused before any work is done on it.
_MAX_POSITION_TEXT = 40
# Everything that is not a letter or digit separates words when texts are compared, so
# "giao thong hem" matches "Giao thông, hẻm, đường".
_NON_WORD = re.compile(r"[\W_]+")
# Between the parts of a multiple answer: "1,3", "1;3", "an sinh + giao thong".
_PART_SEPARATORS = re.compile(r"[,;+&]")
_AND = " va "
_ALL = "tat ca"
# A piece of an option's text, when it is neither the whole text nor its start, must be at least
# this long to count: "hem" finds "Giao thông, hẻm, đường"; "an" alone finds nothing.
_MIN_INNER = 3


def parse_choice(text: str, options: list[str]) -> int | None:
    """Return the 0-based index of the option meant by number or by text, or None when unclear.

    By number ("2", "số 2", "chọn hai"), by text without diacritics, in part ("dien" for "Điện
    chiếu sáng") or without spaces ("ansinh"), and with particles ("1 ạ", "dạ điện ạ").
    """
    return politely(lambda typed: _choice(typed, options), text, keep=_one_word_keys(options))


def parse_menu(text: str, labels: list[str]) -> int | None:
    """Return the 0-based index of the menu entry meant ("1", "tiep tuc a", "dạ làm lại"), or None.

    A menu is a short list of labelled actions shown numbered ("1. Tiếp tục", "2. Làm lại"); it
    is read exactly as a question's options are, so both answer the same way.
    """
    return parse_choice(text, labels)


def _choice(text: str, options: list[str]) -> int | None:
    answer = normalise(text)
    position = _position(answer, len(options))
    if position is not None:
        return position
    keys = [_key(option) for option in options]
    found = _by_text(_key(answer), keys)
    if found is not None:
        return found
    return _spoken_position(answer, len(options))


def parse_position(text: str, count: int) -> int | None:
    """Return the 0-based index meant by "2", "2.", "số 2", "câu hai", "2 ạ" in a list of `count`,
    or None.

    The one reader of a typed list position (a numbered pick, `sửa N`): never an exception,
    whatever the text.
    """
    if len(text) > _MAX_POSITION_TEXT:
        return None
    return politely(lambda typed: _any_position(normalise(typed), count), text)


def _any_position(answer: str, count: int) -> int | None:
    position = _position(answer, count)
    return position if position is not None else _spoken_position(answer, count)


def parse_multichoice(text: str, options: list[str]) -> list[int] | None:
    """Return the sorted, distinct indexes of options chosen ("1,3", "1 3", "an sinh, giao thong",
    "1 và 3 ạ")."""
    return politely(lambda typed: _multichoice(typed, options), text, keep=_one_word_keys(options))


def _one_word_keys(options: list[str]) -> frozenset[str]:
    """Options of one word ("A", "Đỏ") that a particle ("a", "đó") must not be taken for."""
    return frozenset(key for key in map(_key, options) if key and " " not in key)


def _multichoice(text: str, options: list[str]) -> list[int] | None:
    # Parts are read without dropping particles: "a, b" is two options, not "b" after an "à".
    answer = normalise(text)
    whole = _choice(answer, options)
    if whole is not None:
        return [whole]
    if answer == _ALL and options:
        return list(range(len(options)))
    chosen: set[int] = set()
    for part in _PART_SEPARATORS.split(answer):
        found = _part(part.strip(), options)
        if found is None:
            return None
        chosen.update(found)
    return sorted(chosen) or None


def _part(part: str, options: list[str]) -> list[int] | None:
    """Indexes meant by one comma-separated part: an option, "1 3", or "a và b"; [] if blank."""
    if not part:
        return []
    single = _choice(part, options)
    if single is not None:
        return [single]
    pieces = part.split(_AND) if _AND in part else part.split(" ")
    if len(pieces) == 1:
        return None
    found: list[int] = []
    for piece in pieces:
        # "1 3" is read piece by piece; text pieces only when joined by "và".
        index = _choice(piece, options) if _AND in part else _position(piece, len(options))
        if index is None:
            return None
        found.append(index)
    return found


def _position(answer: str, count: int) -> int | None:
    """The index of "2", "2." or "số 2" (already normalised), when within the list."""
    match = _POSITION.fullmatch(answer)
    if match is None:
        return None
    number = int(match.group(1))
    return number - 1 if 1 <= number <= count else None


def _spoken_position(answer: str, count: int) -> int | None:
    """The index of "hai", "số hai" or "chọn ba" (already normalised), when within the list."""
    match = _SPOKEN_POSITION.fullmatch(answer)
    number = None if match is None else parse_words(match["words"])
    if number is None or number != number.to_integral_value() or number > _MAX_SPOKEN_POSITION:
        return None
    return int(number) - 1 if 1 <= number <= count else None


def _key(text: str) -> str:
    """Folded words only, so punctuation never decides a match."""
    return " ".join(_NON_WORD.sub(" ", normalise(text)).split())


def _by_text(answer: str, keys: list[str]) -> int | None:
    """Exact text, else a unique start, else a unique piece that begins at a word, else the
    text typed without spaces as commands are ("tieptuc" for "Tiếp tục")."""
    if not answer:
        return None
    joined = answer.replace(" ", "")
    for matches in (
        [i for i, key in enumerate(keys) if key == answer],
        [i for i, key in enumerate(keys) if key.startswith(answer)],
        [
            i
            for i, key in enumerate(keys)
            if len(answer) >= _MIN_INNER and f" {answer}" in f" {key}"
        ],
        [
            i
            for i, key in enumerate(keys)
            if len(joined) >= _MIN_INNER and key.replace(" ", "") == joined
        ],
    ):
        if len(matches) == 1:
            return matches[0]
        if matches:
            return None
    return None
