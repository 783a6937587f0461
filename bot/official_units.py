"""The official 2025 list of provinces and communes, and what the tree does with it.

Since 1 July 2025 Vietnam has 34 provinces and 3,321 communes (xã, phường, đặc khu) with new
codes. The list is GSO's, shipped in the `vietnam_provinces` package (no network). Here: finding
a province as a person types it, whether a commune's name is the official one (and the closest
official name when not), and the plan that seeds one province and its communes into the tree —
pure; `admin.seed_province` writes it.

Codes: a seeded unit's code is the official code as GSO writes it, two digits for a province
("66") and five for a commune ("24121"). A unit that already stands for the province or one of
its communes keeps its own code (codes are keys that members, submissions and campaigns refer
to): it is found by official code, else by name without diacritics, and only its name changes.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property

from bot.words import fold
from storage.models import Unit

PROVINCE_DIGITS, COMMUNE_DIGITS = 2, 5
# The longest province name is 21 characters: anything much longer was not typed as one.
MAX_TYPED = 100
# Words a name may start with that say what kind of unit it is ("Tỉnh", "Phường"), folded.
PROVINCE_WORDS = ("thanh pho ", "tinh ", "tp. ", "tp.", "tp ")
COMMUNE_WORDS = ("phuong ", "xa ", "dac khu ")
# What people call two cities other than by their official name.
ALIASES = {"hcm": "79", "saigon": "79", "hn": "01"}
# The 29 provinces that ceased on 1 July 2025 (Resolution 202/2025/QH15), by their compacted
# folded name, and the province each became part of: people still type the old names, and the
# package lists only the new map. Ba Rịa - Vũng Tàu is typed with or without its dash.
MERGED_PROVINCES = {
    "hagiang": "Tuyên Quang", "yenbai": "Lào Cai", "backan": "Thái Nguyên",
    "vinhphuc": "Phú Thọ", "hoabinh": "Phú Thọ", "bacgiang": "Bắc Ninh",
    "thaibinh": "Hưng Yên", "haiduong": "Hải Phòng", "hanam": "Ninh Bình",
    "namdinh": "Ninh Bình", "quangbinh": "Quảng Trị", "quangnam": "Đà Nẵng",
    "kontum": "Quảng Ngãi", "binhdinh": "Gia Lai", "ninhthuan": "Khánh Hòa",
    "daknong": "Lâm Đồng", "binhthuan": "Lâm Đồng", "phuyen": "Đắk Lắk",
    "binhduong": "Hồ Chí Minh", "bariavungtau": "Hồ Chí Minh", "binhphuoc": "Đồng Nai",
    "longan": "Tây Ninh", "soctrang": "Cần Thơ", "haugiang": "Cần Thơ",
    "bentre": "Vĩnh Long", "travinh": "Vĩnh Long", "tiengiang": "Đồng Tháp",
    "baclieu": "Cà Mau", "kiengiang": "An Giang",
}  # fmt: skip
_SEPARATORS = re.compile(r"[\s_.\-]+")
# How alike two folded commune names must be for one to be offered for the other (difflib's
# ratio): a letter or two apart ("Buôn Ma Thuộc"), not two names that merely rhyme.
CLOSE = 0.8


class OfficialRefusal(Exception):
    """The official list cannot serve what was asked; `lines` say why (Vietnamese / English)."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


def key(name: str) -> str:
    """A name as compared: folded (case, diacritics, spaces), typographic apostrophes plain."""
    return fold(name).replace("\u2019", "'").replace("\u2018", "'")


def bare(folded: str, words: Iterable[str]) -> str:
    """A folded name without the word that says its kind ("phuong tan an" → "tan an")."""
    for word in words:
        if folded.startswith(word):
            return folded[len(word) :].strip()
    return folded


def compact(folded: str) -> str:
    """A folded name without spaces, dots, dashes or underscores ("dak_lak" → "daklak")."""
    return _SEPARATORS.sub("", folded)


