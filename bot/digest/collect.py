"""Read what a digest needs and build it, in one read snapshot on a worker thread.

Everything here is synchronous on purpose: `Database.snapshot` runs it on a thread with its own
read-only connection, so neither the national digest's reads nor its counting of 100,000 rows
ever run on the event loop or hold the writer's lock.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.digest.build import CampaignFacts, build, form_summary, is_open, root_of
from bot.digest.model import AreaShare, Digest
from bot.digest.render import NAMES_BEFORE_GROUPS
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
    summary: bool = False,
) -> Digest:
    """The digest of `unit_code` at `at`: every open campaign touching it, or just `campaign`.

    `summary`: for a message, where a big subtree is shown by its groups — counted in SQL, with
    only the few names the message shows. Without it (the CLI's JSON) every unit is listed.
    """
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
    facts = [_campaign_facts(conn, unit, row, after, lowest_level, summary) for row in chosen]
    return build(unit, at, since, facts)


def _campaign_facts(
    conn: sqlite3.Connection,
    unit: reads.UnitRow,
    campaign: reads.CampaignRow,
    since: str | None,
    lowest_level: str,
    summary: bool = False,
) -> CampaignFacts:
    root = root_of(unit, campaign.scope)
    forms = reads.forms_of(conn, campaign.code)
    if summary:
        counted = _counted(conn, campaign, root, forms, since, lowest_level)
        if counted is not None:
            return counted
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

    def sent_of(form: reads.FormRow) -> tuple[int, int]:
        tallies = next(t for f, t in tallied if f is form)
        return len(tallies), sum(1 for tally in tallies if tally.first_at is not None)

    areas = _areas(conn, campaign, root, forms, lowest_level, sent_of)
    return CampaignFacts(campaign, root, reads.children(conn, root.code), tallied, areas)


def _counted(
    conn: sqlite3.Connection,
    campaign: reads.CampaignRow,
    root: reads.UnitRow,
    forms: list[reads.FormRow],
    since: str | None,
    lowest_level: str,
) -> CampaignFacts | None:
    """The campaign counted per group in SQL; None when its units sit right below the root
    (a small subtree: reading them one by one costs nothing and names them all)."""
    sums = {
        form.form_id: reads.form_group_tallies(
            conn,
            campaign_code=campaign.code,
            form_id=form.form_id,
            level=form.level,
            root_path=root.path,
            since=since,
        )
        for form in forms
    }
    if not any(group.depth > root.depth + 1 for groups in sums.values() for group in groups):
        return None
    children = reads.children(conn, root.code)
    digests = []
    for form in forms:
        groups = sums[form.form_id]
        names: dict[bool, list[reads.UnitTally]] = {}
        for missing in (True, False):
            total = sum((g.expected - g.submitted) if missing else g.late for g in groups)
            # The message names units only when there are few (else it shows the groups).
            names[missing] = (
                reads.form_tallies_of(
                    conn,
                    campaign_code=campaign.code,
                    form_id=form.form_id,
                    level=form.level,
                    root_path=root.path,
                    since=since,
                    missing=missing,
                    limit=NAMES_BEFORE_GROUPS,
                )
                if 0 < total <= NAMES_BEFORE_GROUPS
                else []
            )
        digests.append(form_summary(form, groups, root, children, names[True], names[False]))

    def sent_of(form: reads.FormRow) -> tuple[int, int]:
        groups = sums[form.form_id]
        return sum(g.expected for g in groups), sum(g.submitted for g in groups)

    areas = _areas(conn, campaign, root, forms, lowest_level, sent_of)
    return CampaignFacts(campaign, root, children, [], areas, counted=digests)


def _areas(
    conn: sqlite3.Connection,
    campaign: reads.CampaignRow,
    root: reads.UnitRow,
    forms: list[reads.FormRow],
    lowest_level: str,
    sent_of: Callable[[reads.FormRow], tuple[int, int]],
) -> AreaShare | None:
    """Lowest-level units with at least one work. The usual case — the one registration form is
    the areas' own — was already counted (`sent_of`: expected, submitted); else one query."""
    registrations = [form for form in forms if form.kind == "registration"]
    if len(registrations) == 1 and registrations[0].level == lowest_level:
        return AreaShare(lowest_level, *sent_of(registrations[0]))
    if not registrations:
        return None
    total, with_work = reads.units_with_work(
        conn,
        campaign_code=campaign.code,
        form_ids=[form.form_id for form in registrations],
        level=lowest_level,
        root_path=root.path,
    )
    return AreaShare(lowest_level, total, with_work)
