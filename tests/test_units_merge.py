"""`thidua units merge` (issue 16): three residential areas merged into one lose nothing — members,
drafts, submissions with every version — the old ones stay readable as history, and the digest,
the export and the reminders count the merged unit once."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot import admin, invites
from bot.cli import main
from bot.digest.service import gather
from bot.exports.files import write_export
from bot.scheduling import tick_reminders
from bot.unit_merge import MergeReport, merge_units
from storage.models import Role, Unit
from storage.unit_merges import Moved, UnitMergeRepo
from tests.conftest import Bot
from tests.transcript_runner import campaign_path

CAMPAIGN, REGISTER = "dai-hoi-mttq-2024", "dang-ky"
OLD = ["KP-01", "KP-02", "KP-03"]


def at(text: str) -> datetime:
    """A local time in Vietnam."""
    return datetime.fromisoformat(f"{text}+07:00")


def _registration(title: str) -> list[str]:
    """What a representative types to register one work (as in the reminder tests)."""
    return ["dangky", title, "1", "1", "Lắp đèn", "Hẻm 1", "11/2023", "12/2023", "5 triệu", "1",
            "10", "boqua", "gui", "2"]  # fmt: skip


async def _say(bot: Bot, user: str, lines: list[str]) -> list[str]:
    replies: list[str] = []
    for text in lines:
        replies = await bot.say(user, text)
    return replies


async def _add_merged_unit(bot: Bot, folder: Path) -> None:
    """The decision creates Khu phố 10 from Khu phố 1, 2 and 3 (a ward's file, as ever)."""
    path = folder / "kp10.csv"
    path.write_text("code,name,level,parent\nKP-10,Khu phố 10,khu_dan_cu,X-MAU\n", "utf-8")
    await admin.import_units(bot.db, bot.settings, path)


async def _merge(bot: Bot, olds: list[str], into: str) -> MergeReport:
    async with bot.db.transaction() as repos:
        return await merge_units(repos, olds, into, force=False, now=bot.clock.now())


async def _unit(bot: Bot, code: str) -> Unit:
    async with bot.db.read() as repos:
        unit = await repos.units.get(code)
    assert unit is not None
    return unit


async def test_three_areas_merged_lose_nothing_and_count_once(bot: Bot, tmp_path: Path) -> None:
    await bot.load_campaign(campaign_path("example"))
    for user, unit in (("lan", "KP-01"), ("binh", "KP-02"), ("cuc", "KP-03")):
        await bot.enrol(user, unit, "rep")
    await bot.enrol("thu-ky", "X-MAU", "secretary")
    await _say(bot, "lan", _registration("Thắp sáng hẻm"))
    await _say(bot, "binh", _registration("Đường cờ Tổ quốc"))
    bot.clock.set(at("2023-11-22T10:00:00"))
    replies = await _say(bot, "binh", ["trangthai", "1", "sua 10", "150", "gui"])
    assert "lần sửa thứ 1" in replies[0], replies
    await _say(bot, "cuc", ["dangky", "Camera an ninh", "huy"])  # a draft, kept
    await _add_merged_unit(bot, tmp_path)
    async with bot.db.read() as repos:
        binh = await repos.members.find("console", "binh")
        cuc = await repos.members.find("console", "cuc")
        assert binh is not None and cuc is not None
        (sent,) = await repos.submissions.for_unit("KP-02", CAMPAIGN, REGISTER)
        drafts = await repos.drafts.of_member(cuc.id)
    assert len(drafts) == 1

    bot.clock.set(at("2023-11-24T09:00:00"))
    report = await _merge(bot, OLD, "KP-10")
    assert [u.code for u in report.merged] == OLD and report.into.code == "KP-10"
    assert report.moved == Moved(members=3, drafts=1, submissions=2, invites=0, children=0,
                                 reminders=0)  # fmt: skip

    async with bot.db.read() as repos:
        # Nothing lost: the people, their draft, the submissions with every version.
        for user in ("lan", "binh", "cuc"):
            member = await repos.members.find("console", user)
            assert member is not None and member.unit_code == "KP-10"
        assert await repos.drafts.of_member(cuc.id) == drafts
        works = await repos.submissions.for_unit("KP-10", CAMPAIGN, REGISTER)
        assert sorted(w.answers["ten"] for w in works) == ["Thắp sáng hẻm", "Đường cờ Tổ quốc"]
        versions = await repos.submissions.versions(sent.id)
        assert [v.version for v in versions] == [1, 2] and versions[1].member_id == binh.id
        assert versions[1].answers["so_ho"] == 150
        # The history: the old units are still there, marked, and say what left them.
        old = await repos.units.get("KP-02")
        assert old is not None and old.merged_into == "KP-10" and old.name == "Khu phố 2"
        merges = UnitMergeRepo(repos.units.conn)
        assert await merges.moved_from("KP-02") == [sent.id]
        assert await merges.merged_at("KP-02") == at("2023-11-24T09:00:00")
        # Menus show the live tree only.
        ward = await repos.units.get("X-MAU")
        assert ward is not None
        below = await repos.units.subtree(ward, include_root=False)
        assert [u.code for u in below] == ["KP-04", "KP-10"]
    assert "Khu phố 10" in (await bot.say("lan", "trangthai"))[0]
    offer = await bot.say("cuc", "dangky")
    assert any("bản nháp" in text for text in offer), offer

    # The digest counts the merged unit once: KP-04 and KP-10 are expected, KP-10 has sent.
    now = bot.clock.now()
    digest = (await gather(bot.db, bot.settings, "X-MAU", now)).as_json(
        bot.settings.schedule.zone()
    )
    (form,) = [f for c in digest["campaigns"] for f in c["forms"] if f["id"] == REGISTER]
    assert (form["expected"], form["submitted"], form["missing"]) == (2, 1, 1)
    assert form["submitted_units"] == ["KP-10"] and form["missing_units"] == ["KP-04"]

    # So does the export: two works under Khu phố 10, one unit that sent, KP-04 alone missing.
    written = await write_export(bot.db, bot.settings, campaign=CAMPAIGN, form=REGISTER,
                                 unit_code="X-MAU", fmt="xlsx", target=tmp_path / "dk.xlsx",
                                 now=now)  # fmt: skip
    export = written.export
    assert (written.rows, export.expected, export.submitted) == (2, 2, 1)
    assert [u.code for u in export.missing] == ["KP-04"]
    book = load_workbook(tmp_path / "dk.xlsx")
    names = [row[1] for row in book["Trả lời"].iter_rows(min_row=5, values_only=True)]
    assert names == ["Khu phố 10", "Khu phố 10"]
    missing = [row[2] for row in book["Chưa gửi"].iter_rows(min_row=5, values_only=True)]
    assert missing == ["KP-04"]


async def test_a_merged_unit_is_not_reminded_twice(bot: Bot, tmp_path: Path) -> None:
    await bot.load_campaign(campaign_path("example"))
    for user, unit in (("lan", "KP-01"), ("binh", "KP-02"), ("cuc", "KP-03")):
        await bot.enrol(user, unit, "rep")
    assert await tick_reminders(bot.db, bot.settings, at("2023-11-27T08:05:00")) == 3
    await _add_merged_unit(bot, tmp_path)
    bot.clock.set(at("2023-11-27T15:00:00"))
    report = await _merge(bot, OLD, "KP-10")
    assert report.moved.reminders == 1  # the three "-3d" keys are one for KP-10
    # The next morning "-3d" is still the reminder due: KP-10 had it, as its areas did.
    assert await tick_reminders(bot.db, bot.settings, at("2023-11-28T08:05:00")) == 0
    # "-1d" comes once to each of the three people, now of one unit.
    assert await tick_reminders(bot.db, bot.settings, at("2023-11-29T08:05:00")) == 3
    rows = await bot.db.conn.execute_fetchall(
        "SELECT chat_id, ref, payload FROM outbox WHERE kind = 'reminder' ORDER BY id"
    )
    sent = [(str(r[0]), str(r[1]).rsplit("/", 1)[1]) for r in rows]
    assert sorted(sent) == sorted((u, o) for u in ("lan", "binh", "cuc") for o in ("-3d", "-1d"))
    assert all("Khu phố 10" in json.loads(r[2])["text"] for r in rows[3:])


async def test_a_failed_merge_moves_nothing(
    bot: Bot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await bot.enrol("lan", "KP-01", "rep")
    await bot.enrol("binh", "KP-02", "rep")
    await _add_merged_unit(bot, tmp_path)
    real = UnitMergeRepo.move
    calls = 0

    async def breaks_on_the_second(
        self: UnitMergeRepo, old: Unit, new: Unit, now: datetime
    ) -> Moved:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise OSError("disk full")
        return await real(self, old, new, now)

    monkeypatch.setattr(UnitMergeRepo, "move", breaks_on_the_second)
    with pytest.raises(OSError):
        await _merge(bot, ["KP-01", "KP-02"], "KP-10")
    async with bot.db.read() as repos:
        lan = await repos.members.find("console", "lan")
        assert lan is not None and lan.unit_code == "KP-01"  # one transaction: all or nothing
    assert (await _unit(bot, "KP-01")).merged_into is None


async def test_invite_codes_of_merged_units_enrol_into_the_merged_one(
    bot: Bot, tmp_path: Path
) -> None:
    waiting = await bot.invite("KP-02", "rep")  # given out before the merge, not used yet
    await _add_merged_unit(bot, tmp_path)
    async with bot.db.transaction() as repos:
        # A code made in a `moi` conversation that began before the merge and ended after it.
        old = await repos.units.get("KP-03")
        assert old is not None
        report = await merge_units(repos, ["KP-02", "KP-03"], "KP-10", force=False,
                                   now=bot.clock.now())  # fmt: skip
        late = await invites.create_invite(repos, unit=old, role=Role.REP, now=bot.clock.now())
    assert report.moved.invites == 1
    for user, code in (("binh", waiting), ("cuc", late.code)):
        await bot.say(user, code)
        async with bot.db.read() as repos:
            member = await repos.members.find("console", user)
        assert member is not None and member.unit_code == "KP-10", user


async def test_merging_communes_moves_their_areas(bot: Bot) -> None:
    await bot.load_campaign(campaign_path("example"))
    await bot.enrol("an", "AP-01", "rep")
    async with bot.db.transaction() as repos:
        report = await merge_units(repos, ["x-song"], "X-MAU", force=False, now=bot.clock.now())
    assert report.moved.children == 2 and report.moved.members == 0
    area = await _unit(bot, "AP-01")
    assert (area.parent_code, area.path, area.depth) == ("X-MAU", "/T-MAU/X-MAU/AP-01/", 2)
    async with bot.db.read() as repos:
        ward = await repos.units.get("X-MAU")
        assert ward is not None
        below = [u.code for u in await repos.units.subtree(ward, include_root=False)]
    assert below == ["AP-01", "AP-02", "KP-01", "KP-02", "KP-03", "KP-04"]
    # The ward now expects its own four areas and the two hamlets that came with Xã Sông Mẫu.
    digest = await gather(bot.db, bot.settings, "X-MAU", bot.clock.now())
    json_digest = digest.as_json(bot.settings.schedule.zone())
    (form,) = [f for c in json_digest["campaigns"] for f in c["forms"] if f["id"] == REGISTER]
    assert form["expected"] == 6
    assert "Ấp Bình An" in (await bot.say("an", "trangthai"))[0]


# The command line: one sentence for each refusal, nothing changed.


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


def _merged(folder: Path) -> dict[str, str]:
    with sqlite3.connect(folder / "t.sqlite3") as conn:
        rows = conn.execute("SELECT code, merged_into FROM units WHERE merged_into IS NOT NULL")
        return {str(r[0]): str(r[1]) for r in rows}


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["KP-01", "--into", "AP-01"], "--force"),  # different parents
        (["KP-01", "--into", "kp-01"], "chính nó"),
        (["KP-99", "--into", "KP-01"], "KP-99"),
        (["X-SONG", "--into", "KP-01"], "cùng cấp"),
        (["T-MAU", "--into", "X-MAU"], "cấp trên, cấp dưới"),
        (["X-MAU", "--into", "X-SONG"], "phạm vi của đợt thi đua dai-hoi-mttq-2024"),
    ],
)
def test_a_refused_merge_says_why_and_changes_nothing(
    cli_workdir: Path, capsys: pytest.CaptureFixture[str], argv: list[str], said: str
) -> None:
    assert main(["units", "import", "units.csv"]) == 0
    assert main(["campaign", "load", str(campaign_path("example"))]) == 0
    code, out, err = _run(capsys, "units", "merge", *argv)
    assert code == 1 and out == "" and said in err and len(err.strip().splitlines()) == 1
    assert _merged(cli_workdir) == {}
    code, out, _ = _run(capsys, "units", "merge", *argv, "--json")
    assert code == 1 and json.loads(out)["ok"] is False


