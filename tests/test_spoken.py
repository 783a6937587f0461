"""How a sixty-year-old answers on Zalo: politely, often without diacritics, in short words.

Particles around any answer ("dạ 5 triệu ạ", "da co a"), yes and no words, skip words at an
optional question, confirmation words at a summary, and menus answered by number or by label.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.parsers import (
    CONFIRM_WORDS,
    NO_WORDS,
    SKIP_WORDS,
    YES_WORDS,
    DateValue,
    is_confirmation,
    is_skip,
    parse_choice,
    parse_date,
    parse_int,
    parse_menu,
    parse_money,
    parse_multichoice,
    parse_number,
    parse_position,
    parse_yesno,
    strip_politeness,
)
from bot.words import fold

OPTIONS = ["An sinh xã hội", "Giao thông, hẻm, đường", "Điện chiếu sáng"]
MENU = ["Tiếp tục", "Làm lại"]
PERIOD = (date(2023, 3, 1), date(2023, 11, 30))

# --- strip_politeness -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("1 ạ", "1"),
        ("dạ 5 triệu", "5 triệu"),
        ("dạ 5 triệu ạ", "5 triệu"),
        ("Dạ, 5 triệu ạ.", "5 triệu"),
        ("da 5 trieu a", "5 trieu"),
        ("5 triệu nhé", "5 triệu"),
        ("5 trieu nhe", "5 trieu"),
        ("5 triệu nha", "5 triệu"),
        ("5 triệu, nhé!", "5 triệu"),
        ("5 triệu ạ!", "5 triệu"),
        ("5 triệu à", "5 triệu"),
        ("5 triệu ah", "5 triệu"),
        ("5 triệu đó", "5 triệu"),
        ("5 triệu đấy ạ", "5 triệu"),
        ("5 triệu thôi ạ", "5 triệu"),
        ("dạ thưa 2", "2"),
        ("Dạ thưa anh/chị, 2", "2"),
        ("thưa chị 2", "2"),
        ("con xin trả lời là 3", "3"),
        ("em xin báo cáo 3", "3"),
        ("tôi chọn 2", "2"),
        ("Vâng ạ, 5 triệu ạ", "5 triệu"),
        ("dạ vâng, 12 hộ", "12 hộ"),
        ("có ạ", "có"),
        ("da co a", "co"),
        ("Dạ,có ạ", "có"),
        ("vâng ạ", "vâng"),
        ("thôi ạ", "thôi"),
        ("dạ thôi", "thôi"),
        ("dạ không", "không"),
        ("dạ không ạ", "không"),
        ("5 triệu 🙏", "5 triệu"),
        ("👍 có", "có"),
        ("1.200.000 ạ", "1.200.000"),
        ("30/11/2023 ạ", "30/11/2023"),
        ("-5 ạ", "-5"),
        # one word always stays, whatever it is
        ("dạ", "dạ"),
        ("vâng", "vâng"),
        ("ạ", "ạ"),
        ("ạ.", "ạ."),
        ("thưa", "thưa"),
        ("dạ thưa", "dạ thưa"),  # nothing but politeness: left as typed
        ("a", "a"),
        ("nhé", "nhé"),
        # nothing to drop: the text as typed
        ("5 triệu", "5 triệu"),
        ("Khu phố A", "Khu phố"),  # the parsers read "Khu phố A" as typed first
        ("", ""),
        ("  ", "  "),
    ],
)
def test_strip_politeness(typed: str, kept: str) -> None:
    assert strip_politeness(typed) == kept


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Dạ, Thắp sáng hẻm 12 ạ.", "Thắp sáng hẻm 12"),
        ("Thưa anh/chị, sửa đường hẻm 5 nhé", "sửa đường hẻm 5"),
        ("con xin trả lời là Sửa nhà văn hóa ạ", "Sửa nhà văn hóa"),
        ("vâng, Lắp đèn", "Lắp đèn"),
        # words that a particle folds like stay in prose
        ("Khu phố A", "Khu phố A"),
        ("Tổ dân phố a", "Tổ dân phố a"),
        ("Sửa nhà", "Sửa nhà"),
        ("sua nha", "sua nha"),
        ("Sơn cột màu đỏ", "Sơn cột màu đỏ"),
        ("Đã hoàn thành", "Đã hoàn thành"),
        ("da hoan thanh", "da hoan thanh"),
        ("vang hoa", "vang hoa"),
        ("Hư hỏng nhẹ", "Hư hỏng nhẹ"),
        ("Báo cáo kết quả năm 2023", "Báo cáo kết quả năm 2023"),
        ("Chọn lọc giống cây ạ", "Chọn lọc giống cây"),
        ("Trả lời thư bạn đọc", "Trả lời thư bạn đọc"),
        ("Dạ hội trăng rằm", "Dạ hội trăng rằm"),
        ("Vâng lời cha mẹ", "Vâng lời cha mẹ"),
        ("em báo cáo: Lắp đèn", "Lắp đèn"),
        ("trả lời là Lắp đèn", "Lắp đèn"),
        ("Làm xong thôi", "Làm xong thôi"),
        # particles inside are part of the answer
        ("Dạ hội ạ nhé", "Dạ hội"),  # only the edges: "Dạ hội" is a word
        ("dòng 1\ndòng 2 ạ", "dòng 1\ndòng 2"),
    ],
)
def test_strip_politeness_in_free_text(typed: str, kept: str) -> None:
    assert strip_politeness(typed, free_text=True) == kept


# --- particles around every kind of answer ------------------------------------------------------

WRAPS = [
    "{} ạ",
    "dạ {}",
    "dạ {} ạ",
    "Dạ, {} ạ.",
    "da {} a",
    "vâng, {}",
    "{} nhé",
    "{} nha",
    "dạ thưa {}",
    "con xin trả lời là {}",
    "{} ạ!",
    "{} 🙏",
]


@pytest.mark.parametrize("wrap", WRAPS)
@pytest.mark.parametrize(
    ("read", "typed", "expected"),
    [
        (parse_int, "12", 12),
        (parse_int, "12 hộ", 12),
        (parse_int, "mười hai", 12),
        (parse_int, "1.200", 1200),
        (parse_number, "3,5", Decimal("3.5")),
        (parse_number, "402,4 m", Decimal("402.4")),
        (parse_money, "5 triệu", 5_000_000),
        (parse_money, "năm triệu", 5_000_000),
        (parse_money, "hai triệu rưỡi", 2_500_000),
        (parse_money, "1,2 tỷ", 1_200_000_000),
        (parse_money, "120.000.000 đồng", 120_000_000),
        (parse_choice, "2", 1),
        (parse_choice, "dien chieu sang", 2),
        (parse_choice, "giao thông", 1),
        (parse_multichoice, "1,3", [0, 2]),
        (parse_multichoice, "an sinh, dien", [0, 2]),
        (parse_position, "2", 1),
        (parse_yesno, "có", True),
        (parse_yesno, "không", False),
        (parse_date, "30/11/2023", DateValue(date(2023, 11, 30), "day")),
        (parse_date, "30/11", DateValue(date(2023, 11, 30), "day")),
    ],
)
def test_particles_around_any_answer(
    read: Callable[..., Any], typed: str, expected: object, wrap: str
) -> None:
    assert _read(read, wrap.format(typed)) == expected


def _read(read: Callable[..., Any], text: str) -> Any:
    """Call a parser with what its kind of question supplies."""
    if read in (parse_choice, parse_multichoice):
        return read(text, OPTIONS)
    if read is parse_position:
        return read(text, 3)
    if read is parse_date:
        return read(text, period=PERIOD)
    return read(text)


@pytest.mark.parametrize(
    ("read", "typed"),
    [
        (parse_int, "dạ"),
        (parse_int, "ạ"),
        (parse_int, "dạ thưa"),
        (parse_int, "dạ năm 2023 ạ"),
        (parse_int, "dạ mấy chục ạ"),
        (parse_money, "dạ vài triệu ạ"),
        (parse_money, "dạ ba bốn triệu ạ"),
        (parse_number, "dạ nhà văn hóa ạ"),
        (parse_choice, "dạ ạ"),
        (parse_choice, "dạ 4 ạ"),
        (parse_multichoice, "dạ 1,4 ạ"),
        (parse_yesno, "dạ thưa"),
        (parse_yesno, "ạ"),
        (parse_yesno, "dạ có không ạ"),
        (parse_date, "dạ ngày ạ"),
    ],
)
def test_particles_alone_are_no_answer(read: Callable[..., Any], typed: str) -> None:
    assert _read(read, typed) is None


@pytest.mark.parametrize(
    ("typed", "options", "expected"),
    [
        ("a", ["a", "b"], 0),  # the whole answer "a" is never a particle
        ("b a", ["a", "b"], None),  # "a" is an option here, not "ạ"
        ("a, b", ["a", "b"], [0, 1]),
        ("1 a", ["Khu A", "Khu B"], 0),
        ("Khu A", ["Khu A", "Khu B"], 0),
        ("khu a a", ["Khu A", "Khu B"], 0),
        ("Phương án A", ["Phương án A", "Phương án B"], 0),
        ("dạ đỏ", ["Đỏ", "Xanh"], 0),
        ("màu đỏ", ["Màu đỏ", "Màu xanh"], 0),
        ("giải nhì", ["Giải nhất", "Giải nhì"], 1),
        ("Dạ hội", ["Dạ hội", "Hội thi"], 0),
        ("Thôi việc", ["Thôi việc", "Tiếp tục"], 0),
    ],
)
def test_particles_that_are_option_words(
    typed: str, options: list[str], expected: int | list[int] | None
) -> None:
    read = parse_multichoice if isinstance(expected, list) else parse_choice
    assert read(typed, options) == expected


# --- yes / no -----------------------------------------------------------------------------------

YES = [
    "có", "co", "Có ạ", "có ạ", "co a", "vâng", "vang", "vâng ạ", "Vâng.", "dạ", "da", "dạ có",
    "da co a", "dạ vâng", "dạ vâng ạ", "ừ", "u", "uh", "ừm", "ok", "OK", "oke", "okay", "ok ạ",
    "đúng", "dung", "đúng rồi", "dạ đúng rồi ạ", "được", "duoc", "được ạ", "đồng ý", "dong y",
    "đồng ý ạ", "có chứ", "Dạ, có ạ.", "dạ có ạ!", "có nhé", "👍", "có 🙏",
]  # fmt: skip
NO = [
    "không", "khong", "ko", "k", "K", "kh", "không ạ", "khong a", "dạ không", "da khong",
    "dạ không ạ", "thôi", "thoi", "thôi ạ", "dạ thôi", "thôi khỏi", "chưa", "chua", "chưa ạ",
    "dạ chưa ạ", "không cần", "khong can", "không cần ạ", "dạ không cần", "không có", "khong co",
    "ko có", "không có ạ", "hông", "không nhé", "Không!", "sai", "không phải", "👎", "vâng, không ạ",
]  # fmt: skip


@pytest.mark.parametrize("typed", YES)
def test_yes(typed: str) -> None:
    assert parse_yesno(typed) is True


@pytest.mark.parametrize("typed", NO)
def test_no(typed: str) -> None:
    assert parse_yesno(typed) is False


@pytest.mark.parametrize(
    "typed",
    ["có không", "có, không", "dạ thưa", "ạ", "có lẽ", "chắc có", "2", "thôi được",
     "không biết", "có 12 hộ", "ok không", "", "dạ ạ ạ thưa"],
)  # fmt: skip
def test_yesno_refused(typed: str) -> None:
    assert parse_yesno(typed) is None


def test_yes_and_no_words_are_apart() -> None:
    assert not YES_WORDS & NO_WORDS
    assert all(word == fold(word) for word in YES_WORDS | NO_WORDS)


# --- skipping an optional question --------------------------------------------------------------

SKIPS = [
    "không biết", "khong biet", "Không biết ạ", "dạ không biết", "ko biết", "k biet", "kb",
    "không rõ", "khong ro", "ko rõ ạ", "chưa rõ", "không có", "khong co", "ko có", "k co",
    "chưa có", "chua co", "chưa có ạ", "không có ảnh", "khong co anh", "chưa có ảnh",
    "không có hình", "không có thông tin", "chưa có số liệu", "không nhớ", "bỏ qua", "bo qua",
    "boqua", "Bỏ qua ạ", "dạ bỏ qua", "không", "khong", "ko", "không ạ", "chưa", "để trống",
    "skip", "không cần", "không trả lời",
]  # fmt: skip


@pytest.mark.parametrize("typed", SKIPS)
def test_skip(typed: str) -> None:
    assert is_skip(typed)


@pytest.mark.parametrize(
    "typed",
    ["có", "0", "5 triệu", "Thắp sáng hẻm 12", "không biết làm", "biết", "có ảnh", "ok",
     "dạ", "nhà văn hóa", "", "   ", "không có gì để nói thêm về công trình này cả"],
)  # fmt: skip
def test_not_skip(typed: str) -> None:
    assert not is_skip(typed)


def test_a_no_stays_a_no() -> None:
    # Both read "không": the form decides, and a yes/no question keeps it as the answer no.
    assert is_skip("không") and parse_yesno("không") is False


# --- confirming a summary -----------------------------------------------------------------------

CONFIRMATIONS = [
    "ok", "OK", "oke", "okay", "Ok ạ", "ok nhé", "đồng ý", "dong y", "Đồng ý ạ", "dạ đồng ý",
    "đúng rồi", "dung roi", "dạ đúng rồi ạ", "đúng", "chính xác", "chinh xac", "gửi đi",
    "gui di", "gửi đi ạ", "gửi", "gửi luôn", "xác nhận", "xac nhan", "được rồi", "duoc roi",
    "vâng, đúng rồi", "xong", "👍",
]  # fmt: skip


@pytest.mark.parametrize("typed", CONFIRMATIONS)
def test_confirmation(typed: str) -> None:
    assert is_confirmation(typed)


@pytest.mark.parametrize(
    "typed",
    ["không", "chưa đúng", "không đúng", "sai", "sai rồi", "sua 2", "sửa", "huy", "1", "",
     "đúng không", "gửi sau", "ok không"],
)  # fmt: skip
def test_not_confirmation(typed: str) -> None:
    assert not is_confirmation(typed)


def test_word_sets_are_folded() -> None:
    assert all(word == fold(word) for word in SKIP_WORDS | CONFIRM_WORDS)


# --- menus and options without diacritics -------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1", 0),
        ("2", 1),
        ("1 ạ", 0),
        ("2.", 1),
        ("số 2", 1),
        ("chọn 2", 1),
        ("chon so 2", 1),
        ("hai", 1),
        ("số hai", 1),
        ("một ạ", 0),
        ("Tiếp tục", 0),
        ("tiep tuc", 0),
        ("tiep tuc a", 0),
        ("tieptuc", 0),
        ("TIẾP TỤC", 0),
        ("tiếp", 0),
        ("dạ làm lại", 1),
        ("lam lai", 1),
        ("lamlai", 1),
        ("làm lại nhé", 1),
        ("dạ, làm lại ạ.", 1),
        ("con chọn làm lại", 1),
    ],
)
def test_menu(typed: str, expected: int) -> None:
    assert parse_menu(typed, MENU) == expected


@pytest.mark.parametrize("typed", ["3", "0", "ba", "không", "dạ", "ạ", "tiep lai", "", "1 2"])
def test_menu_refused(typed: str) -> None:
    assert parse_menu(typed, MENU) is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("an sinh xa hoi", 0),
        ("ansinhxahoi", 0),
        ("dien chieu sang a", 2),
        ("dạ điện chiếu sáng ạ", 2),
        ("giao thong hem duong nhe", 1),
        ("ba", 2),
        ("số ba ạ", 2),
    ],
)
def test_choice_without_diacritics_and_with_particles(typed: str, expected: int) -> None:
    assert parse_choice(typed, OPTIONS) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1, 3 ạ", [0, 2]),
        ("dạ 1 và 3", [0, 2]),
        ("một và ba", [0, 2]),
        ("an sinh, dien a", [0, 2]),
        ("tất cả ạ", [0, 1, 2]),
    ],
)
def test_multichoice_with_particles(typed: str, expected: list[int]) -> None:
    assert parse_multichoice(typed, OPTIONS) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("câu 2", 1), ("cau hai", 1), ("2 ạ", 1), ("số 3 nhé", 2), ("năm", 4), ("mười", None)],
)
def test_position_in_words(typed: str, expected: int | None) -> None:
    assert parse_position(typed, 5) == expected


def test_multichoice_keeps_two_digit_words_whole() -> None:
    # "mười hai" is twelve, never "10 and 2", even with twelve options.
    many = [f"Mục {i}" for i in range(1, 13)]
    assert parse_multichoice("mười hai", many) == [11]
    assert parse_multichoice("mười hai", many[:11]) is None


# --- never an exception, never slow -------------------------------------------------------------

# Inputs that make a backtracking regular expression run for minutes if one is written badly.
ADVERSARIAL = [
    "a" * 199 + "!",
    "a " * 99 + "!",
    "1," * 99 + "!",
    "hai " * 49 + "%",
    "dạ " * 60 + "5",
    "5 " + "ạ " * 90,
    "ạ" * 5000,
    "dạ " * 3000,
    " " * 5000 + "1",
]
_PIECES = [
    "dạ ", "vâng ", "thưa ", "ạ", "a", "nhé", ",", ".", " ", "có ", "không ", "1", "2 ", "triệu ",
    "năm ", "hai ", "🙏", "A", "Khu ", "đó ", "thôi ",
]  # fmt: skip
POLITE = st.lists(st.sampled_from(_PIECES), max_size=15).map("".join)
TEXTS = st.one_of(st.text(), POLITE, st.sampled_from(ADVERSARIAL))


@settings(max_examples=300)
@given(text=TEXTS, options=st.lists(st.text(max_size=12), max_size=5))
def test_new_readers_never_raise(text: str, options: list[str]) -> None:
    for free_text in (False, True):
        kept = strip_politeness(text, free_text=free_text)
        assert kept in text  # only the ends are ever dropped
        assert kept.strip() or not text.strip()  # something always stays
    assert isinstance(is_skip(text), bool)
    assert isinstance(is_confirmation(text), bool)
    index = parse_menu(text, options)
    assert index is None or 0 <= index < len(options)
    position = parse_position(text, 7)
    assert position is None or 0 <= position < 7
    parse_yesno(text)
    parse_date(text, period=PERIOD)


@pytest.mark.parametrize("typed", ADVERSARIAL)
def test_adversarial_texts_are_refused(typed: str) -> None:
    for read in (parse_int, parse_number, parse_money, parse_yesno):
        read(typed)
    parse_choice(typed, OPTIONS)
    parse_multichoice(typed, OPTIONS)
    assert not is_skip(typed)
