"""Command words are read case- and diacritics-insensitively, with or without a slash."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.words import Command, fold, parse_command


@pytest.mark.parametrize(
    ("typed", "command", "argument"),
    [
        ("huy", Command.HUY, ""),
        ("hủy", Command.HUY, ""),
        ("HUY", Command.HUY, ""),
        ("/huy", Command.HUY, ""),
        ("Hủy ", Command.HUY, ""),
        ("đăng ký", Command.DANGKY, ""),
        ("Dang Ky", Command.DANGKY, ""),
        ("dangky", Command.DANGKY, ""),
        ("báo cáo", Command.BAOCAO, ""),
        ("trạng thái", Command.TRANGTHAI, ""),
        ("tổng hợp", Command.TONGHOP, ""),
        ("xuất", Command.XUAT, ""),
        ("thông báo", Command.THONGBAO, ""),
        ("mời", Command.MOI, ""),
        ("/moi", Command.MOI, ""),
        ("trợ giúp", Command.TROGIUP, ""),
        ("help", Command.TROGIUP, ""),
        ("/help", Command.TROGIUP, ""),
        ("quay lại", Command.QUAYLAI, ""),
        ("quaylai", Command.QUAYLAI, ""),
        ("bỏ qua", Command.BOQUA, ""),
        ("sửa 3", Command.SUA, "3"),
        ("sua3", Command.SUA, "3"),
        ("gửi", Command.GUI, ""),
        ("xong", Command.GUI, ""),
        ("/start ABCD2345", Command.START, "ABCD2345"),
        ("/start@thidua_bot ABCD2345", Command.START, "ABCD2345"),
        ("/start", Command.START, ""),
    ],
)
def test_command_words(typed: str, command: Command, argument: str) -> None:
    parsed = parse_command(typed)
    assert parsed is not None
    assert parsed.command is command
    assert parsed.argument == argument


@pytest.mark.parametrize("typed", ["", "   ", "xin chào", "dang ky cong trinh", "1", "huyy", "/"])
def test_not_commands(typed: str) -> None:
    assert parse_command(typed) is None


def test_fold_strips_vietnamese_marks() -> None:
    assert fold("Đường cờ Tổ quốc  Ấp Bình Hòa") == "duong co to quoc ap binh hoa"


@given(st.text())
def test_parse_never_raises(text: str) -> None:
    parse_command(text)
