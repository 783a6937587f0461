"""Numbers written in Vietnamese words, read and written: "hai triệu rưỡi", "muoi lam", "1 trăm".

The reading follows how people say amounts, not only the schoolbook: "một tỷ hai" is 1,2 tỷ and
"hai triệu tư" 2,4 triệu (a digit right after the last unit word is tenths of it), "triệu rưỡi"
is 1,5 triệu, "năm chục" 50, "nửa triệu" 500.000. What a person could mean two ways is refused so
that the bot asks again: "ba bốn triệu" (3 or 4), "hai triệu ba trăm" (2.300.000 as said in a
shop, or 2.000.300 as read from digits), "hai mươi năm" (25, or twenty years).
"""

from __future__ import annotations

import re
from decimal import Decimal

from bot.parsers._text import short_answer

# The largest value read or written; stored numbers stay below it (numerals.NUMBER_LIMIT).
_LIMIT = 10**18
# More words than any amount needs ("chín trăm chín mươi chín nghìn tỷ …" has 30); refusing
# longer texts keeps the recursive reading small.
_MAX_TOKENS = 40
_MAX_FRACTION_WORDS = 12

# Folded words. A digit as it starts a number or a group ("bốn mươi", "năm trăm").
_DIGITS = {
    "khong": 0, "mot": 1, "hai": 2, "ba": 3, "bon": 4,
    "nam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9,
}  # fmt: skip
# After "mươi" and "mười" 1 is "mốt" (folded like "một"), 4 may be "tư", 5 is "lăm" or "nhăm".
# "năm" there is refused at the end ("hai mươi năm" is also "twenty years") but read before a
# unit ("hai mươi năm triệu").
_AFTER_TENS = {**{w: d for w, d in _DIGITS.items() if d}, "tu": 4, "lam": 5, "nham": 5}
_AFTER_TENS_AT_END = {w: d for w, d in _AFTER_TENS.items() if w != "nam"}
# After "linh"/"lẻ": "một trăm linh năm", "linh tư".
_AFTER_ZERO_TENS = {**{w: d for w, d in _DIGITS.items() if d}, "tu": 4, "lam": 5}
# A digit alone after a unit word is tenths of it: "một triệu hai", "hai triệu tư", "trăm mốt".
_TENTHS = {**{w: d for w, d in _DIGITS.items() if d}, "tu": 4}
_TEN = "muoi"  # "mười" (10) and "mươi" (tens) fold alike; the position tells them apart
_ZERO_TENS = frozenset({"linh", "le"})
_HUNDRED = "tram"
_TENS_UNIT = "chuc"
_HALF_AFTER = "ruoi"  # "hai triệu rưỡi"
_HALF_BEFORE = "nua"  # "nửa triệu"
_POINT = "phay"  # "hai phẩy năm" = 2,5
_SCALES = {
    "ty": 9, "ti": 9,
    "trieu": 6, "tr": 6,
    "nghin": 3, "ngan": 3, "ngin": 3, "k": 3,
}  # fmt: skip
# Every word a numeral can contain; a unit after a numeral ("12 hộ") is none of them.
NUMERAL_WORDS = frozenset(
    {*_DIGITS, *_AFTER_TENS, _TEN, *_ZERO_TENS, _HUNDRED, _TENS_UNIT, _HALF_AFTER, _HALF_BEFORE}
    | {_POINT, *_SCALES}
)

# A number typed in digits may stand in for a group before a unit word: "5 triệu", "1 trăm".
_DIGIT_TOKEN = re.compile(r"[0-9]{1,9}|[1-9][0-9]{0,2}(?:\.[0-9]{3}){1,2}", re.ASCII)
# Words and digit runs; "5trieu" is "5", "trieu". Anything else ("%", "/", "-") is no numeral;
# what is left once they are removed must be blanks (a check in linear time, unlike a regular
# expression repeating this alternation, which backtracks exponentially on "aaaa…!").
_TOKEN = re.compile(r"[0-9][0-9.,]*|[a-z]+", re.ASCII)


