"""ZaloClient: canned exchanges mapped onto our errors (token never shown), then the fake end to end."""

from __future__ import annotations

import asyncio
import json
import logging
import traceback
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from bot.channels.errors import (
    BadRequest,
    ChannelError,
    RateLimited,
    TransientError,
    Unauthorized,
    Unreachable,
)
from bot.channels.splitting import utf16_len
from bot.channels.zalo_client import ZaloClient
from bot.channels.zalo_updates import to_inbound
from tests.fakes.zalo_server import FakeZalo

TOKEN = "1234567890:SeCrEtPaRt-abcdefXYZ"
SECRET = TOKEN.split(":", 1)[1]
BASE = "https://zalo.test/bot"

Handler = Callable[[httpx.Request], httpx.Response]


def _json(body: Any, status: int = 200) -> Handler:
    return lambda request: httpx.Response(status, json=body)


def _raw(content: bytes, status: int = 200) -> Handler:
    return lambda request: httpx.Response(status, content=content)


def _raise(make: Callable[[httpx.Request], Exception]) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        raise make(request)

    return handler


def _failure(code: Any, status: int = 200) -> Handler:
    return _json({"ok": False, "error_code": code, "description": f"failed {code}"}, status)


def _client(handler: Handler) -> ZaloClient:
    return ZaloClient(TOKEN, BASE, transport=httpx.MockTransport(handler))


def _assert_no_token(exc: BaseException) -> None:
    """Neither the exception, nor anything chained to it, nor its traceback shows the token."""
    texts = ["".join(traceback.format_exception(exc))]
    seen: BaseException | None = exc
    while seen is not None:
        texts += [str(seen), repr(seen), repr(vars(seen))]
        seen = seen.__cause__ or seen.__context__
    for text in texts:
        assert TOKEN not in text and SECRET not in text, text


ERRORS: list[tuple[str, Handler, type[ChannelError]]] = [
    ("ok:false 400 on HTTP 200", _failure(400), BadRequest),
    ("ok:false 401 on HTTP 200", _failure(401), Unauthorized),
    ("ok:false 403 on HTTP 200", _failure(403), Unreachable),
    ("ok:false 404 on HTTP 200", _failure(404), BadRequest),
    ("ok:false 429 on HTTP 200", _failure(429), RateLimited),
    ("error_code as a string", _failure("429"), RateLimited),
    ("408 outside getUpdates", _failure(408), TransientError),
    ("other code", _failure(502), TransientError),
    ("ok:false without code on HTTP 401", _json({"ok": False}, 401), Unauthorized),
    ("ok:false without code on HTTP 200", _json({"ok": False}), TransientError),
    ("no ok at all", _json({"result": 1}), TransientError),
    ("HTTP 500 echoing the URL", _raw(f"no route /bot{TOKEN}/getMe".encode(), 500), TransientError),
    ("JSON 500", _json({"ok": False, "error_code": 500}, 500), TransientError),
    ("invalid JSON", _raw(b"<html>oops"), TransientError),
    ("JSON that is not an object", _json([1, 2]), TransientError),
    (
        "connect error naming the URL",
        _raise(lambda r: httpx.ConnectError(f"cannot reach {r.url}", request=r)),
        TransientError,
    ),
    (
        "read timeout",
        _raise(lambda r: httpx.ReadTimeout(f"timed out {r.url}", request=r)),
        TransientError,
    ),
    (
        "connection dropped",
        _raise(lambda r: httpx.RemoteProtocolError(f"dropped {r.url}", request=r)),
        TransientError,
    ),
]


@pytest.mark.parametrize(("handler", "error"), [c[1:] for c in ERRORS], ids=[c[0] for c in ERRORS])
async def test_call_maps_failures_without_showing_the_token(
    handler: Handler, error: type[ChannelError]
) -> None:
    async with _client(handler) as client:
        with pytest.raises(ChannelError) as caught:
            await client.call("getMe")
    assert type(caught.value) is error
    _assert_no_token(caught.value)
    if isinstance(caught.value, RateLimited):
        assert caught.value.retry_after is None


