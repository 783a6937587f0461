"""xuat: a secretary or admin receives the Excel list or the Word report of their own subtree.

xuat ──► campaign (numbered; skipped when one) ──► form (skipped when one) ──► Excel or Word
           ▲ quaylai ───────────────────────────────────┘                       │
                                                                                  ▼
         "preparing the file…" now; after the transaction (Context.later) the file is read in a
         snapshot and written on a worker thread, then sent: a document on Telegram and the
         console, a signed download link on Zalo (its Bot API sends no documents).
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from pathlib import Path

from bot.admin import Refused
from bot.campaigns.model import Campaign, Form
from bot.choices import pick_option
from bot.context import Context, Services, numbered
from bot.exports.files import Format, Written, write_export
from bot.files import files_dir
from bot.logs import logfmt
from bot.messages import Outbound
from bot.web.downloads import LinksUnavailable
from bot.words import Command, Parsed
from handlers.subtree import forms_below, visible_campaigns
from storage.db import ChildFailed

log = logging.getLogger("thidua.export")

FLOW = "xuat"
FORMATS: tuple[Format, ...] = ("xlsx", "docx")
# Zalo's Bot API has no sendDocument: there the file goes as a signed link to the web app.
LINK_CHANNELS = frozenset({"zalo"})


@dataclass(frozen=True)
class Request:
    """One export asked for in the chat: whose, of what, in which format, for which channel."""

    campaign: str
    form: str
    unit_code: str
    unit_name: str
    fmt: Format
    channel: str


async def start(ctx: Context) -> list[Outbound]:
    """Begin: the campaign (or straight to its form when there is one)."""
    campaigns = await visible_campaigns(ctx)
    if not campaigns:
        ctx.conversation.reset()
        return [ctx.say("xuat_none")]
    if len(campaigns) == 1:
        return _ask_form(ctx, campaigns[0])
    codes = [c.campaign.code for c in campaigns]
    ctx.conversation.start(FLOW, "campaign", {"choices": codes})
    lines, buttons = numbered(ctx.texts, [c.campaign.title for c in campaigns])
    return [ctx.say("xuat_ask_campaign", buttons=[*buttons, ctx.cancel_row], lines=lines)]


def _ask_form(ctx: Context, campaign: Campaign) -> list[Outbound]:
    forms = forms_below(ctx, campaign)
    if not forms:
        ctx.conversation.reset()
        return [ctx.say("xuat_no_forms", campaign=campaign.campaign.title)]
    if len(forms) == 1:
        return _ask_format(ctx, campaign, forms[0])
    ctx.conversation.start(
        FLOW, "form", {"campaign": campaign.campaign.code, "choices": [f.id for f in forms]}
    )
    lines, buttons = numbered(ctx.texts, [f.title for f in forms])
    return [ctx.say("xuat_ask_form", buttons=[*buttons, ctx.cancel_row], lines=lines)]


def _format_labels(ctx: Context) -> list[str]:
    return [ctx.texts(f"xuat_format_{fmt}") for fmt in FORMATS]


def _ask_format(ctx: Context, campaign: Campaign, form: Form) -> list[Outbound]:
    ctx.conversation.start(FLOW, "format", {"campaign": campaign.campaign.code, "form": form.id})
    lines, buttons = numbered(ctx.texts, _format_labels(ctx))
    return [
        ctx.say("xuat_ask_format", buttons=[*buttons, ctx.cancel_row], form=form.title, lines=lines)
    ]


async def on_input(ctx: Context, parsed: Parsed | None) -> list[Outbound]:
    """Take the next answer of the export conversation."""
    if parsed is not None and parsed.command is Command.QUAYLAI:
        return await _back(ctx)
    if parsed is not None:
        return await ask_again(ctx)
    step = ctx.conversation.step
    if step == "format":
        return await _take_format(ctx)
    if step == "form":
        return await _take_form(ctx)
    return await _take_campaign(ctx)


async def _campaign(ctx: Context, code: str) -> Campaign | None:
    return next((c for c in await visible_campaigns(ctx) if c.campaign.code == code), None)


async def _back(ctx: Context) -> list[Outbound]:
    """quaylai: one step back (format → form → campaign)."""
    data = ctx.conversation.data
    if ctx.conversation.step == "format":
        campaign = await _campaign(ctx, data.get("campaign", ""))
        if campaign is not None and len(forms_below(ctx, campaign)) > 1:
            return _ask_form(ctx, campaign)
    return await start(ctx)


async def ask_again(ctx: Context) -> list[Outbound]:
    """Ask again for what the export conversation is waiting for."""
    data = ctx.conversation.data
    step = ctx.conversation.step
    campaign = await _campaign(ctx, data.get("campaign", "")) if step != "campaign" else None
    if step == "format" and campaign is not None:
        form = next((f for f in forms_below(ctx, campaign) if f.id == data.get("form")), None)
        if form is not None:
            return _ask_format(ctx, campaign, form)
    if step == "form" and campaign is not None:
        return _ask_form(ctx, campaign)
    return await start(ctx)


async def _take_campaign(ctx: Context) -> list[Outbound]:
    campaigns = await visible_campaigns(ctx)
    choices: list[str] = ctx.conversation.data.get("choices", [])
    titles = [next((c.campaign.title for c in campaigns if c.campaign.code == code), code)
              for code in choices]  # fmt: skip
    index = pick_option(ctx.inbound.text, titles)
    if index is None:
        codes = [code.casefold() for code in choices]
        typed = ctx.inbound.text.strip().casefold()
        index = codes.index(typed) if typed in codes else None
    if index is None:
        return [ctx.say("xuat_bad_pick", count=len(choices)), *await start(ctx)]
    campaign = await _campaign(ctx, choices[index])
    if campaign is None:  # removed since the list was shown
        return await start(ctx)
    return _ask_form(ctx, campaign)


async def _take_form(ctx: Context) -> list[Outbound]:
    data = ctx.conversation.data
    campaign = await _campaign(ctx, data.get("campaign", ""))
    if campaign is None:
        return await start(ctx)
    forms = forms_below(ctx, campaign)
    choices: list[str] = data.get("choices", [])
    titles = [next((f.title for f in forms if f.id == fid), fid) for fid in choices]
    index = pick_option(ctx.inbound.text, titles)
    if index is None:
        return [ctx.say("xuat_bad_pick", count=len(choices)), *_ask_form(ctx, campaign)]
    form = next((f for f in forms if f.id == choices[index]), None)
    if form is None:
        return _ask_form(ctx, campaign)
    return _ask_format(ctx, campaign, form)


def _typed_format(text: str, labels: list[str]) -> int | None:
    """1/2, "excel", "word", "xlsx", "docx", or the label's words."""
    index = pick_option(text, labels)
    if index is not None:
        return index
    folded = text.strip().casefold().lstrip(".")
    for position, fmt in enumerate(FORMATS):
        if folded in (fmt, {"xlsx": "xls", "docx": "doc"}[fmt]):
            return position
    return None