def parse_words(text: str) -> Decimal | None:
    """Read a whole answer that is a number in words ("hai triệu rưỡi", "muoi lam"), or None.

    Digits may stand for a group before a unit word ("5 triệu rưỡi", "1 trăm"); a number in
    digits alone is left to the digit readers. Never raises.
    """
    answer = short_answer(text)
    if answer is None or _TOKEN.sub("", answer).strip(" "):
        return None
    tokens = _TOKEN.findall(answer)
    if not tokens or len(tokens) > _MAX_TOKENS:
        return None
    value = _read_tokens(tokens)
    if value is None or value >= _LIMIT:
        return None
    # "1,2 tỷ" is 1200000000, not 1.2E+9, whatever arithmetic made it.
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def _read_tokens(tokens: list[str]) -> Decimal | None:
    """The value of folded numeral tokens ("hai", "trieu", "ruoi"), or None."""
    if len(tokens) == 2 and tokens[0] == _HALF_BEFORE:
        scale = _unit_exponent(tokens[1])
        return None if scale is None else Decimal(5) * 10 ** (scale - 1)
    if _POINT in tokens:
        return _with_point(tokens)
    return _number(tokens, leading=True, last=True)


def _unit_exponent(word: str) -> int | None:
    """10 ** what a unit word means: "trăm" 2, "triệu" 6."""
    if word == _HUNDRED:
        return 2
    if word == _TENS_UNIT:
        return 1
    return _SCALES.get(word)


def _number(tokens: list[str], *, leading: bool, last: bool) -> Decimal | None:
    """A number of groups and scale words: "một nghìn tỷ", "hai triệu không trăm linh năm".

    `leading`: nothing comes before it (so "trăm" may mean one hundred, and zero is no head);
    `last`: nothing comes after it (so a digit after a unit word may be its tenths).
    """
    for exponent in (9, 6, 3):
        at = _last_index(tokens, exponent)
        if at is None:
            continue
        head, tail = tokens[:at], tokens[at + 1 :]
        if not head and not (leading and tail):
            return None  # "triệu" alone is no amount; "triệu rưỡi" is
        count = _head(head, exponent, leading=leading) if head else Decimal(1)
        rest = _tail(tail, exponent, last=last)
        if count is None or rest is None:
            return None
        return count * 10**exponent + rest
    return _group(tokens, leading=leading, last=last)


def _last_index(tokens: list[str], exponent: int) -> int | None:
    """Where the last scale word of this size is: "một nghìn tỷ" splits at "tỷ"."""
    for i in range(len(tokens) - 1, -1, -1):
        if _SCALES.get(tokens[i]) == exponent:
            return i
    return None


def _head(head: list[str], exponent: int, *, leading: bool) -> Decimal | None:
    """How many of a scale: below 1000 ("năm trăm nghìn"), or below 10^9 before "tỷ"."""
    count: Decimal | None
    if len(head) == 1 and _DIGIT_TOKEN.fullmatch(head[0]):
        count = Decimal(head[0].replace(".", ""))
    elif exponent == 9:
        count = _number(head, leading=leading, last=False)
    else:
        count = _group(head, leading=leading, last=False)
    bound = 10**9 if exponent == 9 else 1000
    if count is None or count >= bound or (leading and not count):
        return None  # "không triệu" leads nothing; "hai triệu không nghìn ba trăm" is fine
    return count