@dataclass(frozen=True)
class Commune:
    """One commune (xã, phường, đặc khu) of the official list."""

    code: str
    name: str
    kind: str

    @property
    def key(self) -> str:
        """The folded name."""
        return key(self.name)


@dataclass(frozen=True)
class Province:
    """One province or centrally-run city of the official list, with its communes."""

    code: str
    name: str  # "Tỉnh Đắk Lắk", "Thành phố Hà Nội"
    short: str  # "Đắk Lắk", "Hà Nội": as people say it
    communes: tuple[Commune, ...]

    @cached_property
    def names(self) -> frozenset[str]:
        """The communes' official names."""
        return frozenset(c.name for c in self.communes)

    @cached_property
    def by_key(self) -> dict[str, list[Commune]]:
        """The communes by folded name, with and without the word for their kind."""
        found: dict[str, list[Commune]] = defaultdict(list)
        for commune in self.communes:
            found[commune.key].append(commune)
            found[bare(commune.key, COMMUNE_WORDS)].append(commune)
        return dict(found)

    @property
    def compact(self) -> str:
        """The short name, folded and without spaces: what a typed name is compared with."""
        return compact(key(self.short))

    def commune_warning(self, name: str) -> tuple[str, str] | None:
        """Why `name` is not an official commune's name here (Vietnamese, English), or None."""
        clean = " ".join(name.split())
        if clean in self.names:
            return None
        folded = key(clean)
        same = self.by_key.get(folded) or self.by_key.get(bare(folded, COMMUNE_WORDS))
        if same:
            official = " hoặc ".join(dict.fromkeys(c.name for c in same))
            return (
                f"tên chính thức là {official}",
                f"the official name is {official.replace(' hoặc ', ' or ')}",
            )
        # On the names without their kind ("xa", "phuong"), which would make any two alike.
        closest = difflib.get_close_matches(
            bare(folded, COMMUNE_WORDS), self.by_key, n=1, cutoff=CLOSE
        )
        hint_vi = hint_en = ""
        if closest:
            nearest = self.by_key[closest[0]][0].name
            hint_vi, hint_en = f"; gần nhất: {nearest}", f"; closest: {nearest}"
        return (
            f"danh sách chính thức 2025 không có {clean} thuộc {self.name}{hint_vi}",
            f"the official 2025 list has no {clean} in {self.name}{hint_en}",
        )


@cache
def provinces() -> tuple[Province, ...]:
    """Every province with its communes, in the official order (read once per process)."""
    # Imported here: the package builds its 3,321 entries at import (about 70 ms), which only
    # the commands that use the list should pay.
    from vietnam_provinces import Province as Listed
    from vietnam_provinces import VietNamDivisionType, Ward

    communes: dict[int, list[Commune]] = defaultdict(list)
    for ward in Ward.iter_all():
        # The list has a few doubled spaces ("Phường  Buôn Ma Thuột").
        name = " ".join(ward.name.split())
        communes[int(ward.province_code)].append(
            Commune(f"{int(ward.code):0{COMMUNE_DIGITS}d}", name, ward.division_type.value)
        )
    found: list[Province] = []
    for listed in Listed.iter_all():
        short = " ".join(listed.name.split())
        name = short
        if listed.division_type is VietNamDivisionType.TINH:
            name = f"Tỉnh {short}"  # the official name; the package gives cities theirs in full
        else:
            short = short.removeprefix("Thành phố ")
        code = f"{int(listed.code):0{PROVINCE_DIGITS}d}"
        found.append(Province(code, name, short, tuple(communes[int(listed.code)])))
    return tuple(found)


def _shown(typed: str) -> str:
    """The typed text as a message quotes it: at most 40 characters."""
    return repr(typed if len(typed) <= 40 else typed[:40] + "…")


