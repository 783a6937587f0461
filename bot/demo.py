"""`thidua demo`: an offline, scripted walk through the bot, printed as a transcript."""

from __future__ import annotations

import re
import sys
import textwrap
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import TextIO

from bot import admin, invites
from bot.broadcasts.progress import ProgressReporter
from bot.channels.console import console_inbound, render_plain
from bot.clock import ManualClock
from bot.config import Settings
from bot.context import BotLinks
from bot.exports.files import Format, write_export
from bot.messages import Outbound
from bot.router import Router
from bot.scheduling import tick_digests, tick_reminders
from storage.db import open_database
from storage.models import Role

DEMO_START = datetime.fromisoformat("2023-11-20T08:00:00+07:00")
# A real province and ward of the official 2025 list (`thidua units seed`); the residential
# areas below the ward are the ward's own list, as in life.
PROVINCE = "Đắk Lắk"
WARD = "Phường Buôn Ma Thuột"
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


@dataclass(frozen=True)
class Person:
    """Someone in the story: the name their Zalo account shows, and how the narrator calls them."""

    display_name: str
    short: str
    unit: str

    @property
    def called(self) -> str:
        """'Cô Lan (Khu phố 1)'."""
        return f"{self.short} ({self.unit})"


# The chat id stays a short handle (as with `thidua chat --user`); the transcript names people
# the way a ward office would.
CAST = {
    "chi-hoa": Person("Nguyễn Thị Hoa", "Chị Hoa", f"văn phòng {WARD}"),
    "ba-lan": Person("Trần Thị Lan", "Cô Lan", "Khu phố 1"),
    "ong-tu": Person("Lê Văn Tư", "Ông Tư", "Khu phố 2"),
    "anh-minh": Person("Phạm Văn Minh", "Anh Minh", f"thư ký {WARD}"),
    "co-ba": Person("Võ Thị Ba", "Cô Ba", "Khu phố 3"),
}


def called(chat_id: str, *, short: bool = False) -> str:
    """How the transcript names the person behind `chat_id`: 'Cô Lan (Khu phố 1)' or 'Cô Lan'."""
    person = CAST.get(chat_id)
    if person is None:
        return chat_id
    return person.short if short else person.called


def day(moment: datetime) -> str:
    """'Thứ Tư, 22/11/2023'."""
    return f"{WEEKDAYS[moment.weekday()]}, {moment:%d/%m/%Y}"


class TranscriptChannel:
    """Prints what the bot sends, indented under the person it answers."""

    name = "console"

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.last_code = ""

    async def send(self, chat_id: str, message: Outbound) -> None:
        """Print one reply, remembering any invite code in it."""
        body = textwrap.indent(render_plain(message), "      ")
        self.out.write(f"  Trợ lý gửi {called(chat_id, short=True)}:\n{body}\n")
        for line in message.text.splitlines():
            if re.fullmatch(f"[{invites.ALPHABET}]{{{invites.CODE_LENGTH}}}", line.strip()):
                self.last_code = line.strip()


_KIND = {"reminder": "nhắc hạn tự động", "digest": "tổng hợp tự động", "broadcast": "thông báo"}


