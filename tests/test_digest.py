"""Digest contents: submitted, missing and late units on a 3-level tree, the roll-up to the top,
grouping by commune for a big subtree, "what is new", and trees of any depth (pure build)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from bot import admin
from bot.digest import service
from bot.digest.build import form_digest
from bot.digest.model import Digest, FormDigest
from bot.digest.render import render
from bot.texts import VI
from storage.db import Database
from storage.reads import FormRow, UnitRow, UnitTally
from tests.conftest import Bot
from tests.transcript_runner import campaign_path

OTHER = campaign_path("other")  # scope T-MAU: ho-ngheo (khu_dan_cu), bao-cao-thang (xa)
CAMPAIGN = "vi-nguoi-ngheo-2024"
NOW = datetime.fromisoformat("2024-11-04T07:30:00+07:00")  # a Monday; ho-ngheo was due 31/10
SINCE = datetime.fromisoformat("2024-11-01T07:30:00+07:00")  # the Friday before


def at(text: str) -> datetime:
    """A local time in the sample zone."""
    return datetime.fromisoformat(f"{text}+07:00")


async def submit(
    db: Database,
    form: str,
    unit: str,
    when: str,
    *,
    late: int = 0,
    campaign: str = CAMPAIGN,
) -> int:
    """Store a submission as the form conversation would (late days as it marked them)."""
    async with db.transaction() as repos:
        return await repos.submissions.create(
            campaign_code=campaign,
            form_id=form,
            unit_code=unit,
            work_id=None,
            answers={"chu_ho": f"Hộ của {unit}"},
            member_id=None,
            now=at(when),
            late_days=late,
        )


async def amend(db: Database, submission: int, when: str) -> None:
    """Change a submission (a new version)."""
    async with db.transaction() as repos:
        await repos.submissions.amend(
            submission, answers={"chu_ho": "Đã sửa"}, member_id=None, now=at(when), late_days=0
        )


async def seed_three_levels(bot: Bot) -> None:
    """T-MAU > X-MAU (KP-01..04), X-SONG (AP-01, AP-02), with sent, late and missing units."""
    await bot.load_campaign(OTHER)
    first = await submit(bot.db, "ho-ngheo", "KP-01", "2024-10-20T09:00:00")
    await submit(bot.db, "ho-ngheo", "KP-02", "2024-10-21T10:00:00")
    # A second work after the deadline does not make KP-02 late: its first one was on time.
    await submit(bot.db, "ho-ngheo", "KP-02", "2024-11-02T10:00:00", late=2)
    await submit(bot.db, "ho-ngheo", "AP-01", "2024-11-02T15:00:00", late=2)
    await amend(bot.db, first, "2024-11-03T08:00:00")
    await submit(bot.db, "bao-cao-thang", "X-MAU", "2024-11-03T09:00:00")


def form(digest: Digest, form_id: str) -> FormDigest:
    """One form of the digest's only campaign."""
    (campaign,) = digest.campaigns
    return next(f for f in campaign.forms if f.id == form_id)


def codes(refs: object) -> list[str]:
    """The codes of units (or late units) in order."""
    return [getattr(ref, "unit", ref).code for ref in refs]  # type: ignore[attr-defined]


async def test_a_commune_sees_its_areas_sent_missing_and_late(bot: Bot) -> None:
    await seed_three_levels(bot)
    digest = await service.gather(bot.db, bot.settings, "X-MAU", NOW, SINCE)
    registration = form(digest, "ho-ngheo")
    assert registration.expected == 4
    assert codes(registration.submitted_units) == ["KP-01", "KP-02"]
    assert codes(registration.missing_units) == ["KP-03", "KP-04"]
    assert registration.late_units == ()
    assert registration.entries == 3 and registration.new_entries == 1
    assert codes(registration.amended_units) == ["KP-01"]
    report = form(digest, "bao-cao-thang")
    assert (report.expected, report.submitted, report.missing) == (1, 1, 0)  # its own report
    assert codes(report.new_units) == ["X-MAU"]
    text = "\n".join(render(digest, VI, bot.settings.org, bot.settings.schedule.zone()))
    assert text.splitlines() == [
        "Tổng hợp sáng Thứ Hai, 04/11/2024 — Phường Mẫu",
        "",
        'Tháng cao điểm "Vì người nghèo" năm 2024',
        "Đăng ký hộ cần hỗ trợ (hạn 31/10, đã quá 4 ngày): 2/4 khu dân cư (50%).",
        "Chưa đăng ký (2): Khu phố 3, Khu phố 4.",
        "Mới từ hôm thứ Sáu: 1 công trình mới, 1 khu dân cư sửa bài.",
        "Báo cáo kết quả Tháng cao điểm (hạn 15/11, còn 11 ngày): 1/1 xã/phường (100%).",
        "Mới từ hôm thứ Sáu: 1 xã/phường gửi báo cáo.",
    ]


