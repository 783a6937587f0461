"""Telegram end to end: PTB's real HTTP stack against the fake Bot API server."""

from __future__ import annotations

from pathlib import Path

from tests.channels_harness import live_bot


async def test_enrol_with_start_link_then_help(tmp_path: Path) -> None:
    async with live_bot(tmp_path) as live:
        code = await live.bot.invite("KP-01", "rep")
        live.telegram.inject_message(501, f"/start {code}", first_name="Lan", last_name="Nguyễn")
        sent = await live.telegram.wait_for_sent(501, 2)
        assert "Ban công tác Mặt trận Khu phố 1, Phường Mẫu" in (sent[0].text or "")
        assert "Lan Nguyễn" in (sent[0].text or "")
        assert "trogiup" in (sent[1].text or "")
        live.telegram.inject_message(501, "Trợ giúp")
        sent = await live.telegram.wait_for_sent(501, 3)
        assert "dangky" in (sent[2].text or "")
        async with live.bot.db.read() as repos:
            member = await repos.members.find("telegram", "501")
            assert member is not None and member.unit_code == "KP-01"


async def test_invite_in_chat_with_buttons_and_typed_numbers(tmp_path: Path) -> None:
    async with live_bot(tmp_path) as live:
        code = await live.bot.invite("X-MAU", "secretary")
        live.telegram.inject_message(700, f"/start {code}")
        await live.telegram.wait_for_sent(700, 2)
        live.telegram.inject_message(700, "moi")
        sent = await live.telegram.wait_for_sent(700, 3)
        labels = [b["text"] for b in sent[2].buttons]
        assert "1. Khu phố 1 (KP-01)" in labels and "Hủy" in labels
        # Press the button for Khu phố 2, then type the role's number.
        live.telegram.inject_callback(700, "2")
        sent = await live.telegram.wait_for_sent(700, 4)
        assert "Khu phố 2" in (sent[3].text or "")
        assert len(sent[3].buttons) == 3  # rep, secretary, cancel: a secretary cannot make admins
        live.telegram.inject_message(700, "1")
        sent = await live.telegram.wait_for_sent(700, 6)
        assert "Khu phố 2" in (sent[4].text or "")
        assert "https://t.me/thidua_test_bot?start=" in (sent[5].text or "")
        new_code = (sent[5].text or "").rsplit("=", 1)[1]
        # The invited person uses the link.
        live.telegram.inject_message(801, f"/start {new_code}")
        sent = await live.telegram.wait_for_sent(801, 2)
        assert "Khu phố 2" in (sent[0].text or "")


async def test_redelivered_update_is_handled_once(tmp_path: Path) -> None:
    async with live_bot(tmp_path) as live:
        code = await live.bot.invite("KP-01", "rep")
        update_id = live.telegram.inject_message(9, code)
        await live.telegram.wait_for_sent(9, 2)
        raw = {
            "update_id": update_id,
            "message": {
                "message_id": 999,
                "date": 1700000000,
                "chat": {"id": 9, "type": "private", "first_name": "Lan"},
                "from": {"id": 9, "is_bot": False, "first_name": "Lan"},
                "text": "trogiup",
            },
        }
        # inject_update renumbers; deliver the same update_id through the router directly.
        from telegram import Update

        from bot.channels.telegram import to_inbound

        inbound = to_inbound(Update.de_json(raw, None))
        assert inbound is not None and inbound.key == f"telegram:{update_id}"
        handled = await live.bot.router.dispatch(inbound)
        assert handled.duplicate and handled.replies == []
        assert len(live.telegram.sent_to(9)) == 2


async def test_sticker_gets_a_kind_sentence(tmp_path: Path) -> None:
    async with live_bot(tmp_path) as live:
        live.telegram.inject_update(
            {
                "message": {
                    "message_id": 5,
                    "date": 1700000000,
                    "chat": {"id": 42, "type": "private", "first_name": "B"},
                    "from": {"id": 42, "is_bot": False, "first_name": "B"},
                    "sticker": {
                        "file_id": "s1",
                        "file_unique_id": "u1",
                        "width": 512,
                        "height": 512,
                        "is_animated": False,
                        "is_video": False,
                        "type": "regular",
                    },
                }
            }
        )
        sent = await live.telegram.wait_for_sent(42, 1)
        assert "gõ chữ" in (sent[0].text or "")


async def test_rate_limited_reply_is_retried(tmp_path: Path) -> None:
    async with live_bot(tmp_path) as live:
        live.telegram.fail_next("sendMessage", status=429, retry_after=1)
        live.telegram.inject_message(77, "xin chào")
        sent = await live.telegram.wait_for_sent(77, 1, timeout=8)
        assert "mã mời" in (sent[0].text or "")


async def test_a_document_answers_a_file_question(tmp_path: Path) -> None:
    from bot import admin
    from bot.files import files_dir
    from tests.transcript_runner import campaign_path

    async with live_bot(tmp_path) as live:
        bot = live.bot
        await admin.load_campaign(bot.db, bot.settings, campaign_path("fuzz"), bot.clock.now())
        live.telegram.inject_message(66, f"/start {await bot.invite('KP-01', 'rep')}")
        await live.telegram.wait_for_sent(66, 2)
        live.telegram.inject_message(66, "dangky")
        live.telegram.inject_message(66, "sua 12")  # straight to the file question
        await live.telegram.wait_for_sent(66, 4)
        pdf = b"%PDF-1.4 bien ban binh xet"
        live.telegram.inject_document(66, "Biên bản bình xét.pdf", pdf)
        sent = await live.telegram.wait_for_sent(66, 5)
        assert "Câu 1/12" in (
            sent[4].text or ""
        )  # the file is taken; the first open question follows
        async with bot.db.read() as repos:
            member = await repos.members.find("telegram", "66")
            assert member is not None
            draft = await repos.drafts.get(member.id, "fuzz/all-kinds/new")
            assert draft is not None
            attachment_id = draft.state["engine"]["answers"]["file"]["attachment"]
            attachment = await repos.attachments.get(attachment_id)
        assert attachment is not None and attachment["kind"] == "file"
        assert attachment["name"] == "Biên bản bình xét.pdf"
        assert (files_dir(bot.settings) / attachment["path"]).read_bytes() == pdf
