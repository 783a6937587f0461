"""Map a key path of a TOML document to the line that defines it (tomllib keeps no positions).

Only meant for text that tomllib has already accepted: it understands table headers (indented or
not), arrays of tables, `key = value` lines with dotted or quoted keys, inline tables, multi-line
arrays and multi-line strings, which is all a campaign file uses.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

Loc = tuple[str | int, ...]

_KEY = r"""(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')"""
_KEYS = rf"{_KEY}(?:[ \t]*\.[ \t]*{_KEY})*"
_ARRAY_HEADER = re.compile(rf"^[ \t]*\[\[[ \t]*({_KEYS})[ \t]*\]\]")
_TABLE_HEADER = re.compile(rf"^[ \t]*\[[ \t]*({_KEYS})[ \t]*\]")
_KEY_LINE = re.compile(rf"^[ \t]*({_KEYS})[ \t]*=[ \t]*")
_INLINE_KEY = re.compile(rf"[ \t]*({_KEYS})[ \t]*=[ \t]*")


def mask(text: str) -> str:
    """Blank out comments and the insides of strings, keeping every character's position."""
    out = list(text)
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "#":
            end = text.find("\n", i)
            end = n if end < 0 else end
            out[i:end] = " " * (end - i)
            i = end
        elif char in "\"'":
            delimiter = char * 3 if text.startswith(char * 3, i) else char
            j = i + len(delimiter)
            while j < n and not text.startswith(delimiter, j):
                if char == '"' and text[j] == "\\":
                    j += 1  # an escaped character, possibly a quote
                elif len(delimiter) == 1 and text[j] == "\n":
                    break
                j += 1
            # A multi-line string may end with up to two extra quotes that belong to it.
            while len(delimiter) == 3 and text.startswith(char, j + 3):
                j += 1
            for k in range(i + len(delimiter), min(j, n)):
                if text[k] != "\n":
                    out[k] = "x"
            i = j + len(delimiter)
        else:
            i += 1
    return "".join(out)


def _split(original: str, masked: str, start: int, end: int) -> list[str]:
    """Split a dotted key at the dots of the masked text (dots in quotes are masked away)."""
    parts: list[str] = []
    begin = start
    for i in range(start, end + 1):
        if i == end or masked[i] == ".":
            part = original[begin:i].strip()
            if len(part) >= 2 and part[0] == part[-1] and part[0] in "\"'":
                part = part[1:-1]
            parts.append(part)
            begin = i + 1
    return parts


class Locator:
    """The line of every table and key of one TOML document, by key path."""

    def __init__(self, text: str) -> None:
        """Scan the text once."""
        self._lines: dict[Loc, int] = {}
        self._counts: dict[Loc, int] = {}  # arrays of tables: how many elements so far
        self._value = _Value(())
        masked = mask(text)
        table: Loc = ()
        for number, (line, plain) in enumerate(
            zip(masked.split("\n"), text.split("\n"), strict=True), start=1
        ):
            if self._value.depth > 0:  # a multi-line array goes on
                self._scan_value(line, 0, number)
            elif match := _ARRAY_HEADER.match(line):
                keys = _split(plain, line, match.start(1), match.end(1))
                table = self._resolve(keys, append=True)
                self._record(table, number)
            elif match := _TABLE_HEADER.match(line):
                keys = _split(plain, line, match.start(1), match.end(1))
                table = self._resolve(keys, append=False)
                self._record(table, number)
            elif match := _KEY_LINE.match(line):
                path = table + tuple(_split(plain, line, match.start(1), match.end(1)))
                self._record(path, number)
                rest = match.end()
                if line.startswith("{", rest):
                    _inline(line, plain, rest, path, partial(self._record, number=number))
                self._value = _Value(path)
                self._scan_value(line, rest, number)

    def _scan_value(self, masked: str, start: int, number: int) -> None:
        """Follow a value's brackets; the elements of a top-level array get their own lines."""
        value = self._value
        for char in masked[start:]:
            if char.isspace():
                continue
            if value.depth == 1 and value.array and value.expect and char not in ",]":
                self._record((*value.path, value.index), number)
                value.index += 1
                value.expect = False
            if char in "[{":
                if value.depth == 0:
                    value.array = value.expect = char == "["
                value.depth += 1
            elif char in "]}":
                value.depth -= 1
            elif char == "," and value.depth == 1:
                value.expect = True

    def _resolve(self, keys: list[str], *, append: bool) -> Loc:
        """Turn a header's keys into a path; arrays of tables resolve to their last element."""
        path: Loc = ()
        for key in keys[:-1]:
            path += (key,)
            if path in self._counts:
                path += (self._counts[path] - 1,)
        path += (keys[-1],)
        if append:
            index = self._counts.get(path, 0)
            self._counts[path] = index + 1
            path += (index,)
        return path

    def _record(self, path: Loc, number: int) -> None:
        # A dotted key also defines its parents; the first line that mentions a path wins.
        for end in range(1, len(path) + 1):
            self._lines.setdefault(path[:end], number)

    def line(self, loc: Loc) -> int | None:
        """Return the line of loc, else of its nearest enclosing key or table; None if unknown."""
        for end in range(len(loc), 0, -1):
            if loc[:end] in self._lines:
                return self._lines[loc[:end]]
        return None


@dataclass
class _Value:
    """The value being read: its path and how deep in brackets the reading is."""

    path: Loc
    depth: int = 0
    array: bool = False  # the outermost bracket is an array
    expect: bool = False  # the next non-blank character starts an element
    index: int = 0


def _inline(
    masked: str, original: str, start: int, prefix: Loc, record: Callable[[Loc], None]
) -> int:
    """Record the keys of the inline table opening at masked[start]; return the end index."""
    i = start + 1
    expect_key = True
    depth = 0  # arrays (and tables inside them) within a value
    while i < len(masked):
        if expect_key and depth == 0 and (match := _INLINE_KEY.match(masked, i)):
            path = prefix + tuple(_split(original, masked, match.start(1), match.end(1)))
            record(path)
            expect_key = False
            i = match.end()
            if masked.startswith("{", i):
                i = _inline(masked, original, i, path, record)
            continue
        char = masked[i]
        if char in "[{":
            depth += 1
        elif char in "]}":
            if depth == 0:
                return i + 1
            depth -= 1
        elif char == "," and depth == 0:
            expect_key = True
        i += 1
    return i