class Demo:
    """The demo's state: a fresh database, a manual clock, and a transcript."""

    def __init__(self, router: Router, clock: ManualClock, out: TextIO) -> None:
        self.router, self.clock, self.out = router, clock, out
        self.codes: dict[str, str] = {}
        self.ward = ""  # the ward's official code, once the province is seeded

    def heading(self, title: str) -> None:
        """Print a section heading."""
        self.out.write(f"\n=== {title} ===\n")

    def note(self, text: str) -> None:
        """Print a narrator's line."""
        self.out.write(f"\n  ({text})\n")

    async def say(self, user: str, text: str) -> None:
        """`user` types `text` on the console channel."""
        self.out.write(f"\n  {called(user)} gõ: {text}\n")
        person = CAST.get(user)
        name = person.display_name if person else None
        await self.router.dispatch(console_inbound(user, text, display_name=name))

    async def run_until(self, moment: datetime) -> None:
        """Move the clock to `moment`, run the scheduler's tick there, and deliver what is due."""
        self.clock.set(moment)
        self.note(f"{moment:%H:%M}, {day(moment)}")
        settings, db = self.router.settings, self.router.db
        queued = await tick_reminders(db, settings, moment) + await tick_digests(
            db, settings, moment
        )
        sent = await self.deliver()
        if queued > sent:
            self.note(f"{queued - sent} tin chờ hết giờ yên lặng")

    async def deliver(self) -> int:
        """Send the outbox rows due now to the console (the real sender paces; a demo need not)."""
        channel = self.router.channels["console"]
        async with self.router.db.read() as repos:
            due = await repos.outbox.due("console", self.clock.now(), 1000)
        for row in due:
            self.out.write(f"\n  [{_KIND[row.kind.value]}]")
            await channel.send(row.chat_id, Outbound.model_validate_json(row.payload))
            async with self.router.db.transaction() as repos:
                await repos.outbox.mark_sent(row.id, self.clock.now())
        return len(due)

    async def invite(self, unit: str, role: Role) -> str:
        """Create an invite as `thidua invite` would, print it, and return the code."""
        info = await admin.make_invite(
            self.router.db,
            self.router.settings,
            unit_code=unit,
            role=role,
            expires_in=timedelta(days=7),
            now=self.clock.now(),
        )
        expires = datetime.fromisoformat(str(info["expires_at"]))
        self.out.write(f"\n  $ thidua invite --unit {unit} --role {role.value}\n")
        self.out.write(
            f"      Mã mời: {info['code']} (dùng một lần, hạn {expires:%H:%M %d/%m/%Y})\n"
        )
        return str(info["code"])


def _residential_areas(ward: str) -> str:
    """The ward's own units file: four residential areas (khu phố) below its official code."""
    rows = [f"KP-{n:02d},Khu phố {n},khu_dan_cu,{ward}" for n in range(1, 5)]
    return "\n".join(["code,name,level,parent", *rows]) + "\n"


def sample_campaign() -> Path:
    """The sample campaign: examples/ in a checkout, else the default forms shipped in the package."""
    checkout = Path(__file__).resolve().parent.parent / "examples" / "dai-hoi-mttq-2024.toml"
    if checkout.exists():
        return checkout
    return Path(str(resources.files("bot").joinpath("data/campaigns/example.toml")))


async def run_demo(out_dir: Path, out: TextIO | None = None) -> None:
    """Play the demo into `out_dir` (a fresh database each time) and print the transcript."""
    stream = out or sys.stdout
    out_dir.mkdir(parents=True, exist_ok=True)
    db_path = out_dir / "demo.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    settings = Settings(database={"path": str(db_path)}, telegram={"enabled": False})
    clock = ManualClock(DEMO_START)
    stream.write(
        "Bản chạy thử thidua-bot: một đợt thi đua từ đầu đến cuối, không cần mạng, không cần"
        f" mã bot.\nĐồng hồ giả lập bắt đầu lúc {DEMO_START:%H:%M}, {day(DEMO_START)}; mọi người"
        " trò chuyện với trợ lý qua kênh console, như trên Zalo hay Telegram.\n"
    )
    async with open_database(db_path) as db:
        router = Router(db, settings, clock, links=BotLinks(None))
        router.register("console", TranscriptChannel(stream))
        demo = Demo(router, clock, stream)
        await _set_up(demo, out_dir)
        await _enrolment(demo)
        await _registrations(demo)
        await _amendment_and_status(demo)
        await _deadline_weeks(demo)
        await _late_report(demo)
        await _exports(demo, out_dir)
    stream.write(f"\nHết bản chạy thử. Cơ sở dữ liệu của bản chạy thử: {db_path}\n")


