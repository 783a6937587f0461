"""dangky / baocao and the conversation that fills a form, one question at a time.

dangky|baocao ─► pick_form (if several) ─► pick_work (update forms) ─► draft? (continue /
start again) ─► answer (the engine: questions … summary) ─gui─► saved ─► more? (multiple)
trangthai ─► status_pick ─► answer (an amendment starts at the summary)
"""

from __future__ import annotations

from typing import Any

from bot.campaigns.model import FormKind, Late, QuestionKind
from bot.context import CANCEL_ROW, Context, numbered
from bot.forms import catalogue, engine
from bot.forms.catalogue import Slot
from bot.forms.deadlines import Window, window
from bot.forms.engine import FormState, Input, Nav, Submit, Text, Upload
from bot.forms.render import lead, render
from bot.messages import Button, InboundKind, Outbound
from bot.parsers import parse_position, render_day
from bot.words import NAVIGATION, Parsed
from storage.models import Draft, Submission

FLOW = "form"
PURPOSE_KINDS = {
    "dangky": {FormKind.REGISTRATION},
    "baocao": {FormKind.REPORT, FormKind.UPDATE},
}


def _window(ctx: Context, slot: Slot) -> Window:
    refuse = slot.form.late is Late.REFUSE
    return window(slot.opens_on, slot.form.due_on, refuse, ctx.now, ctx.settings.schedule.zone())


async def start_registration(ctx: Context) -> list[Outbound]:
    """dangky: register a work (choose the form first when several are open)."""
    return await _choose(ctx, "dangky")


async def start_report(ctx: Context) -> list[Outbound]:
    """baocao: send a period report or a progress update."""
    return await _choose(ctx, "baocao")


async def _choose(ctx: Context, purpose: str) -> list[Outbound]:
    assert ctx.unit is not None
    campaigns = await catalogue.load_all(ctx.repos, ctx.campaign_revisions)
    today = ctx.local(ctx.now).date()
    current = [
        slot
        for slot in catalogue.slots_for(campaigns, ctx.unit, PURPOSE_KINDS[purpose])
        if slot.campaign.campaign.ends_on >= today
    ]
    slots = [slot for slot in current if _window(ctx, slot).opened]
    if not slots:
        ctx.conversation.reset()
        if current:  # nothing open yet: say when the first one opens
            upcoming = min(current, key=lambda slot: slot.opens_on)
            return [
                ctx.say(
                    "form_not_open", title=upcoming.form.title, date=render_day(upcoming.opens_on)
                )
            ]
        return [ctx.say(f"form_none_{purpose}", unit=ctx.unit.name)]
    if len(slots) == 1:
        return await _open(ctx, slots[0], purpose)
    ctx.conversation.start(
        FLOW, "pick_form", {"purpose": purpose, "choices": [[s.code, s.form.id] for s in slots]}
    )
    return [_pick_form_prompt(ctx, slots)]


def _pick_form_prompt(ctx: Context, slots: list[Slot]) -> Outbound:
    labels = [
        ctx.texts("form_pick_line", title=s.form.title, due=render_day(s.form.due_on))
        for s in slots
    ]
    lines, buttons = numbered(ctx.texts, labels)
    return ctx.say("form_pick", buttons=[*buttons, CANCEL_ROW], lines=lines)


async def _open(ctx: Context, slot: Slot, purpose: str) -> list[Outbound]:
    """Check the form's window and what the unit already sent, then begin or explain."""
    assert ctx.unit is not None
    state = _window(ctx, slot)
    if not state.opened:
        ctx.conversation.reset()
        return [ctx.say("form_not_open", title=slot.form.title, date=render_day(slot.opens_on))]
    if state.refused:
        ctx.conversation.reset()
        return [ctx.say("form_closed", title=slot.form.title, date=render_day(slot.form.due_on))]
    if slot.form.kind is FormKind.UPDATE:
        return await _pick_work(ctx, slot, purpose)
    if not slot.form.multiple:
        sent = await ctx.repos.submissions.for_unit(ctx.unit.code, slot.code, slot.form.id)
        if sent:
            return _already_sent(ctx, slot, sent[0])
    return await _begin(ctx, slot, purpose)


