"""tonghop: the digest of the secretary's or admin's subtree, now, per open campaign.

The digest is read before the router's transaction (`prefetch`, in `router.PREFETCH`), on a
worker thread: inside the transaction a province's digest would hold the database lock for
seconds and every other chat would wait behind it. The handler only writes it out.
"""

from __future__ import annotations

from datetime import datetime

from bot.config import Settings
from bot.context import Context
from bot.digest import service
from bot.digest.render import limit_for, render
from bot.messages import Inbound, Outbound
from storage.db import Database


async def prefetch(
    db: Database, settings: Settings, inbound: Inbound, now: datetime
) -> service.Prepared | None:
    """Read the sender's digest before the transaction (None for people who get none)."""
    return await service.prepare(db, settings, inbound.channel, inbound.user_id, now)


async def show_digest(ctx: Context) -> list[Outbound]:
    """Answer tonghop with the digest read for this member before the transaction."""
    assert ctx.member is not None and ctx.unit is not None
    prepared = ctx.prefetched
    # Read for someone else (re-enrolled in between by the command line) or not read at all.
    if (
        not isinstance(prepared, service.Prepared)
        or prepared.member_id != ctx.member.id
        or prepared.unit_code != ctx.unit.code
    ):
        return [ctx.say("digest_failed")]
    texts = render(
        prepared.digest,
        ctx.texts,
        ctx.settings.org,
        ctx.settings.schedule.zone(),
        limit=limit_for(ctx.inbound.channel),
    )
    return [Outbound(text=text) for text in texts]