async def _set_up(demo: Demo, out_dir: Path) -> None:
    demo.heading("1. Chuẩn bị trên dòng lệnh (quản trị)")
    settings, db = demo.router.settings, demo.router.db
    plan = await admin.seed_province(db, settings, PROVINCE)
    demo.ward = next(u.code for u in plan.new if u.name == WARD)
    demo.out.write(
        f'  $ thidua units seed "{PROVINCE}"\n      Đã nhập {plan.root.name} và'
        f" {plan.communes} xã, phường theo danh sách chính thức 2025\n"
    )
    units_file = out_dir / "units.csv"
    units_file.write_text(_residential_areas(demo.ward), encoding="utf-8")
    report = await admin.import_units(db, settings, units_file)
    demo.out.write(
        f"  $ thidua units import {units_file}\n      Đã nhập {report.total} khu phố của"
        f" {WARD} (mã {demo.ward})\n"
    )
    # The sample campaign names a sample ward as its scope: here it is the real one.
    campaign_file = out_dir / sample_campaign().name
    text = sample_campaign().read_text("utf-8")
    campaign_file.write_text(
        re.sub(r'(?m)^scope = ".*"$', f'scope = "{demo.ward}"', text, count=1), "utf-8"
    )
    campaign, _ = await admin.load_campaign(db, settings, campaign_file, demo.clock.now())
    demo.out.write(
        f"  $ thidua campaign load {campaign_file.name}\n"
        f"      Đã nạp đợt thi đua {campaign.campaign.code}: {len(campaign.forms)} biểu mẫu\n"
    )
    demo.codes["admin"] = await demo.invite(demo.ward, Role.ADMIN)


async def _enrolment(demo: Demo) -> None:
    demo.heading("2. Tham gia bằng mã mời")
    await demo.say("chi-hoa", "xin chào")
    await demo.say("chi-hoa", demo.codes["admin"])
    await demo.say("chi-hoa", "moi")
    await demo.say("chi-hoa", "1")
    await demo.say("chi-hoa", "1")
    rep_code = _last_code(demo)
    await demo.say("ba-lan", "ABCD2345")
    await demo.say("ba-lan", rep_code.lower())
    await demo.say("ba-lan", "tonghop")
    ong_tu = await demo.invite("KP-02", Role.REP)
    await demo.say("ong-tu", f"/start {ong_tu}")


async def _registrations(demo: Demo) -> None:
    demo.heading("3. Đăng ký công trình, có sửa lỗi khi nhập")
    for text in (
        "dangky",
        "Thắp sáng hẻm 12",
        "cong trinh",
        "2,3",
        "quay lại",
        "3",
        "Lắp 40 bóng LED dọc 1,2 km hẻm 12",
        "Hẻm 12 đường Trần Hưng Đạo",
        "45/13/2023",
        "tháng 11/2023",
        "31/12/2023",
        "nhiều lắm",
        "45tr",
        "1 2",
        "120",
        "boqua",
        "sửa 2",
        "2",
    ):
        await demo.say("ba-lan", text)
    await demo.say("ba-lan", "gửi")
    await demo.say("ba-lan", "2")
    demo.clock.advance(timedelta(days=2, hours=3))
    demo.note(f"Hai ngày sau: {day(demo.clock.now())}")
    for text in (
        "đăng ký",
        "Đường cờ Tổ quốc",
        "1",
        "5",
        "30 cột cờ dọc đường số 3",
        "Đường số 3",
        "12/2023",
        "1/2024",
        "30 triệu",
        "2",
        "bỏ qua",
        "boqua",
        "gui",
        "2",
    ):
        await demo.say("ong-tu", text)


async def _amendment_and_status(demo: Demo) -> None:
    demo.heading("4. Sửa bài đã gửi trước hạn")
    demo.clock.advance(timedelta(days=3))
    demo.note(day(demo.clock.now()))
    for text in ("trangthai", "1", "sua 8", "150", "gui"):
        await demo.say("ba-lan", text)
    await demo.say("anh-minh", f"/start {await demo.invite(demo.ward, Role.SECRETARY)}")
    await demo.say("anh-minh", "trangthai")


