"""Splitting long messages: limits in UTF-16 units, gentle breaks, no broken characters."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.channels.splitting import split_text, utf16_len

_SPACE = re.compile(r"\s+")
_MARKS = "\u0300\u0301\u0302\u0303\u0306\u0309\u0323\u031b"  # Vietnamese NFD tone and vowel marks


def _content(text: str) -> str:
    return _SPACE.sub("", text)


def _starts_inside_cluster(part: str) -> bool:
    first = part[0]
    return unicodedata.category(first) in {"Mn", "Mc", "Me"} or 0xDC00 <= ord(first) <= 0xDFFF


@pytest.mark.parametrize(
    ("text", "units"),
    [("", 0), ("abc", 3), ("Xin chào", 8), ("😀", 2), ("a😀b", 4), ("e\u0301", 2)],
)
def test_utf16_len(text: str, units: int) -> None:
    assert utf16_len(text) == units


@pytest.mark.parametrize("text", ["", "   ", "\n\n \t\n"])
def test_blank_text_gives_no_parts(text: str) -> None:
    assert split_text(text, 10) == []


def test_text_that_fits_is_one_stripped_part() -> None:
    assert split_text("  Xin chào\n", 2000) == ["Xin chào"]


def test_prefers_blank_lines_then_lines_then_spaces() -> None:
    text = "aaaa bbbb\ncccc\n\ndddd eeee"
    assert split_text(text, 14) == ["aaaa bbbb\ncccc", "dddd eeee"]
    assert split_text("aaaa bbbb\ncccc dddd", 10) == ["aaaa bbbb", "cccc dddd"]
    assert split_text("aaaa bbbb cccc", 10) == ["aaaa bbbb", "cccc"]


def test_long_word_is_cut_only_between_characters() -> None:
    word = unicodedata.normalize("NFD", "nghiêngnghiêngnghiêng")
    parts = split_text(word, 5)
    assert "".join(parts) == word
    assert all(utf16_len(part) <= 5 and not _starts_inside_cluster(part) for part in parts)


def test_emoji_and_surrogate_pairs_are_never_split() -> None:
    parts = split_text("😀" * 5, 3)
    assert parts == ["😀"] * 5
    escaped = "\ud83d\ude00" * 3  # a pair left as two code points (surrogateescape-style)
    assert split_text(escaped, 3) == ["\ud83d\ude00"] * 3


def test_limit_below_one_character_is_an_error() -> None:
    with pytest.raises(ValueError):
        split_text("😀", 1)
    with pytest.raises(ValueError):
        split_text("abc", 0)


def test_custom_measure() -> None:
    assert split_text("ab cd", 2, measure=len) == ["ab", "cd"]


def test_long_vietnamese_message_keeps_lines_whole() -> None:
    line = unicodedata.normalize("NFD", "Đơn vị {:03d} đã nộp báo cáo thi đua tháng này.")
    text = "\n".join(line.format(n) for n in range(100))
    parts = split_text(text, 2000)
    assert all(utf16_len(part) <= 2000 for part in parts)
    assert [ln for part in parts for ln in part.split("\n")] == text.split("\n")


# --- properties -----------------------------------------------------------------------------

_clusters = st.tuples(
    st.sampled_from("aăâeêioôơuưyđAĐbcghnt0😀"),
    st.text(alphabet=_MARKS, max_size=2),
).map("".join)
_words = st.lists(_clusters, min_size=1, max_size=12).map("".join)
_separators = st.sampled_from([" ", "  ", "\n", "\n\n", "\n \n", "\t", " \n"])
_texts = st.lists(st.tuples(_words, _separators), max_size=40).map(
    lambda pairs: "".join(word + sep for word, sep in pairs)
)
_anything = st.text(
    alphabet=st.sampled_from(list("ab \n\t") + list(_MARKS) + ["😀", "\u200d", "\u00a0"]),
    max_size=300,
)


@settings(max_examples=300, deadline=None)
@given(text=_anything, limit=st.integers(min_value=2, max_value=40))
def test_any_text_parts_fit_and_keep_content(text: str, limit: int) -> None:
    parts = split_text(text, limit)
    assert all(part and part == part.strip() for part in parts)
    assert all(utf16_len(part) <= limit for part in parts)
    assert _content("".join(parts)) == _content(text)


@settings(max_examples=300, deadline=None)
@given(text=_texts, limit=st.integers(min_value=6, max_value=80))
def test_parts_never_break_a_character(text: str, limit: int) -> None:
    parts = split_text(text, limit)
    assert all(0 < utf16_len(part) <= limit for part in parts)
    assert _content("".join(parts)) == _content(text)
    assert not any(_starts_inside_cluster(part) for part in parts)
    for part in parts:
        part.encode("utf-16")  # no lone surrogate anywhere


@settings(max_examples=200, deadline=None)
@given(text=_texts, limit=st.integers(min_value=40, max_value=120))
def test_lines_that_fit_are_never_broken(text: str, limit: int) -> None:
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if any(utf16_len(line) > limit for line in lines):
        return
    parts = split_text(text, limit)
    pieces = [line.strip() for part in parts for line in part.split("\n") if line.strip()]
    assert pieces == lines
