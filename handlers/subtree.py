"""What a secretary or admin may look at: the campaigns that meet their subtree and the forms
their subtree sends (for `xuat` and `thongbao`)."""

from __future__ import annotations

import re

from bot.campaigns.model import Campaign, Form
from bot.context import Context
from bot.forms import catalogue
from bot.words import fold
from storage.models import Unit


async def visible_campaigns(ctx: Context) -> list[Campaign]:
    """The campaigns whose scope meets the member's subtree (theirs, or one inside it)."""
    assert ctx.unit is not None
    visible: list[Campaign] = []
    for campaign in await catalogue.load_all(ctx.repos, ctx.campaign_revisions):
        if catalogue.in_scope(campaign, ctx.unit):
            visible.append(campaign)
            continue
        scope = await ctx.repos.units.get(campaign.campaign.scope)
        if scope is not None and ctx.unit.is_above(scope):
            visible.append(campaign)
    visible.reverse()  # the newest campaign first: it is the one being filed
    return visible


def forms_below(ctx: Context, campaign: Campaign) -> list[Form]:
    """The forms sent at the member's level or below (their subtree sends them)."""
    assert ctx.unit is not None
    levels = ctx.settings.org.level_ids()
    mine = levels.index(ctx.unit.level) if ctx.unit.level in levels else 0
    return [
        form for form in campaign.forms if form.level in levels and levels.index(form.level) >= mine
    ]


def find_units(units: list[Unit], text: str) -> list[Unit]:
    """The units meant by what was typed, the surest reading first: the code (any case); the
    code or name written another way ("kp1", "kp 01" for KP-01; "kp1" for Khu phố 1); the
    words of a name ("khu pho 1" is not Khu phố 10); else part of a name or code."""
    typed = text.strip()
    exact = [u for u in units if u.code.lower() == typed.lower()]
    if exact:
        return exact
    key = _compact(typed)
    if key:
        same = [u for u in units if key in (_compact(u.code), _compact(u.name), _initials(u.name))]
        if same:
            return same
    wanted = fold(typed)
    if not wanted:
        return []
    words = re.compile(rf"(?<!\w){re.escape(wanted)}(?!\w)")
    whole = [u for u in units if words.search(fold(u.name)) or words.search(u.code.lower())]
    if whole:
        return whole
    return [u for u in units if wanted in fold(u.name) or wanted in u.code.lower()]


def _compact(text: str) -> str:
    """Letters and numbers only, numbers without leading zeros: 'KP-01' and 'kp 1' are 'kp1'."""
    return "".join(_number(part) or part for part in _WORD.findall(fold(text)))


def _initials(name: str) -> str:
    """The short form people type for a name: 'Khu phố 1' is 'kp1', 'Tổ dân phố 5' 'tdp5'."""
    return "".join(_number(part) or part[0] for part in _WORD.findall(fold(name)))


def _number(part: str) -> str:
    """An ASCII number without its leading zeros ('01' → '1'); '' for anything else."""
    if part.isascii() and part.isdigit():
        return part.lstrip("0") or "0"
    return ""


_WORD = re.compile(r"[^\W\d_]+|\d+")  # a run of letters, or of digits, in any script
