"""The fake Zalo server keeps Zalo's quirks, so the bot's tests meet them before production does."""

from __future__ import annotations

import asyncio
import re
import socket
import sys
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.fakes.runner import serve
from tests.fakes.zalo_server import DEFAULT_TOKEN, FakeZalo, id_for, make_id

HEX20 = re.compile(r"^[0-9a-f]{20}$")


@pytest.fixture
async def fake() -> AsyncIterator[FakeZalo]:
    zalo = FakeZalo()
    async with zalo.serving():
        yield zalo


@pytest.fixture
async def http(fake: FakeZalo) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=fake.base_url, timeout=10.0) as client:
        yield client


async def _call(http: httpx.AsyncClient, method: str, body: Any = None) -> dict[str, Any]:
    response = await http.post(f"/bot{DEFAULT_TOKEN}/{method}", json=body)
    assert response.status_code == 200  # Zalo reports errors inside an HTTP 200
    answer: dict[str, Any] = response.json()
    return answer


def _code(answer: dict[str, Any]) -> int | None:
    return None if answer["ok"] else int(answer["error_code"])


def test_ids() -> None:
    assert HEX20.match(make_id()) and make_id() != make_id()
    assert HEX20.match(id_for("alice")) and id_for("alice") == id_for("alice") != id_for("bob")


async def test_wrong_token_and_unknown_method(http: httpx.AsyncClient) -> None:
    response = await http.post("/bot123:nope/getMe", json={})
    assert (response.status_code, response.json()) == (
        200,
        {"ok": False, "error_code": 401, "description": "Unauthorized"},
    )
    assert _code(await _call(http, "sendDocument", {})) == 404


async def test_get_me(http: httpx.AsyncClient) -> None:
    me = (await _call(http, "getMe"))["result"]
    assert set(me) == {"id", "account_name", "account_type", "can_join_groups"}
    assert isinstance(me["id"], str)


async def test_updates_one_per_call_in_the_documented_shape(
    fake: FakeZalo, http: httpx.AsyncClient
) -> None:
    user = id_for("alice")
    before = int(time.time() * 1000)
    message_id = fake.inject_text(user, "Xin chào", display_name="Trần Thị B")
    fake.inject_image(user, "https://photo.zdn.vn/p.jpg", "chú thích", field="photo")
    assert fake.pending == 2
    first = await _call(http, "getUpdates", {"timeout": "1"})
    update = first["result"]
    assert update == {
        "event_name": "message.text.received",
        "message": {
            "message_id": message_id,
            "date": update["message"]["date"],
            "from": {"id": user, "display_name": "Trần Thị B", "is_bot": False},
            "chat": {"id": user, "chat_type": "PRIVATE"},
            "text": "Xin chào",
        },
    }
    assert HEX20.match(message_id)
    assert before <= update["message"]["date"] <= time.time() * 1000 + 1  # milliseconds
    second = (await _call(http, "getUpdates", {"timeout": 1}))["result"]
    assert second["event_name"] == "message.image.received"
    assert (second["message"]["photo"], second["message"]["caption"]) == (
        "https://photo.zdn.vn/p.jpg",
        "chú thích",
    )
    assert fake.pending == 0


async def test_idle_get_updates_is_408_with_http_200(http: httpx.AsyncClient) -> None:
    started = time.monotonic()
    answer = await _call(http, "getUpdates", {"timeout": "0.3"})
    assert answer == {"ok": False, "error_code": 408, "description": "Request timeout"}
    assert time.monotonic() - started >= 0.25
    assert _code(await _call(http, "getUpdates", {"timeout": "soon"})) == 400


async def test_raw_events_pass_through(fake: FakeZalo, http: httpx.AsyncClient) -> None:
    fake.inject_event({"event_name": "message.unsupported.received"})
    answer = await _call(http, "getUpdates", {"timeout": 0})
    assert answer["result"] == {"event_name": "message.unsupported.received"}


async def test_webhook_lifecycle(fake: FakeZalo, http: httpx.AsyncClient) -> None:
    assert _code(await _call(http, "setWebhook", {"url": "http://x.vn", "secret_token": "a" * 8}))
    assert _code(await _call(http, "setWebhook", {"url": "https://x.vn", "secret_token": "short"}))
    assert _code(
        await _call(http, "setWebhook", {"url": "https://x.vn", "secret_token": "a" * 257})
    )
    answer = await _call(http, "setWebhook", {"url": "https://x.vn/h", "secret_token": "a" * 8})
    assert answer["result"]["url"] == "https://x.vn/h" == fake.webhook_url
    assert (await _call(http, "getWebhookInfo"))["result"]["url"] == "https://x.vn/h"
    assert _code(await _call(http, "getUpdates", {"timeout": 0})) == 400  # exclusive with polling
    assert (await _call(http, "deleteWebhook"))["result"]["url"] == ""
    assert (await _call(http, "getWebhookInfo"))["result"]["url"] == ""