def find_province(typed: str) -> Province:
    """The province typed as a name (with or without diacritics, "Tỉnh", "TP.") or an official
    code; OfficialRefusal with the closest names otherwise."""
    text = " ".join(typed.split())
    if not text:
        raise OfficialRefusal(
            [
                'cần tên hoặc mã tỉnh, thành phố, ví dụ "Đắk Lắk" hoặc 66 / '
                'a province name or code is needed, e.g. "Đắk Lắk" or 66'
            ]
        )
    if len(text) > MAX_TYPED:
        raise OfficialRefusal(
            [
                f"tên tỉnh, thành phố dài quá {MAX_TYPED} ký tự / "
                f"a province name is at most {MAX_TYPED} characters"
            ]
        )
    every = provinces()
    wanted = compact(bare(key(text), PROVINCE_WORDS))
    if text.isascii() and text.isdigit():
        wanted = f"{int(text):0{PROVINCE_DIGITS}d}"
    wanted = ALIASES.get(wanted, wanted)
    for province in every:
        if wanted in (province.code, province.compact):
            return province
    if text.isascii() and text.isdigit():
        codes = ", ".join(p.code for p in every)
        raise OfficialRefusal(
            [
                f"không có tỉnh, thành phố mã {text} trong danh sách 2025 (các mã: {codes}) / "
                f"no province or city has the code {text} in the 2025 list (codes: {codes})"
            ]
        )
    shown = _shown(text)
    merged_into = MERGED_PROVINCES.get(wanted)
    if merged_into is not None:
        raise OfficialRefusal(
            [
                f"từ 1/7/2025, {shown} đã hợp nhất vào {merged_into}: hãy gõ {merged_into} / "
                f"since 1 July 2025 {shown} is part of {merged_into}: type {merged_into}"
            ]
        )
    folded = bare(key(text), PROVINCE_WORDS)
    by_name = {key(p.short): p.short for p in every}
    closest = [by_name[k] for k in difflib.get_close_matches(folded, list(by_name), n=3)]
    if closest:
        names = ", ".join(closest)
        vi, en = f"gần nhất: {names}", f"closest: {names}"
    else:
        names = ", ".join(p.short for p in every)
        vi, en = f"34 tỉnh, thành phố: {names}", f"the 34 provinces and cities: {names}"
    raise OfficialRefusal(
        [
            f"không có tỉnh, thành phố {shown} trong danh sách 2025; {vi} / "
            f"{shown} is not a province or city of the 2025 list; {en}"
        ]
    )


def province_of(unit: Unit) -> Province | None:
    """The official province a unit of the tree stands for (by official code or by name)."""
    wanted = compact(bare(key(unit.name), PROVINCE_WORDS))
    return next((p for p in provinces() if unit.code == p.code or wanted == p.compact), None)


@dataclass
class SeedPlan:
    """What seeding a province changes in the tree: the units to write and what each is."""

    province: Province
    root: Unit  # the province's unit, as it will be
    units: list[Unit] = field(default_factory=list)  # new or changed, the province first
    new: list[Unit] = field(default_factory=list)
    renamed: list[tuple[Unit, Unit]] = field(default_factory=list)  # (before, after)
    unchanged: int = 0
    merged: list[Unit] = field(default_factory=list)  # merged away: left as history
    unofficial: list[Unit] = field(default_factory=list)  # below it, but not on the list

    @property
    def communes(self) -> int:
        """How many communes the official list has for the province."""
        return len(self.province.communes)


def _refuse_code(code: str, unit: Unit, wanted: str) -> str:
    """Say that an official code is taken by another unit of the tree."""
    return (
        f"mã {code} đã là mã của {unit.name} (cấp {unit.level}, {unit.path}), không dùng được"
        f" cho {wanted}; hãy sửa đơn vị đó trước / the code {code} already belongs to"
        f" {unit.name} (level {unit.level}, {unit.path}), so it cannot be {wanted}; fix that"
        " unit first"
    )


