"""/healthz and /metrics of a running bot (issue 15): the database, the scheduler, the outbox
senders, the backlog and each channel's last update, 503 when the database file cannot be read;
the Prometheus text parses with prometheus_client's own parser and its counters move with
traffic (updates by channel and handler, outbox messages by outcome, the form steps' latency)."""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from bot.messages import Outbound
from bot.outbox import enqueue
from storage.db import open_database
from storage.models import OutboxKind
from tests.fakes.zalo_server import id_for
from tests.test_webhooks import Running, running


async def _samples(bot: Running) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of /metrics by (name, sorted labels), read with prometheus_client."""
    answer = await bot.web.get("/metrics")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/plain")
    found: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
    for family in text_string_to_metric_families(answer.text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def _value(samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str,
           **labels: str) -> float:  # fmt: skip
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


async def test_healthz_reports_the_parts_and_turns_503_when_the_file_is_unreadable(
    tmp_path: Path,
) -> None:
    async with running(tmp_path) as bot:
        healthy = await bot.web.get("/healthz")
        body = healthy.json()
        assert healthy.status_code == 200, body
        assert body["database"] == "ok" and body["scheduler"] == "running"
        assert body["senders"] == {"telegram": "running", "zalo": "running"}
        assert body["outbox"] == {} and body["last_update"] == {}
        user = id_for("ba-nam")
        bot.zalo.inject_text(user, "trogiup")
        await bot.zalo.wait_for_sent(user, 1, timeout=10)
        assert "zalo" in (await bot.web.get("/healthz")).json()["last_update"]
        path = Path(bot.settings.database.path)
        moved = path.with_name("moved.sqlite3")
        os.replace(path, moved)  # the file is gone from where the bot reads it
        try:
            broken = await bot.web.get("/healthz")
            assert broken.status_code == 503
            assert broken.json()["status"] == "unavailable"
            assert broken.json()["database"] == "error"
        finally:
            os.replace(moved, path)
        assert (await bot.web.get("/healthz")).status_code == 200


async def test_healthz_shows_the_outbox_backlog(tmp_path: Path) -> None:
    async with running(tmp_path) as bot:
        now = datetime.now(UTC)
        async with open_database(bot.settings.database.path) as db, db.transaction() as repos:
            # Rows of a channel this bot does not run: due, and nobody takes them.
            for n in range(3):
                await enqueue(
                    repos, channel="console", chat_id=f"later-{n}", member_id=None,
                    kind=OutboxKind.REMINDER, ref="r", message=Outbound(text="x"),
                    not_before=now - timedelta(hours=2 - n), now=now,
                )  # fmt: skip
            await enqueue(
                repos, channel="console", chat_id="tomorrow", member_id=None,
                kind=OutboxKind.REMINDER, ref="r", message=Outbound(text="x"),
                not_before=now + timedelta(days=1), now=now,
            )  # fmt: skip
        body = (await bot.web.get("/healthz")).json()
        backlog = body["outbox"]["console"]
        assert backlog["due"] == 3  # tomorrow's is not due
        assert 2 * 3600 - 60 <= backlog["oldest_seconds"] <= 2 * 3600 + 60


async def test_metrics_parse_and_move_with_traffic(tmp_path: Path) -> None:
    async with running(tmp_path) as bot:
        before = await _samples(bot)
        user = id_for("chi-sau")
        for n in range(3):
            bot.zalo.inject_text(user, "trogiup")
            await bot.zalo.wait_for_sent(user, n + 1, timeout=10)
        async with open_database(bot.settings.database.path) as db, db.transaction() as repos:
            now = datetime.now(UTC)
            await enqueue(
                repos, channel="zalo", chat_id=id_for("nhac"), member_id=None,
                kind=OutboxKind.REMINDER, ref="r", message=Outbound(text="Nhắc nộp báo cáo"),
                not_before=now, now=now,
            )  # fmt: skip
        await bot.zalo.wait_for_sent(id_for("nhac"), 1, timeout=10)
        for _ in range(50):  # the sender counts it once its row says sent
            after = await _samples(bot)
            sent = _value(after, "thidua_outbox_messages_total", channel="zalo",
                          kind="reminder", outcome="sent")  # fmt: skip
            if sent > _value(before, "thidua_outbox_messages_total", channel="zalo",
                             kind="reminder", outcome="sent"):  # fmt: skip
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("the outbox counter did not move")
        handlers = {
            dict(labels)["handler"]
            for (name, labels), value in after.items()
            if name == "thidua_updates_total"
            and dict(labels).get("channel") == "zalo"
            and value > _value(before, name, **dict(labels))
        }
        assert handlers, "no update was counted"
        (handler,) = handlers
        grew = _value(after, "thidua_updates_total", channel="zalo", handler=handler) - _value(
            before, "thidua_updates_total", channel="zalo", handler=handler
        )
        assert grew == 3
        # The latency histogram counted the same three updates.
        count = _value(after, "thidua_update_seconds_count", handler=handler) - _value(
            before, "thidua_update_seconds_count", handler=handler
        )
        assert count == 3
        assert ("thidua_update_seconds_bucket", (("handler", handler), ("le", "0.15"))) in after