async def test_call_posts_json_to_token_url_and_returns_result() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"ok": True, "result": {"id": "b1"}})

    async with _client(handler) as client:
        assert await client.call("sendSticker", {"chat_id": "c", "sticker": "s"}) == {"id": "b1"}
        assert await client.get_me() == {"id": "b1"}
    assert seen[0].method == "POST"
    assert seen[0].url == f"{BASE}{TOKEN}/sendSticker"
    assert json.loads(seen[0].content) == {"chat_id": "c", "sticker": "s"}
    assert json.loads(seen[1].content) == {}


async def test_client_repr_and_logs_hide_the_token(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    async with _client(_json({"ok": True, "result": {}})) as client:
        assert TOKEN not in repr(client) and TOKEN not in str(client)
        await client.get_me()
    assert any(record.name == "httpx" for record in caplog.records)  # httpx did log the request
    assert TOKEN not in caplog.text and SECRET not in caplog.text


UPDATE = {"event_name": "message.text.received", "message": {"chat": {"id": "c"}, "text": "hi"}}

POLLS: list[tuple[str, Any, list[dict[str, Any]]]] = [
    ("408 means no update", {"ok": False, "error_code": 408, "description": "timeout"}, []),
    ("one update object", {"ok": True, "result": UPDATE}, [UPDATE]),
    ("a list", {"ok": True, "result": [UPDATE, UPDATE]}, [UPDATE, UPDATE]),
    ("null", {"ok": True, "result": None}, []),
]


@pytest.mark.parametrize(("answer", "updates"), [c[1:] for c in POLLS], ids=[c[0] for c in POLLS])
async def test_get_updates_shapes(answer: Any, updates: list[dict[str, Any]]) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=answer)

    async with _client(handler) as client:
        assert await client.get_updates(timeout=20) == updates
    assert json.loads(seen[0].content) == {"timeout": "20"}
    assert seen[0].extensions["timeout"]["read"] > 20  # longer than the server's long poll


async def test_get_updates_still_raises_real_errors() -> None:
    async with _client(_failure(401)) as client:
        with pytest.raises(Unauthorized):
            await client.get_updates(timeout=1)


async def test_send_message_splits_in_order_and_never_sends_empty() -> None:
    texts: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        texts.append(json.loads(request.content)["text"])
        return httpx.Response(200, json={"ok": True, "result": {"message_id": str(len(texts))}})

    async with _client(handler) as client:
        assert await client.send_message("c", "  \n ") == []
        assert texts == []
        results = await client.send_message("c", "x" * 4500)
    assert [r["message_id"] for r in results] == ["1", "2", "3"]
    assert "".join(texts) == "x" * 4500


async def test_send_photo_uses_a_long_timeout_and_omits_an_empty_caption() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"ok": True, "result": {"message_id": "m"}})

    async with _client(handler) as client:
        await client.send_photo("c", "https://x/p.jpg")
        await client.send_photo("c", "https://x/p.jpg", caption="Ảnh")
    assert json.loads(seen[0].content) == {"chat_id": "c", "photo": "https://x/p.jpg"}
    assert json.loads(seen[1].content)["caption"] == "Ảnh"
    assert seen[0].extensions["timeout"]["read"] >= 60


# --- end to end against the fake --------------------------------------------------------------


@pytest.fixture
async def fake() -> AsyncIterator[FakeZalo]:
    zalo = FakeZalo(TOKEN)
    async with zalo.serving():
        yield zalo


@pytest.fixture
async def client(fake: FakeZalo) -> AsyncIterator[ZaloClient]:
    async with ZaloClient(TOKEN, fake.api_base) as zalo_client:
        yield zalo_client


