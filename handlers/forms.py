"""dangky / baocao and the conversation that fills a form, one question at a time.

dangky|baocao ─► pick_form (if several) ─► pick_work (update forms) ─► draft? (continue /
start again) ─► answer (the engine: questions … summary) ─gui─► saved ─► more? (multiple)
trangthai ─► status_pick ─► answer (an amendment starts at the summary)
"""

from __future__ import annotations

from typing import Any

from bot.campaigns.model import FormKind
from bot.context import Context, numbered
from bot.forms import catalogue, engine
from bot.forms import submission_rules as rules
from bot.forms.catalogue import Slot
from bot.forms.engine import FormState, Input, Nav, Submit, Text, Upload
from bot.forms.flow import (
    FLOW,
    MENUS,
    Answering,
    DraftInfo,
    DraftOffer,
    More,
    PickForm,
    PickWork,
    Purpose,
    StatusPick,
    Step,
    read_step,
)
from bot.forms.kinds import kind_of
from bot.forms.render import lead, render, sent_view
from bot.messages import Button, InboundKind, Outbound
from bot.parsers import parse_menu, parse_position, parse_yesno, render_day
from bot.words import NAVIGATION, Command, Parsed, parse_command
from handlers import invite
from storage.models import Draft, Submission

__all__ = [
    "FLOW",
    "ask_again",
    "offer_status_pick",
    "on_input",
    "paused_form_word",
    "start_registration",
    "start_report",
    "takes_words",
]


def _enter(ctx: Context, step: Step) -> None:
    """Move the conversation to `step` with its typed data."""
    ctx.conversation.start(FLOW, step.step, step.data())


def _draft_info(draft: Draft) -> DraftInfo:
    return DraftInfo.model_validate(draft.state)


async def start_registration(ctx: Context) -> list[Outbound]:
    """dangky: register a work (choose the form first when several are open)."""
    return await _choose(ctx, Command.DANGKY)


async def start_report(ctx: Context) -> list[Outbound]:
    """baocao: send a period report or a progress update."""
    return await _choose(ctx, Command.BAOCAO)


async def _choose(ctx: Context, menu: Command) -> list[Outbound]:
    assert ctx.unit is not None
    campaigns = await catalogue.load_all(ctx.repos, ctx.campaign_revisions)
    today = ctx.local(ctx.now).date()
    current = [
        slot
        for slot in catalogue.slots_for(campaigns, ctx.unit, MENUS[menu])
        if slot.campaign.campaign.ends_on >= today
    ]
    zone = ctx.settings.schedule.zone()
    slots = [
        slot for slot in current if rules.opening(slot, ctx.now, zone) is not rules.Opening.NOT_OPEN
    ]
    if not slots:
        ctx.conversation.reset()
        if current:  # nothing open yet: say when the first one opens
            upcoming = min(current, key=lambda slot: slot.opens_on)
            return [
                ctx.say(
                    "form_not_open", title=upcoming.form.title, date=render_day(upcoming.opens_on)
                )
            ]
        return [ctx.say(f"form_none_{menu.value}", unit=ctx.unit.name)]
    if len(slots) == 1:
        return await _open(ctx, slots[0])
    choices = [(s.code, s.form.id) for s in slots]
    _enter(ctx, PickForm(menu=menu, choices=choices, labels=[s.form.title for s in slots]))
    return [_pick_form_prompt(ctx, slots)]


def _pick_form_prompt(ctx: Context, slots: list[Slot]) -> Outbound:
    labels = [
        ctx.texts("form_pick_line", title=s.form.title, due=render_day(s.form.due_on))
        for s in slots
    ]
    lines, buttons = numbered(ctx.texts, labels)
    return ctx.say("form_pick", buttons=[*buttons, ctx.cancel_row], lines=lines)


async def _open(ctx: Context, slot: Slot) -> list[Outbound]:
    """Check the form's window and what the unit already sent, then begin or explain."""
    assert ctx.unit is not None
    opening = rules.opening(slot, ctx.now, ctx.settings.schedule.zone())
    if opening is rules.Opening.NOT_OPEN:
        ctx.conversation.reset()
        return [ctx.say("form_not_open", title=slot.form.title, date=render_day(slot.opens_on))]
    if opening is rules.Opening.CLOSED:
        ctx.conversation.reset()
        return [ctx.say("form_closed", title=slot.form.title, date=render_day(slot.form.due_on))]
    if slot.form.kind is FormKind.UPDATE:
        return await _pick_work(ctx, slot)
    sent = await ctx.repos.submissions.for_unit(ctx.unit.code, slot.code, slot.form.id)
    previous = rules.already_sent(slot.form, sent)
    if previous is not None:
        return _already_sent(ctx, slot, previous)
    return await _begin(ctx, slot, Purpose.of(slot.form.kind))


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


