"""Picking one option from a list: kept for older imports; the logic lives in bot.parsers."""

from __future__ import annotations

from bot.parsers import parse_choice as pick_option

__all__ = ["pick_option"]
