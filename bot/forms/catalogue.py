"""The loaded campaigns as models, and which forms apply to a unit."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.campaigns.model import STORED_DEFINITION, Campaign, Form, FormKind
from storage.models import Unit
from storage.repos import Repos

# The key of the parsed definitions in the database's memo: by code, with the revision they
# were parsed at (a reload bumps the revision, so a stale entry is never used).
_MEMO_KEY = "catalogue.parsed"


@dataclass(frozen=True)
class Slot:
    """One form of one campaign, as it applies to a unit."""

    campaign: Campaign
    form: Form

    @property
    def code(self) -> str:
        """The campaign's code."""
        return self.campaign.campaign.code

    @property
    def opens_on(self) -> date:
        """The first day the form takes submissions."""
        return self.form.opens_on or self.campaign.campaign.starts_on

    @property
    def period(self) -> tuple[date, date]:
        """The campaign period, for reading dates typed without a year."""
        return self.campaign.campaign.starts_on, self.campaign.campaign.ends_on


def _parse(definition: dict[str, Any]) -> Campaign:
    """A stored definition as a model (it was checked in full when the file was loaded)."""
    return Campaign.model_validate(definition, context={STORED_DEFINITION: True})


async def load_all(repos: Repos, revisions: dict[str, int] | None = None) -> list[Campaign]:
    """Return every loaded campaign as a validated model.

    With `revisions` (code -> revision, read with the session) the cache answers without a query
    whenever it is current.
    """
    parsed: dict[str, tuple[int, Campaign]] = repos.memo.setdefault(_MEMO_KEY, {})
    if revisions is None or any(
        parsed.get(code, (0,))[0] != rev for code, rev in revisions.items()
    ):
        stored = await repos.campaigns.all()
        for item in stored:
            if parsed.get(item.code, (0,))[0] != item.revision:
                parsed[item.code] = (item.revision, _parse(item.definition))
        revisions = {item.code: item.revision for item in stored}
    campaigns = [parsed[code][1] for code in revisions]
    campaigns.sort(key=lambda c: (c.campaign.starts_on, c.campaign.code))
    return campaigns


async def find(
    repos: Repos, code: str, form_id: str, revisions: dict[str, int] | None = None
) -> Slot | None:
    """Return one campaign form, or None if it no longer exists."""
    for campaign in await load_all(repos, revisions):
        if campaign.campaign.code == code:
            form = next((f for f in campaign.forms if f.id == form_id), None)
            return Slot(campaign, form) if form else None
    return None


def in_scope(campaign: Campaign, unit: Unit) -> bool:
    """True when the unit lies in the campaign's scope (the scope unit or below it)."""
    return f"/{campaign.campaign.scope}/" in unit.path


def slots_for(
    campaigns: list[Campaign], unit: Unit, kinds: Collection[FormKind] | None = None
) -> list[Slot]:
    """Return the forms this unit submits (by scope and level), in file order."""
    return [
        Slot(campaign, form)
        for campaign in campaigns
        if in_scope(campaign, unit)
        for form in campaign.forms
        if form.level == unit.level and (kinds is None or form.kind in kinds)
    ]


def draft_key(slot: Slot, *, work: int | None = None, target: int | None = None) -> str:
    """The key of a member's draft: a new submission, an update of a work, or an amendment."""
    base = f"{slot.code}/{slot.form.id}"
    if target is not None:
        return f"{base}/amend/{target}"
    if work is not None:
        return f"{base}/work/{work}"
    return f"{base}/new"


def work_title(answers: dict[str, object], form: Form) -> str:
    """A work's name: the answer to the registration's first text question."""
    for question in form.questions:
        value = answers.get(question.id)
        if question.kind.value == "text" and isinstance(value, str) and value:
            return value
    return ""
