"""thidua campaign check / load / list, and reloading without losing a single answer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from tests.conftest import Bot
from tests.transcript_runner import campaign_path

EXAMPLE = campaign_path("example")


@pytest.fixture
def workdir(cli_workdir: Path) -> Path:
    """The command-line working folder, with the sample units imported."""
    assert main(["units", "import", "units.csv"]) == 0
    return cli_workdir


def test_check_lists_every_problem_with_lines(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = campaign_path("broken")
    capsys.readouterr()
    assert main(["campaign", "check", str(broken)]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 5
    for line in lines:
        file, number, rest = line.split(":", 2)
        assert file == str(broken) and number.isdigit() and " / " in rest


def test_check_without_a_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["campaign", "check", str(EXAMPLE)]) == 0
    assert not (tmp_path / "thidua.sqlite3").exists()  # checking creates nothing


def test_unknown_scope_is_refused_against_the_tree(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = EXAMPLE.read_text("utf-8").replace('scope = "X-MAU"', 'scope = "X-NOWHERE"')
    (workdir / "c.toml").write_text(text, "utf-8")
    capsys.readouterr()
    assert main(["campaign", "load", "c.toml"]) == 1
    err = capsys.readouterr().err
    assert "c.toml:12:" in err and "X-NOWHERE" in err


def test_load_and_list(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["campaign", "load", str(EXAMPLE), "--json"]) == 0
    loaded = json.loads(capsys.readouterr().out)
    assert loaded == {"ok": True, "code": "dai-hoi-mttq-2024", "revision": 1, "forms": 3}
    assert main(["campaign", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["campaigns"]
    assert [c["code"] for c in listed] == ["dai-hoi-mttq-2024"]
    forms = {f["id"]: f for f in listed[0]["forms"]}
    assert (
        forms["dang-ky"]["due_on"] == "2023-11-30" and forms["dang-ky"]["opens_on"] == "2023-10-10"
    )
    assert forms["tong-ket"]["late"] == "allow"
    assert main(["campaign", "list"]) == 0
    assert "dang-ky" in capsys.readouterr().out


async def _register(bot: Bot, user: str, name: str) -> None:
    for text in (
        "dangky",
        name,
        "1",
        "1",
        "Nội dung",
        "Địa điểm",
        "11/2023",
        "12/2023",
        "10 triệu",
        "boqua",
        "boqua",
        "boqua",
        "gui",
        "2",
    ):
        await bot.say(user, text)


async def test_reload_keeps_every_answer(bot: Bot, tmp_path: Path) -> None:
    from bot import admin

    await admin.load_campaign(bot.db, bot.settings, EXAMPLE, bot.clock.now())
    await bot.enrol("ba-lan", "KP-01", "rep")
    await _register(bot, "ba-lan", "Thắp sáng hẻm 12")
    await bot.say("ba-lan", "dangky")
    await bot.say("ba-lan", "Công trình đang làm dở")  # a draft in progress during the reload
    # The secretary moves the deadline, rewords a question and drops the photo question.
    edited = (
        EXAMPLE.read_text("utf-8")
        .replace("due_on = 2023-11-30", "due_on = 2023-12-15")
        .replace('prompt = "Tên công trình, phần việc là gì?"', 'prompt = "Tên công trình?"')
    )
    cut = edited.index('  [[forms.questions]]\n  id = "anh"')
    edited = edited[:cut] + edited[edited.index('[[forms]]\nid = "tien-do"') :]
    path = tmp_path / "edited.toml"
    path.write_text(edited, "utf-8")
    _, revision = await admin.load_campaign(bot.db, bot.settings, path, bot.clock.now())
    assert revision == 2
    async with bot.db.read() as repos:
        sent = await repos.submissions.for_unit("KP-01", "dai-hoi-mttq-2024", "dang-ky")
    assert [s.answers["ten"] for s in sent] == ["Thắp sáng hẻm 12"]
    assert sent[0].answers["kinh_phi"] == 10_000_000
    replies = await bot.say("ba-lan", "1")  # the form in progress goes on under the new file
    assert "Câu 3/10" in replies[0]
    replies = await bot.say("ba-lan", "trangthai")
    assert "Thắp sáng hẻm 12" in replies[0]


async def test_removing_a_used_form_is_refused(bot: Bot, tmp_path: Path) -> None:
    from bot import admin

    await admin.load_campaign(bot.db, bot.settings, EXAMPLE, bot.clock.now())
    await bot.enrol("ba-lan", "KP-01", "rep")
    await _register(bot, "ba-lan", "Thắp sáng hẻm 12")
    text = EXAMPLE.read_text("utf-8")
    start = text.index('[[forms]]\nid = "dang-ky"')
    end = text.index('[[forms]]\nid = "tien-do"')
    path = tmp_path / "no-registration.toml"
    path.write_text(text[:start] + text[end:].replace('about = "dang-ky"\n', ""), "utf-8")
    with pytest.raises(admin.Refused):
        await admin.load_campaign(bot.db, bot.settings, path, bot.clock.now())
    async with bot.db.read() as repos:
        stored = await repos.campaigns.get("dai-hoi-mttq-2024")
    assert stored is not None and stored.revision == 1


async def test_photos_are_stored_with_their_file(bot: Bot) -> None:
    from bot import admin
    from bot.files import files_dir
    from bot.messages import Inbound, InboundKind
    from tests.transcript_runner import PhotoRecorder

    recorder = PhotoRecorder()
    bot.router.register("console", recorder)
    await admin.load_campaign(bot.db, bot.settings, EXAMPLE, bot.clock.now())
    await bot.enrol("ba-lan", "KP-01", "rep")
    for text in ("dangky", "Tên", "3", "1", "Nội dung", "Địa điểm", "11/2023", "12/2023", "boqua"):
        await bot.say("ba-lan", text)
    photo = Inbound(
        channel="console",
        chat_id="ba-lan",
        user_id="ba-lan",
        kind=InboundKind.PHOTO,
        photo_ref="f1",
    )
    handled = await bot.send(photo)
    assert "Đã nhận 1 ảnh" in handled.replies[0].text
    await bot.say("ba-lan", "xong")
    await bot.say("ba-lan", "gui")
    async with bot.db.read() as repos:
        sent = (await repos.submissions.for_unit("KP-01", "dai-hoi-mttq-2024", "dang-ky"))[0]
        attachment = await repos.attachments.get(sent.answers["anh"][0])
    assert attachment is not None and attachment["kind"] == "photo"
    assert (files_dir(bot.settings) / attachment["path"]).read_bytes().startswith(b"\x89PNG")
    # A photo outside a photo question is refused and leaves no file behind.
    before = sorted(files_dir(bot.settings).iterdir())
    await bot.say("ba-lan", "dangky")
    await bot.say("ba-lan", "2")
    handled = await bot.send(photo.model_copy(update={"photo_ref": "f2"}))
    assert "cần gõ chữ" in handled.replies[0].text
    assert sorted(files_dir(bot.settings).iterdir()) == before