async def test_the_province_rolls_up_every_commune(bot: Bot) -> None:
    await seed_three_levels(bot)
    top = await service.gather(bot.db, bot.settings, "T-MAU", NOW, SINCE)
    parts = [await service.gather(bot.db, bot.settings, c, NOW, SINCE) for c in ("X-MAU", "X-SONG")]
    for form_id in ("ho-ngheo", "bao-cao-thang"):
        whole = form(top, form_id)
        pieces = [form(part, form_id) for part in parts]
        assert whole.expected == sum(p.expected for p in pieces)
        assert whole.submitted == sum(p.submitted for p in pieces)
        assert whole.late == sum(p.late for p in pieces)
        assert whole.missing == sum(p.missing for p in pieces)
        assert codes(whole.missing_units) == [c for p in pieces for c in codes(p.missing_units)]
    registration = form(top, "ho-ngheo")
    assert (registration.expected, registration.submitted) == (6, 3)
    assert codes(registration.late_units) == ["AP-01"]
    assert codes(registration.missing_units) == ["KP-03", "KP-04", "AP-02"]
    assert codes(form(top, "bao-cao-thang").missing_units) == ["X-SONG"]
    assert top.campaigns[0].areas is not None
    assert (top.campaigns[0].areas.total, top.campaigns[0].areas.with_work) == (6, 3)
    lines = "\n".join(render(top, VI, bot.settings.org, bot.settings.schedule.zone())).splitlines()
    assert "Đăng ký hộ cần hỗ trợ (hạn 31/10, đã quá 4 ngày): 3/6 khu dân cư (50%), 1 nộp trễ." in (
        lines
    )
    # Few enough to name, each with the commune it belongs to.
    assert (
        "Chưa đăng ký (3): Khu phố 3 (Phường Mẫu), Khu phố 4 (Phường Mẫu),"
        " Ấp Bình Hòa (Xã Sông Mẫu)." in lines
    )
    assert "Nộp trễ (1): Ấp Bình An (Xã Sông Mẫu, trễ 2 ngày)." in lines
    assert "Chưa gửi (1): Xã Sông Mẫu." in lines


async def test_an_area_sees_only_itself_and_a_representative_unit_nothing_else(bot: Bot) -> None:
    await seed_three_levels(bot)
    digest = await service.gather(bot.db, bot.settings, "KP-03", NOW, None)
    registration = form(digest, "ho-ngheo")
    assert (registration.expected, registration.missing) == (1, 1)
    assert form(digest, "bao-cao-thang").expected == 0  # a commune's report is not below it


async def test_closed_campaigns_are_left_out_unless_asked(bot: Bot) -> None:
    await seed_three_levels(bot)
    later = datetime.fromisoformat("2024-12-01T07:30:00+07:00")  # the campaign ended 18/11
    assert (await service.gather(bot.db, bot.settings, "X-MAU", later)).campaigns == ()
    asked = await service.gather(bot.db, bot.settings, "X-MAU", later, campaign=CAMPAIGN)
    assert [c.code for c in asked.campaigns] == [CAMPAIGN]
    text = render(asked, VI, bot.settings.org, bot.settings.schedule.zone())
    assert "hạn 15/11, đã khóa" in "\n".join(text)  # late = "refuse"


def big_tree_csv() -> str:
    """A province of 5 communes with 8 areas each (40 areas)."""
    rows = ["code,name,level,parent", "T-BIG,Tỉnh Lớn,tinh,"]
    for commune in range(1, 6):
        rows.append(f"X-B{commune},Xã B{commune},xa,T-BIG")
        rows.extend(
            f"A-{commune}-{area},Thôn {commune}.{area},khu_dan_cu,X-B{commune}"
            for area in range(1, 9)
        )
    return "\n".join(rows) + "\n"


async def seed_big(bot: Bot, tmp_path: Path) -> None:
    """The big province with a campaign over it: communes from all sent to none sent."""
    units = tmp_path / "big.csv"
    units.write_text(big_tree_csv(), "utf-8")
    await admin.import_units(bot.db, bot.settings, units)
    campaign = tmp_path / "big.toml"
    campaign.write_text(
        OTHER.read_text("utf-8")
        .replace('scope = "T-MAU"', 'scope = "T-BIG"')
        .replace(f'code = "{CAMPAIGN}"', 'code = "big-2024"'),
        "utf-8",
    )
    await bot.load_campaign(campaign)
    sent = {1: 8, 2: 0, 3: 4, 4: 2, 5: 7}
    for commune, count in sent.items():
        for area in range(1, count + 1):
            late = 3 if (commune, area) == (4, 1) else 0
            day = "2024-11-03" if late else "2024-10-25"
            unit = f"A-{commune}-{area}"
            await submit(bot.db, "ho-ngheo", unit, f"{day}T09:00", late=late, campaign="big-2024")


