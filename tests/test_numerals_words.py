"""Numbers and money in Vietnamese words, with and without diacritics, and thousands commas."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.parsers import (
    parse_int,
    parse_money,
    parse_number,
    parse_words,
    render_int,
    render_money,
    render_words,
)
from bot.words import fold

# --- words alone --------------------------------------------------------------------------------

WORDS = [
    # units and teens
    ("không", 0),
    ("một", 1),
    ("hai", 2),
    ("ba", 3),
    ("bốn", 4),
    ("năm", 5),
    ("sáu", 6),
    ("bảy", 7),
    ("bẩy", 7),  # a common spelling
    ("tám", 8),
    ("chín", 9),
    ("mười", 10),
    ("muoi", 10),
    ("mười một", 11),
    ("mười hai", 12),
    ("mười bốn", 14),
    ("mười tư", 14),
    ("mười lăm", 15),
    ("muoi lam", 15),
    ("mười chín", 19),
    # tens: mốt, tư, lăm, nhăm after "mươi"
    ("hai mươi", 20),
    ("hai mươi mốt", 21),
    ("hai mươi một", 21),
    ("hai mươi tư", 24),
    ("hai mươi bốn", 24),
    ("hai muoi tu", 24),
    ("ba mươi lăm", 35),
    ("ba mươi nhăm", 35),
    ("bốn mươi mốt", 41),
    ("bon muoi mot", 41),
    ("chín mươi chín", 99),
    ("năm chục", 50),
    ("nam chuc", 50),
    ("một chục", 10),
    ("hai chục rưỡi", 25),
    # hundreds: linh / lẻ, and the spoken tenths "trăm hai" = 120
    ("một trăm", 100),
    ("mot tram", 100),
    ("một trăm linh một", 101),
    ("một trăm linh năm", 105),
    ("ba trăm lẻ năm", 305),
    ("ba tram le nam", 305),
    ("hai trăm lẻ tư", 204),
    ("một trăm mười", 110),
    ("một trăm mười lăm", 115),
    ("một trăm hai mươi", 120),
    ("mot tram hai muoi", 120),
    ("hai trăm năm mươi", 250),
    ("chín trăm chín mươi chín", 999),
    ("trăm hai", 120),
    ("trăm mốt", 110),
    ("một trăm hai", 120),
    ("ba trăm năm", 350),
    ("trăm rưỡi", 150),
    ("hai trăm rưỡi", 250),
    ("hai trăm năm chục", 250),
    # thousands: nghìn / ngàn / ngìn, "không trăm linh"
    ("một nghìn", 1000),
    ("một ngàn", 1000),
    ("một nghìn không trăm linh năm", 1005),
    ("mot nghin khong tram linh nam", 1005),
    ("một nghìn linh một", 1001),
    ("một nghìn mười lăm", 1015),
    ("hai nghìn không trăm hai mươi ba", 2023),
    ("một nghìn hai", 1200),
    ("nghìn rưỡi", 1500),
    ("hai nghìn ba trăm", 2300),
    ("mười nghìn", 10_000),
    ("mười hai nghìn năm trăm", 12_500),
    ("hai mươi lăm nghìn", 25_000),
    ("mười năm nghìn", 15_000),  # "năm" after the tens is read before a unit word
    ("hai chục nghìn", 20_000),
    ("một trăm nghìn", 100_000),
    ("năm trăm nghìn", 500_000),
    ("năm trăm ngàn", 500_000),
    # millions and billions: the digit after the last unit word is tenths of it
    ("năm triệu", 5_000_000),
    ("muoi trieu", 10_000_000),
    ("mười lăm triệu", 15_000_000),
    ("hai mươi năm triệu", 25_000_000),
    ("một triệu hai", 1_200_000),
    ("triệu hai", 1_200_000),
    ("hai triệu tư", 2_400_000),
    ("hai triệu bốn", 2_400_000),
    ("hai triệu năm", 2_500_000),
    ("hai triệu rưỡi", 2_500_000),
    ("hai trieu ruoi", 2_500_000),
    ("triệu rưỡi", 1_500_000),
    ("nửa triệu", 500_000),
    ("nua trieu", 500_000),
    ("hai triệu một trăm nghìn", 2_100_000),
    ("một triệu hai trăm năm mươi nghìn", 1_250_000),
    ("một triệu không trăm linh năm", 1_000_005),
    ("hai triệu không nghìn ba trăm", 2_000_300),
    ("hai tr", 2_000_000),
    ("một tỷ", 10**9),
    ("một tỷ hai", 1_200_000_000),
    ("mot ty hai", 1_200_000_000),
    ("ba tỉ", 3 * 10**9),
    ("một tỷ rưỡi", 1_500_000_000),
    ("tỷ rưỡi", 1_500_000_000),
    ("nửa tỷ", 500_000_000),
    ("một tỷ hai trăm triệu", 1_200_000_000),
    ("một tỷ không trăm năm mươi triệu", 1_050_000_000),
    ("một nghìn tỷ", 10**12),
    # digits standing for a group before a unit word
    ("1 trăm", 100),
    ("5 trăm nghìn", 500_000),
    ("5 trăm k", 500_000),
    ("2 chục", 20),
    ("1 trăm rưỡi", 150),
    ("5 triệu rưỡi", 5_500_000),
    ("2 tỷ 3", 2_300_000_000),
    ("hai tỷ 300 triệu", 2_300_000_000),
    ("năm mươi k", 50_000),
    ("5trieu", 5_000_000),
    # upper case and spacing
    ("MƯỜI LĂM", 15),
    ("Mười Lăm", 15),
    ("  hai   mươi  ", 20),
]


@pytest.mark.parametrize(("typed", "expected"), WORDS)
def test_words_read(typed: str, expected: int) -> None:
    assert parse_words(typed) == expected
    assert parse_words(fold(typed)) == expected  # the same without diacritics


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("hai rưỡi", "2.5"),
        ("mười rưỡi", "10.5"),
        ("hai mươi rưỡi", "20.5"),
        ("hai phẩy năm", "2.5"),
        ("hai phay nam", "2.5"),
        ("không phẩy năm", "0.5"),
        ("ba phẩy mười lăm", "3.15"),
        ("một phẩy hai năm", "1.25"),
        ("một phẩy hai tỷ", "1200000000"),
        ("mười hai phẩy không năm", "12.05"),
    ],
)
def test_words_with_fractions(typed: str, expected: str) -> None:
    assert parse_words(typed) == Decimal(expected)


WORDS_REFUSED = [
    "",
    "   ",
    "12",  # digits alone are the digit readers' business
    "1.200",
    "năm 2023",  # a year, not 5
    "nam 2023",
    "mấy triệu",
    "may chuc",
    "mấy chục",
    "vài trăm",
    "khoảng vài trăm",
    "ba bốn triệu",  # three or four million
    "ba bon trieu",
    "hai ba",
    "năm sáu chục",
    "hai triệu ba trăm",  # 2.300.000 as said, or 2.000.300 as read from digits
    "một tỷ hai trăm",
    "hai triệu năm mươi",
    "một nghìn hai tỷ",  # 1.002 or 1.200 tỷ
    "một trăm hai nghìn",  # 102.000 or 120.000
    "hai trăm năm nghìn",
    "hai mươi năm",  # 25, or twenty years
    "mười năm",
    "nhà văn hóa",
    "triệu",
    "tỷ",
    "trăm",
    "nghìn",
    "chục",
    "rưỡi",
    "nửa",
    "tư",
    "lăm",
    "linh năm",
    "không trăm",
    "không nghìn",
    "không triệu",
    "không rưỡi",
    "một mươi",
    "mười mười",
    "hai triệu lăm",
    "hai triệu ba triệu",
    "một tỷ tỷ",
    "một triệu triệu",
    "một nghìn hai trăm nghìn",
    "hai triệu 500",
    "1,5 triệu",  # decimals in digits are the digit readers' business
    "12 trăm",
    "phẩy năm",
    "ba phẩy",
    "hai phẩy năm phẩy sáu",
    "hai - ba",
    "năm/sáu",
    "hai mươi %",
    "âm năm",
    "một " * 50,
    "hai triệu rưỡi rưỡi",
    "ba mẹ",
    "một số",
]


@pytest.mark.parametrize("typed", WORDS_REFUSED)
def test_words_refused(typed: str) -> None:
    assert parse_words(typed) is None


# --- the round trip: a number, its words, the number ----------------------------------------------

# How people vary the standard reading; each is read as the standard one.
VARIANTS = [
    ("nghìn", "ngàn"),
    ("linh", "lẻ"),
    ("mươi tư", "mươi bốn"),
    ("mươi mốt", "mươi một"),
    ("mươi lăm", "mươi nhăm"),
    ("mươi", "mười"),  # the two fold alike; people mix them up
    ("tỷ", "tỉ"),
    ("bảy", "bẩy"),
]


@pytest.mark.parametrize(
    ("n", "shown"),
    [
        (0, "không"),
        (5, "năm"),
        (10, "mười"),
        (15, "mười lăm"),
        (21, "hai mươi mốt"),
        (24, "hai mươi tư"),
        (25, "hai mươi lăm"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (1005, "một nghìn không trăm linh năm"),
        (2023, "hai nghìn không trăm hai mươi ba"),
        (1_000_005, "một triệu không trăm linh năm"),
        (2_000_300, "hai triệu không nghìn ba trăm"),
        (45_000_000, "bốn mươi lăm triệu"),
        (1_200_000_000, "một tỷ hai trăm triệu"),
        (10**12, "một nghìn tỷ"),
    ],
)
def test_rendered_words(n: int, shown: str) -> None:
    assert render_words(n) == shown
    assert parse_words(shown) == n


@pytest.mark.parametrize("n", [-1, 10**18, -(10**18)])
def test_render_words_refuses_what_it_cannot_write(n: int) -> None:
    with pytest.raises(ValueError):
        render_words(n)


NUMBERS = st.one_of(
    st.integers(0, 10**12),
    st.integers(0, 9_999),
    st.integers(0, 10**18 - 1),
    st.sampled_from([10**k for k in range(13)]),
    st.builds(lambda a, b: a * 10**6 + b, st.integers(0, 999), st.integers(0, 999)),
    st.builds(lambda a, b: a * 10**9 + b, st.integers(0, 999), st.integers(0, 999)),
)


@given(NUMBERS)
def test_words_round_trip(n: int) -> None:
    words = render_words(n)
    assert parse_words(words) == n
    assert parse_words(fold(words)) == n
    assert parse_words(words.upper()) == n


@settings(max_examples=300)
@given(n=NUMBERS, seed=st.integers(0, 2**32 - 1))
def test_words_round_trip_with_variants(n: int, seed: int) -> None:
    rng = random.Random(seed)
    words = render_words(n)
    for standard, variant in VARIANTS:
        if rng.random() < 0.5:
            words = words.replace(standard, variant)
    if rng.random() < 0.5:
        words = fold(words)
    assert parse_words(words) == n, words
    assert parse_int(words) == n, words
    assert parse_money(f"{words} đồng") == n, words


@given(st.integers(0, 10**12))
def test_words_and_digits_agree(n: int) -> None:
    assert parse_int(render_words(n)) == parse_int(render_int(n)) == n


# --- words through the number, integer and money readers ----------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("mười hai", 12),
        ("muoi hai", 12),
        ("không", 0),
        ("khong", 0),
        ("ba mươi hộ", 30),
        ("khoảng năm mươi hộ", 50),
        ("khoang nam muoi ho", 50),
        ("tám mươi", 80),  # "tám", not "tầm" (about) before "mươi"
        ("tầm tám mươi", 80),
        ("trên hai trăm người", 200),
        ("một trăm hai mươi bóng đèn", 120),
        ("năm mươi phần trăm", 50),
        ("hai nghìn hộ", 2000),
        ("2 nghìn hộ", 2000),
        ("1 trăm", 100),
        ("5,000,000", 5_000_000),
        ("5.000.000", 5_000_000),
        ("dạ mười hai hộ ạ", 12),
    ],
)
def test_int_in_words(typed: str, expected: int) -> None:
    assert parse_int(typed) == expected
    assert parse_number(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "năm 2023",
        "năm nay",  # "this year"
        "ba mẹ",
        "một số",
        "một vài",
        "năm hộ",  # one digit word and a unit: too often not a number
        "mấy triệu",
        "khoảng vài trăm",
        "ba bốn triệu",
        "nhà văn hóa",
        "hai mươi năm",
        "hai rưỡi",  # 2,5 is no whole number
        "hai phẩy năm",
        "mười hai hộ dân cư ở khu phố",  # more than four unit words
        "hai mươi năm hộ",
        "khoảng",
    ],
)
def test_int_words_refused(typed: str) -> None:
    assert parse_int(typed) is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("năm triệu", 5_000_000),
        ("nam trieu", 5_000_000),
        ("năm triệu đồng", 5_000_000),
        ("muoi trieu", 10_000_000),
        ("mười triệu đồng", 10_000_000),
        ("hai triệu rưỡi", 2_500_000),
        ("5 triệu rưỡi", 5_500_000),
        ("hai triệu tư", 2_400_000),
        ("một triệu hai", 1_200_000),
        ("một tỷ hai", 1_200_000_000),
        ("một tỷ hai trăm triệu đồng", 1_200_000_000),
        ("nửa triệu", 500_000),
        ("năm trăm nghìn", 500_000),
        ("năm trăm ngàn đồng", 500_000),
        ("năm chục nghìn", 50_000),
        ("hai trăm k", 200_000),
        ("khoảng năm mươi triệu", 50_000_000),
        ("gần hai trăm triệu", 200_000_000),
        ("dự kiến bốn mươi lăm triệu đồng", 45_000_000),
        ("không đồng", 0),
        ("một phẩy hai tỷ", 1_200_000_000),
        # thousands separators
        ("5,000,000", 5_000_000),
        ("5,000,000 đồng", 5_000_000),
        ("5.000.000", 5_000_000),
        ("500,000", 500_000),  # đồng have no decimals: a comma before three digits is thousands
        ("1,200", 1200),
        ("1,5 triệu", 1_500_000),
        ("2,5 tỷ", 2_500_000_000),
        ("1,234,567,000đ", 1_234_567_000),
    ],
)
def test_money_in_words(typed: str, expected: int) -> None:
    assert parse_money(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "mấy triệu",
        "vài triệu",
        "ba bốn triệu",
        "hai triệu ba trăm",  # ambiguous: asked again
        "năm 2023",
        "hai rưỡi",  # 2,5 đồng
        "năm triệu hộ",
        "nhà văn hóa",
        "triệu",
        "5,000,000.5",
        "0,500",
        "45,50",
        "1,2345",
    ],
)
def test_money_words_refused(typed: str) -> None:
    assert parse_money(typed) is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2,5", "2.5"),  # a comma is a decimal mark
        ("2.5", "2.5"),
        ("1,200", "1.2"),  # one group after a comma: still a decimal, as before
        ("1.200", "1200"),
        ("5,000,000", "5000000"),
        ("1,234,567", "1234567"),
        ("-5,000,000", "-5000000"),
    ],
)
def test_separators(typed: str, expected: str) -> None:
    assert parse_number(typed) == Decimal(expected)


@pytest.mark.parametrize(
    "typed", ["5,000,000.5", "5,000,00", "5,0000,000", "05,000,000", "1,200.5"]
)
def test_separators_refused(typed: str) -> None:
    assert parse_number(typed) is None


@given(st.integers(1000, 10**17))
def test_comma_thousands_round_trip(n: int) -> None:
    typed = render_int(n).replace(".", ",")
    assert parse_money(typed) == n
    if n >= 10**6:  # two groups or more: no decimal could be meant
        assert parse_int(typed) == n


@given(st.integers(0, 10**15))
def test_money_render_still_round_trips(n: int) -> None:
    assert parse_money(render_money(n)) == n


# --- never an exception ---------------------------------------------------------------------------

# Pieces of numerals, joined at random, so that generated text reaches deep into the grammar.
_PIECES = [
    *"0123456789.,  ", "không ", "một ", "hai ", "ba ", "bốn ", "tư ", "năm ", "lăm ", "mười ",
    "mươi ", "mốt ", "linh ", "lẻ ", "trăm ", "chục ", "nghìn ", "ngàn ", "triệu ", "tr", "k",
    "tỷ ", "rưỡi ", "nửa ", "phẩy ", "đồng ", "khoảng ", "hộ ", "ạ ", "dạ ",
]  # fmt: skip
NUMERAL_PIECES = st.lists(st.sampled_from(_PIECES), max_size=25).map("".join)


@settings(max_examples=400)
@given(st.one_of(st.text(), NUMERAL_PIECES))
def test_number_readers_never_raise(text: str) -> None:
    value = parse_words(text)
    assert value is None or (value.is_finite() and 0 <= value < 10**18)
    whole, number, money = parse_int(text), parse_number(text), parse_money(text)
    assert whole is None or abs(whole) < 10**18
    assert number is None or abs(number) < 10**18
    assert money is None or 0 <= money < 10**18