def _already_sent(ctx: Context, slot: Slot, sent: Submission) -> list[Outbound]:
    """A form that takes one submission was already sent: say when, and how to change it."""
    assert ctx.unit is not None
    ctx.conversation.reset()
    when = render_day(ctx.local(sent.first_submitted_at).date())
    return [ctx.say("form_already_sent", unit=ctx.unit.name, title=slot.form.title, date=when)]


async def _work_name(ctx: Context, slot: Slot, work: int) -> str:
    """The name of the registered work an update form is about."""
    sent = await ctx.repos.submissions.get(work)
    if sent is None or slot.form.about is None:
        return ""
    return catalogue.work_title(sent.answers, slot.campaign.form(slot.form.about))


async def _pick_work(ctx: Context, slot: Slot, purpose: str) -> list[Outbound]:
    assert ctx.unit is not None and slot.form.about is not None
    works = await ctx.repos.submissions.for_unit(ctx.unit.code, slot.code, slot.form.about)
    if not works:
        ctx.conversation.reset()
        return [ctx.say("form_no_works", unit=ctx.unit.name)]
    registration = slot.campaign.form(slot.form.about)
    labels = [catalogue.work_title(w.answers, registration) or f"#{w.id}" for w in works]
    ctx.conversation.start(
        FLOW,
        "pick_work",
        {
            "campaign": slot.code,
            "form": slot.form.id,
            "purpose": purpose,
            "choices": [w.id for w in works],
        },
    )
    lines, buttons = numbered(ctx.texts, labels)
    return [ctx.say("form_pick_work", buttons=[*buttons, CANCEL_ROW], lines=lines)]


async def _begin(
    ctx: Context,
    slot: Slot,
    purpose: str,
    *,
    work: int | None = None,
    target: Submission | None = None,
) -> list[Outbound]:
    """Offer a kept draft, or start (an amendment starts at the summary of what was sent)."""
    assert ctx.member is not None
    key = catalogue.draft_key(slot, work=work, target=target.id if target else None)
    kept = await ctx.repos.drafts.get(ctx.member.id, key)
    if kept is not None and FormState.model_validate(kept.state["engine"]).answered() > 0:
        ctx.conversation.start(FLOW, "draft", {"draft": kept.id})
        buttons = [[Button(label="1. Tiếp tục", value="1"), Button(label="2. Làm lại", value="2")]]
        answered = FormState.model_validate(kept.state["engine"]).answered()
        return [
            ctx.say("form_draft_offer", buttons=buttons, title=slot.form.title, answered=answered)
        ]
    initial = FormState(answers=dict(target.answers)) if target else FormState()
    state, events = engine.start(slot.form, initial)
    info = {
        "campaign": slot.code,
        "form": slot.form.id,
        "purpose": purpose,
        "work": work,
        "target": target.id if target else None,
        "engine": state.model_dump(mode="json"),
    }
    draft_id = await ctx.repos.drafts.save(ctx.member.id, key, info, ctx.now)
    ctx.conversation.start(FLOW, "answer", {"draft": draft_id, "purpose": purpose})
    intro = await _intro(ctx, slot, work)
    return lead(intro.text, render(events, slot.form, ctx.texts))


async def _intro(ctx: Context, slot: Slot, work: int | None) -> Outbound:
    assert ctx.unit is not None
    due = render_day(slot.form.due_on)
    if work is not None:
        name = await _work_name(ctx, slot, work)
        return ctx.say(
            "form_intro_work", title=slot.form.title, work=name, unit=ctx.unit.name, due=due
        )
    return ctx.say("form_intro", title=slot.form.title, unit=ctx.unit.name, due=due)


