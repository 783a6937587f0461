"""The web app over real HTTP: signed, expiring download links, /healthz, the Vietnamese pages."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from bot.clock import ManualClock
from bot.config import ConfigError, Settings, load_settings
from bot.maintenance import keep_tidy
from bot.scheduling import Scheduler
from bot.web.app import ascii_name, build_app
from bot.web.downloads import Downloads, LinksUnavailable, clean_name
from bot.web.links import LinkSigner, LinkState, derive_key, encode_expiry
from bot.web.server import WebServer
from storage.db import Database, open_database

SECRET = "test-secret-7c1d0e4b9a2f"
PUBLIC = "https://thidua.example.vn"
START = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class Site:
    """The app served on 127.0.0.1 with its parts, and a client for it."""

    db: Database
    scheduler: Scheduler
    downloads: Downloads
    clock: ManualClock
    server: WebServer
    http: httpx.AsyncClient
    folder: Path

    def written(self, name: str, data: bytes) -> Path:
        """A file as an export leaves it, ready to publish."""
        path = self.folder / name
        path.write_bytes(data)
        return path

    def publish(self, data: bytes = b"PK\x03\x04 workbook", name: str = "dang-ky.xlsx") -> str:
        """Publish `data` as `name` now; return the URL path of its link."""
        url = self.downloads.publish(self.written("staged.tmp", data), name, self.clock.now())
        assert url.startswith(PUBLIC + "/t/")
        return urlsplit(url).path


@pytest.fixture
async def site(tmp_path: Path) -> AsyncIterator[Site]:
    """The web app on a real database, a real scheduler and a manual clock, at port 0."""
    clock = ManualClock(START)
    settings = Settings(database={"path": str(tmp_path / "bot.sqlite3")})
    downloads = Downloads(
        tmp_path / "downloads", secret=SECRET, public_url=PUBLIC + "/", lifetime=timedelta(hours=24)
    )
    async with open_database(settings.database.path) as db:
        scheduler = Scheduler(db, settings, clock)
        scheduler.start()
        server = WebServer(build_app(db, scheduler, downloads, clock), "127.0.0.1:0")
        await server.start()
        try:
            base = f"http://127.0.0.1:{server.port}"
            async with httpx.AsyncClient(base_url=base, timeout=10) as http:
                yield Site(db, scheduler, downloads, clock, server, http, tmp_path)
        finally:
            await server.stop()
            scheduler.stop()


# 1. A link gives exactly its file, with the right headers.


async def test_a_published_link_downloads_the_file(site: Site) -> None:
    data = bytes(range(256)) * 40
    path = site.publish(data, "Đăng ký công trình – Phường Mẫu.xlsx")
    assert len(path) <= 50  # taps in a Zalo message
    assert not (site.folder / "staged.tmp").exists()  # moved, not copied
    answer = await site.http.get(path)
    assert answer.status_code == 200
    assert answer.content == data
    assert answer.headers["content-type"] == XLSX
    assert answer.headers["cache-control"] == "private, no-store"
    disposition = answer.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="Dang ky cong trinh _ Phuong Mau.xlsx"' in disposition
    assert (
        "filename*=UTF-8''%C4%90%C4%83ng%20k%C3%BD%20c%C3%B4ng%20tr%C3%ACnh%20%E2%80%93%20"
        "Ph%C6%B0%E1%BB%9Dng%20M%E1%BA%ABu.xlsx" in disposition
    )
    head = await site.http.head(path)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(data))
    # Good until the last second of its 24 hours.
    site.clock.advance(timedelta(hours=24) - timedelta(seconds=1))
    assert (await site.http.get(path)).content == data


async def test_a_word_file_has_its_own_type(site: Site) -> None:
    answer = await site.http.get(site.publish(b"docx bytes", "Báo cáo.docx"))
    assert answer.headers["content-type"] == DOCX
    assert 'filename="Bao cao.docx"' in answer.headers["content-disposition"]


# 2. Expired, altered, foreign: 403 and a short Vietnamese page.


def _alter(text: str, index: int) -> str:
    swapped = "A" if text[index] != "A" else "B"
    return text[:index] + swapped + text[index + 1 :]


async def _refusal(site: Site, path: str) -> str:
    answer = await site.http.get(path)
    assert answer.status_code == 403, path
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    assert answer.headers["cache-control"] == "private, no-store"
    assert "xuat" in answer.text and '<html lang="vi">' in answer.text
    assert "content-disposition" not in answer.headers
    return answer.text


async def test_altered_and_foreign_links_are_refused(site: Site) -> None:
    path = site.publish()
    other = site.publish(b"another unit's list")
    file_id, expiry, signature = path.removeprefix("/t/").split(".")
    other_id = other.removeprefix("/t/").split(".")[0]
    later = encode_expiry(START + timedelta(days=30))
    altered = [
        f"/t/{file_id}.{expiry}.{_alter(signature, 5)}",  # the signature
        f"/t/{file_id}.{later}.{signature}",  # the expiry, pushed a month on
        f"/t/{other_id}.{expiry}.{signature}",  # another file's id with this signature
        f"/t/{_alter(file_id, 0)}.{expiry}.{signature}",  # a guessed file id
        f"/t/{file_id}.0{expiry}.{signature}",  # the same expiry spelled differently
        f"/t/{file_id}.{expiry}",  # cut short in the message
        f"/t/{file_id}.{expiry}.{signature}.x",
        "/t/x",
        "/t/" + "a" * 5000,
    ]
    for bad in altered:
        assert "Đường dẫn không hợp lệ" in await _refusal(site, bad)
    # Signed with another secret: the same file id and expiry, a valid-looking signature.
    forged = LinkSigner("another-secret-entirely").sign(file_id, START + timedelta(hours=24))
    assert "Đường dẫn không hợp lệ" in await _refusal(site, f"/t/{forged}")
    # The real ones still work.
    assert (await site.http.get(path)).status_code == 200
    assert (await site.http.get(other)).content == b"another unit's list"


async def test_an_expired_link_is_refused(site: Site) -> None:
    path = site.publish()
    site.clock.advance(timedelta(hours=24))
    page = await _refusal(site, path)
    assert "Đường dẫn đã hết hạn" in page and "không hợp lệ" not in page
    # An altered copy of an expired link learns nothing more than "not valid".
    assert "không hợp lệ" in await _refusal(site, _alter(path, len(path) - 3))


async def test_a_store_without_a_secret_serves_no_link(site: Site) -> None:
    path = site.publish()
    keyless = Downloads(site.downloads.folder, secret="", public_url=PUBLIC, lifetime=timedelta(1))
    async with serving(site, keyless) as http:
        assert (await http.get(path)).status_code == 403


@asynccontextmanager
async def serving(site: Site, downloads: Downloads) -> AsyncIterator[httpx.AsyncClient]:
    """Serve a second app on the same database and clock with another store."""
    server = WebServer(build_app(site.db, site.scheduler, downloads, site.clock), "127.0.0.1:0")
    await server.start()
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{server.port}") as http:
            yield http
    finally:
        await server.stop()


async def test_a_link_whose_file_is_gone_says_so(site: Site) -> None:
    path = site.publish()
    file_id = path.removeprefix("/t/").split(".")[0]
    for entry in (site.downloads.folder / file_id).iterdir():
        entry.unlink()
    answer = await site.http.get(path)
    assert answer.status_code == 404 and "Không còn tệp này" in answer.text


async def test_unknown_paths_get_a_vietnamese_page(site: Site) -> None:
    for path in ("/", "/t/", "/admin", "/t/a/b"):
        answer = await site.http.get(path)
        assert answer.status_code == 404, path
        assert "Không tìm thấy trang" in answer.text
        assert answer.headers["content-type"] == "text/html; charset=utf-8"
    posted = await site.http.post(site.publish())
    assert posted.status_code == 405 and "GET" in posted.headers["allow"]
    assert "Yêu cầu không hợp lệ" in posted.text


# 3. /healthz.


async def test_healthz_reports_the_database_and_the_scheduler(site: Site) -> None:
    answer = await site.http.get("/healthz")
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "ok" and body["database"] == "ok" and body["scheduler"] == "running"
    assert body["time"] == START.isoformat()
    assert answer.headers["cache-control"] == "no-store"
    site.scheduler.stop()
    answer = await site.http.get("/healthz")
    assert answer.status_code == 503
    assert answer.json() | {"time": None, "last_tick": None} == {
        "status": "unavailable",
        "database": "ok",
        "scheduler": "stopped",
        "time": None,
        "last_tick": None,
        # Without the running bot's parts (bot/runtime.BotHealth): none to report.
        "senders": {},
        "outbox": {},
        "last_update": {},
    }


async def test_healthz_fails_when_the_database_is_closed(site: Site) -> None:
    await site.db.close()
    answer = await site.http.get("/healthz")
    assert answer.status_code == 503
    assert answer.json()["database"] == "closed" and answer.json()["scheduler"] == "running"


# 4. The store: publishing, refusing, pruning.


def test_publishing_needs_a_secret_and_a_public_url(tmp_path: Path) -> None:
    source = tmp_path / "x.xlsx"
    source.write_bytes(b"x")
    for secret, public, missing in (
        ("", PUBLIC, ("web.secret",)),
        (SECRET, "", ("web.public_url",)),
        ("", "", ("web.public_url", "web.secret")),
    ):
        store = Downloads(tmp_path / "d", secret=secret, public_url=public, lifetime=timedelta(1))
        with pytest.raises(LinksUnavailable) as caught:
            store.publish(source, "x.xlsx", START)
        assert caught.value.missing == missing
        assert " / " in str(caught.value) and "THIDUA_WEB__SECRET" in str(caught.value)
    assert source.read_bytes() == b"x"  # refused: the file stays where it was
    assert not (tmp_path / "d").exists()


def test_prune_removes_expired_files_and_keeps_live_ones(tmp_path: Path) -> None:
    folder = tmp_path / "downloads"
    store = Downloads(folder, secret=SECRET, public_url=PUBLIC, lifetime=timedelta(hours=24))
    sources = []
    for index in range(3):
        sources.append(tmp_path / f"{index}.xlsx")
        sources[-1].write_bytes(b"%d" % index)
    old = store.publish(sources[0], "old.xlsx", START)
    live = store.publish(sources[1], "live.xlsx", START + timedelta(hours=12))
    # A publish cut short (its expiry in its name), and folders that are not ours at all.
    (folder / f".AAAAAAAAAAAA.{encode_expiry(START + timedelta(hours=1))}.part").mkdir()
    (folder / "notes").mkdir()
    (folder / "BBBBBBBBBBBB").mkdir()  # shaped like a box, but no expiry: not ours to judge
    now = START + timedelta(hours=30)
    assert store.prune(now) == 2
    signer = LinkSigner(SECRET)
    old_id = signer.verify(urlsplit(old).path.removeprefix("/t/"), START).file_id
    live_id = signer.verify(urlsplit(live).path.removeprefix("/t/"), START).file_id
    assert store.open(old_id) is None
    kept = store.open(live_id)
    assert kept is not None and kept.read_bytes() == b"1"
    assert sorted(p.name for p in folder.iterdir()) == sorted([live_id, "notes", "BBBBBBBBBBBB"])
    assert store.prune(START + timedelta(hours=36)) == 1
    assert store.prune(START + timedelta(days=9)) == 0
    assert (
        Downloads(tmp_path / "none", secret="", public_url="", lifetime=timedelta(1)).prune(now)
        == 0
    )


async def test_maintenance_prunes_the_downloads(tmp_path: Path) -> None:
    clock = ManualClock(START)
    store = Downloads(tmp_path / "d", secret=SECRET, public_url=PUBLIC, lifetime=timedelta(hours=1))
    source = tmp_path / "x.xlsx"
    source.write_bytes(b"x")
    store.publish(source, "x.xlsx", START - timedelta(hours=2))
    stop = asyncio.Event()
    async with open_database(tmp_path / "b.sqlite3") as db:
        tidy = asyncio.create_task(keep_tidy(db, clock, stop, store))
        for _ in range(200):
            if not list((tmp_path / "d").iterdir()):
                break
            await asyncio.sleep(0.01)
        stop.set()
        await asyncio.wait_for(tidy, 5)
    assert list((tmp_path / "d").iterdir()) == []


def test_names_are_kept_safe() -> None:
    assert clean_name("Đăng ký.xlsx") == "Đăng ký.xlsx"
    assert clean_name("../../etc/passwd") == "-..-etc-passwd"
    assert clean_name(".hidden.xlsx") == "hidden.xlsx"
    assert clean_name("a\x00b\nc.docx") == "a-b-c.docx"
    long = clean_name("Ủy ban " * 60 + ".xlsx")
    assert long.endswith(".xlsx") and len(long.encode()) <= 200
    assert ascii_name("Tổng hợp “đợt 1”.docx") == "Tong hop _dot 1_.docx"


# 5. The links themselves.


def test_a_token_is_short_and_signed_with_a_derived_key() -> None:
    signer = LinkSigner(SECRET)
    token = signer.sign("abcdefghijkl", START + timedelta(hours=24))
    file_id, expiry, signature = token.split(".")
    assert file_id == "abcdefghijkl" and int(expiry, 36) == int(START.timestamp()) + 86400
    assert len(signature) == 22 and len(token) <= 42
    assert signer.verify(token, START).state is LinkState.OK
    assert signer.verify(token, START).file_id == "abcdefghijkl"
    assert signer.verify(token, START + timedelta(hours=24)).state is LinkState.EXPIRED
    # The key is derived for links alone: the raw secret (or another purpose) signs nothing.
    assert derive_key(SECRET) != derive_key(SECRET, b"thidua webhooks v1")
    assert derive_key(SECRET) != SECRET.encode()


# 6. Configuration.


def test_link_hours_is_checked(tmp_path: Path) -> None:
    assert Settings().web.link_hours == 24
    assert Settings(web={"link_hours": 720}).web.link_hours == 720
    for bad, vi in (("0", "phải từ 1 trở lên"), ("721", "không được quá 720"), ('"x"', "số")):
        path = tmp_path / "config.toml"
        path.write_text(f"[web]\nlink_hours = {bad}\n", "utf-8")
        with pytest.raises(ConfigError) as caught:
            load_settings(path)
        [line] = caught.value.problems
        assert "web.link_hours" in line and vi in line and " / " in line, line


def test_the_downloads_folder_defaults_beside_the_database(tmp_path: Path) -> None:
    settings = Settings(database={"path": str(tmp_path / "bot.sqlite3")})
    assert Downloads.from_settings(settings).folder == tmp_path / "bot.sqlite3.downloads"
    chosen = Settings(web={"downloads": str(tmp_path / "links"), "link_hours": 2})
    store = Downloads.from_settings(chosen)
    assert store.folder == tmp_path / "links" and store.lifetime == timedelta(hours=2)


# 7. Secrets stay secret; signals stay ours.


async def test_the_token_never_reaches_the_logs(
    site: Site, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    path = site.publish()
    token = path.removeprefix("/t/")
    file_id, _, signature = token.split(".")
    await site.http.get(path)
    await site.http.head(path)
    await site.http.get(_alter(path, len(path) - 1))
    site.clock.advance(timedelta(days=2))
    await site.http.get(path)
    # The test's own client (httpx, httpcore) logs what it asks for; the server must not.
    server_side = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    text = "\n".join(r.getMessage() for r in server_side)
    assert "download result=ok" in text and "download result=expired" in text
    assert "download result=altered" in text
    assert token not in text and signature not in text and file_id not in text


async def test_the_server_leaves_the_signal_handlers_alone(tmp_path: Path) -> None:
    loop = asyncio.get_running_loop()
    stopped = asyncio.Event()
    before = signal.getsignal(signal.SIGTERM)
    loop.add_signal_handler(signal.SIGTERM, stopped.set)
    try:
        installed = signal.getsignal(signal.SIGTERM)
        store = Downloads(tmp_path, secret=SECRET, public_url=PUBLIC, lifetime=timedelta(1))
        async with open_database(tmp_path / "b.sqlite3") as db:
            scheduler = Scheduler(db, Settings(), ManualClock(START))
            server = WebServer(build_app(db, scheduler, store, ManualClock(START)), "127.0.0.1:0")
            await server.start()
            assert signal.getsignal(signal.SIGTERM) is installed
            signal.raise_signal(signal.SIGTERM)
            await asyncio.wait_for(stopped.wait(), 5)  # the loop's handler got it
            await server.stop()
    finally:
        loop.remove_signal_handler(signal.SIGTERM)
    assert signal.getsignal(signal.SIGTERM) == before
