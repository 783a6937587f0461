"""Whole numbers, decimals and money, Vietnamese style: dot for thousands, comma for decimals."""

from __future__ import annotations

import re
from decimal import Context, Decimal

from bot.parsers._text import short_answer
from bot.parsers.politeness import politely
from bot.parsers.vietnamese_numbers import NUMERAL_WORDS, parse_words

# Stored values fit a signed 64-bit integer; a longer run of digits is a typo or a phone number.
# It also keeps every value far from Python's 4,300-digit limit on int <-> text conversion.
_MAX_DIGITS = 18
MAX_FRACTION_DIGITS = 12
NUMBER_LIMIT = 10**_MAX_DIGITS  # every number read is strictly smaller in absolute value
# Wide enough that no product of an accepted numeral and a scale is ever rounded.
_EXACT = Context(prec=60)

# One numeral: "1.200" and "1 200" (thousands), "3,5" and "3.5" (decimals), "1.200,5".
# A dot followed by exactly three digits after a 1–3 digit lead is a thousands mark; any other
# single dot is a decimal mark. "1.2.3" matches neither branch in full. Commas are thousands
# marks only where no decimal could be meant: two or more groups of three ("5,000,000").
_NUMERAL = (
    r"(?P<sign>[-+\u2212])?"
    r"(?:(?P<grouped>[1-9][0-9]{0,2}(?:\.[0-9]{3})+|[1-9][0-9]{0,2}(?: [0-9]{3})+)"
    r"(?:,(?P<gfrac>[0-9]+))?"
    r"|(?P<commas>[1-9][0-9]{0,2}(?:,[0-9]{3}){2,})"
    r"|(?P<plain>[0-9]+)(?:[.,](?P<pfrac>[0-9]+))?)"
)
# An amount of đồng has no decimals, so "500,000" can only be five hundred thousand.
_COMMA_THOUSANDS = re.compile(r"[1-9][0-9]{0,2},[0-9]{3}", re.ASCII)

# Words before a number that make it approximate or a bound; the number is kept as given.
# Longer first: "khoang chung" before "khoang".
_QUALIFIERS = (
    "khoang chung", "khoang", "chung", "tam", "gan", "tren", "hon", "duoi", "uoc tinh", "uoc",
    "du kien", "tong cong", "tong",
)  # fmt: skip
_QUALIFIER = f"(?:{'|'.join(_QUALIFIERS)})"
_WORD = r"[a-z][a-z0-9]*"
# "1e5", "2E-3": scientific notation, not a number followed by a unit word "e5".
_EXPONENT = re.compile(r"e[0-9]+", re.ASCII)

# An integer or decimal answer: an optional qualifier, the numeral, and up to four unit words
# ("12 hộ", "40 bóng đèn", "150m", "73%").
_MEASURE = re.compile(
    rf"(?:{_QUALIFIER} )?{_NUMERAL}(?: ?(?P<unit>%|{_WORD}(?: {_WORD}){{0,3}}))?",
    re.ASCII,
)

# Words that scale or extend a number: "2 nghìn", "3 trăm", "2 rưỡi" are not "2 (unit)".
_MAGNITUDES = frozenset(
    {"trieu", "tr", "ty", "ti", "nghin", "ngan", "ngin", "k", "tram", "chuc", "ruoi"}
)

_SCALES = {
    "ty": 10**9,
    "ti": 10**9,
    "trieu": 10**6,
    "tr": 10**6,
    "nghin": 10**3,
    "ngan": 10**3,
    "ngin": 10**3,
    "k": 10**3,
}
# "45 triệu", "45tr", "2 triệu rưỡi"; the scale must not run on into a word ("trieu" vs "tr").
_COMPONENT = re.compile(
    rf"{_NUMERAL} ?(?P<scale>trieu|tr|ty|ti|nghin|ngan|ngin|k)(?![a-z])(?P<half> ruoi)?",
    re.ASCII,
)
_AMOUNT = re.compile(_NUMERAL, re.ASCII)
# "2tr5", "1 tỷ 2", "1 tỷ 250": digits after the last scale word are its decimals.
_SCALE_DECIMALS = re.compile(r"[0-9]{1,3}", re.ASCII)
_MONEY = re.compile(
    rf"(?:{_QUALIFIER} )?(?P<body>.+?)(?: ?(?:d|dong|vnd|\u20ab))?",
    re.ASCII,
)
_ZERO_WORDS = frozenset({"khong", "ko", "khong co", "khong dong"})
_CURRENCY = frozenset({"d", "dong", "vnd", "\u20ab"})
# A unit after a number in words: "năm mươi hộ", "hai nghìn bóng đèn", "năm mươi phần trăm".
_UNIT_WORD = re.compile(r"[a-z][a-z0-9]*|%", re.ASCII)
_MAX_UNIT_WORDS = 4
_PERCENT = ["phan", "tram"]


