"""Whole numbers, decimals and money, Vietnamese style: dot for thousands, comma for decimals."""

from __future__ import annotations

import re
from decimal import Context, Decimal

from bot.parsers._text import short_answer

# Stored values fit a signed 64-bit integer; a longer run of digits is a typo or a phone number.
# It also keeps every value far from Python's 4,300-digit limit on int <-> text conversion.
_MAX_DIGITS = 18
MAX_FRACTION_DIGITS = 12
NUMBER_LIMIT = 10**_MAX_DIGITS  # every number read is strictly smaller in absolute value
# Wide enough that no product of an accepted numeral and a scale is ever rounded.
_EXACT = Context(prec=60)

# One numeral: "1.200" and "1 200" (thousands), "3,5" and "3.5" (decimals), "1.200,5".
# A dot followed by exactly three digits after a 1–3 digit lead is a thousands mark; any other
# single dot is a decimal mark. "1.2.3" matches neither branch in full.
_NUMERAL = (
    r"(?P<sign>[-+\u2212])?"
    r"(?:(?P<grouped>[1-9][0-9]{0,2}(?:\.[0-9]{3})+|[1-9][0-9]{0,2}(?: [0-9]{3})+)"
    r"(?:,(?P<gfrac>[0-9]+))?"
    r"|(?P<plain>[0-9]+)(?:[.,](?P<pfrac>[0-9]+))?)"
)

# Words before a number that make it approximate or a bound; the number is kept as given.
_QUALIFIER = (
    r"(?:khoang chung|khoang|chung|tam|gan|tren|hon|duoi|uoc tinh|uoc|du kien|tong cong|tong)"
)
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


def _numeral_value(match: re.Match[str]) -> Decimal | None:
    """The signed value of a matched numeral, or None when it has too many digits."""
    whole = (match["grouped"] or match["plain"]).replace(".", "").replace(" ", "")
    fraction = match["gfrac"] or match["pfrac"] or ""
    if len(whole.lstrip("0")) > _MAX_DIGITS or len(fraction) > MAX_FRACTION_DIGITS:
        return None
    value = Decimal(f"{whole}.{fraction}" if fraction else whole)
    if match["sign"] in ("-", "\u2212") and value:
        return -value
    return value


def _has_fraction(match: re.Match[str]) -> bool:
    return bool(match["gfrac"] or match["pfrac"])


def _measure(text: str) -> re.Match[str] | None:
    """Match an integer or decimal answer; a magnitude word after the number refuses it."""
    answer = short_answer(text)
    if answer is None:
        return None
    match = _MEASURE.fullmatch(answer)
    if match is None or not match["unit"]:
        return match
    words = match["unit"].split()
    if _MAGNITUDES & set(words) or _EXPONENT.fullmatch(words[0]):
        return None
    return match


def parse_int(text: str) -> int | None:
    """Read a whole number ("12", "1.200", "1 200", "-5", "12 hộ"), or None."""
    match = _measure(text)
    if match is None or _has_fraction(match):
        return None
    value = _numeral_value(match)
    return None if value is None else int(value)


def parse_number(text: str) -> Decimal | None:
    """Read a decimal ("3,5", "3.5", "1.200,5", "0,75", "402,4 m"), or None."""
    match = _measure(text)
    return None if match is None else _numeral_value(match)


def parse_money(text: str) -> int | None:
    """Read an amount in đồng ("45 triệu", "1,2 tỷ", "120.000.000đ", "500k", "không"), or None."""
    answer = short_answer(text)
    if answer is None:
        return None
    if answer in _ZERO_WORDS:
        return 0
    match = _MONEY.fullmatch(answer)
    total = None if match is None else _money_body(match["body"])
    if total is None or total < 0 or total >= NUMBER_LIMIT or total != total.to_integral_value():
        return None
    return int(total)


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
