"""A country for the scale benchmarks: provinces × communes × residential areas.

    build_country(path, provinces=34, communes=100, areas=30, registered=0.5, official=False)

`official=True` takes the real 34 provinces and 3,321 communes of the official 2025 list (the
residential areas below them are invented, as each ward's own list would be); else all is made
up, `communes` to a province.

Units, one enrolled representative per residential area, a campaign over the whole country
with a registration form due on 30/11/2023, and registrations for a share of the areas (a
tenth of them late) — written with plain executemany, as an import would, in seconds.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from datetime import datetime
from pathlib import Path

from bot import admin, official_units
from bot.config import Settings
from storage.db import open_database

ROOT = Path(__file__).resolve().parent.parent
START = datetime.fromisoformat("2023-11-20T08:00:00+07:00")
CAMPAIGN = "dai-hoi-mttq-2024"

LEVELS = [
    {"id": "tinh", "label": "Tỉnh/Thành phố"},
    {"id": "xa", "label": "Xã/Phường"},
    {"id": "khu_dan_cu", "label": "Khu dân cư"},
]


SHORT_ANSWERS = {"ten": "Thắp sáng hẻm", "loai": "Công trình"}
FULL_ANSWERS = {
    **SHORT_ANSWERS,
    "linh_vuc": ["Điện chiếu sáng", "An ninh trật tự, PCCC"],
    "noi_dung": "Lắp 40 bóng đèn LED dọc 1,2 km hẻm, mỗi hộ góp một phần kinh phí và ngày công",
    "dia_diem": "Hẻm 12, đường Nguyễn Trãi",
    "bat_dau": "2023-11",
    "hoan_thanh": "2024-03",
    "kinh_phi": 45_000_000,
    "nguon": ["Nhân dân đóng góp", "Vận động xã hội hóa"],
    "so_ho": 120,
}


def settings_for(path: Path) -> Settings:
    """Settings on the benchmark database, no channel enabled."""
    return Settings(
        database={"path": str(path)},
        telegram={"enabled": False},
        org={"levels": LEVELS},
    )


Tree = list[tuple[str, str, list[tuple[str, str]]]]


def country_tree(provinces: int, communes: int, *, official: bool) -> Tree:
    """(code, name, [(commune code, name)]) per province: the first `provinces` of the official
    2025 list with all their communes (3,321 in all), or invented ones, `communes` each."""
    if official:
        listed = official_units.provinces()[:provinces]
        return [(p.code, p.name, [(c.code, c.name) for c in p.communes]) for p in listed]
    return [
        (f"T{p:02d}", f"Tỉnh {p + 1}", [(f"T{p:02d}X{c:03d}", f"Xã {c + 1} (T{p:02d})")
                                         for c in range(communes)])
        for p in range(provinces)
    ]  # fmt: skip


def build_country(
    path: Path,
    *,
    provinces: int = 34,
    communes: int = 100,
    areas: int = 30,
    registered: float = 0.5,
    full: bool = False,
    official: bool = False,
) -> dict[str, int]:
    """Create the database at `path`; return counts of what it holds.

    `full`: every registration answers every question (the export benchmark), not just two.
    `official`: the real provinces and communes (`communes` is then the list's own count).
    """
    settings = settings_for(path)

    async def prepare() -> None:
        async with open_database(settings.database.path):
            pass  # create and migrate

    asyncio.run(prepare())
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("BEGIN")
    # The root of the campaign's scope: a national committee above the provinces.
    units = [("VN", "Ủy ban MTTQ Việt Nam", "tinh", None, "/VN/", 0)]
    conn.executemany(
        "INSERT INTO units (code, name, level, parent_code, path, depth) VALUES (?, ?, ?, ?, ?, ?)",
        units,
    )
    rows = []
    area_codes: list[str] = []
    for pc, province, names in country_tree(provinces, communes, official=official):
        rows.append((pc, province, "tinh", "VN", f"/VN/{pc}/", 1))
        for cc, commune in names:
            rows.append((cc, commune, "xa", pc, f"/VN/{pc}/{cc}/", 2))
            for a in range(areas):
                ac = f"{cc}K{a:02d}"
                rows.append(
                    (ac, f"Khu dân cư {a + 1}", "khu_dan_cu", cc, f"/VN/{pc}/{cc}/{ac}/", 3)
                )
                area_codes.append(ac)
    conn.executemany(
        "INSERT INTO units (code, name, level, parent_code, path, depth) VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )
    now = "2023-11-20T01:00:00.000000Z"
    conn.executemany(
        "INSERT INTO members (channel, user_id, chat_id, display_name, unit_code, role, enrolled_at)"
        " VALUES ('telegram', ?, ?, ?, ?, 'rep', ?)",
        [
            (str(10**6 + i), str(10**6 + i), f"Người {i}", code, now)
            for i, code in enumerate(area_codes)
        ],
    )
    conn.execute("COMMIT")
    conn.close()

    campaign = ROOT / "bot/data/campaigns/example.toml"
    text = campaign.read_text("utf-8").replace('scope = "X-MAU"', 'scope = "VN"')
    national = path.parent / "national.toml"
    national.write_text(text, "utf-8")

    async def load() -> None:
        async with open_database(settings.database.path) as db:
            await admin.load_campaign(db, settings, national, START)

    asyncio.run(load())

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    step = max(1, round(1 / registered)) if registered else 0
    chosen = area_codes[::step] if step else []
    answers = json.dumps(FULL_ANSWERS if full else SHORT_ANSWERS, ensure_ascii=False)
    for i, code in enumerate(chosen):
        late = 1 if i % 10 == 0 else 0
        cursor = conn.execute(
            "INSERT INTO submissions (campaign_code, form_id, unit_code, current_version,"
            " first_submitted_at, late_days) VALUES (?, 'dang-ky', ?, 1, ?, ?)",
            (CAMPAIGN, code, now, late),
        )
        conn.execute(
            "INSERT INTO submission_versions (submission_id, version, answers, member_id,"
            " submitted_at, late_days) VALUES (?, 1, ?, NULL, ?, ?)",
            (cursor.lastrowid, answers, now, late),
        )
    conn.execute("COMMIT")
    conn.execute("PRAGMA optimize")
    conn.close()
    return {"units": len(rows) + 1, "areas": len(area_codes), "registered": len(chosen)}
