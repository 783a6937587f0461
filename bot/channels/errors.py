"""The channel error tree now lives in the core (bot/errors.py); re-exported for older imports."""

from __future__ import annotations

from bot.errors import (
    BadRequest,
    ChannelError,
    RateLimited,
    TransientError,
    Unauthorized,
    Unreachable,
)

__all__ = [
    "BadRequest",
    "ChannelError",
    "RateLimited",
    "TransientError",
    "Unauthorized",
    "Unreachable",
]
