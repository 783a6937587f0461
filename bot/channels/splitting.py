"""Split long messages into parts a chat platform accepts, breaking where a reader would."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

Measure = Callable[[str], int]

# Break at blank lines first, then at line ends, then between words; only then inside a word.
_SEPARATORS = (re.compile(r"(\n\s*\n)"), re.compile(r"(\n)"), re.compile(r"(\s+)"))

_ZWJ = "\u200d"
_MARK_CATEGORIES = frozenset({"Mn", "Mc", "Me"})


def utf16_len(s: str) -> int:
    """Length of `s` in UTF-16 code units, the way Zalo and Telegram count message length."""
    # surrogatepass: a lone surrogate still counts as the one unit it would occupy.
    return len(s.encode("utf-16-le", "surrogatepass")) // 2


def split_text(text: str, limit: int, measure: Measure = utf16_len) -> list[str]:
    """Split `text` into non-empty parts of at most `limit` (by `measure`), at the gentlest breaks.

    `measure` must be additive over concatenation (a length), as `len` and `utf16_len` are.
    Parts are stripped of surrounding whitespace; whitespace-only text gives [].
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    text = text.strip()
    if not text:
        return []
    raw: list[str] = []
    _pack(text, 0, limit, measure, raw)
    return [part for part in (piece.strip() for piece in raw) if part]


def _pack(text: str, level: int, limit: int, measure: Measure, out: list[str]) -> None:
    """Append to `out` chunks of `text` within `limit`, greedily joining pieces split at `level`."""
    if measure(text) <= limit:
        out.append(text)
        return
    if level == len(_SEPARATORS):
        out.extend(_hard_split(text, limit, measure))
        return
    # With a capturing group, split() alternates piece, separator, piece, ...
    tokens = _SEPARATORS[level].split(text)
    current, size = "", 0
    for index in range(0, len(tokens), 2):
        piece = tokens[index]
        separator = tokens[index - 1] if index else ""
        piece_size = measure(piece)
        if current and size + measure(separator) + piece_size <= limit:
            current += separator + piece
            size += measure(separator) + piece_size
            continue
        if current:
            out.append(current)
        if piece_size <= limit:
            current, size = piece, piece_size
        else:
            _pack(piece, level + 1, limit, measure, out)
            current, size = "", 0
    if current:
        out.append(current)


def _hard_split(word: str, limit: int, measure: Measure) -> list[str]:
    """Cut a word with no whitespace into chunks within `limit`, between characters as seen."""
    chunks: list[str] = []
    current, size = "", 0
    for cluster in _clusters(word):
        cluster_size = measure(cluster)
        if cluster_size > limit:
            # Pathological (marks piled past a whole message): keep the limit, lose the cluster.
            if current:
                chunks.append(current)
            chunks.extend(_split_code_points(cluster, limit, measure))
            current, size = "", 0
        elif size + cluster_size > limit:
            chunks.append(current)
            current, size = cluster, cluster_size
        else:
            current += cluster
            size += cluster_size
    if current:
        chunks.append(current)
    return chunks


def _clusters(text: str) -> list[str]:
    """Group code points that must stay together: base + combining marks, ZWJ joins, surrogates."""
    clusters: list[str] = []
    for char in text:
        if clusters and _joins_previous(char, clusters[-1]):
            clusters[-1] += char
        else:
            clusters.append(char)
    return clusters


def _joins_previous(char: str, previous: str) -> bool:
    """True when `char` belongs to the cluster ending in `previous`."""
    code = ord(char)
    if unicodedata.category(char) in _MARK_CATEGORIES or char == _ZWJ or previous[-1] == _ZWJ:
        return True
    if 0x1F3FB <= code <= 0x1F3FF:  # emoji skin-tone modifiers
        return True
    # A surrogate pair left as two code points (e.g. from surrogateescape) is one character.
    return 0xDC00 <= code <= 0xDFFF and 0xD800 <= ord(previous[-1]) <= 0xDBFF


def _split_code_points(cluster: str, limit: int, measure: Measure) -> list[str]:
    """Cut an oversized cluster between code points; one code point over `limit` is an error."""
    chunks: list[str] = []
    current, size = "", 0
    for char in cluster:
        char_size = measure(char)
        if char_size > limit:
            raise ValueError(f"limit {limit} is smaller than one character")
        if size + char_size > limit:
            chunks.append(current)
            current, size = "", 0
        current += char
        size += char_size
    if current:
        chunks.append(current)
    return chunks