async def _pick_work(ctx: Context, slot: Slot) -> list[Outbound]:
    assert ctx.unit is not None and slot.form.about is not None
    works = await ctx.repos.submissions.for_unit(ctx.unit.code, slot.code, slot.form.about)
    if not works:
        ctx.conversation.reset()
        return [ctx.say("form_no_works", unit=ctx.unit.name)]
    registration = slot.campaign.form(slot.form.about)
    labels = [catalogue.work_title(w.answers, registration) or f"#{w.id}" for w in works]
    choices = [w.id for w in works]
    _enter(ctx, PickWork(campaign=slot.code, form=slot.form.id, choices=choices, labels=labels))
    lines, buttons = numbered(ctx.texts, labels)
    return [ctx.say("form_pick_work", buttons=[*buttons, ctx.cancel_row], lines=lines)]


async def _begin(
    ctx: Context,
    slot: Slot,
    purpose: Purpose,
    *,
    work: int | None = None,
    target: Submission | None = None,
) -> list[Outbound]:
    """Offer a kept draft, or start (an amendment starts at the summary of what was sent)."""
    assert ctx.member is not None
    key = catalogue.draft_key(slot, work=work, target=target.id if target else None)
    kept = await ctx.repos.drafts.get(ctx.member.id, key)
    if kept is not None and _draft_info(kept).engine.answered() > 0:
        _enter(ctx, DraftOffer(draft=kept.id))
        buttons = [
            [
                Button(label=ctx.texts("button_continue"), value="1"),
                Button(label=ctx.texts("button_restart"), value="2"),
            ]
        ]
        answered = _draft_info(kept).engine.answered()
        return [
            ctx.say("form_draft_offer", buttons=buttons, title=slot.form.title, answered=answered)
        ]
    initial = FormState(answers=dict(target.answers)) if target else FormState()
    state, events = engine.start(slot.form, initial)
    info = DraftInfo(
        campaign=slot.code,
        form=slot.form.id,
        purpose=purpose,
        work=work,
        target=target.id if target else None,
        engine=state,
    )
    draft_id = await ctx.repos.drafts.save(ctx.member.id, key, info.stored(), ctx.now)
    _enter(ctx, Answering(draft=draft_id, purpose=purpose))
    intro = await _intro(ctx, slot, work)
    return lead(intro.text, render(events, slot.form, ctx.texts))


async def _intro(ctx: Context, slot: Slot, work: int | None) -> Outbound:
    """The form's title, the unit and the deadline — and, once it has passed, that this is late."""
    assert ctx.unit is not None
    due = render_day(slot.form.due_on)
    if work is not None:
        name = await _work_name(ctx, slot, work)
        intro = ctx.say(
            "form_intro_work", title=slot.form.title, work=name, unit=ctx.unit.name, due=due
        )
    else:
        intro = ctx.say("form_intro", title=slot.form.title, unit=ctx.unit.name, due=due)
    late = rules.late_days(slot, ctx.now, ctx.settings.schedule.zone())
    if late:
        late_line = ctx.texts("form_intro_late", due=due, days=late)
        return intro.model_copy(update={"text": f"{intro.text}\n{late_line}"})
    return intro


async def on_input(ctx: Context, parsed: Parsed | None) -> list[Outbound]:
    """Take the next message of a form conversation, whatever step it is at."""
    step = read_step(ctx.conversation.step, ctx.conversation.data)
    if step is None:  # a step this version does not know, or data it cannot read
        ctx.conversation.reset()
        return [ctx.say("unknown")]
    if isinstance(step, Answering):
        return await _answer(ctx, step, parsed)
    if parsed is not None and parsed.command in NAVIGATION:
        count = len(step.choices) if isinstance(step, PickForm | PickWork | StatusPick) else 2
        return [ctx.say("form_pick_number", count=count)]
    text = ctx.inbound.text.strip()
    if isinstance(step, PickForm):
        return await _take_form(ctx, step, text)
    if isinstance(step, PickWork):
        return await _take_work(ctx, step, text)
    if isinstance(step, DraftOffer):
        return await _take_draft_choice(ctx, step, text)
    if isinstance(step, More):
        return await _take_more(ctx, step, text)
    assert isinstance(step, StatusPick)
    return await _take_status_pick(ctx, step, text)