def test_merge_on_the_command_line(cli_workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["units", "import", "units.csv"]) == 0
    code, out, _ = _run(capsys, "units", "merge", "KP-02", "kp-03", "--into", "KP-01", "--json")
    assert code == 0 and out.count("\n") == 1
    assert json.loads(out) == {"ok": True, "into": "KP-01", "merged": ["KP-02", "KP-03"],
                               "members": 0, "drafts": 0, "submissions": 0, "invites": 0,
                               "children": 0}  # fmt: skip
    assert _merged(cli_workdir) == {"KP-02": "KP-01", "KP-03": "KP-01"}
    # Across parents only when meant.
    code, out, _ = _run(capsys, "units", "merge", "AP-02", "--into", "KP-04", "--force")
    assert code == 0 and "AP-02" in out and "KP-04" in out
    # A merged unit is history: listed, marked, and refused where a live unit is wanted.
    code, out, _ = _run(capsys, "units", "list", "--under", "X-MAU")
    assert "  KP-02  Khu phố 2 (Khu dân cư) [đã gộp vào / merged into KP-01]" in out.splitlines()
    for argv in (["invite", "--unit", "KP-02", "--role", "rep"], ["units", "merge", "KP-02",
                 "--into", "KP-04"], ["digest", "--unit", "kp-02"]):  # fmt: skip
        code, _, err = _run(capsys, *argv)
        assert code == 1 and "đã được gộp vào KP-01" in err, argv
    # A ward's old file still names them: said, not refused; a unit below one is refused.
    (cli_workdir / "old.csv").write_text(
        "code,name,level,parent\nKP-02,Khu phố 2,khu_dan_cu,X-MAU\n", "utf-8"
    )
    code, _, err = _run(capsys, "units", "import", "old.csv")
    assert code == 0 and "đã được gộp vào KP-01" in err
    (cli_workdir / "below.csv").write_text(
        "code,name,level,parent\nTO-1,Tổ 1,khu_dan_cu,KP-02\n", "utf-8"
    )
    code, _, err = _run(capsys, "units", "import", "below.csv")
    assert code == 1 and "KP-02 đã được gộp vào KP-01" in err
    assert _merged(cli_workdir) == {"KP-02": "KP-01", "KP-03": "KP-01", "AP-02": "KP-04"}


async def test_a_broadcast_to_a_merged_unit_names_where_it_went(bot: Bot, tmp_path: Path) -> None:
    from bot import broadcasts
    from bot.broadcasts import Audience, BroadcastRefused, Reason

    await _add_merged_unit(bot, tmp_path)
    await bot.enrol("ba-mot", "KP-01", "rep")
    await _merge(bot, ["KP-01", "KP-02"], "KP-10")
    now = bot.clock.now()
    with pytest.raises(BroadcastRefused) as refused:
        await broadcasts.preview(bot.db, bot.settings, Audience("kp-01"), at=None, now=now)
    assert refused.value.reason is Reason.UNIT
    assert "KP-10" in refused.value.lines[0]
    moved = await broadcasts.preview(bot.db, bot.settings, Audience("KP-10"), at=None, now=now)
    assert moved.recipients == 1  # the representative moved with the merge