def _tail(tail: list[str], exponent: int, *, last: bool) -> Decimal | None:
    """What follows a scale word: nothing, "rưỡi", tenths ("triệu hai"), or a smaller number."""
    if not tail:
        return Decimal(0)
    if len(tail) == 1 and tail[0] == _HALF_AFTER:
        return Decimal(5) * 10 ** (exponent - 1) if last else None
    if len(tail) == 1 and (tenths := _digit(tail[0], zero=False, table=_TENTHS)) is not None:
        # Before another unit word ("một nghìn hai tỷ") it could be tenths or units: refused.
        return Decimal(tenths) * 10 ** (exponent - 1) if last else None
    # After "triệu" or "tỷ", a group without a smaller scale word is said for thousands
    # ("hai triệu ba trăm" in a shop) and read from digits as units: only "không trăm …"
    # ("hai triệu không trăm linh năm") says which.
    if (
        exponent >= 6
        and not any(word in _SCALES for word in tail)
        and tail[:2] != ["khong", "tram"]
    ):
        return None
    value = _number(tail, leading=False, last=last)
    return value if value is not None and value < 10**exponent else None


def _group(tokens: list[str], *, leading: bool, last: bool) -> Decimal | None:
    """A number below 1000: "ba trăm lẻ năm", "một trăm hai mươi", "năm chục", "trăm rưỡi"."""
    if _HUNDRED not in tokens:
        if not leading and len(tokens) == 2 and tokens[0] in _ZERO_TENS:
            units = _AFTER_ZERO_TENS.get(tokens[1])  # "một nghìn linh năm"
            return None if units is None else Decimal(units)
        return _tens(tokens, last=last)
    at = tokens.index(_HUNDRED)
    if at == 0:
        hundreds = 1 if leading else None  # "trăm rưỡi", "trăm hai"
    elif at == 1:
        hundreds = _digit(tokens[0], zero=not leading)
    else:
        return None
    rest = tokens[at + 1 :]
    if hundreds is None or (at == 0 and not rest):
        return None
    base = Decimal(hundreds * 100)
    if not rest:
        return base
    if last and hundreds and len(rest) == 1:  # "trăm rưỡi" = 150, "một trăm hai" = 120
        if rest[0] == _HALF_AFTER:
            return base + 50
        if rest[0] in _TENTHS:
            return base + _TENTHS[rest[0]] * 10
    if rest[0] in _ZERO_TENS:
        units = _AFTER_ZERO_TENS.get(rest[1]) if len(rest) == 2 else None
        return None if units is None else base + units
    tens = _tens(rest, last=last)
    # A bare digit after "trăm" before a unit word ("một trăm hai nghìn") could be 102 or 120.
    return None if tens is None or tens < 10 else base + tens


def _tens(tokens: list[str], *, last: bool) -> Decimal | None:
    """Below 100 (or 100.5 with "rưỡi"): "mười lăm", "bốn mươi mốt", "năm chục", "hai rưỡi"."""
    after_tens = _AFTER_TENS_AT_END if last else _AFTER_TENS
    half = last and tokens[-1] == _HALF_AFTER
    words = tokens[:-1] if half else tokens
    value: Decimal | None
    if len(words) == 1:
        value = Decimal(10) if words[0] == _TEN else _single(words[0], half=half)
    elif len(words) == 2 and words[0] == _TEN:
        units = after_tens.get(words[1]) if not half else None
        value = None if units is None else Decimal(10 + units)
    elif len(words) in (2, 3) and words[1] == _TEN:
        tens = _DIGITS.get(words[0], 0)
        units = after_tens.get(words[2]) if len(words) == 3 else 0
        ok = tens >= 2 and units is not None and not (half and len(words) == 3)
        value = Decimal(tens * 10 + (units or 0)) if ok else None
    elif len(words) == 2 and words[1] == _TENS_UNIT:
        count = _digit(words[0], zero=False)
        value = None if count is None else Decimal(count * 10)
        return None if value is None else value + (5 if half else 0)  # "hai chục rưỡi" = 25
    else:
        value = None
    if value is None:
        return None
    return value + Decimal("0.5") if half else value


def _single(word: str, *, half: bool) -> Decimal | None:
    """One word as a whole group: a digit word, or digits before "rưỡi" ("2 rưỡi")."""
    if word in _DIGITS:
        return None if half and not _DIGITS[word] else Decimal(_DIGITS[word])
    if half and word.isdigit() and len(word) <= 3 and int(word):
        return Decimal(word)
    return None