def _numeral_value(match: re.Match[str]) -> Decimal | None:
    """The signed value of a matched numeral, or None when it has too many digits."""
    whole = match["grouped"] or match["commas"] or match["plain"]
    whole = whole.replace(".", "").replace(" ", "").replace(",", "")
    fraction = match["gfrac"] or match["pfrac"] or ""
    if len(whole.lstrip("0")) > _MAX_DIGITS or len(fraction) > MAX_FRACTION_DIGITS:
        return None
    value = Decimal(f"{whole}.{fraction}" if fraction else whole)
    if match["sign"] in ("-", "\u2212") and value:
        return -value
    return value


def _has_fraction(match: re.Match[str]) -> bool:
    return bool(match["gfrac"] or match["pfrac"])


def _measure(answer: str) -> re.Match[str] | None:
    """Match an integer or decimal answer in digits; a magnitude word after it is not a unit."""
    match = _MEASURE.fullmatch(answer)
    if match is None or not match["unit"]:
        return match
    words = match["unit"].split()
    if _MAGNITUDES & set(words) or _EXPONENT.fullmatch(words[0]):
        return None
    return match


def parse_int(text: str) -> int | None:
    """Read a whole number ("12", "1.200", "5,000,000", "12 hộ", "2 nghìn", "mười hai",
    "dạ 12 ạ"), or None."""
    return politely(_int, text)


def _int(text: str) -> int | None:
    answer = short_answer(text)
    if answer is None:
        return None
    match = _measure(answer)
    if match is not None:  # digits alone decide: "1,0" is a decimal, so no whole number
        if _has_fraction(match):
            return None
        value = _numeral_value(match)
        return None if value is None else int(value)
    value = _scaled_or_spoken(answer)
    return None if value is None or value != value.to_integral_value() else int(value)


def parse_number(text: str) -> Decimal | None:
    """Read a decimal ("3,5", "3.5", "1.200,5", "402,4 m", "1,5 triệu", "hai phẩy năm"), or None."""
    return politely(_number, text)


def _number(text: str) -> Decimal | None:
    answer = short_answer(text)
    if answer is None:
        return None
    match = _measure(answer)
    if match is not None:
        return _numeral_value(match)
    return _scaled_or_spoken(answer)


def parse_money(text: str) -> int | None:
    """Read an amount in đồng ("45 triệu", "1,2 tỷ", "120.000.000đ", "500k", "không",
    "năm triệu", "hai triệu rưỡi", "dạ 5 triệu ạ"), or None."""
    return politely(_money, text)


def _money(text: str) -> int | None:
    answer = short_answer(text)
    if answer is None:
        return None
    if answer in _ZERO_WORDS:
        return 0
    match = _MONEY.fullmatch(answer)
    total = None if match is None else _money_body(match["body"])
    if match is not None and _COMMA_THOUSANDS.fullmatch(match["body"]):
        total = Decimal(match["body"].replace(",", ""))
    if total is None:
        total = _in_words(answer, currency=True)
    if total is None or total < 0 or total >= NUMBER_LIMIT or total != total.to_integral_value():
        return None
    return int(total)


