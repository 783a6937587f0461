"""A campaign question's `pattern`, matched by RE2 so that no answer can make it run long.

Python's `re` backtracks: `(\\d+\\s?)+` against thirty digits and a letter runs for minutes, and
the bot answers every chat on one event loop. RE2 takes time linear in the answer whatever the
pattern, and refuses what only backtracking can do (backreferences, lookarounds); such patterns
are refused when the campaign file is checked.

Campaign files were written for Python's syntax, where `\\d`, `\\w` and `\\s` mean Unicode digits,
letters and spaces; in RE2 they are ASCII only, so "Hẻm 12" would not match `[\\w ]+`. A pattern
is therefore translated first, so that it reads the same text the way Python did.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Protocol

import re2  # type: ignore[import-untyped]

log = logging.getLogger(__name__)

# Python's Unicode `\s`: ASCII blanks, the separators \x1c-\x1f and \x85, and every Unicode space.
_SPACE = r"\t\n\v\f\r\x1c-\x1f\x85\p{Z}"
# Python's Unicode `\w` is a letter, a digit of any kind, or "_".
_WORD = r"\p{L}\p{N}_"
_OUTSIDE = {
    "d": r"\p{Nd}",
    "D": r"\P{Nd}",
    "w": f"[{_WORD}]",
    "W": f"[^{_WORD}]",
    "s": f"[{_SPACE}]",
    "S": f"[^{_SPACE}]",
    "Z": r"\z",  # Python's end of text is RE2's \z (RE2 has no \Z)
}
_INSIDE = {"d": r"\p{Nd}", "D": r"\P{Nd}", "w": _WORD, "s": _SPACE, "b": r"\x08"}
_UNICODE_ESCAPE = {"u": 4, "U": 8}  # \u00e9 and \U0001f600 are Python's; RE2 writes \x{e9}
_HEX = re.compile(r"[0-9a-fA-F]+", re.ASCII)
_UP_TO = re.compile(r"\{,([0-9]+)\}", re.ASCII)  # Python reads x{,3} as x{0,3}; RE2 as text
_LOOKAROUNDS = ("(?=", "(?!", "(?<=", "(?<!")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


class PatternError(ValueError):
    """A pattern the bot cannot run, with the reason in Vietnamese and English."""

    def __init__(self, vi: str, en: str) -> None:
        super().__init__(f"{vi} / {en}")
        self.vi = vi
        self.en = en


class _Compiled(Protocol):
    def fullmatch(self, text: str) -> object | None: ...


_BACKREFERENCE = PatternError(
    "pattern không dùng được tham chiếu ngược (\\1, (?P=tên)): bộ so khớp của bot (RE2) không hỗ "
    "trợ",
    "a pattern cannot use backreferences (\\1, (?P=name)): the bot's regex engine (RE2) does "
    "not support them",
)
_LOOKAROUND = PatternError(
    "pattern không dùng được nhìn trước, nhìn sau ((?=…), (?!…), (?<=…), (?<!…)): bộ so khớp "
    "của bot (RE2) không hỗ trợ",
    "a pattern cannot use lookaheads or lookbehinds ((?=…), (?!…), (?<=…), (?<!…)): the bot's "
    "regex engine (RE2) does not support them",
)
_BOUNDARY = PatternError(
    "pattern không dùng được \\b, \\B (RE2 chỉ hiểu ranh giới của từ không dấu); pattern đã "
    "phải khớp trọn câu trả lời",
    "a pattern cannot use \\b or \\B (RE2 only knows ASCII word boundaries); it already has to "
    "match the whole answer",
)
_NEGATED_IN_CLASS = PatternError(
    "pattern không dùng được \\W, \\S bên trong [...]: hãy viết [^...] với các ký tự cần loại",
    "a pattern cannot use \\W or \\S inside [...]: write [^...] with the characters to exclude",
)
_ANY_BYTE = PatternError(
    "pattern không dùng được \\C (một byte): hãy dùng dấu chấm",
    "a pattern cannot use \\C (a single byte): use a dot",
)


def translate(pattern: str) -> str:
    """Rewrite a Python-syntax pattern for RE2 with the same meaning; PatternError if none."""
    out: list[str] = []
    i, in_class, first = 0, False, 0  # first: where a class's first character is
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            written, i = _escape(pattern, i, in_class)
            out.append(written)
            continue
        if in_class:
            if pattern.startswith("[:", i) and (end := pattern.find(":]", i + 2)) > 0:
                out.append(pattern[i : end + 2])  # [[:alpha:]]: a POSIX class inside a class
                i = end + 2
                continue
            if ch == "]" and i != first:  # "[]a]", "[^]a]": a "]" first in a class is itself
                in_class = False
        elif ch == "[":
            in_class = True
            first = i + (2 if pattern.startswith("^", i + 1) else 1)
        elif ch == "(" and pattern.startswith(_LOOKAROUNDS, i):
            raise _LOOKAROUND
        elif ch == "(" and pattern.startswith("(?P=", i):
            raise _BACKREFERENCE
        elif ch == "{" and (up_to := _UP_TO.match(pattern, i)):
            out.append(f"{{0,{up_to.group(1)}}}")
            i = up_to.end()
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _escape(pattern: str, at: int, in_class: bool) -> tuple[str, int]:
    """Translate the escape starting at `at`; return it and the index after it."""
    letter = pattern[at + 1]
    end = at + 2
    if letter in _UNICODE_ESCAPE:
        digits = pattern[end : end + _UNICODE_ESCAPE[letter]]
        if len(digits) == _UNICODE_ESCAPE[letter] and _HEX.fullmatch(digits):
            return f"\\x{{{digits}}}", end + len(digits)
        return pattern[at:end], end  # RE2 refuses it, with its own words
    if letter == "C":
        raise _ANY_BYTE
    if in_class:
        if letter in "WS":
            raise _NEGATED_IN_CLASS
        return _INSIDE.get(letter, pattern[at:end]), end
    if letter in "bB":
        raise _BOUNDARY
    if letter in "123456789":
        raise _BACKREFERENCE
    return _OUTSIDE.get(letter, pattern[at:end]), end


def _options() -> object:
    options = re2.Options()
    options.log_errors = False  # the refusal says why; RE2 would also print it on stderr
    return options


@lru_cache(maxsize=512)  # a few patterns per campaign, matched on every answer
def _compile(pattern: str) -> _Compiled | PatternError:
    try:
        translated = translate(_SURROGATE.sub("\ufffd", pattern))
    except PatternError as refused:
        return refused
    try:
        compiled: _Compiled = re2.compile(translated, _options())
    except re2.error as exc:
        detail = exc.args[0] if exc.args else ""
        if isinstance(detail, bytes):
            detail = detail.decode("utf-8", "replace")
        detail = detail if len(detail) <= 80 else detail[:79] + "…"  # RE2 quotes the rest
        return PatternError(
            f"bộ so khớp của bot (RE2) không dùng được pattern này: {detail}",
            f"the bot's regex engine (RE2) cannot use this pattern: {detail}",
        )
    return compiled


def check_pattern(pattern: str) -> PatternError | None:
    """Return why the bot cannot run `pattern`, or None when it can."""
    compiled = _compile(pattern)
    return compiled if isinstance(compiled, PatternError) else None


def fullmatch(pattern: str, text: str) -> bool:
    """Return whether `text` matches `pattern` in full, in time linear in the text.

    A pattern that cannot run (stored before RE2 was used; `campaign check` refuses it now) is
    not checked at all: people must still be able to answer.
    """
    compiled = _compile(pattern)
    if isinstance(compiled, PatternError):
        _unusable(pattern, compiled.en)
        return True
    # RE2 reads UTF-8; a lone surrogate (from a JSON "\\ud800") cannot be encoded, so it stands
    # as U+FFFD, which a pattern matches like any other character it does not name.
    return compiled.fullmatch(_SURROGATE.sub("\ufffd", text)) is not None


@lru_cache(maxsize=64)  # say it once per pattern, not on every answer
def _unusable(pattern: str, reason: str) -> None:
    log.warning("pattern_not_applied pattern=%r reason=%s (reload the campaign)", pattern, reason)