async def on_input(ctx: Context, parsed: Parsed | None) -> list[Outbound]:
    """Take the next message of a form conversation, whatever step it is at."""
    step = ctx.conversation.step
    if step == "answer":
        return await _answer(ctx, parsed)
    if parsed is not None and parsed.command in NAVIGATION:
        return await _reprompt(ctx)
    text = ctx.inbound.text.strip()
    if step == "pick_form":
        return await _take_form(ctx, text)
    if step == "pick_work":
        return await _take_work(ctx, text)
    if step == "draft":
        return await _take_draft_choice(ctx, text)
    if step == "more":
        return await _take_more(ctx, text)
    if step == "status_pick":
        return await take_status_pick(ctx, text)
    ctx.conversation.reset()
    return [ctx.say("unknown")]


async def _current_draft(ctx: Context) -> Draft | None:
    """The draft the conversation points at (usually loaded with the session already)."""
    wanted = ctx.conversation.data.get("draft")
    if ctx.draft is not None and ctx.draft.id == wanted:
        return ctx.draft
    return await ctx.repos.drafts.by_id(int(wanted)) if wanted is not None else None


def _choice(text: str, count: int) -> int | None:
    """A 0-based index from a typed number, or None."""
    return parse_position(text, count)


async def _reprompt(ctx: Context) -> list[Outbound]:
    count = len(ctx.conversation.data.get("choices", [])) or 2
    return [ctx.say("form_pick_number", count=count)]


async def _take_form(ctx: Context, text: str) -> list[Outbound]:
    choices: list[list[str]] = ctx.conversation.data["choices"]
    index = _choice(text, len(choices))
    if index is None:
        return [ctx.say("form_pick_number", count=len(choices))]
    code, form_id = choices[index]
    slot = await catalogue.find(ctx.repos, code, form_id, revisions=ctx.campaign_revisions)
    if slot is None:
        ctx.conversation.reset()
        return [ctx.say("form_gone")]
    return await _open(ctx, slot, ctx.conversation.data["purpose"])


async def _take_work(ctx: Context, text: str) -> list[Outbound]:
    data = ctx.conversation.data
    index = _choice(text, len(data["choices"]))
    if index is None:
        return [ctx.say("form_pick_number", count=len(data["choices"]))]
    slot = await catalogue.find(
        ctx.repos, data["campaign"], data["form"], revisions=ctx.campaign_revisions
    )
    if slot is None:
        ctx.conversation.reset()
        return [ctx.say("form_gone")]
    work = int(data["choices"][index])
    if not slot.form.multiple:
        assert ctx.unit is not None
        sent = await ctx.repos.submissions.for_unit(ctx.unit.code, slot.code, slot.form.id)
        about_work = [s for s in sent if s.work_id == work]
        if about_work:
            return _already_sent(ctx, slot, about_work[0])
    return await _begin(ctx, slot, data["purpose"], work=work)


async def _take_draft_choice(ctx: Context, text: str) -> list[Outbound]:
    assert ctx.member is not None
    index = _choice(text, 2)
    draft = await _current_draft(ctx)
    if draft is None:
        ctx.conversation.reset()
        return [ctx.say("form_gone")]
    if index is None:
        return [ctx.say("form_draft_choice")]
    slot = await catalogue.find(
        ctx.repos, draft.state["campaign"], draft.state["form"], revisions=ctx.campaign_revisions
    )
    if slot is None:
        ctx.conversation.reset()
        return [ctx.say("form_gone")]
    if index == 1:  # start again
        await ctx.repos.drafts.delete(draft.id)
        # An amendment starts again from what was sent, never as a new submission.
        target_id = draft.state.get("target")
        target = await ctx.repos.submissions.get(int(target_id)) if target_id else None
        if target_id and target is None:
            ctx.conversation.reset()
            return [ctx.say("form_gone")]
        return await _begin(
            ctx, slot, draft.state["purpose"], work=draft.state.get("work"), target=target
        )
    ctx.conversation.start(FLOW, "answer", {"draft": draft.id, "purpose": draft.state["purpose"]})
    # The campaign may have been reloaded since: answers that no longer fit are asked again.
    state, events = engine.reopen(slot.form, FormState.model_validate(draft.state["engine"]))
    info = {**draft.state, "engine": state.model_dump(mode="json")}
    await ctx.repos.drafts.save(ctx.member.id, draft.draft_key, info, ctx.now)
    intro = await _intro(ctx, slot, draft.state.get("work"))
    return lead(intro.text, render(events, slot.form, ctx.texts))