@pytest.mark.parametrize(
    ("text", "code"),
    [("", 400), ("a" * 2000, None), ("a" * 2001, 400), ("😀" * 1000, None), ("😀" * 1001, 400)],
)
async def test_send_message_limit_in_utf16_units(
    fake: FakeZalo, http: httpx.AsyncClient, text: str, code: int | None
) -> None:
    answer = await _call(http, "sendMessage", {"chat_id": "u1", "text": text})
    assert _code(answer) == code
    assert fake.texts_to("u1") == ([] if code else [text])


async def test_sends_are_recorded(fake: FakeZalo, http: httpx.AsyncClient) -> None:
    sent = (await _call(http, "sendMessage", {"chat_id": "u1", "text": "một"}))["result"]
    assert HEX20.match(sent["message_id"]) and sent["date"] > 1e12
    assert (await _call(http, "sendChatAction", {"chat_id": "u1", "action": "typing"})) == {
        "ok": True
    }
    await _call(http, "sendPhoto", {"chat_id": "u2", "photo": "https://x.vn/a.png", "caption": "c"})
    await _call(http, "sendSticker", {"chat_id": "u2", "sticker": "abc"})
    assert [(s.method, s.chat_id) for s in fake.sent] == [
        ("sendMessage", "u1"),
        ("sendPhoto", "u2"),
        ("sendSticker", "u2"),
    ]
    assert [method for method, _ in fake.calls][1] == "sendChatAction"
    assert (await fake.wait_for_sent("u2", 2))[0].photo == "https://x.vn/a.png"


async def test_send_photo_wants_a_url_never_a_file(http: httpx.AsyncClient) -> None:
    assert _code(await _call(http, "sendPhoto", {"chat_id": "u", "photo": "AgADBAAD"})) == 400
    response = await http.post(
        f"/bot{DEFAULT_TOKEN}/sendPhoto",
        data={"chat_id": "u"},
        files={"photo": ("a.jpg", b"jpeg", "image/jpeg")},
    )
    assert response.json()["error_code"] == 400


async def test_fail_next(fake: FakeZalo, http: httpx.AsyncClient) -> None:
    fake.fail_next("sendMessage", times=2)
    fake.fail_next("getMe", 500, http_status=502)
    body = {"chat_id": "u", "text": "x"}
    assert [_code(await _call(http, "sendMessage", body)) for _ in range(3)] == [429, 429, None]
    response = await http.post(f"/bot{DEFAULT_TOKEN}/getMe")
    assert (response.status_code, response.json()["error_code"]) == (502, 500)
    assert _code(await _call(http, "getMe")) is None


async def test_rate_limit_answers_zalo_429s(fake: FakeZalo, http: httpx.AsyncClient) -> None:
    fake.rate_limit(2)
    body = {"chat_id": "u", "text": "x"}
    answers = [await _call(http, "sendMessage", body) for _ in range(3)]
    assert [_code(answer) for answer in answers] == [None, None, 429]
    assert answers[2] == {"ok": False, "error_code": 429, "description": "Quota exceeded"}
    typing = {"chat_id": "u", "action": "typing"}
    assert _code(await _call(http, "sendChatAction", typing)) is None  # not a message
    assert fake.too_many == 1 and len(fake.sent) == 2
    await asyncio.sleep(1.05)
    assert _code(await _call(http, "sendMessage", body)) is None
    assert (await http.post("/_fake/flood", json={"per_second": None})).json()["ok"]
    assert [_code(await _call(http, "sendMessage", body)) for _ in range(5)] == [None] * 5
    tally = (await http.get("/_fake/tally")).json()
    assert tally["per_chat"] == {"u": 8} and len(tally["sent_at"]) == 8
    assert len(tally["too_many_at"]) == 1
    assert (await http.get("/_fake/stats")).json()["too_many"] == 1
    bad = await http.post("/_fake/flood", json={"per_second": "ten"})
    assert bad.status_code == 400
    await http.post("/_fake/flood", json={"per_second": 1})
    fake.clear()  # the rate stays, what was counted goes
    assert fake.too_many == 0
    assert _code(await _call(http, "sendMessage", body)) is None
    assert _code(await _call(http, "sendMessage", body)) == 429


