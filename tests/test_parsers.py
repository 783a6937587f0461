"""What people type in answer to form questions, read back exactly, or refused with None."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.choices import pick_option
from bot.parsers import (
    DateValue,
    parse_choice,
    parse_date,
    parse_int,
    parse_money,
    parse_multichoice,
    parse_number,
    parse_yesno,
    render_date,
    render_int,
    render_money,
    render_money_short,
    render_number,
    render_yesno,
)
from bot.parsers.options import _key

OPTIONS = ["An sinh xã hội", "Giao thông, hẻm, đường", "Điện chiếu sáng"]
# A campaign inside one calendar year, and one across two (where "15/10" could mean either).
YEAR_2023 = (date(2023, 3, 1), date(2023, 11, 30))
ACROSS = (date(2023, 10, 1), date(2024, 10, 31))

# Texts no parser may accept, whatever it reads.
JUNK = [
    "",
    " ",
    "\n\t ",
    "🙂",
    "👍👍👍",
    "十二",
    "١٢",  # Arabic-Indic digits: NFKC keeps them, the parsers read ASCII digits only
    "двенадцать",
    "12\x00",
    "\x0012",
    "1" * 10_000,
    "a" * 10_000,
    "30/11/2023 " * 1_000,
    "không " * 2_000,
    "1.2.3",
    "abc",
]


def _day(y: int, m: int, d: int) -> DateValue:
    return DateValue(date(y, m, d), "day")


def _month(y: int, m: int) -> DateValue:
    return DateValue(date(y, m, 1), "month")


# --- integers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12", 12),
        ("0", 0),
        ("007", 7),
        ("1.200", 1200),
        ("1.200.000", 1_200_000),
        ("1 200", 1200),
        ("1 200 000", 1_200_000),
        ("-5", -5),
        ("+5", 5),
        ("\u22125", -5),  # the Unicode minus sign
        ("-0", 0),
        ("  12  ", 12),
        ("12.", 12),
        ("１２", 12),  # full-width digits from some keyboards
        ("12 hộ", 12),
        ("12 ho", 12),
        ("12hộ", 12),
        ("40 bóng", 40),
        ("40 bóng đèn", 40),
        ("150m", 150),
        ("50 m2", 50),
        ("73%", 73),
        ("khoảng 50 hộ", 50),
        ("trên 30", 30),
        ("Tổng cộng 1.200 hộ", 1200),
        ("999.999.999.999.999.999", 999_999_999_999_999_999),
        ("5,000,000", 5_000_000),  # two groups of three after commas: thousands, not decimals
        ("1,234,567 hộ", 1_234_567),
        # A magnitude is read as what it says, not as a unit after the number.
        ("2 nghìn", 2000),
        ("45 triệu", 45_000_000),
        ("45tr", 45_000_000),
        ("500k", 500_000),
        ("3 trăm", 300),
        ("2 nghìn hộ", 2000),
        ("mười hai", 12),
        ("dạ 12 ạ", 12),
    ],
)
def test_int_accepted(typed: str, expected: int) -> None:
    assert parse_int(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        *JUNK,
        "1,200",  # a comma is a decimal mark: this is 1,2, not an integer
        "1,0",
        "1.5",
        "1.20",
        "1.2345",
        "12 hộ 13",
        "12 hay 13",
        "12-15",
        "12, 13",
        "1 2",
        "12 3456",
        "2 rưỡi",  # 2,5
        "1,5 triệu rưỡi",
        "5,000,000.5",
        "5,000,00",
        "30/11",
        "12 hộ dân cư ở khu phố",  # more than four unit words is prose
        "hộ 12",
        "1.000.000.000.000.000.000",  # 19 digits
        "--5",
        "- 5",
    ],
)
def test_int_refused(typed: str) -> None:
    assert parse_int(typed) is None


# --- decimals -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("3,5", "3.5"),
        ("3.5", "3.5"),
        ("0,75", "0.75"),
        ("0.75", "0.75"),
        ("0.750", "0.75"),  # no thousands group starts with 0
        ("12.34", "12.34"),
        ("1.2345", "1.2345"),  # not three digits after the dot: a decimal
        ("1.200", "1200"),  # three digits after a short lead: thousands
        ("1.200,5", "1200.5"),
        ("1 200,5", "1200.5"),
        ("1.234.567,89", "1234567.89"),
        ("1234.500", "1234.5"),  # a four-digit lead cannot be a thousands group
        ("1,200", "1.2"),
        ("402,4 m", "402.4"),
        ("-3,5", "-3.5"),
        ("12", "12"),
        ("khoảng 2,5 ha", "2.5"),
        ("73,5%", "73.5"),
        ("5,000,000", "5000000"),
        ("3,5 triệu", "3500000"),
        ("1,5 nghìn", "1500"),
        ("2 rưỡi", "2.5"),
        ("hai phẩy năm", "2.5"),
        ("3,5 ạ", "3.5"),
    ],
)
def test_number_accepted(typed: str, expected: str) -> None:
    assert parse_number(typed) == Decimal(expected)


@pytest.mark.parametrize(
    "typed",
    [
        *JUNK,
        "1.2.3",
        "1.200.5",
        "1,2,3",
        "1,200.5",  # English style
        ",5",
        ".5",
        "3,5 và 4",
        "1,5 triệu 200 nghìn",
        "0," + "1" * 13,  # more decimals than anyone types
    ],
)
def test_number_refused(typed: str) -> None:
    assert parse_number(typed) is None


def test_number_keeps_the_digits_typed() -> None:
    assert str(parse_number("3,50")) == "3.50"
    assert str(parse_number("1.200")) == "1200"


# --- money --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("45 triệu", 45_000_000),
        ("45 Triệu", 45_000_000),
        ("45tr", 45_000_000),
        ("45 tr", 45_000_000),
        ("45tr.", 45_000_000),
        ("45trieu", 45_000_000),
        ("45 trieu dong", 45_000_000),
        ("45 triệu đồng", 45_000_000),
        ("45 triệu VNĐ", 45_000_000),
        ("1,2 tỷ", 1_200_000_000),
        ("1,2 ty", 1_200_000_000),
        ("1,2 tỉ", 1_200_000_000),
        ("1.2 tỷ", 1_200_000_000),
        ("1,2 tỷ đồng", 1_200_000_000),
        ("1,2345 tỷ", 1_234_500_000),
        ("1.200 tỷ đồng", 1_200_000_000_000),
        ("120.000.000 đồng", 120_000_000),
        ("120.000.000đ", 120_000_000),
        ("120.000.000 đ", 120_000_000),
        ("120.000.000₫", 120_000_000),
        ("120.000.000", 120_000_000),
        ("120000000", 120_000_000),
        ("120 000 000", 120_000_000),
        ("45000000 đồng", 45_000_000),
        ("500 nghìn", 500_000),
        ("500 ngàn", 500_000),
        ("500k", 500_000),
        ("500K", 500_000),
        ("1 tỷ 200 triệu", 1_200_000_000),
        ("1 tỷ 200 triệu 500 nghìn", 1_200_500_000),
        ("1 tỷ 2,5 triệu", 1_002_500_000),
        ("2 triệu rưỡi", 2_500_000),
        ("2tr rưỡi", 2_500_000),
        ("1 tỷ rưỡi", 1_500_000_000),
        ("2tr5", 2_500_000),  # digits after the last scale are its decimals
        ("2 triệu 5", 2_500_000),
        ("2tr05", 2_050_000),
        ("1 tỷ 2", 1_200_000_000),
        ("1 tỷ 250", 1_250_000_000),
        ("1k5", 1500),
        ("0", 0),
        ("0 đồng", 0),
        ("0đ", 0),
        ("không", 0),
        ("Không", 0),
        ("khong", 0),
        ("ko", 0),
        ("không đồng", 0),
        ("không có", 0),
        ("trên 70 triệu", 70_000_000),
        ("gần 200 triệu", 200_000_000),
        ("khoảng 50 triệu", 50_000_000),
        ("hơn 10 triệu", 10_000_000),
        ("dự kiến 45 triệu đồng", 45_000_000),
        ("0,5 triệu", 500_000),
    ],
)
def test_money_accepted(typed: str, expected: int) -> None:
    assert parse_money(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        *JUNK,
        "-5 triệu",
        "-45000000",
        "45,5",  # half a đồng
        "1,0000000005 tỷ",
        "triệu",
        "đồng",
        "tr",
        "2 rưỡi",
        "200 triệu 1 tỷ",  # smaller scale first
        "1 tỷ 1500 triệu",
        "1 tỷ 1 tỷ",
        "1,5 triệu 200 nghìn",  # a decimal must end the amount
        "2 triệu rưỡi 5",
        "1,5 triệu rưỡi",
        "1 triệu 5000",
        "45 triệu cho 3 hạng mục",
        "45 triệu, 50 triệu",
        "45 km",
        "k",
        "1.2.3 tỷ",
        "1.000.000 tỷ tỷ",
        "1.000.000.000 tỷ",  # 10^18: beyond what is stored
    ],
)
def test_money_refused(typed: str) -> None:
    assert parse_money(typed) is None


# --- yes / no -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["có", "Có", "CÓ", "co", "c", "C", "1", "yes", "Yes", "y", "ừ", "ừm", "uh", "đúng", "dung",
     "đúng rồi", "rồi", "có rồi", "dạ", "vâng", "dạ có", "có ạ", "Dạ, có ạ.", "vâng ạ", "được",
     "đồng ý", "ok", "OK", "👍", "👍🏻", "Có!", " có "],
)  # fmt: skip
def test_yes(typed: str) -> None:
    assert parse_yesno(typed) is True


@pytest.mark.parametrize(
    "typed",
    ["không", "Không", "KHÔNG", "khong", "k", "K", "ko", "kh", "khg", "0", "no", "No", "n",
     "chưa", "chua", "chưa có", "không có", "không ạ", "dạ không", "dạ chưa ạ", "không phải",
     "sai", "👎", "Không."],
)  # fmt: skip
def test_no(typed: str) -> None:
    assert parse_yesno(typed) is False


@pytest.mark.parametrize(
    "typed",
    [*JUNK, "có không", "có, không", "2", "dạ thưa", "ạ", "có lẽ", "maybe", "có 12 hộ", "cos"],
)
def test_yesno_refused(typed: str) -> None:
    assert parse_yesno(typed) is None


# --- choice -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1", 0),
        ("2", 1),
        ("2.", 1),
        ("2)", 1),
        (" 2 ", 1),
        ("số 3", 2),
        ("An sinh xã hội", 0),  # exact
        ("an sinh xa hoi", 0),
        ("AN SINH", 0),  # start
        ("a", 0),
        ("giao thong hem duong", 1),  # punctuation never decides
        ("giao thông, hẻm", 1),
        ("hẻm", 1),  # a piece from a word start, three letters or more
        ("chieu sang", 2),
        ("dien", 2),
    ],
)
def test_choice_accepted(typed: str, expected: int) -> None:
    assert parse_choice(typed, OPTIONS) == expected


@pytest.mark.parametrize(
    "typed",
    [*JUNK, "0", "4", "-1", "1,3", "1 3", "xa hoi duong", "ang", "ieu sang", "đường sắt"],
)
def test_choice_refused(typed: str) -> None:
    assert parse_choice(typed, OPTIONS) is None


@pytest.mark.parametrize(
    ("typed", "options", "expected"),
    [
        ("c", ["Có", "Chưa"], None),  # two options start with it
        ("co", ["Có", "Có, một phần"], 0),  # exact beats start
        ("co", ["Có", "Có"], None),  # identical options are never guessed between
        ("hoi", ["Hội Phụ nữ", "Hội Cựu chiến binh"], None),
        ("nu", ["Hội Phụ nữ", "Hội Cựu chiến binh"], None),  # too short for a piece
        ("chien binh", ["Hội Phụ nữ", "Hội Cựu chiến binh"], 1),
        ("2021", ["2020", "2021"], 1),  # no option 2021, so the text decides
        ("1", ["3", "1"], 0),  # positions come first: the list is shown numbered
        ("1", [], None),
        ("abc", [], None),
    ],
)
def test_choice_edge_cases(typed: str, options: list[str], expected: int | None) -> None:
    assert parse_choice(typed, options) == expected


def test_pick_option_is_parse_choice() -> None:
    assert pick_option is parse_choice


# --- multichoice --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1,3", [0, 2]),
        ("1, 3", [0, 2]),
        ("1 ,3", [0, 2]),
        ("1 3", [0, 2]),
        ("1;3", [0, 2]),
        ("1; 3", [0, 2]),
        ("1 và 3", [0, 2]),
        ("3,1", [0, 2]),
        ("3,1,3", [0, 2]),
        ("1,3,", [0, 2]),
        ("1,3.", [0, 2]),
        ("2", [1]),
        ("1 2 3", [0, 1, 2]),
        ("an sinh, dien", [0, 2]),
        ("an sinh, giao thong", [0, 1]),
        ("an sinh và giao thông", [0, 1]),
        ("Giao thông, hẻm, đường", [1]),  # the whole answer is one option with commas
        ("giao thong, hem, duong", [1]),
        ("1, điện chiếu sáng", [0, 2]),
        ("tất cả", [0, 1, 2]),
        ("Tat ca", [0, 1, 2]),
    ],
)
def test_multichoice_accepted(typed: str, expected: list[int]) -> None:
    assert parse_multichoice(typed, OPTIONS) == expected


@pytest.mark.parametrize(
    "typed",
    [
        *JUNK,
        ",",
        ", ,",
        "1,4",
        "0",
        "1-3",
        "1,3-",
        "13",
        "1 và",
        "an sinh, đường sắt",
        "an sinh dien",
    ],
)
def test_multichoice_refused(typed: str) -> None:
    assert parse_multichoice(typed, OPTIONS) is None


def test_multichoice_without_options() -> None:
    assert parse_multichoice("1", []) is None
    assert parse_multichoice("tất cả", []) is None


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("30/11/2023", _day(2023, 11, 30)),
        ("30/11/23", _day(2023, 11, 30)),
        ("30-11-2023", _day(2023, 11, 30)),
        ("30.11.2023", _day(2023, 11, 30)),
        ("30 / 11 / 2023", _day(2023, 11, 30)),
        ("07/02/2023", _day(2023, 2, 7)),
        ("7/2/2023", _day(2023, 2, 7)),
        ("30/11/2023.", _day(2023, 11, 30)),
        ("ngày 30/11/2023", _day(2023, 11, 30)),
        ("Ngày 30/11/2023", _day(2023, 11, 30)),
        ("ngay 30-11-2023", _day(2023, 11, 30)),
        ("ngày 30 tháng 11 năm 2023", _day(2023, 11, 30)),
        ("Ngay 30 thang 11 nam 2023", _day(2023, 11, 30)),
        ("ngày 30 tháng 11, năm 2023", _day(2023, 11, 30)),
        ("30 tháng 11 năm 2023", _day(2023, 11, 30)),
        ("29/02/2024", _day(2024, 2, 29)),
        ("1/1/1900", _day(1900, 1, 1)),
        ("31/12/2100", _day(2100, 12, 31)),
        ("15/06/2031", _day(2031, 6, 15)),  # a typed year is kept, even outside the period
        # no year: the one inside the period
        ("30/11", _day(2023, 11, 30)),
        ("ngày 30 tháng 11", _day(2023, 11, 30)),
        ("30 tháng 11", _day(2023, 11, 30)),
        ("1/3", _day(2023, 3, 1)),
        ("8-8", _day(2023, 8, 8)),
        ("23.5", _day(2023, 5, 23)),
        # no year and outside the period: the closest year
        ("15/12", _day(2023, 12, 15)),
        ("1/2", _day(2023, 2, 1)),
        ("29/2", _day(2024, 2, 29)),  # 2023 has no 29 February
    ],
)
def test_date_accepted(typed: str, expected: DateValue) -> None:
    assert parse_date(typed, period=YEAR_2023) == expected
    # A day is still a day when the question allows a month.
    assert parse_date(typed, period=YEAR_2023, precision="month") == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("tháng 11/2023", _month(2023, 11)),
        ("Tháng 11/2023", _month(2023, 11)),
        ("thang 11-2023", _month(2023, 11)),
        ("tháng 11/23", _month(2023, 11)),
        ("11/2023", _month(2023, 11)),
        ("11-2023", _month(2023, 11)),
        ("11.2023", _month(2023, 11)),
        ("3/2024", _month(2024, 3)),
        ("tháng 11 năm 2023", _month(2023, 11)),
        ("tháng 11, năm 2023", _month(2023, 11)),
        ("tháng 11", _month(2023, 11)),
        ("tháng 12", _month(2023, 12)),  # closest to the period's end
        ("tháng 1", _month(2023, 1)),
    ],
)
def test_month_accepted(typed: str, expected: DateValue) -> None:
    assert parse_date(typed, period=YEAR_2023, precision="month") == expected
    # A question that needs a day refuses a month, so the caller asks for the day.
    assert parse_date(typed, period=YEAR_2023) is None


@pytest.mark.parametrize(
    "typed",
    [
        *JUNK,
        "31/02/2023",
        "29/02/2023",
        "0/12/2023",
        "32/1/2023",
        "1/13/2023",
        "1/0/2023",
        "31/4",
        "0869.906.299",
        "0869906299",
        "30/4/1975 - 30/4/2025",
        "(30/4/1975 - 30/4/2025)",
        "30/11/2023, 1/12/2023",
        "30/11/2023 hoặc 1/12/2023",
        "30/11 30/12",
        "30/11/1899",
        "1/1/2101",
        "30/11/123",
        "30/11/02023",
        "30/11-2023",  # mixed separators
        "11/30/2023",  # month first is not read
        "2023-11-30",
        "30112023",
        "ngày",
        "tháng 13/2023",
        "tháng 0",
        "năm 2023",
        "2023",
        "trước ngày 30/11/2023",
        "30/11/2023 lúc 8 giờ",
    ],
)
def test_date_refused(typed: str) -> None:
    assert parse_date(typed, period=YEAR_2023) is None
    assert parse_date(typed, period=YEAR_2023, precision="month") is None


@pytest.mark.parametrize(
    ("typed", "precision", "expected"),
    [
        ("15/9", "day", _day(2024, 9, 15)),  # only in 2024 inside the period
        ("15/11", "day", _day(2023, 11, 15)),
        ("15/10", "day", None),  # both 2023 and 2024 are inside: ask for the year
        ("tháng 10", "month", None),
        ("tháng 11", "month", _month(2023, 11)),
        ("tháng 9", "month", _month(2024, 9)),
        ("30/10/2024", "day", _day(2024, 10, 30)),
    ],
)
def test_year_across_two_years(typed: str, precision: Any, expected: DateValue | None) -> None:
    assert parse_date(typed, period=ACROSS, precision=precision) == expected


def test_period_given_backwards_is_the_same_period() -> None:
    assert parse_date("15/9", period=(ACROSS[1], ACROSS[0])) == _day(2024, 9, 15)


def test_one_day_period() -> None:
    day = (date(2024, 1, 1), date(2024, 1, 1))
    assert parse_date("31/12", period=day) == _day(2023, 12, 31)
    assert parse_date("2/1", period=day) == _day(2024, 1, 2)


# --- renderers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("render", "value", "shown"),
    [
        (render_int, 0, "0"),
        (render_int, 12, "12"),
        (render_int, 1200, "1.200"),
        (render_int, 120_000_000, "120.000.000"),
        (render_int, -45_000, "-45.000"),
        (render_number, Decimal("402.4"), "402,4"),
        (render_number, Decimal("1200.5"), "1.200,5"),
        (render_number, Decimal("3.50"), "3,5"),
        (render_number, Decimal("1E+3"), "1.000"),
        (render_number, Decimal("-0.75"), "-0,75"),
        (render_number, Decimal("-0"), "0"),
        (render_number, Decimal("0.000"), "0"),
        (render_money, 45_000_000, "45.000.000 đồng"),
        (render_money, 0, "0 đồng"),
        (render_money_short, 45_000_000, "45 triệu đồng"),
        (render_money_short, 450_000_000, "450 triệu đồng"),
        (render_money_short, 1_000_000, "1 triệu đồng"),
        (render_money_short, 1_200_000_000, "1,2 tỷ đồng"),
        (render_money_short, 1_000_000_000, "1 tỷ đồng"),
        (render_money_short, 12_345_000_000, "12,345 tỷ đồng"),
        (render_money_short, 1_200_000_000_000, "1.200 tỷ đồng"),
        (render_money_short, 500_000, "500.000 đồng"),
        (render_money_short, 0, "0 đồng"),
        (render_money_short, 1_500_000, "1.500.000 đồng"),  # not a whole number of triệu
        (render_money_short, 1_000_500_000, "1.000.500.000 đồng"),
        (render_yesno, True, "Có"),
        (render_yesno, False, "Không"),
        (render_date, _day(2023, 11, 30), "30/11/2023"),
        (render_date, _day(2024, 3, 5), "05/03/2024"),
        (render_date, _month(2023, 11), "tháng 11/2023"),
        (render_date, _month(2024, 3), "tháng 3/2024"),
    ],
)
def test_rendered(render: Callable[[Any], str], value: object, shown: str) -> None:
    assert render(value) == shown


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")])
def test_render_number_refuses_non_numbers(value: Decimal) -> None:
    with pytest.raises(ValueError):
        render_number(value)


# --- properties ---------------------------------------------------------------------------------

# Characters the grammars care about, so that generated text reaches deep into them.
GRAMMAR = st.text(
    alphabet=st.sampled_from(list("0123456789.,/-+ %kKđĐtrạiệuỷngàyáhmcóôkhôkvà;")),
    max_size=30,
)
ANY_TEXT = st.one_of(st.text(), GRAMMAR)
PERIODS = st.tuples(
    st.dates(date(1890, 1, 1), date(2110, 12, 31)), st.dates(date(1890, 1, 1), date(2110, 12, 31))
)
DATES = st.dates(date(1900, 1, 1), date(2100, 12, 31))


@given(text=ANY_TEXT, period=PERIODS)
def test_no_parser_raises(text: str, period: tuple[date, date]) -> None:
    parse_int(text)
    parse_number(text)
    parse_money(text)
    parse_yesno(text)
    parse_choice(text, OPTIONS)
    parse_multichoice(text, OPTIONS)
    parse_date(text, period=period)
    parse_date(text, period=period, precision="month")


@given(text=ANY_TEXT, options=st.lists(st.text(max_size=20), max_size=6))
def test_option_parsers_never_raise_and_stay_in_range(text: str, options: list[str]) -> None:
    index = parse_choice(text, options)
    assert index is None or 0 <= index < len(options)
    indexes = parse_multichoice(text, options)
    assert indexes is None or (indexes == sorted(set(indexes)) and indexes)
    assert indexes is None or all(0 <= i < len(options) for i in indexes)


@given(st.integers(-(10**18) + 1, 10**18 - 1))
def test_int_round_trip(n: int) -> None:
    assert parse_int(render_int(n)) == n


@given(
    st.decimals(
        min_value=-(10**15), max_value=10**15, places=3, allow_nan=False, allow_infinity=False
    )
)
def test_number_round_trip(d: Decimal) -> None:
    assert parse_number(render_number(d)) == d


@given(st.one_of(st.integers(0, 10**18 - 1), st.integers(0, 10**9).map(lambda n: n * 10**6)))
def test_money_round_trip(amount: int) -> None:
    assert parse_money(render_money(amount)) == amount
    assert parse_money(render_money_short(amount)) == amount


@given(day=DATES, period=PERIODS)
def test_day_round_trip(day: date, period: tuple[date, date]) -> None:
    value = DateValue(day, "day")
    assert parse_date(render_date(value), period=period) == value
    assert parse_date(render_date(value), period=period, precision="month") == value


@given(day=DATES, period=PERIODS)
def test_month_round_trip(day: date, period: tuple[date, date]) -> None:
    value = DateValue(day.replace(day=1), "month")
    assert parse_date(render_date(value), period=period, precision="month") == value


@given(
    day=st.dates(date(1901, 1, 1), date(2099, 12, 31)),
    before=st.integers(0, 364),
    length=st.integers(0, 364),
)
def test_year_less_answer_lands_in_a_short_period(day: date, before: int, length: int) -> None:
    # Within a period shorter than a year a day and month name exactly one date.
    start = day - timedelta(days=min(before, length))
    period = (start, start + timedelta(days=length))
    assert parse_date(f"{day.day}/{day.month}", period=period) == DateValue(day, "day")


@given(st.booleans())
def test_yesno_round_trip(b: bool) -> None:
    assert parse_yesno(render_yesno(b)) is b


@given(options=st.lists(st.text(min_size=1, max_size=20), min_size=1, max_size=12), data=st.data())
def test_choice_by_number(options: list[str], data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(options) - 1))
    assert parse_choice(str(i + 1), options) == i
    assert parse_choice(f"{i + 1}.", options) == i


# Option texts as a secretary writes them: Vietnamese words joined by spaces or punctuation.
WORD = st.text(
    alphabet=st.sampled_from(list("aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạếồởữự")), min_size=1
)
LABEL = st.lists(WORD, min_size=1, max_size=4).flatmap(
    lambda words: st.sampled_from([" ", ", ", " - ", "/", " ("]).map(lambda sep: sep.join(words))
)
DISTINCT_OPTIONS = st.lists(LABEL, min_size=1, max_size=8, unique_by=_key)
ONE_WORD_OPTIONS = st.lists(WORD, min_size=1, max_size=8, unique_by=_key)


@given(options=DISTINCT_OPTIONS, data=st.data())
def test_choice_by_text(options: list[str], data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(options) - 1))
    assert parse_choice(options[i], options) == i


@given(options=DISTINCT_OPTIONS, data=st.data())
def test_multichoice_by_numbers(options: list[str], data: st.DataObject) -> None:
    chosen = data.draw(st.lists(st.integers(0, len(options) - 1), min_size=1))
    expected = sorted(set(chosen))
    assert parse_multichoice(",".join(str(i + 1) for i in chosen), options) == expected
    assert parse_multichoice(" ".join(str(i + 1) for i in chosen), options) == expected


@given(options=ONE_WORD_OPTIONS, data=st.data())
def test_multichoice_by_texts(options: list[str], data: st.DataObject) -> None:
    chosen = data.draw(st.lists(st.integers(0, len(options) - 1), min_size=1))
    typed = ", ".join(options[i] for i in chosen)
    assert parse_multichoice(typed, options) == sorted(set(chosen))
