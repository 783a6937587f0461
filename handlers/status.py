"""trangthai: what my unit has sent and what is due; for secretaries, the open campaigns."""

from __future__ import annotations

from bot.campaigns.model import Campaign, FormKind
from bot.context import Context
from bot.forms import catalogue
from bot.forms import submission_rules as rules
from bot.forms.catalogue import Slot
from bot.forms.flow import DraftInfo
from bot.messages import Button, Outbound
from bot.parsers import render_day
from handlers import forms
from storage.models import Role, Submission


def _left(ctx: Context, slot: Slot) -> str:
    due = rules.due(slot, ctx.now, ctx.settings.schedule.zone())
    return ctx.texts(f"status_{due.standing.value}", days=due.days)


async def show_status(ctx: Context) -> list[Outbound]:
    """Answer trangthai for the member's role."""
    assert ctx.member is not None and ctx.unit is not None
    campaigns = await catalogue.load_all(ctx.repos, ctx.campaign_revisions)
    if ctx.member.role is Role.REP:
        return await _unit_status(ctx, catalogue.slots_for(campaigns, ctx.unit))
    relevant = []
    for campaign in campaigns:
        scope = await ctx.repos.units.get(campaign.campaign.scope)
        # A campaign concerns a secretary whose unit is in its scope, or whose subtree holds it.
        if catalogue.in_scope(campaign, ctx.unit) or (scope and ctx.unit.contains(scope)):
            relevant.append(campaign)
    return _overview(ctx, relevant)


async def _unit_status(ctx: Context, slots: list[Slot]) -> list[Outbound]:
    assert ctx.unit is not None and ctx.member is not None
    if not slots:
        return [ctx.say("status_nothing", unit=ctx.unit.name)]
    lines = [ctx.texts("status_head", unit=ctx.unit.name)]
    choices: list[int] = []
    drafts = await ctx.repos.drafts.of_member(ctx.member.id)
    by_form: dict[tuple[str, str], list[Submission]] = {}
    for code in dict.fromkeys(slot.code for slot in slots):
        sent_in_campaign = await ctx.repos.submissions.for_unit(ctx.unit.code, code)
        for submission in sent_in_campaign:
            by_form.setdefault((code, submission.form_id), []).append(submission)
    # The registered works by id: an update's line says which work it is about.
    works = {
        submission.id: catalogue.work_title(submission.answers, slot.form)
        for slot in slots
        if slot.form.kind is FormKind.REGISTRATION
        for submission in by_form.get((slot.code, slot.form.id), [])
    }
    current_campaign = ""
    for slot in slots:
        if slot.code != current_campaign:
            current_campaign = slot.code
            lines.append(ctx.texts("status_campaign", title=slot.campaign.campaign.title))
        sent = by_form.get((slot.code, slot.form.id), [])
        for submission in sent:
            choices.append(submission.id)
            lines.append(_sent_line(ctx, slot, submission, len(choices), works))
        if sent and (slot.form.multiple is False or slot.form.kind is not FormKind.REGISTRATION):
            continue
        kept = drafts.get(catalogue.draft_key(slot))
        draft = len(DraftInfo.model_validate(kept.state).engine.answers) if kept else 0
        if draft:
            lines.append(
                ctx.texts("status_draft", form=slot.form.title, answered=draft, command=_word(slot))
            )
        elif not sent:
            if ctx.local(ctx.now).date() < slot.opens_on:
                lines.append(
                    ctx.texts(
                        "status_not_open",
                        form=slot.form.title,
                        date=render_day(slot.opens_on),
                        due=render_day(slot.form.due_on),
                    )
                )
            else:
                lines.append(
                    ctx.texts(
                        "status_due",
                        form=slot.form.title,
                        due=render_day(slot.form.due_on),
                        left=_left(ctx, slot),
                    )
                )
    messages = [Outbound(text="\n".join(lines))]
    if choices and not ctx.interrupting:  # mid-form, the form's question comes back instead
        forms.offer_status_pick(ctx, choices)
        buttons = [[Button(label=str(n), value=str(n)) for n in range(1, min(len(choices), 8) + 1)]]
        messages.append(ctx.say("status_pick", buttons=[*buttons, ctx.cancel_row]))
    return messages


def _word(slot: Slot) -> str:
    return "dangky" if slot.form.kind is FormKind.REGISTRATION else "baocao"


def _sent_line(
    ctx: Context, slot: Slot, submission: Submission, number: int, works: dict[int, str]
) -> str:
    """'1. Đăng ký … "Thắp sáng hẻm 12": gửi 20/11/2023, sửa lần cuối 25/11/2023'."""
    label = slot.form.title
    if slot.form.kind is FormKind.REGISTRATION:
        name = catalogue.work_title(submission.answers, slot.form)
    else:  # an update names the work it is about
        name = works.get(submission.work_id or 0, "")
    if name:
        label = f"{label} {ctx.texts('quoted', text=name)}"
    late = ctx.texts("status_sent_late", days=submission.late_days) if submission.late_days else ""
    first = render_day(ctx.local(submission.first_submitted_at).date())
    last = render_day(ctx.local(submission.last_submitted_at).date())
    if submission.version > 1:
        return ctx.texts(
            "status_sent_changed", number=number, label=label, date=first, changed=last, late=late
        )
    return ctx.texts("status_sent", number=number, label=label, date=first, late=late)


def _overview(ctx: Context, campaigns: list[Campaign]) -> list[Outbound]:
    assert ctx.unit is not None
    if not campaigns:
        return [ctx.say("status_nothing", unit=ctx.unit.name)]
    lines = [ctx.texts("status_overview_head", unit=ctx.unit.name)]
    for campaign in campaigns:
        lines.append(ctx.texts("status_campaign", title=campaign.campaign.title))
        for form in campaign.forms:
            slot = Slot(campaign, form)
            lines.append(
                ctx.texts(
                    "status_overview_form",
                    form=form.title,
                    due=render_day(form.due_on),
                    left=_left(ctx, slot),
                )
            )
    return [Outbound(text="\n".join(lines))]