async def _draft(ctx: Context, draft_id: int) -> Draft | None:
    """The draft the conversation points at (usually loaded with the session already)."""
    if ctx.draft is not None and ctx.draft.id == draft_id:
        return ctx.draft
    return await ctx.repos.drafts.by_id(draft_id)


async def _slot(ctx: Context, code: str, form_id: str) -> Slot | None:
    return await catalogue.find(ctx.repos, code, form_id, revisions=ctx.campaign_revisions)


def _gone(ctx: Context) -> list[Outbound]:
    ctx.conversation.reset()
    return [ctx.say("form_gone")]


async def _take_form(ctx: Context, step: PickForm, text: str) -> list[Outbound]:
    index = (
        parse_menu(text, step.labels) if step.labels else parse_position(text, len(step.choices))
    )
    if index is None:
        return [ctx.say("form_pick_number", count=len(step.choices))]
    slot = await _slot(ctx, *step.choices[index])
    return _gone(ctx) if slot is None else await _open(ctx, slot)


async def _take_work(ctx: Context, step: PickWork, text: str) -> list[Outbound]:
    index = (
        parse_menu(text, step.labels) if step.labels else parse_position(text, len(step.choices))
    )
    if index is None:
        return [ctx.say("form_pick_number", count=len(step.choices))]
    slot = await _slot(ctx, step.campaign, step.form)
    if slot is None:
        return _gone(ctx)
    assert ctx.unit is not None
    work = step.choices[index]
    sent = await ctx.repos.submissions.for_unit(ctx.unit.code, slot.code, slot.form.id)
    previous = rules.already_sent(slot.form, sent, work)
    if previous is not None:
        return _already_sent(ctx, slot, previous)
    return await _begin(ctx, slot, Purpose.UPDATE, work=work)


async def _take_draft_choice(ctx: Context, step: DraftOffer, text: str) -> list[Outbound]:
    assert ctx.member is not None
    index = parse_menu(text, [ctx.texts("menu_continue"), ctx.texts("menu_restart")])
    draft = await _draft(ctx, step.draft)
    if draft is None:
        return _gone(ctx)
    if index is None:
        return [ctx.say("form_draft_choice")]
    info = _draft_info(draft)
    slot = await _slot(ctx, info.campaign, info.form)
    if slot is None:
        return _gone(ctx)
    if index == 1:  # start again
        await ctx.repos.drafts.delete(draft.id)
        # An amendment starts again from what was sent, never as a new submission.
        target = await ctx.repos.submissions.get(info.target) if info.target else None
        if info.target and target is None:
            return _gone(ctx)
        return await _begin(ctx, slot, info.purpose, work=info.work, target=target)
    _enter(ctx, Answering(draft=draft.id, purpose=info.purpose))
    # The campaign may have been reloaded since: answers that no longer fit are asked again.
    state, events = engine.reopen(slot.form, info.engine)
    info.engine = state
    await ctx.repos.drafts.save(ctx.member.id, draft.draft_key, info.stored(), ctx.now)
    intro = await _intro(ctx, slot, info.work)
    return lead(intro.text, render(events, slot.form, ctx.texts))


async def _take_more(ctx: Context, step: More, text: str) -> list[Outbound]:
    # "Đăng ký thêm?" is a yes/no question too: "có" registers another, "thôi", "không" stop.
    yes = parse_yesno(text)
    index = parse_menu(text, [ctx.texts("menu_more"), ctx.texts("menu_finish")])
    if index is None and yes is not None:
        index = 0 if yes else 1
    if index is None:
        return [ctx.say("form_more_choice")]
    if index == 1:
        ctx.conversation.reset()
        return [ctx.say("form_finished")]
    slot = await _slot(ctx, step.campaign, step.form)
    return _gone(ctx) if slot is None else await _open(ctx, slot)