async def _take_more(ctx: Context, text: str) -> list[Outbound]:
    index = _choice(text, 2)
    if index is None:
        return [ctx.say("form_more_choice")]
    if index == 1:
        ctx.conversation.reset()
        return [ctx.say("form_finished")]
    slot = await catalogue.find(
        ctx.repos,
        ctx.conversation.data["campaign"],
        ctx.conversation.data["form"],
        revisions=ctx.campaign_revisions,
    )
    if slot is None:
        ctx.conversation.reset()
        return [ctx.say("form_gone")]
    return await _open(ctx, slot, ctx.conversation.data["purpose"])


async def _answer(ctx: Context, parsed: Parsed | None) -> list[Outbound]:
    assert ctx.member is not None
    draft = await _current_draft(ctx)
    slot = (
        await catalogue.find(
            ctx.repos,
            draft.state["campaign"],
            draft.state["form"],
            revisions=ctx.campaign_revisions,
        )
        if draft
        else None
    )
    if draft is None or slot is None:
        ctx.conversation.reset()
        return [ctx.say("form_gone")]
    before = FormState.model_validate(draft.state["engine"])
    asked = next((q for q in slot.form.questions if q.id == before.current), None)
    takes_files = asked is not None and asked.kind in (QuestionKind.PHOTO, QuestionKind.FILE)
    if ctx.inbound.kind is InboundKind.UNSUPPORTED:  # a sticker, a voice note, a Zalo document
        return [ctx.say("form_file_unsupported" if takes_files else "text_only")]
    given = await _input(ctx, parsed, store=takes_files)
    if given is None:
        return [ctx.say("form_photo_failed")]
    state, events = engine.step(slot.form, before, given, slot.period)
    submit = next((e for e in events if isinstance(e, Submit)), None)
    if submit is not None:
        return await _submit(ctx, slot, draft, submit.answers)
    info = {**draft.state, "engine": state.model_dump(mode="json")}
    await ctx.repos.drafts.save(ctx.member.id, draft.draft_key, info, ctx.now)
    return render(events, slot.form, ctx.texts)


async def _input(ctx: Context, parsed: Parsed | None, *, store: bool) -> Input | None:
    """Translate the message for the engine, storing a photo or file when the question takes
    one (the engine refuses it otherwise); None when the download failed."""
    if parsed is not None and parsed.command in NAVIGATION:
        return Nav(parsed.command, parsed.argument)
    inbound = ctx.inbound
    if inbound.kind in (InboundKind.PHOTO, InboundKind.DOCUMENT):
        is_photo = inbound.kind is InboundKind.PHOTO
        if not store:
            return Upload(0, is_photo=is_photo)
        if ctx.download is None:
            return None
        attachment = await ctx.repos.attachments.add(
            member_id=ctx.member.id if ctx.member else None,
            channel=inbound.channel,
            file_ref=inbound.photo_ref or inbound.document_ref or "",
            path=ctx.download.path,
            sha256=ctx.download.sha256,
            size=ctx.download.size,
            kind="photo" if is_photo else "file",
            name=inbound.document_name,
            now=ctx.now,
        )
        ctx.download_kept = True
        return Upload(attachment, is_photo=is_photo)
    return Text(inbound.text)


