"""An announcement with a photo (issue 14): taken while the text is written, kept behind a
signed link of the bot's web app that both platforms fetch it from, sent once to each person;
Telegram reuses the photo's file id after the first copy and sends a text too long for a
caption after the photo; Zalo sends the text, then the photo by its URL."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from bot.files import HELD, files_dir, prune_held
from bot.messages import Inbound, InboundKind, Outbound
from bot.outbox import Outbox
from storage.models import OutboxState
from tests.channels_harness import live_bot
from tests.driver import PNG, Bot
from tests.test_broadcast_chat import _people
from tests.test_export_chat import PUBLIC, _site


async def _payloads(bot: Bot) -> list[Outbound]:
    rows = await bot.db.conn.execute_fetchall("SELECT payload FROM broadcasts ORDER BY id")
    return [Outbound.model_validate_json(str(r[0])) for r in rows]


def _files(bot: Bot) -> list[Path]:
    """The files left in the attachments folder (photos of forms, photos held)."""
    return [p for p in Path(files_dir(bot.settings)).rglob("*") if p.is_file()]


async def _photo_with_caption(bot: Bot, user: str, caption: str) -> list[str]:
    inbound = Inbound(
        channel="console", chat_id=user, user_id=user, display_name=user,
        kind=InboundKind.PHOTO, text=caption, photo_ref="photo-caption",
    )  # fmt: skip
    return [m.text for m in (await bot.router.dispatch(inbound)).replies]


async def test_a_photo_first_then_the_text_goes_out_behind_a_link(bot: Bot) -> None:
    await _people(bot)
    async with _site(bot) as http:
        assert "có thể gửi kèm một ảnh" in (await bot.say("admin", "thongbao"))[0]
        assert (await bot.photo("admin"))[0].startswith("Đã nhận ảnh.")
        await bot.say("admin", "Mời dự lễ ra quân, ảnh đính kèm.")
        preview = (await bot.say("admin", "1"))[0]
        assert "“Mời dự lễ ra quân, ảnh đính kèm.” (kèm 1 ảnh)" in preview, preview
        assert (await bot.say("admin", "1"))[0].startswith("Đã nhận thông báo số 1 tới 6 người")
        (message,) = await _payloads(bot)
        assert message.photo_url is not None and message.photo_url.startswith(PUBLIC + "/t/")
        got = await http.get(urlsplit(message.photo_url).path)
        assert got.status_code == 200 and got.content == PNG
        assert got.headers["content-type"] == "image/png"
        # Still there when the broadcast has been going for days (retries, a late send).
        bot.clock.advance(timedelta(days=6))
        assert (await http.get(urlsplit(message.photo_url).path)).status_code == 200
    # The photo left the attachments folder: nothing of it is kept twice.
    assert not _files(bot)


async def test_a_captioned_photo_is_the_text_and_a_later_photo_replaces_it(bot: Bot) -> None:
    await _people(bot)
    async with _site(bot):
        await bot.say("admin", "thongbao")
        menu = await _photo_with_caption(bot, "admin", "Ảnh buổi họp tổ dân phố.")
        assert menu[0].startswith("Gửi thông báo cho ai?"), menu
        again = await bot.photo("admin")
        assert again[0] == "Đã thêm ảnh vào thông báo." and "Gửi thông báo cho ai?" in again[1]
        preview = (await bot.say("admin", "1"))[0]
        assert "(kèm 1 ảnh)" in preview
        # At the preview a photo is not taken: a sentence, and the same question.
        late = await bot.photo("admin")
        assert late[0].startswith("Thông báo chỉ kèm được một ảnh") and "Gửi ngay" in late[-1]
        await bot.say("admin", "1")
    (message,) = await _payloads(bot)
    assert message.text.endswith("Ảnh buổi họp tổ dân phố.") and message.photo_url
    # Only the photo that went out is kept; the replaced one and the refused one are gone.
    assert not _files(bot)


async def test_without_a_public_address_a_photo_is_refused_in_a_sentence(bot: Bot) -> None:
    await _people(bot)
    await bot.say("admin", "thongbao")
    replies = await bot.photo("admin")
    assert "chưa gửi kèm ảnh được" in replies[0] and "[web].public_url" in replies[0]
    assert "nội dung thông báo" in replies[-1]  # the question again: nothing is lost
    await bot.say("admin", "Họp tổ")
    await bot.say("admin", "1")
    await bot.say("admin", "1")
    (message,) = await _payloads(bot)
    assert message.photo_url is None


async def test_each_platform_gets_the_photo_once_telegram_by_file_id(tmp_path: Path) -> None:
    async with live_bot(tmp_path) as live:
        bot = live.bot
        await bot.load_campaign(
            Path(__file__).parent.parent / "examples" / "dai-hoi-mttq-2024.toml"
        )
        await bot.enrol("admin", "X-MAU", "admin", channel="telegram")
        for number, unit in enumerate(("KP-01", "KP-02", "KP-03")):
            await bot.enrol(f"tg{number}", unit, "rep", channel="telegram")
            await bot.enrol(f"zl{number}", unit, "rep", channel="zalo")
        long_text = "Kế hoạch tổ chức ngày hội đại đoàn kết. " * 40  # over a caption's 1,024
        mark = max((m.seq for m in live.zalo.sent), default=0)  # after the welcomes
        async with _site(bot) as http:
            for text in ("Mời dự lễ ra quân.", long_text):
                started = await bot.say("admin", "thongbao", channel="telegram")
                if "Soạn thông báo mới" in started[-1]:  # the first one is still going
                    await bot.say("admin", "1", channel="telegram")
                await bot.photo("admin", channel="telegram")
                await bot.say("admin", text, channel="telegram")
                await bot.say("admin", "2", channel="telegram")  # the representatives
                queued = await bot.say("admin", "1", channel="telegram")
                assert "tới 6 người" in queued[-1], queued
            outbox = Outbox(bot.db, bot.router.senders, bot.clock, bot.settings.outbox,
                            channels=["telegram", "zalo"])  # fmt: skip
            outbox.start()
            try:
                for _ in range(300):
                    counts = await bot.db.conn.execute_fetchall(
                        "SELECT count(*) FROM outbox WHERE kind = 'broadcast' AND state = ?",
                        (OutboxState.PENDING.value,),
                    )
                    if counts[0][0] == 0:
                        break
                    await asyncio.sleep(0.05)
            finally:
                await outbox.stop()
            short, long = await _payloads(bot)
            assert short.photo_url and long.photo_url and short.photo_url != long.photo_url
            # Zalo fetches the photo from the link: the web app serves the admin's photo.
            for url in (short.photo_url, long.photo_url):
                assert (await http.get(urlsplit(url).path)).content == PNG
        photos = live.telegram.calls_of("sendPhoto")
        assert len(photos) == 6
        first = {str(p["photo"]) for p in photos if str(p["photo"]).startswith(PUBLIC)}
        # One fetch by URL per photo; every other copy names the file id Telegram gave it.
        assert first == {short.photo_url, long.photo_url}
        assert sum(str(p["photo"]).startswith(PUBLIC) for p in photos) == 2
        for number in range(3):
            seen = live.telegram.sent_to(bot.chat(f"tg{number}", "telegram"))[-3:]
            kinds = [(m.method, (m.caption or m.text or "")[:20]) for m in seen]
            assert [k for k, _ in kinds] == ["sendPhoto", "sendPhoto", "sendMessage"], kinds
            assert seen[0].caption == short.text  # short: the text is the caption
            assert seen[1].caption is None and seen[2].text == long.text  # long: photo, text
            zalo = [m for m in live.zalo.sent_to(bot.chat(f"zl{number}", "zalo")) if m.seq > mark]
            methods = [m.method for m in zalo]
            assert methods.count("sendPhoto") == 2, methods
            assert [m.photo for m in zalo if m.method == "sendPhoto"] == [
                short.photo_url,
                long.photo_url,
            ]
            said = "".join(m.text or "" for m in zalo)
            assert "Mời dự lễ ra quân." in said and said.count("ngày hội đại đoàn kết") == 40


async def test_an_admin_on_zalo_adds_a_photo_from_the_chat(tmp_path: Path) -> None:
    """Zalo's photo link may expire: the bot keeps its own copy, which goes out by its link."""
    async with live_bot(tmp_path) as live:
        bot = live.bot
        await bot.enrol("admin", "X-MAU", "admin", channel="zalo")
        await bot.enrol("kp1", "KP-01", "rep", channel="zalo")
        async with _site(bot) as http:
            await bot.say("admin", "thong bao", channel="zalo")
            assert (await bot.photo("admin", channel="zalo"))[0].startswith("Đã nhận ảnh.")
            await bot.say("admin", "Anh chup buoi ra quan sang nay", channel="zalo")
            preview = (await bot.say("admin", "kp1", channel="zalo"))[0]
            assert "(kèm 1 ảnh)" in preview and "sẽ đến 1 người ở Khu phố 1" in preview, preview
            queued = await bot.say("admin", "1", channel="zalo")
            assert queued[-1].startswith("Đã nhận thông báo số 1 tới 1 người"), queued
            (message,) = await _payloads(bot)
            assert message.photo_url is not None
            assert (await http.get(urlsplit(message.photo_url).path)).content == PNG


async def test_a_photo_of_an_announcement_left_half_way_is_removed_later(bot: Bot) -> None:
    """huy after the photo: the held photo stays a while (a restart loses nothing), then the
    maintenance removes it."""
    await _people(bot)
    async with _site(bot):
        await bot.say("admin", "thongbao")
        await bot.photo("admin")
        assert "Đã dừng" in (await bot.say("admin", "huy"))[0]
    (held,) = _files(bot)
    assert held.parent.name == HELD
    folder = files_dir(bot.settings) / HELD
    assert prune_held(folder, bot.clock.now()) == 0  # still young
    assert prune_held(folder, bot.clock.now() + timedelta(days=8)) == 1
    assert not _files(bot)
