"""200 people filling forms at once on the fake Telegram server: every answer is its owner's."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from pathlib import Path

from bot import admin
from bot.messages import Inbound
from bot.router import Handled
from storage.models import Role
from tests.channels_harness import live_bot
from tests.transcript_runner import campaign_path

PEOPLE = 200


def _steps(i: int) -> list[str]:
    return [
        "dangky",
        f"Công trình của người số {i}",
        "2",  # Phần việc: no cost questions
        "1",
        f"Nội dung {i}",
        f"Địa điểm {i}",
        "11/2023",
        "12/2023",
        str(i),
        "boqua",
        "gui",
    ]


async def test_two_hundred_people_at_once(tmp_path: Path) -> None:
    async with live_bot(tmp_path) as live:
        bot = live.bot
        rows = "\n".join(f"KP-{100 + i},Khu phố {100 + i},khu_dan_cu,X-MAU" for i in range(PEOPLE))
        (tmp_path / "more.csv").write_text(f"code,name,level,parent\n{rows}\n", "utf-8")
        await admin.import_units(bot.db, bot.settings, tmp_path / "more.csv")
        await admin.load_campaign(bot.db, bot.settings, campaign_path("example"), bot.clock.now())
        async with bot.db.transaction() as repos:
            for i in range(PEOPLE):
                await repos.members.enrol(
                    channel="telegram",
                    user_id=str(10_000 + i),
                    chat_id=str(10_000 + i),
                    display_name=f"Người {i}",
                    unit_code=f"KP-{100 + i}",
                    role=Role.REP,
                    now=bot.clock.now(),
                )
        handled: dict[str, int] = defaultdict(int)
        failures: list[str] = []
        done = asyncio.Event()

        def observe(inbound: Inbound, result: Handled) -> None:
            handled[inbound.chat_id] += 1
            failures.extend(m.text for m in result.replies if "trục trặc" in m.text)
            if sum(handled.values()) >= expected:
                done.set()

        bot.router.observers.append(observe)
        steps = [_steps(i) for i in range(PEOPLE)]
        expected = 0
        for position in range(len(steps[0])):
            done.clear()
            expected += PEOPLE
            for i in range(PEOPLE):  # everyone's next message arrives at the same moment
                live.telegram.inject_message(10_000 + i, steps[i][position])
            await asyncio.wait_for(done.wait(), timeout=60)
        assert failures == []
        async with bot.db.read() as repos:
            for i in range(PEOPLE):
                sent = await repos.submissions.for_unit(
                    f"KP-{100 + i}", "dai-hoi-mttq-2024", "dang-ky"
                )
                assert len(sent) == 1, i
                answers = sent[0].answers
                assert answers["ten"] == f"Công trình của người số {i}"
                assert answers["noi_dung"] == f"Nội dung {i}" and answers["so_ho"] == i
                versions = await repos.submissions.versions(sent[0].id)
                member = await repos.members.find("telegram", str(10_000 + i))
                assert member is not None and versions[0].member_id == member.id
        for i in (0, PEOPLE - 1):
            last = live.telegram.sent_to(10_000 + i)[-1].text or ""
            assert f'"Công trình của người số {i}"' in last