async def _submit(
    ctx: Context, slot: Slot, draft: Draft, answers: dict[str, Any]
) -> list[Outbound]:
    """Store the answers as a new submission or a new version, and confirm with the deadline."""
    assert ctx.member is not None and ctx.unit is not None
    state = _window(ctx, slot)
    due = render_day(slot.form.due_on)
    target = draft.state.get("target")
    what = await _what(ctx, slot, answers, draft.state.get("work"))
    if target is not None:
        await ctx.repos.drafts.delete(draft.id)
        ctx.conversation.reset()
        if state.late > 0:
            return [ctx.say("form_amend_closed", date=due)]
        current = await ctx.repos.submissions.get(int(target))
        if current is not None and current.answers == answers:
            return [ctx.say("form_unchanged")]
        version = await ctx.repos.submissions.amend(
            int(target), answers=answers, member_id=ctx.member.id, now=ctx.now, late_days=0
        )
        status = ctx.texts("form_status_on_time", due=due)
        return [
            ctx.say(
                "form_amended",
                title=slot.form.title,
                unit=ctx.unit.name,
                what=what,
                edits=version - 1,
                status=status,
            )
        ]
    if state.refused:
        ctx.conversation.reset()  # the draft stays: nothing typed is lost
        return [ctx.say("form_closed", title=slot.form.title, date=due)]
    await ctx.repos.submissions.create(
        campaign_code=slot.code,
        form_id=slot.form.id,
        unit_code=ctx.unit.code,
        work_id=draft.state.get("work"),
        answers=answers,
        member_id=ctx.member.id,
        now=ctx.now,
        late_days=state.late,
    )
    await ctx.repos.drafts.delete(draft.id)
    status = (
        ctx.texts("form_status_late", days=state.late, due=due)
        if state.late
        else ctx.texts("form_status_on_time", due=due)
    )
    saved = ctx.say(
        "form_saved", title=slot.form.title, unit=ctx.unit.name, what=what, status=status
    )
    if slot.form.multiple and slot.form.kind is FormKind.REGISTRATION:
        ctx.conversation.start(
            FLOW,
            "more",
            {"campaign": slot.code, "form": slot.form.id, "purpose": draft.state["purpose"]},
        )
        buttons = [
            [Button(label="1. Đăng ký thêm", value="1"), Button(label="2. Kết thúc", value="2")]
        ]
        return lead(saved.text, [ctx.say("form_more", buttons=buttons)])
    ctx.conversation.reset()
    return [saved]


async def _what(ctx: Context, slot: Slot, answers: dict[str, Any], work: int | None) -> str:
    """' "Thắp sáng hẻm 12"': the work a confirmation is about, if there is one."""
    if slot.form.kind is FormKind.REGISTRATION:
        name = catalogue.work_title(answers, slot.form)
    elif work is not None:
        name = await _work_name(ctx, slot, work)
    else:
        name = ""
    return f' "{name}"' if name else ""


async def take_status_pick(ctx: Context, text: str) -> list[Outbound]:
    """After trangthai: open a sent submission to amend it (before its deadline)."""
    choices: list[int] = ctx.conversation.data.get("choices", [])
    index = _choice(text, len(choices))
    if index is None:
        return [ctx.say("form_pick_number", count=len(choices))]
    sent = await ctx.repos.submissions.get(int(choices[index]))
    slot = (
        await catalogue.find(
            ctx.repos, sent.campaign_code, sent.form_id, revisions=ctx.campaign_revisions
        )
        if sent
        else None
    )
    if sent is None or slot is None:
        ctx.conversation.reset()
        return [ctx.say("form_gone")]
    if _window(ctx, slot).late > 0:
        ctx.conversation.reset()
        return [ctx.say("form_amend_closed", date=render_day(slot.form.due_on))]
    purpose = "dangky" if slot.form.kind is FormKind.REGISTRATION else "baocao"
    return await _begin(ctx, slot, purpose, work=sent.work_id, target=sent)


def cancel_word(ctx: Context) -> str:
    """The command that resumes the paused form (for huy's reply)."""
    return "baocao" if ctx.conversation.data.get("purpose") == "baocao" else "dangky"