def _scaled_or_spoken(answer: str) -> Decimal | None:
    """A number with unit words ("45 triệu", "2tr5", "1 tỷ 200 triệu") or in words, or None."""
    match = _MONEY.fullmatch(answer)
    value = None if match is None else _money_body(match["body"])
    if value is None:
        value = _in_words(answer, currency=False)
    if value is None or value.copy_abs() >= NUMBER_LIMIT:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def _in_words(answer: str, *, currency: bool) -> Decimal | None:
    """A number in words after an optional qualifier ("khoảng năm mươi"), then a currency
    ("năm triệu đồng") or up to four unit words ("năm mươi hộ")."""
    words = answer.split()
    # "tám mươi" is 80 before "tầm" (about) is tried: both fold to "tam".
    bodies = [words] + [
        words[len(q.split()) :] for q in _QUALIFIERS if words[: len(q.split())] == q.split()
    ]
    for body in bodies:
        if currency and body and body[-1] in _CURRENCY:
            body = body[:-1]
        most = 0 if currency else min(_MAX_UNIT_WORDS, len(body) - 1)
        for count in range(most + 1):
            numeral, unit = body[: len(body) - count], body[len(body) - count :]
            if unit and not _is_unit(unit, after=numeral):
                continue
            value = parse_words(" ".join(numeral))
            if value is not None:
                return value
    return None


def _is_unit(words: list[str], *, after: list[str]) -> bool:
    """Whether `words` name what is counted, after the numeral `after`.

    After one digit word they never do: "năm nay", "ba mẹ", "một số" are not numbers.
    """
    if len(after) == 1 and after[0].isalpha():
        return False
    return words == _PERCENT or all(
        _UNIT_WORD.fullmatch(word) and word not in NUMERAL_WORDS for word in words
    )


def _money_body(body: str) -> Decimal | None:
    """Sum "1 tỷ 200 triệu"-style components, largest first; or read a plain numeral."""
    total = Decimal(0)
    last_scale: int | None = None
    closed = False  # a decimal or "rưỡi" must end the amount
    pos = 0
    while (match := _COMPONENT.match(body, pos)) is not None:
        scale = _SCALES[match["scale"]]
        value = _numeral_value(match)
        if value is None or value < 0 or closed:
            return None
        if last_scale is not None and (scale >= last_scale or value >= 1000):
            return None
        if match["half"]:
            if _has_fraction(match):
                return None  # "1,5 triệu rưỡi"
            value = _EXACT.add(value, Decimal("0.5"))
        total = _EXACT.add(total, _EXACT.multiply(value, scale))
        closed = _has_fraction(match) or bool(match["half"])
        last_scale = scale
        pos = match.end() + (1 if body[match.end() : match.end() + 1] == " " else 0)
    rest = body[pos:]
    if last_scale is None:
        plain = _AMOUNT.fullmatch(body)
        return None if plain is None else _numeral_value(plain)
    if not rest:
        return total
    if closed or not _SCALE_DECIMALS.fullmatch(rest):
        return None
    return _EXACT.add(total, _EXACT.multiply(Decimal(f"0.{rest}"), last_scale))


def _group(digits: str) -> str:
    """Put a dot between each group of three digits, from the right."""
    head = len(digits) % 3 or 3
    return ".".join([digits[:head], *(digits[i : i + 3] for i in range(head, len(digits), 3))])


def render_int(n: int) -> str:
    """Write a whole number with dot thousands: 1.200, -45.000."""
    grouped = _group(str(abs(n)))
    return f"-{grouped}" if n < 0 else grouped


def render_number(d: Decimal) -> str:
    """Write a decimal with dot thousands and a decimal comma: 402,4; 1.200,5."""
    if not d.is_finite():
        raise ValueError(f"not a finite number: {d}")
    if d.is_zero():
        return "0"
    whole, _, fraction = format(d.copy_abs(), "f").partition(".")
    fraction = fraction.rstrip("0")
    shown = _group(whole) + (f",{fraction}" if fraction else "")
    return f"-{shown}" if d < 0 else shown


def render_money(amount: int) -> str:
    """Write an exact amount: 45.000.000 đồng."""
    return f"{render_int(amount)} đồng"


def render_money_short(amount: int) -> str:
    """Write 45 triệu đồng or 1,2 tỷ đồng when exact, else the full amount."""
    if amount < 10**6 or amount % 10**6:
        return render_money(amount)
    if amount >= 10**9:
        return f"{render_number(_EXACT.divide(Decimal(amount), Decimal(10**9)))} tỷ đồng"
    return f"{render_int(amount // 10**6)} triệu đồng"
