"""The one exception tree every channel adapter maps its platform errors into.

It lives in the core because the core acts on it (the router, delivery, the outbox); adapters
only raise it. `bot/channels/errors.py` re-exports it for older imports.
"""

from __future__ import annotations


class ChannelError(Exception):
    """Base of every error a channel adapter raises to the core."""


class RateLimited(ChannelError):
    """The platform asked us to slow down; retry after `retry_after` seconds (None = our choice)."""

    def __init__(self, retry_after: float | None = None, message: str = "rate limited") -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Unreachable(ChannelError):
    """This person cannot be reached (blocked the bot, chat gone); retrying will not help."""


class TransientError(ChannelError):
    """A network or server hiccup; the same call may succeed if retried later."""


class BadRequest(ChannelError):
    """The platform refused the request as malformed; retrying the same call will not help."""


class Unauthorized(ChannelError):
    """The token is wrong or revoked: the channel cannot run at all."""
