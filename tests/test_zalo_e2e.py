"""Zalo end to end: our httpx client and adapter against the fake Zalo server with its quirks."""

from __future__ import annotations

from pathlib import Path

from tests.channels_harness import live_bot
from tests.fakes.zalo_server import id_for


async def test_enrol_by_typing_the_code(tmp_path: Path) -> None:
    async with live_bot(tmp_path) as live:
        assert any(method == "getWebhookInfo" for method, _ in live.zalo.calls)
        user = id_for("ba-lan")
        code = await live.bot.invite("AP-01", "rep")
        live.zalo.inject_text(user, "xin chào", display_name="Lê Thị Lan")
        sent = await live.zalo.wait_for_sent(user, 1)
        assert "mã mời" in (sent[0].text or "")
        live.zalo.inject_text(user, f"  {code.lower()} ", display_name="Lê Thị Lan")
        sent = await live.zalo.wait_for_sent(user, 3)
        assert "Ban công tác Mặt trận Ấp Bình An, Xã Sông Mẫu" in (sent[1].text or "")
        assert "Lê Thị Lan" in (sent[1].text or "")
        assert "dangky" in (sent[2].text or "")
        async with live.bot.db.read() as repos:
            member = await repos.members.find("zalo", user)
            assert member is not None and member.unit_code == "AP-01"


async def test_same_person_on_both_channels(tmp_path: Path) -> None:
    async with live_bot(tmp_path) as live:
        zalo_user = id_for("anh-minh")
        live.zalo.inject_text(zalo_user, await live.bot.invite("X-MAU", "secretary"))
        live.telegram.inject_message(321, f"/start {await live.bot.invite('X-MAU', 'secretary')}")
        await live.zalo.wait_for_sent(zalo_user, 2)
        await live.telegram.wait_for_sent(321, 2)
        async with live.bot.db.read() as repos:
            assert (await repos.members.find("zalo", zalo_user)) is not None
            assert (await repos.members.find("telegram", "321")) is not None


async def test_unsupported_events_and_garbage(tmp_path: Path) -> None:
    async with live_bot(tmp_path) as live:
        user = id_for("co-ba")
        # No message at all: nobody to answer, and nothing breaks.
        live.zalo.inject_event({"event_name": "message.unsupported.received"})
        live.zalo.inject_event("garbage")
        live.zalo.inject_event(
            {
                "event_name": "message.sticker.received",
                "message": {
                    "message_id": "abc",
                    "date": 1750316131602,
                    "from": {"id": user, "display_name": "Cô Ba"},
                    "chat": {"id": user, "chat_type": "PRIVATE"},
                    "sticker": "s",
                },
            }
        )
        sent = await live.zalo.wait_for_sent(user, 1)
        assert "gõ chữ" in (sent[0].text or "")
        live.zalo.inject_event(
            {"event_name": "message.future.kind", "message": {"chat": {"id": user}}}
        )
        sent = await live.zalo.wait_for_sent(user, 2)
        assert "gõ chữ" in (sent[1].text or "")


async def test_repeated_event_is_handled_once(tmp_path: Path) -> None:
    async with live_bot(tmp_path) as live:
        user = id_for("ong-tu")
        update = {
            "event_name": "message.text.received",
            "message": {
                "message_id": "2d758cb5e222177a4e35",
                "date": 1750316131602,
                "from": {"id": user, "display_name": "Ông Tư"},
                "chat": {"id": user, "chat_type": "PRIVATE"},
                "text": "xin chào",
            },
        }
        live.zalo.inject_event(update)
        live.zalo.inject_event(update)
        live.zalo.inject_text(user, "trogiup")
        sent = await live.zalo.wait_for_sent(user, 2)
        assert len(sent) == 2  # the repeat got nothing; "trogiup" got its answer
        assert "chưa tham gia" in (sent[1].text or "")


async def test_quota_exceeded_then_delivered(tmp_path: Path) -> None:
    async with live_bot(tmp_path) as live:
        user = id_for("quota")
        live.zalo.fail_next("sendMessage", error_code=429)
        live.zalo.inject_text(user, "xin chào")
        sent = await live.zalo.wait_for_sent(user, 1, timeout=10)
        assert "mã mời" in (sent[0].text or "")


async def test_messages_fit_zalo_and_carry_no_markdown(tmp_path: Path) -> None:
    async with live_bot(tmp_path) as live:
        user = id_for("admin")
        live.zalo.inject_text(user, await live.bot.invite("T-MAU", "admin"))
        await live.zalo.wait_for_sent(user, 2)
        for text in ("moi", "x-mau", "3", "trogiup", "thongbao", "hủy"):
            live.zalo.inject_text(user, text)
        sent = await live.zalo.wait_for_sent(user, 9)
        for item in sent:
            body = item.text or ""
            assert 0 < len(body.encode("utf-16-le")) // 2 <= 2000
            assert not any(mark in body for mark in ("**", "__", "<b>", "`"))
        assert "quản trị" in (sent[4].text or "")  # an admin may invite an admin below


async def test_a_document_sent_on_zalo_gets_a_way_forward(tmp_path: Path) -> None:
    from bot import admin
    from tests.transcript_runner import campaign_path

    async with live_bot(tmp_path) as live:
        bot = live.bot
        await admin.load_campaign(bot.db, bot.settings, campaign_path("fuzz"), bot.clock.now())
        user = id_for("co-sau")
        live.zalo.inject_text(user, await bot.invite("KP-01", "rep"))
        await live.zalo.wait_for_sent(user, 2)
        live.zalo.inject_text(user, "dangky")
        live.zalo.inject_text(user, "sua 12")  # straight to the file question
        await live.zalo.wait_for_sent(user, 4)

        def unsupported(message_id: str) -> dict[str, object]:
            return {
                "event_name": "message.unsupported.received",
                "message": {
                    "message_id": message_id,
                    "date": 1750316131602,
                    "from": {"id": user, "display_name": "Cô Sáu"},
                    "chat": {"id": user, "chat_type": "PRIVATE"},
                },
            }

        live.zalo.inject_event(unsupported("u1"))
        sent = await live.zalo.wait_for_sent(user, 5)
        assert "chụp ảnh tài liệu" in (sent[4].text or "") and "ví dụ" in (sent[4].text or "")
        live.zalo.inject_text(user, "sua 1")
        await live.zalo.wait_for_sent(user, 6)
        live.zalo.inject_event(unsupported("u2"))
        sent = await live.zalo.wait_for_sent(user, 7)
        assert "gõ chữ" in (sent[6].text or "")