async def _answer(ctx: Context, step: Answering, parsed: Parsed | None) -> list[Outbound]:
    assert ctx.member is not None
    draft = await _draft(ctx, step.draft)
    info = _draft_info(draft) if draft else None
    slot = await _slot(ctx, info.campaign, info.form) if info else None
    if draft is None or info is None or slot is None:
        return _gone(ctx)
    before = info.engine
    asked = next((q for q in slot.form.questions if q.id == before.current), None)
    takes_files = asked is not None and kind_of(asked).takes_files
    if ctx.inbound.kind is InboundKind.UNSUPPORTED:  # a sticker, a voice note, a Zalo document
        return [ctx.say("form_file_unsupported" if takes_files else "text_only")]
    given: Input | None
    if step.pending is not None:
        resolved = await _resolve_pending(ctx, step)
        if isinstance(resolved, list):
            return resolved
        given = resolved
    elif parsed is not None and parsed.ambiguous and asked is not None and kind_of(asked).free_text:
        return _confirm_word(ctx, step, parsed)  # the router sends these only to a free-text one
    else:
        given = await _input(ctx, parsed, store=takes_files)
    if given is None:
        return [ctx.say("form_photo_failed")]
    state, events = engine.step(slot.form, before, given, slot.period)
    submit = next((e for e in events if isinstance(e, Submit)), None)
    if submit is not None:
        return await _submit(ctx, slot, draft, info, submit.answers)
    info.engine = state
    await ctx.repos.drafts.save(ctx.member.id, draft.draft_key, info.stored(), ctx.now)
    return render(events, slot.form, ctx.texts)


def _confirm_word(ctx: Context, step: Answering, parsed: Parsed) -> list[Outbound]:
    """A bare "Huy", "xong", "mới", "sửa" at a free-text question: ask which was meant."""
    word = ctx.inbound.text.strip()
    step.pending, step.pending_command = word, parsed.command
    _enter(ctx, step)
    action = ctx.texts(f"word_action_{parsed.command.value}")
    buttons = [
        [Button(label=f"1. {action[:1].upper()}{action[1:]}", value="1")],
        [Button(label=ctx.texts("word_as_answer", word=word), value="2")],
    ]
    return [ctx.say("form_word_or_answer", buttons=buttons, word=word, action=action)]


async def _resolve_pending(ctx: Context, step: Answering) -> Input | list[Outbound]:
    """After "which did you mean?": 1 runs the command, 2 keeps the word as the answer, and
    anything else is taken as a fresh message."""
    word, command = step.pending or "", step.pending_command
    step.pending, step.pending_command = None, None
    _enter(ctx, step)
    choice = parse_position(ctx.inbound.text, 2)
    if choice == 1:
        return Text(word)
    if choice is None or command is None:
        parsed = parse_command(ctx.inbound.text) if ctx.inbound.kind is InboundKind.TEXT else None
        given = await _input(ctx, parsed, store=False)
        return given if given is not None else [ctx.say("form_photo_failed")]
    if command is Command.HUY:
        ctx.conversation.reset()
        return [ctx.say("form_cancelled", command=step.purpose.resume_word.value)]
    if command is Command.MOI:
        return await invite.start(ctx)
    return Nav(command)


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
    ctx: Context, slot: Slot, draft: Draft, info: DraftInfo, answers: dict[str, Any]
) -> list[Outbound]:
    """Store the answers as a new submission or a new version, and confirm with the deadline."""
    assert ctx.member is not None and ctx.unit is not None
    zone = ctx.settings.schedule.zone()
    due = render_day(slot.form.due_on)
    what = await _what(ctx, slot, answers, info.work)
    if info.target is not None:
        await ctx.repos.drafts.delete(draft.id)
        ctx.conversation.reset()
        if not rules.may_amend(slot, ctx.now, zone):
            return [ctx.say("form_amend_closed", date=due)]
        current = await ctx.repos.submissions.get(info.target)
        if current is not None and current.answers == answers:
            return [ctx.say("form_unchanged")]
        version = await ctx.repos.submissions.amend(
            info.target, answers=answers, member_id=ctx.member.id, now=ctx.now, late_days=0
        )
        status = ctx.texts("form_status_on_time", due=due)
        done = ctx.texts(
            "form_amended", what=what, unit=ctx.unit.name, edits=version - 1, status=status
        )
        return [Outbound(text=f"{done} {ctx.texts('form_next', due=due)}")]
    if rules.opening(slot, ctx.now, zone) is rules.Opening.CLOSED:
        ctx.conversation.reset()  # the draft stays: nothing typed is lost
        return [ctx.say("form_closed", title=slot.form.title, date=due)]
    late = rules.late_days(slot, ctx.now, zone)
    await ctx.repos.submissions.create(
        campaign_code=slot.code,
        form_id=slot.form.id,
        unit_code=ctx.unit.code,
        work_id=info.work,
        answers=answers,
        member_id=ctx.member.id,
        now=ctx.now,
        late_days=late,
    )
    await ctx.repos.drafts.delete(draft.id)
    status = (
        ctx.texts("form_status_late", days=late, due=due)
        if late
        else ctx.texts("form_status_on_time", due=due)
    )
    key = {FormKind.REGISTRATION: "form_saved_work", FormKind.UPDATE: "form_saved_update"}
    done = ctx.texts(
        key.get(slot.form.kind, "form_saved"), what=what, unit=ctx.unit.name, status=status
    )
    after = "form_next" if not late else "form_next_late"
    saved = Outbound(text=f"{done} {ctx.texts(after, due=due)}")
    if slot.form.multiple and slot.form.kind is FormKind.REGISTRATION:
        _enter(ctx, More(campaign=slot.code, form=slot.form.id))
        buttons = [
            [
                Button(label=ctx.texts("button_more"), value="1"),
                Button(label=ctx.texts("button_finish"), value="2"),
            ]
        ]
        return lead(saved.text, [ctx.say("form_more", buttons=buttons)])
    ctx.conversation.reset()
    return [saved]


