"""Numbers written in Vietnamese style for the Word report: dot thousands and a decimal comma
(120.000.000; 402,4), as the bot's chat renderers write them (bot/parsers)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from bot.parsers import render_int, render_money, render_number

MILLION: Final = 10**6
# Millions to the nearest thousand đồng: 1.234.567 đồng is 1,235 triệu.
_THOUSANDTH: Final = Decimal("0.001")


# The chat's own renderers, under the names the report reads well with.
integer = render_int  # '120.000.000'
dong = render_money  # '1.250.000.000 đồng'


def millions(amount: int) -> str:
    """An amount in đồng as millions: '45', '402,4', '1,25' (at most three decimals)."""
    shown = (Decimal(amount) / MILLION).quantize(_THOUSANDTH, rounding=ROUND_HALF_UP)
    return render_number(shown)
