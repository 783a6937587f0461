"""The one exception tree every channel maps its platform errors into."""

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
