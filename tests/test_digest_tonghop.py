"""tonghop on the console router: the secretary's digest, the admin's roll-up, refused for a
representative, usable mid-conversation; its long read runs on a worker thread, off the lock."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest

from bot.digest import collect as collect_module
from bot.digest import service
from storage import reads
from tests.conftest import Bot
from tests.test_digest import NOW, SINCE, seed_three_levels


async def _ready(bot: Bot) -> None:
    await seed_three_levels(bot)
    bot.clock.set(NOW)


async def test_secretary_gets_the_digest_of_their_commune(bot: Bot) -> None:
    await bot.enrol("thu-ky", "X-MAU", "secretary")
    await _ready(bot)
    (text,) = await bot.say("thu-ky", "tonghop")
    lines = text.splitlines()
    assert lines[0] == "Tổng hợp sáng Thứ Hai, 04/11/2024 — Phường Mẫu"
    assert "Đăng ký hộ cần hỗ trợ (hạn 31/10, đã quá 4 ngày): 2/4 khu dân cư (50%)." in lines
    assert "Chưa đăng ký (2): Khu phố 3, Khu phố 4." in lines
    assert not any(line.startswith("Mới từ") for line in lines)  # no digest before: no "new"
    # Spoken with diacritics and a slash, it is the same command.
    assert await bot.say("thu-ky", "/Tổng hợp") == [text]


async def test_what_is_new_starts_at_the_last_digest(bot: Bot) -> None:
    await bot.enrol("thu-ky", "X-MAU", "secretary")
    await _ready(bot)
    async with bot.db.transaction() as repos:
        member = await repos.members.find("console", "thu-ky")
        assert member is not None
        await repos.digests.record(member.id, SINCE)
        assert await repos.digests.last(member.id) == SINCE
        assert await repos.digests.last_many([member.id, 999]) == {member.id: SINCE}
    (text,) = await bot.say("thu-ky", "tonghop")
    assert "Mới từ hôm thứ Sáu: 1 công trình mới, 1 khu dân cư sửa bài." in text.splitlines()


async def test_admin_of_the_province_gets_the_roll_up(bot: Bot) -> None:
    await bot.enrol("tinh", "T-MAU", "admin")
    await _ready(bot)
    (text,) = await bot.say("tinh", "tonghop")
    assert "3/6 khu dân cư (50%), 1 nộp trễ." in text
    assert "Ấp Bình Hòa (Xã Sông Mẫu)" in text


async def test_nothing_open_is_said_in_words(bot: Bot) -> None:
    await bot.enrol("thu-ky", "X-MAU", "secretary")
    (text,) = await bot.say("thu-ky", "tonghop")
    assert text.endswith("Hiện không có đợt thi đua nào đang mở trong Phường Mẫu.")


async def test_refused_for_a_representative(bot: Bot, monkeypatch: pytest.MonkeyPatch) -> None:
    await bot.enrol("lan", "KP-01", "rep")
    await _ready(bot)
    called: list[str] = []
    original = collect_module.collect

    def spy(*args: Any, **kwargs: Any) -> Any:
        called.append("collect")
        return original(*args, **kwargs)

    monkeypatch.setattr(service, "collect", spy)
    replies = await bot.say("lan", "tonghop")
    assert replies == [
        "Việc này dành cho thư ký hoặc quản trị. Anh/Chị gõ trogiup (trợ giúp) để xem các việc "
        "mình làm được."
    ]
    assert called == []  # nothing was read for someone who may not see it


async def test_mid_conversation_the_open_question_comes_back(bot: Bot) -> None:
    await bot.enrol("thu-ky", "X-MAU", "secretary")
    await _ready(bot)
    question = (await bot.say("thu-ky", "moi"))[0]
    replies = await bot.say("thu-ky", "tonghop")
    assert replies[0].startswith("Tổng hợp sáng Thứ Hai")
    assert replies[-1] == question  # the invite's question, asked again
    assert (await bot.say("thu-ky", "1"))[0].startswith("Mời với vai trò nào")


async def test_the_long_read_runs_on_a_worker_thread_off_the_lock(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    await bot.enrol("thu-ky", "X-MAU", "secretary")
    await bot.enrol("lan", "KP-01", "rep")
    await _ready(bot)
    loop_thread = threading.get_ident()
    seen: list[tuple[int, bool]] = []
    original = reads.form_tallies

    def slow(*args: Any, **kwargs: Any) -> list[reads.UnitTally]:
        seen.append((threading.get_ident(), bot.db._lock.locked()))
        time.sleep(0.5)  # a national digest's worth of reading, compressed
        return original(*args, **kwargs)

    monkeypatch.setattr(reads, "form_tallies", slow)
    gaps: list[float] = []
    stop = asyncio.Event()

    async def ticker() -> None:
        last = time.perf_counter()
        while not stop.is_set():
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    ticking = asyncio.create_task(ticker())
    digest = asyncio.create_task(bot.say("thu-ky", "tonghop"))
    await asyncio.sleep(0.05)
    started = time.perf_counter()
    # Another chat is answered while the digest is still being read: no lock is held for it.
    help_text = await bot.say("lan", "trogiup")
    answered_in = time.perf_counter() - started
    assert not digest.done()
    (text,) = await digest
    stop.set()
    await ticking
    assert help_text and "dangky" in help_text[0]
    assert answered_in < 0.45  # well before one read of the digest is over
    assert text.startswith("Tổng hợp")
    assert seen and all(thread != loop_thread and not locked for thread, locked in seen)
    assert max(gaps) < 0.4  # the loop never stalled behind a read