async def _deadline_weeks(demo: Demo) -> None:
    demo.heading("5. Những ngày trước hạn: nhắc hạn và tổng hợp")
    ba = await demo.invite("KP-03", Role.REP)
    await demo.say("co-ba", ba)
    demo.note(
        "Khu phố 1 và 2 đã đăng ký; Khu phố 3 chưa. Trợ lý tự nhắc theo lịch của đợt thi đua"
        " và gửi bản tổng hợp cho thư ký, quản trị mỗi sáng ngày làm việc lúc 7:30."
    )
    await demo.run_until(datetime.fromisoformat("2023-11-27T07:31:00+07:00"))
    await demo.run_until(datetime.fromisoformat("2023-11-27T08:01:00+07:00"))
    demo.note("Quản trị phường nhắc riêng các khu phố chưa đăng ký, bằng một thông báo.")
    for text in (
        "thongbao",
        "Kính nhắc: hạn đăng ký công trình, phần việc thi đua là 30/11. Đề nghị các khu phố"
        " chưa đăng ký hoàn thành sớm.",
        "chưa nộp",
        "1",
        "gửi ngay",
    ):
        await demo.say("chi-hoa", text)
    await demo.deliver()
    await ProgressReporter(
        demo.router.db, demo.router.senders, demo.clock, demo.router.texts
    ).report_once()
    demo.note(
        "Trợ lý tạm ngừng từ trưa 28/11 đến 22:00 ngày 29/11. Khi chạy lại, lời nhắc lẽ ra gửi"
        " lúc 8:00 sáng 29/11 được xếp hàng, nhưng giờ này là giờ yên lặng (21:00–7:00) nên"
        " được giữ lại đến 7:00 sáng, và đọc theo ngày người nhận đọc nó."
    )
    await demo.run_until(datetime.fromisoformat("2023-11-29T22:00:00+07:00"))
    await demo.run_until(datetime.fromisoformat("2023-11-30T07:00:30+07:00"))
    await demo.say("co-ba", "trangthai")


async def _late_report(demo: Demo) -> None:
    demo.heading("6. Báo cáo tổng kết nộp trễ")
    demo.clock.set(datetime.fromisoformat("2024-07-03T09:30:00+07:00"))
    demo.note(f"{day(demo.clock.now())}: đã quá hạn báo cáo tổng kết 29/06/2024")
    for text in (
        "baocao",
        "3",
        "Họp dân 4 buổi, loa phát thanh hằng tuần, nhóm Zalo 150 hộ.",
        "Hẻm 12 sáng đèn, người dân góp 20 triệu.",
        "Không",
        "bỏ qua",
        "bỏ qua",
        "bỏ qua",
        "gui",
    ):
        await demo.say("ong-tu", text)
    await demo.say("ong-tu", "trangthai")
    await demo.say("ba-lan", "trangthai")
    await demo.say("ba-lan", "1")


async def _exports(demo: Demo, out_dir: Path) -> None:
    demo.heading("7. Tệp Excel, Word cho văn phòng phường")
    settings, db = demo.router.settings, demo.router.db
    formats: tuple[tuple[Format, str], ...] = (("xlsx", "Excel"), ("docx", "Word"))
    for fmt, kind in formats:
        target = out_dir / f"dang-ky.{fmt}"
        written = await write_export(
            db,
            settings,
            campaign="dai-hoi-mttq-2024",
            form="dang-ky",
            unit_code=demo.ward,
            fmt=fmt,
            target=target,
            now=demo.clock.now(),
        )
        demo.out.write(
            f"\n  $ thidua export --campaign dai-hoi-mttq-2024 --form dang-ky --format {fmt}"
            f" --out {target} --unit {demo.ward}\n      Đã ghi {target} ({kind},"
            f" {written.rows} dòng)\n"
        )


def _last_code(demo: Demo) -> str:
    """Return the invite code shown in the last 'moi' reply (the demo reads it like a person)."""
    channel = demo.router.channels["console"]
    assert isinstance(channel, TranscriptChannel)
    return channel.last_code