async def test_a_big_subtree_is_grouped_by_commune_worst_first(bot: Bot, tmp_path: Path) -> None:
    await seed_big(bot, tmp_path)
    digest = await service.gather(bot.db, bot.settings, "T-BIG", NOW)
    registration = form(digest, "ho-ngheo")
    assert (registration.expected, registration.submitted, registration.missing) == (40, 21, 19)
    assert [(g.code, g.submitted, g.expected) for g in registration.groups] == [
        ("X-B2", 0, 8),
        ("X-B4", 2, 8),
        ("X-B3", 4, 8),
        ("X-B5", 7, 8),
        ("X-B1", 8, 8),
    ]
    lines = "\n".join(render(digest, VI, bot.settings.org, bot.settings.schedule.zone()))
    block = lines.splitlines()
    start = block.index("Chưa đăng ký (19), theo xã/phường, nơi chậm nhất trước:")
    assert block[start + 1 : start + 5] == [
        "- Xã B2: 0/8 khu dân cư",
        "- Xã B4: 2/8 khu dân cư",
        "- Xã B3: 4/8 khu dân cư",
        "- Xã B5: 7/8 khu dân cư",
    ]
    assert "Xã B1:" not in lines  # nothing missing there
    assert "Thôn 2.1" not in lines  # communes with counts, not area names
    # One late area: named, with its commune.
    assert "Nộp trễ (1): Thôn 4.1 (Xã B4, trễ 3 ngày)." in block
    # A commune of the same tree still names its areas.
    commune = await service.gather(bot.db, bot.settings, "X-B3", NOW)
    assert codes(form(commune, "ho-ngheo").missing_units) == [f"A-3-{n}" for n in range(5, 9)]
    assert form(commune, "ho-ngheo").groups == ()


def _tally(code: str, path: str, first: str | None, late: int = 0) -> UnitTally:
    return UnitTally(
        code, code, path, path.count("/") - 2, first, late, 1 if first else 0, 0, False
    )


def test_trees_of_any_depth_group_under_the_root() -> None:
    # Four levels: country > province > commune > area; the country's digest groups by province.
    root = UnitRow("VN", "Việt Nam", "quoc_gia", None, "/VN/", 0)
    children = [
        UnitRow("P1", "Tỉnh Một", "tinh", "VN", "/VN/P1/", 1),
        UnitRow("P2", "Tỉnh Hai", "tinh", "VN", "/VN/P2/", 1),
    ]
    sent = "2024-10-20T02:00:00.000000Z"
    tallies = [
        _tally("A1", "/VN/P1/C1/A1/", sent),
        _tally("A2", "/VN/P1/C1/A2/", None),
        _tally("A3", "/VN/P1/C2/A3/", sent, late=1),
        _tally("A4", "/VN/P2/C3/A4/", None),
        _tally("A5", "/VN/P2/C3/A5/", None),
    ]
    row = FormRow("dk", "Đăng ký", "registration", "khu", True, "2024-10-01", "2024-10-31", "allow")
    result = form_digest(row, tallies, root, children, None)
    assert [(g.code, g.expected, g.submitted, g.late) for g in result.groups] == [
        ("P2", 2, 0, 0),
        ("P1", 3, 2, 1),
    ]
    assert [u.group for u in result.missing_units] == ["P1", "P2", "P2"]
    assert (result.expected, result.submitted, result.late, result.missing) == (5, 2, 1, 3)
    # The same units seen from a province: grouped by its communes.
    province = children[0]
    inside = [t for t in tallies if t.path.startswith(province.path)]
    communes = [
        UnitRow("C1", "Xã Một", "xa", "P1", "/VN/P1/C1/", 2),
        UnitRow("C2", "Xã Hai", "xa", "P1", "/VN/P1/C2/", 2),
    ]
    by_commune = form_digest(row, inside, province, communes, None)
    assert [(g.code, g.submitted, g.expected) for g in by_commune.groups] == [
        ("C1", 1, 2),
        ("C2", 1, 1),
    ]


async def test_digest_for_the_scheduler(bot: Bot) -> None:
    await seed_three_levels(bot)
    zone = bot.settings.schedule.zone()
    messages = await service.digest_for(bot.db, bot.settings, "X-MAU", NOW, SINCE, VI)
    assert [m.text for m in messages] == render(
        await service.gather(bot.db, bot.settings, "X-MAU", NOW, SINCE), VI, bot.settings.org, zone
    )
    assert all(not m.buttons for m in messages)
    # Nothing open: nothing to send (no daily "nothing is open" message).
    later = datetime.fromisoformat("2024-12-01T07:30:00+07:00")
    assert await service.digest_for(bot.db, bot.settings, "X-MAU", later, None, VI) == []
