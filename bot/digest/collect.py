"""Read what a digest needs and build it, in one read snapshot on a worker thread.

Everything here is synchronous on purpose: `Database.snapshot` runs it on a thread with its own
read-only connection, so neither the national digest's reads nor its counting of 100,000 rows
ever run on the event loop or hold the writer's lock.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.digest.build import CampaignFacts, build, is_open, root_of
from bot.digest.model import AreaShare, Digest
from storage import reads
from storage.timefmt import ts


class UnknownUnit(LookupError):
    """The unit asked for is not in the tree (any more)."""


def collect(
    conn: sqlite3.Connection,
    *,
    unit_code: str,
    at: datetime,
    since: datetime | None,
    zone: ZoneInfo,
    lowest_level: str,
    campaign: str | None = None,
) -> Digest:
    """The digest of `unit_code` at `at`: every open campaign touching it, or just `campaign`."""
    unit = reads.unit(conn, unit_code)
    if unit is None:
        raise UnknownUnit(unit_code)
    today = at.astimezone(zone).date()
    touching = reads.campaigns_touching(conn, unit.path)
    if campaign is not None:
        chosen = [row for row in touching if row.code == campaign]
    else:
        chosen = [row for row in touching if is_open(row, today)]
    after = ts(since) if since is not None else None
    facts = [_campaign_facts(conn, unit, row, after, lowest_level) for row in chosen]
    return build(unit, at, since, facts)


def _campaign_facts(
    conn: sqlite3.Connection,
    unit: reads.UnitRow,
    campaign: reads.CampaignRow,
    since: str | None,
    lowest_level: str,
) -> CampaignFacts:
    root = root_of(unit, campaign.scope)
    forms = reads.forms_of(conn, campaign.code)
    tallied = [
        (
            form,
            reads.form_tallies(
                conn,
                campaign_code=campaign.code,
                form_id=form.form_id,
                level=form.level,
                root_path=root.path,
                since=since,
            ),
        )
        for form in forms
    ]
    registrations = [form for form in forms if form.kind == "registration"]
    areas: AreaShare | None = None
    if len(registrations) == 1 and registrations[0].level == lowest_level:
        # The usual case: the one registration form is the areas' own, already counted.
        tallies = next(t for f, t in tallied if f is registrations[0])
        sent = sum(1 for tally in tallies if tally.first_at is not None)
        areas = AreaShare(lowest_level, len(tallies), sent)
    elif registrations:
        total, with_work = reads.units_with_work(
            conn,
            campaign_code=campaign.code,
            form_ids=[form.form_id for form in registrations],
            level=lowest_level,
            root_path=root.path,
        )
        areas = AreaShare(lowest_level, total, with_work)
    return CampaignFacts(campaign, root, reads.children(conn, root.code), tallied, areas)