async def _what(ctx: Context, slot: Slot, answers: dict[str, Any], work: int | None) -> str:
    """What a confirmation is about: the work by its name ("“Thắp sáng hẻm 12”"), else the
    form's title as a phrase inside a sentence ("báo cáo tổng kết đợt thi đua")."""
    if slot.form.kind is FormKind.REGISTRATION:
        name = catalogue.work_title(answers, slot.form)
    elif work is not None:
        name = await _work_name(ctx, slot, work)
    else:
        name = ""
    if name:
        return ctx.texts("quoted", text=name)
    title = slot.form.title
    return title[:1].lower() + title[1:]


def offer_status_pick(ctx: Context, choices: list[int]) -> None:
    """After trangthai lists what was sent: the next number opens one of them."""
    _enter(ctx, StatusPick(choices=choices))


async def _take_status_pick(ctx: Context, step: StatusPick, text: str) -> list[Outbound]:
    """After trangthai: open a sent submission to amend it (before its deadline)."""
    index = parse_position(text, len(step.choices))
    if index is None:
        return [ctx.say("form_pick_number", count=len(step.choices))]
    sent = await ctx.repos.submissions.get(step.choices[index])
    slot = await _slot(ctx, sent.campaign_code, sent.form_id) if sent else None
    if sent is None or slot is None:
        return _gone(ctx)
    if not rules.may_amend(slot, ctx.now, ctx.settings.schedule.zone()):
        # Past the deadline nothing changes, but what was sent can always be read.
        ctx.conversation.reset()
        when = render_day(ctx.local(sent.last_submitted_at).date())
        lines = [
            ctx.texts("form_sent_head", title=slot.form.title, date=when),
            *sent_view(slot.form, sent.answers, ctx.texts),
            ctx.texts("form_amend_closed", date=render_day(slot.form.due_on)),
        ]
        return [Outbound(text="\n".join(lines))]
    return await _begin(ctx, slot, Purpose.AMEND, work=sent.work_id, target=sent)


async def takes_words(ctx: Context) -> bool:
    """True when the open question is a free-text one (and no word waits for confirmation)."""
    step = read_step(ctx.conversation.step, ctx.conversation.data)
    if not isinstance(step, Answering) or step.pending is not None:
        return False
    draft = await _draft(ctx, step.draft)
    info = _draft_info(draft) if draft else None
    slot = await _slot(ctx, info.campaign, info.form) if info else None
    if info is None or slot is None or info.engine.current is None:
        return False
    asked = next((q for q in slot.form.questions if q.id == info.engine.current), None)
    return asked is not None and kind_of(asked).free_text


async def ask_again(ctx: Context) -> list[Outbound]:
    """After an interruption (trogiup, trangthai…): say again what the form is waiting for."""
    step = read_step(ctx.conversation.step, ctx.conversation.data)
    if isinstance(step, Answering):
        draft = await _draft(ctx, step.draft)
        info = _draft_info(draft) if draft else None
        slot = await _slot(ctx, info.campaign, info.form) if info else None
        if info is None or slot is None:
            return _gone(ctx)
        return render(engine.resume(slot.form, info.engine), slot.form, ctx.texts)
    if isinstance(step, PickForm | PickWork | StatusPick):
        return [ctx.say("form_pick_number", count=len(step.choices))]
    if isinstance(step, DraftOffer):
        return [ctx.say("form_draft_choice")]
    if isinstance(step, More):
        return [ctx.say("form_more_choice")]
    return []


def paused_form_word(ctx: Context) -> Command | None:
    """The command that comes back to the form being answered (None when none is)."""
    step = read_step(ctx.conversation.step, ctx.conversation.data)
    if ctx.conversation.flow != FLOW or not isinstance(step, Answering):
        return None
    return step.purpose.resume_word
