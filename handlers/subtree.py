"""What a secretary or admin may look at: the campaigns that meet their subtree and the forms
their subtree sends (for `xuat` and `thongbao`)."""

from __future__ import annotations

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
    """The units meant by a typed code (exactly, any case) or by part of a name or code."""
    typed = text.strip()
    exact = [u for u in units if u.code.lower() == typed.lower()]
    if exact:
        return exact
    wanted = fold(typed)
    return [u for u in units if wanted and (wanted in fold(u.name) or wanted in u.code.lower())]