def _province_unit(province: Province, existing: list[Unit], top: str) -> Unit | None:
    """The live unit of the top level that stands for the province, if the tree has one."""
    wanted = province.compact
    found = [
        u
        for u in existing
        if u.merged_into is None
        and u.level == top
        and (u.code == province.code or compact(bare(key(u.name), PROVINCE_WORDS)) == wanted)
    ]
    by_code = [u for u in found if u.code == province.code]
    if by_code or len(found) <= 1:
        return next(iter(by_code or found), None)
    names = ", ".join(f"{u.name} ({u.code})" for u in found)
    raise OfficialRefusal(
        [
            f"cây đơn vị có nhiều đơn vị là {province.name}: {names}; hãy gộp hoặc đổi tên cho"
            f" còn một / the tree has several units for {province.name}: {names}; merge or rename"
            " them first"
        ]
    )


def plan_seed(province: Province, existing: list[Unit], levels: list[str]) -> SeedPlan:
    """Plan the province at `levels[0]` and its communes at `levels[1]`, over the tree
    `existing` (merged units included); OfficialRefusal when an official code is taken."""
    top, level = levels[0], levels[1]
    by_code = {u.code: u for u in existing}
    problems: list[str] = []
    root = _province_unit(province, existing, top)
    if root is None:
        taken = by_code.get(province.code)
        if taken is not None:
            raise OfficialRefusal([_refuse_code(province.code, taken, province.name)])
        root = Unit(
            code=province.code, name=province.name, level=top, path=f"/{province.code}/", depth=0
        )
        plan = SeedPlan(province, root, units=[root], new=[root])
    else:
        after = root.model_copy(update={"name": province.name})
        plan = SeedPlan(province, after)
        if after.name != root.name:
            plan.units.append(after)
            plan.renamed.append((root, after))
        else:
            plan.unchanged += 1
        root = after
    children = [
        u
        for u in existing
        if u.parent_code == root.code and u.level == level and u.merged_into is None
    ]
    matched: dict[str, Unit] = {}  # official code -> the unit that stands for it
    taken_units: set[str] = set()
    for commune in province.communes:
        unit = by_code.get(commune.code)
        if unit is None:
            continue
        if unit.merged_into is not None:
            plan.merged.append(unit)
            taken_units.add(unit.code)
        elif unit.parent_code != root.code or unit.level != level:
            problems.append(_refuse_code(commune.code, unit, f"{commune.name} ({province.name})"))
        else:
            matched[commune.code] = unit
            taken_units.add(unit.code)
    if problems:
        raise OfficialRefusal(problems)
    # By name, for the communes not found by code, in passes from the surest: exactly, then
    # folded, then without the word for its kind ("Buôn Hồ" for "Phường Buôn Hồ") — the last
    # two only when one official commune and one unit read so (Văn Lăng and Văn Lãng are two).
    free = [u for u in children if u.code not in taken_units]
    wanted = [c for c in province.communes if c.code not in matched and c.code not in by_code]
    readings: tuple[Callable[[str], str], ...] = (
        lambda name: " ".join(name.split()),
        key,
        lambda name: bare(key(name), COMMUNE_WORDS),
    )
    for reading in readings:
        counts = Counter(reading(c.name) for c in province.communes)
        for commune in [c for c in wanted if c.code not in matched]:
            read = reading(commune.name)
            same = [u for u in free if reading(u.name) == read]
            if len(same) == 1 and counts[read] == 1:
                matched[commune.code] = same[0]
                free.remove(same[0])
    for commune in province.communes:
        unit = matched.get(commune.code)
        if unit is None:
            if commune.code in by_code:
                continue  # merged away: history stays as it is
            created = Unit(
                code=commune.code,
                name=commune.name,
                level=level,
                parent_code=root.code,
                path=f"{root.path}{commune.code}/",
                depth=root.depth + 1,
            )
            plan.units.append(created)
            plan.new.append(created)
        elif unit.name != commune.name:
            renamed = unit.model_copy(update={"name": commune.name})
            plan.units.append(renamed)
            plan.renamed.append((unit, renamed))
        else:
            plan.unchanged += 1
    plan.unofficial = free
    return plan