async def _take_format(ctx: Context) -> list[Outbound]:
    assert ctx.unit is not None
    data = ctx.conversation.data
    campaign = await _campaign(ctx, data.get("campaign", ""))
    form = (
        next((f for f in forms_below(ctx, campaign) if f.id == data.get("form")), None)
        if campaign is not None
        else None
    )
    if campaign is None or form is None:
        return await start(ctx)
    index = _typed_format(ctx.inbound.text, _format_labels(ctx))
    if index is None:
        return [ctx.say("xuat_bad_pick", count=len(FORMATS)), *_ask_format(ctx, campaign, form)]
    fmt = FORMATS[index]
    if ctx.inbound.channel in LINK_CHANNELS and not (ctx.downloads and ctx.downloads.ready):
        ctx.conversation.reset()
        return [ctx.say("xuat_no_links")]
    ctx.conversation.reset()
    request = Request(
        campaign.campaign.code, form.id, ctx.unit.code, ctx.unit.name, fmt, ctx.inbound.channel
    )

    async def produce(services: Services) -> list[Outbound]:
        return await deliver(services, request)

    ctx.later.append(produce)
    kind = ctx.texts(f"xuat_kind_{fmt}")
    return [ctx.say("xuat_working", kind=kind, form=form.title, unit=ctx.unit.name)]


def file_name(request: Request) -> str:
    """The file's name as the secretary saves it: campaign, form and unit, safe everywhere."""
    stem = f"{request.campaign}-{request.form}-{request.unit_code}"
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "-" for ch in stem)
    return f"{safe}.{request.fmt}"


async def deliver(services: Services, request: Request) -> list[Outbound]:
    """Write the file (snapshot read, worker-thread write) and hand it over for the channel."""
    texts = services.texts
    downloads = services.downloads
    now = services.clock.now()
    name = file_name(request)
    staging = _staging(services)
    staging.mkdir(parents=True, exist_ok=True)
    target = staging / f"{secrets.token_hex(8)}-{name}"
    try:
        written = await write_export(
            services.db,
            services.settings,
            campaign=request.campaign,
            form=request.form,
            unit_code=request.unit_code,
            fmt=request.fmt,
            target=target,
            now=now,
            in_process=True,  # the writing must not share the interpreter lock with the chats
        )
    except Refused:
        return [Outbound(text=texts("xuat_gone"))]
    except (OSError, ChildFailed) as exc:
        log.error(logfmt("export_failed", error=type(exc).__name__))
        return [Outbound(text=texts("xuat_failed"))]
    summary = _summary(services, written, request)
    if request.channel not in LINK_CHANNELS:
        # Kept beside the published files, so maintenance removes it when a link would expire.
        path = downloads.keep(written.path, name, now) if downloads else written.path
        return [
            Outbound(
                text=texts("xuat_ready_document", summary=summary),
                document_path=str(path),
                document_name=name,
            )
        ]
    if downloads is None:
        written.path.unlink(missing_ok=True)
        return [Outbound(text=texts("xuat_no_links"))]
    try:
        url = downloads.publish(written.path, name, now)
    except LinksUnavailable:
        written.path.unlink(missing_ok=True)
        return [Outbound(text=texts("xuat_no_links"))]
    expires = (now + downloads.lifetime).astimezone(services.settings.schedule.zone())
    return [
        Outbound(
            text=texts(
                "xuat_ready_link", summary=summary, expires=expires.strftime("%H:%M %d/%m/%Y")
            ),
            link_url=url,
        )
    ]


def _staging(services: Services) -> Path:
    """Where a file is written before it is sent or published (beside the database)."""
    return files_dir(services.settings) / "exports"


def _summary(services: Services, written: Written, request: Request) -> str:
    """'Excel "Đăng ký …" của Phường Mẫu: 9/12 khu dân cư đã gửi, 14 công trình'."""
    export = written.export
    texts = services.texts
    level = services.settings.org.label(export.form.level).lower()
    works = texts("xuat_summary_works", count=export.rows) if export.is_registration else ""
    return texts(
        "xuat_summary",
        kind=texts(f"xuat_kind_{request.fmt}"),
        form=export.form.title,
        unit=export.root.name,
        submitted=export.submitted,
        expected=export.expected,
        level=level,
        works=works,
    )