async def test_the_configured_rate_from_the_constructor() -> None:
    zalo = FakeZalo(per_second=1)
    async with zalo.serving(), httpx.AsyncClient(base_url=zalo.base_url) as http:
        body = {"chat_id": "u", "text": "x"}
        codes = [_code(await _call(http, "sendMessage", body)) for _ in range(2)]
    assert codes == [None, 429]


async def test_wait_for_sent_reports_what_was_sent(fake: FakeZalo, http: httpx.AsyncClient) -> None:
    await _call(http, "sendMessage", {"chat_id": "u1", "text": "chỉ một tin"})
    with pytest.raises(AssertionError, match="chỉ một tin"):
        await fake.wait_for_sent("u1", 2, timeout=0.1)


async def test_files_and_clear(fake: FakeZalo, http: httpx.AsyncClient) -> None:
    url = fake.add_file("anh/a.png", b"\x89PNG")
    assert url == f"{fake.base_url}/files/anh/a.png"
    response = await http.get(url)
    assert (response.content, response.headers["content-type"]) == (b"\x89PNG", "image/png")
    fake.inject_text("u", "x")
    fake.clear()
    assert (await http.get(url)).status_code == 404
    assert (fake.pending, fake.sent, fake.calls) == (0, [], [])


async def test_http_side_door(fake: FakeZalo, http: httpx.AsyncClient) -> None:
    response = await http.post("/_fake/text", json={"user_id": "u1", "text": "chào"})
    assert HEX20.match(response.json()["message_id"])
    await http.post("/_fake/image", json={"user_id": "u1", "photo_url": "https://x/p.jpg"})
    await http.post("/_fake/event", json={"event_name": "message.sticker.received"})
    assert (await http.get("/_fake/stats")).json()["pending"] == 3
    await http.post("/_fake/fail", json={"method": "sendMessage", "error_code": 403})
    assert _code(await _call(http, "sendMessage", {"chat_id": "u1", "text": "a"})) == 403
    for text in ("a", "b"):
        await _call(http, "sendMessage", {"chat_id": "u1", "text": text})
    await _call(http, "sendMessage", {"chat_id": "u2", "text": "c"})
    sent = (await http.get("/_fake/sent", params={"chat_id": "u1", "since": 1})).json()
    assert ([item["text"] for item in sent["sent"]], sent["next"]) == (["b"], 3)
    stats = (await http.get("/_fake/stats")).json()
    assert stats["calls_by_method"] == {"sendMessage": 4}
    await http.post("/_fake/reset")
    assert (await http.get("/_fake/stats")).json()["pending"] == 0


async def test_post_webhook_in_both_shapes_and_the_probe(fake: FakeZalo) -> None:
    received: list[tuple[str | None, bytes]] = []

    async def hook(request: Request) -> Response:
        received.append((request.headers.get("x-bot-api-secret-token"), await request.body()))
        return Response()

    fake.webhook_secret = "s3cret-s3cret"
    update = {"event_name": "message.text.received", "message": {"text": "x"}}
    async with serve(Starlette(routes=[Route("/hook", hook, methods=["POST"])])) as url:
        for body, flat in ((update, False), (update, True), (None, False)):
            response = await fake.post_webhook(body, url=f"{url}/hook", flat=flat)
            assert response.status_code == 200
    assert [secret for secret, _ in received] == ["s3cret-s3cret"] * 3
    assert [body[:12] for _, body in received] == [b'{"ok": true,', b'{"event_name', b""]


async def test_runs_as_a_subprocess() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.fakes.zalo_server", "--port", str(port)
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            for _ in range(200):
                try:
                    await http.post("/_fake/text", json={"user_id": "u1", "text": "chào"})
                    break
                except httpx.TransportError:
                    await asyncio.sleep(0.025)
            answer = await _call(http, "getUpdates", {"timeout": 1})
            assert answer["result"]["message"]["text"] == "chào"
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 5)


async def test_runs_as_a_subprocess_with_a_rate() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.fakes.zalo_server", "--port", str(port), "--per-second", "1"
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            for _ in range(200):
                try:
                    await http.get("/_fake/stats")
                    break
                except httpx.TransportError:
                    await asyncio.sleep(0.025)
            body = {"chat_id": "u", "text": "x"}
            codes = [_code(await _call(http, "sendMessage", body)) for _ in range(2)]
            assert codes == [None, 429]
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 5)