async def test_ensure_polling_deletes_a_set_webhook(fake: FakeZalo, client: ZaloClient) -> None:
    await client.ensure_polling()
    assert [method for method, _ in fake.calls] == ["getWebhookInfo"]
    await client.set_webhook("https://thidua.example.vn/zalo", "s3cret-s3cret")
    with pytest.raises(BadRequest):  # the fake refuses to poll while a webhook is set
        await client.get_updates(timeout=0)
    await client.ensure_polling()
    assert fake.webhook_url == ""
    assert [method for method, _ in fake.calls][-2:] == ["getWebhookInfo", "deleteWebhook"]


async def test_idle_poll_returns_nothing(client: ZaloClient) -> None:
    assert await client.get_updates(timeout=1) == []


async def test_one_update_per_call(fake: FakeZalo, client: ZaloClient) -> None:
    first = fake.inject_text("u1", "một")
    second = fake.inject_text("u2", "hai")
    batches = [await client.get_updates(timeout=1) for _ in range(2)]
    inbound = [to_inbound(batch[0]) for batch in batches if len(batch) == 1]
    assert [(i.user_id, i.text) for i in inbound if i] == [("u1", "một"), ("u2", "hai")]
    assert [i.key for i in inbound if i] == [
        f"zalo:message.text.received:{first}",
        f"zalo:message.text.received:{second}",
    ]
    assert fake.pending == 0


async def test_long_poll_wakes_when_a_message_arrives(fake: FakeZalo, client: ZaloClient) -> None:
    poll = asyncio.create_task(client.get_updates(timeout=10))
    await asyncio.sleep(0.1)
    fake.inject_text("u1", "chào")
    updates = await asyncio.wait_for(poll, 2)
    assert updates[0]["message"]["text"] == "chào"


async def test_long_message_arrives_in_three_parts_with_whole_lines(
    fake: FakeZalo, client: ZaloClient
) -> None:
    lines = [f"Dòng {n:03d}: đơn vị đã nộp báo cáo thi đua." for n in range(110)]
    text = "\n".join(lines)[:4500]
    assert len(text) == 4500
    await client.send_message("u1", text)
    parts = fake.texts_to("u1")
    assert len(parts) == 3
    assert all(utf16_len(part) <= 2000 for part in parts)
    assert [line for part in parts for line in part.split("\n")] == text.split("\n")


async def test_rate_limit_on_demand(fake: FakeZalo, client: ZaloClient) -> None:
    fake.fail_next("sendMessage", 429)
    with pytest.raises(RateLimited):
        await client.send_message("u1", "xin chào")
    await client.send_message("u1", "xin chào")
    assert fake.texts_to("u1") == ["xin chào"]


async def test_wrong_token_is_unauthorized(fake: FakeZalo) -> None:
    async with ZaloClient("999:wrong-token-here", fake.api_base) as wrong:
        with pytest.raises(Unauthorized) as caught:
            await wrong.get_me()
    assert "wrong-token-here" not in str(caught.value)


async def test_other_calls_against_the_fake(fake: FakeZalo, client: ZaloClient) -> None:
    me = await client.get_me()
    assert me["account_name"] == "thidua_test_bot"
    await client.send_chat_action("u1")  # the fake answers {"ok": true} with no result
    photo = await client.send_photo("u1", fake.add_file("a.jpg", b"jpeg"), caption="Ảnh")
    assert photo["message_id"] == fake.sent[-1].message_id
    assert (fake.sent[-1].photo, fake.sent[-1].caption) == (f"{fake.base_url}/files/a.jpg", "Ảnh")
    fake.inject_image("u1", "https://photo.zdn.vn/x.jpg", "chú thích")
    inbound = to_inbound((await client.get_updates(timeout=1))[0])
    assert inbound is not None and inbound.photo_url == "https://photo.zdn.vn/x.jpg"


async def test_unreachable_server_is_transient() -> None:
    async with ZaloClient(TOKEN, "http://127.0.0.1:9/bot", timeout=2.0) as client:
        with pytest.raises(TransientError) as caught:
            await client.get_me()
    _assert_no_token(caught.value)
