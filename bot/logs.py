"""Logging: one structured line per event, secrets masked, the chatty HTTP loggers quieted."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from typing import TextIO

# httpx logs every request URL at INFO, and bot tokens live in those URLs.
QUIET_LOGGERS = ("httpx", "httpcore", "telegram", "telegram.ext", "apscheduler", "uvicorn.access")


def logfmt(event: str, **fields: object) -> str:
    """Return 'event key=value …' with values quoted when they contain spaces."""
    parts = [event]
    for key, value in fields.items():
        text = str(value)
        if not text or any(ch in text for ch in ' ="'):
            text = '"' + text.replace('"', '\\"') + '"'
        parts.append(f"{key}={text}")
    return " ".join(parts)


class RedactingFormatter(logging.Formatter):
    """A formatter that replaces every known secret in the finished line with ***."""

    def __init__(self, secrets: Iterable[str], fmt: str | None = None) -> None:
        super().__init__(fmt or "%(asctime)s %(levelname)s %(name)s %(message)s")
        self.secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        """Format as usual, then mask secrets (tracebacks included)."""
        return redact(super().format(record), self.secrets)


def redact(text: str, secrets: Iterable[str]) -> str:
    """Replace every secret (and a bot token's secret half on its own) in `text` with ***."""
    for secret in secrets:
        text = text.replace(secret, "***")
        _, _, tail = secret.partition(":")
        if len(tail) >= 8:
            text = text.replace(tail, "***")
    return text


def setup_logging(
    secrets: Iterable[str], level: int = logging.INFO, stream: TextIO | None = None
) -> None:
    """Send logs to stderr through the redacting formatter; quiet the HTTP libraries."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(RedactingFormatter(secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
