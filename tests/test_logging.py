"""Logs: one line per update, no token anywhere, no message text at INFO."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.channels.errors import Unauthorized
from bot.channels.zalo_client import ZaloClient
from bot.logs import QUIET_LOGGERS, RedactingFormatter, logfmt, setup_logging
from tests.channels_harness import TELEGRAM_TOKEN, ZALO_TOKEN, live_bot
from tests.fakes.zalo_server import id_for

SECRET_TEXT = "bí mật riêng tư 0912345678"


@pytest.fixture
def log_stream() -> Iterator[io.StringIO]:
    """Capture everything the program logs, at DEBUG, through the production set-up."""
    stream = io.StringIO()
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    quiet = {name: logging.getLogger(name).level for name in QUIET_LOGGERS}
    setup_logging([TELEGRAM_TOKEN, ZALO_TOKEN], level=logging.DEBUG, stream=stream)
    yield stream
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    for name, level in quiet.items():
        logging.getLogger(name).setLevel(level)


async def test_no_token_in_any_log_line(tmp_path: Path, log_stream: io.StringIO) -> None:
    async with live_bot(tmp_path) as live:
        zalo_user = id_for("lan")
        live.zalo.inject_text(zalo_user, await live.bot.invite("KP-01", "rep"))
        live.telegram.inject_message(11, f"/start {await live.bot.invite('KP-02', 'rep')}")
        await live.zalo.wait_for_sent(zalo_user, 2)
        await live.telegram.wait_for_sent(11, 2)
        live.zalo.fail_next("sendMessage", error_code=429)
        live.telegram.fail_next("sendMessage", status=502)
        live.zalo.inject_text(zalo_user, SECRET_TEXT)
        live.telegram.inject_message(11, SECRET_TEXT)
        await live.zalo.wait_for_sent(zalo_user, 3, timeout=10)
        await live.telegram.wait_for_sent(11, 3, timeout=10)
        # A client with a wrong token fails loudly but names no token.
        bad = ZaloClient("999:wrong-token-123456", live.zalo.api_base)
        with pytest.raises(Unauthorized) as caught:
            await bad.get_me()
        logging.getLogger("test").error("zalo said %s", caught.value)
        await bad.aclose()
    output = log_stream.getvalue()
    assert "update channel=zalo" in output and "update channel=telegram" in output
    for secret in (TELEGRAM_TOKEN, ZALO_TOKEN, TELEGRAM_TOKEN.split(":")[1], "wrong-token-123456"):
        assert secret not in output
    assert SECRET_TEXT not in output  # message text never reaches the log at any level here


def test_formatter_masks_secrets_in_tracebacks() -> None:
    formatter = RedactingFormatter(["123:abcdefghij"])
    try:
        raise RuntimeError("GET https://api.example/bot123:abcdefghij/getMe failed")
    except RuntimeError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "boom", None, sys.exc_info())
    line = formatter.format(record)
    assert "abcdefghij" not in line and "***" in line


def test_logfmt_quotes() -> None:
    assert logfmt("update", channel="zalo", ms="1.5") == "update channel=zalo ms=1.5"
    assert logfmt("e", error='a "b" c') == 'e error="a \\"b\\" c"'