def _digit(word: str, *, zero: bool, table: dict[str, int] = _DIGITS) -> int | None:
    """A digit word from `table` or one typed digit ("5 trăm"); 0 only where allowed."""
    value = table.get(word, int(word) if len(word) == 1 and word.isdigit() else None)
    if value is None or (value == 0 and not zero):
        return None
    return value


def _with_point(tokens: list[str]) -> Decimal | None:
    """ "hai phẩy năm" = 2,5; "một phẩy hai tỷ" = 1,2 tỷ; "ba phẩy mười lăm" = 3,15."""
    at = tokens.index(_POINT)
    whole_words, fraction_words = tokens[:at], tokens[at + 1 :]
    exponent = 0
    if fraction_words and fraction_words[-1] in _SCALES:
        exponent = _SCALES[fraction_words[-1]]
        fraction_words = fraction_words[:-1]
    if not whole_words or not fraction_words or len(fraction_words) > _MAX_FRACTION_WORDS:
        return None
    read = _group if exponent else _number
    whole = read(whole_words, leading=True, last=False)
    fraction = _fraction_digits(fraction_words)
    if whole is None or fraction is None or whole != whole.to_integral_value():
        return None
    value = Decimal(f"{int(whole)}.{fraction}")  # exact: a product could round past 28 digits
    return value.scaleb(exponent) if exponent else value


def _fraction_digits(words: list[str]) -> str | None:
    """The digits after "phẩy": one digit word each ("không năm"), or one number below 100."""
    if all(word in _DIGITS for word in words):
        return "".join(str(_DIGITS[word]) for word in words)
    value = _tens(words, last=True)
    if value is None or value != value.to_integral_value():
        return None
    return str(int(value))


# --- writing ------------------------------------------------------------------------------------

_WORDS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_UNITS_AFTER_TENS = {1: "mốt", 4: "tư", 5: "lăm"}
_SCALE_WORDS = ((9, "tỷ"), (6, "triệu"), (3, "nghìn"))


def render_words(n: int) -> str:
    """Write a whole number 0 ≤ n < 10^18 in words, as read aloud: 1005 → "một nghìn không trăm
    linh năm"; `parse_words` reads it back. ValueError outside that range."""
    if not 0 <= n < _LIMIT:
        raise ValueError(f"no Vietnamese words written for {n}")
    return "không" if n == 0 else _render(n, leading=True)


def _render(n: int, *, leading: bool) -> str:
    for exponent, word in _SCALE_WORDS:
        if n >= 10**exponent:
            count, rest = divmod(n, 10**exponent)
            text = f"{_render(count, leading=leading)} {word}"
            return f"{text} {_render_tail(rest, exponent)}" if rest else text
    return _render_group(n, leading=leading)


def _render_tail(rest: int, exponent: int) -> str:
    """A smaller number after a scale word, written so that it cannot be read as thousands."""
    text = _render(rest, leading=False)
    # "hai triệu ba trăm" reads as 2.300.000; 2.000.300 is "hai triệu không nghìn ba trăm".
    if exponent >= 6 and 100 <= rest < 1000:
        return f"không nghìn {text}"
    return text


def _render_group(n: int, *, leading: bool) -> str:
    """1–999; a group after a scale word always says its hundreds: "không trăm linh năm"."""
    hundreds, below = divmod(n, 100)
    tens, units = divmod(below, 10)
    words: list[str] = []
    if hundreds or not leading:
        words += [_WORDS[hundreds], "trăm"]
    if tens == 0 and units:
        words += ["linh", _WORDS[units]] if words else [_WORDS[units]]
    elif tens == 1:
        words += ["mười"] + ([("lăm" if units == 5 else _WORDS[units])] if units else [])
    elif tens:
        words += [_WORDS[tens], "mươi"]
        words += [_UNITS_AFTER_TENS.get(units, _WORDS[units])] if units else []
    return " ".join(words)
