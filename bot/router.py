"""The one entry for every inbound message: dedupe, per-chat lock, role check, handler, reply."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING

from bot import metrics, roles
from bot.chat_queues import ChatQueues
from bot.clock import Clock
from bot.config import Settings
from bot.context import BotLinks, Context, Later, Services
from bot.delivery import Outcome, ReplyLanes, send_once
from bot.errors import ChannelError
from bot.files import Downloaded, files_dir, save_bytes
from bot.logs import logfmt
from bot.messages import Inbound, InboundKind, Outbound
from bot.texts import VI, Texts
from bot.transport import Fetcher, Sender, Senders
from bot.words import NAVIGATION, Command, Parsed, parse_command
from handlers import broadcast, cancel, digest, enrol, export, forms, help, invite, status
from storage.db import Database

if TYPE_CHECKING:
    from bot.web.downloads import Downloads

log = logging.getLogger("thidua.router")

Handler = Callable[[Context], Awaitable[list[Outbound]]]
FlowHandler = Callable[[Context, Parsed | None], Awaitable[list[Outbound]]]


@dataclass(frozen=True)
class Flow:
    """A conversation over several messages: its next input, and asking its question again."""

    on_input: FlowHandler
    ask_again: Handler
    # Whether the open question takes any words, so that a bare "Huy" may be an answer to it.
    takes_words: Callable[[Context], Awaitable[bool]] | None = None


# Commands that start something, by command word. Commands allowed by role but missing here
# belong to later work and get a plain "being prepared" sentence, never silence.
COMMANDS: dict[Command, tuple[str, Handler]] = {
    Command.TROGIUP: ("help", help.show_help),
    Command.START: ("greet", enrol.greet),
    Command.HUY: ("cancel", cancel.cancel),
    Command.MOI: ("invite", invite.start),
    Command.DANGKY: ("register", forms.start_registration),
    Command.BAOCAO: ("report", forms.start_report),
    Command.TRANGTHAI: ("status", status.show_status),
    Command.TONGHOP: ("digest", digest.show_digest),
    Command.XUAT: ("export", export.start),
    Command.THONGBAO: ("broadcast", broadcast.start),
}

READY = frozenset(COMMANDS)

# Conversations that span several messages, by the flow name stored in the conversation row.
FLOWS: dict[str, Flow] = {
    invite.FLOW: Flow(invite.on_input, invite.ask_again),
    forms.FLOW: Flow(forms.on_input, forms.ask_again, forms.takes_words),
    export.FLOW: Flow(export.on_input, export.ask_again),
    broadcast.FLOW: Flow(broadcast.on_input, broadcast.ask_again),
}
# Commands that only show something: answered in the middle of a conversation, after which the
# conversation's open question is asked again, so the next message is not taken by surprise.
INTERRUPTIONS = frozenset({Command.TROGIUP, Command.TRANGTHAI, Command.START, Command.TONGHOP})
# Commands whose long read runs before the transaction, on a worker thread (Database.snapshot):
# inside it the read would hold the database lock, and every other chat would wait for it.
# What it returns reaches the handler as `ctx.prefetched`.
Prefetch = Callable[[Database, Settings, Inbound, datetime], Awaitable[object]]
PREFETCH: dict[Command, Prefetch] = {Command.TONGHOP: digest.prefetch}
# Flows that take photos and files (a form's photo question, an announcement's photo);
# elsewhere they get "please type".
TAKES_FILES = frozenset({forms.FLOW, broadcast.FLOW})


@dataclass(frozen=True)
class Handled:
    """What handling one inbound produced."""

    replies: list[Outbound]
    handler: str
    duplicate: bool = False
    # Work for after the transaction (Context.later); its replies follow these.
    later: tuple[Later, ...] = field(default=(), compare=False)


class Router:
    """Turns inbound messages into replies, one chat at a time, many chats at once."""

    def __init__(
        self,
        db: Database,
        settings: Settings,
        clock: Clock,
        *,
        texts: Texts = VI,
        links: BotLinks | None = None,
        senders: Senders | None = None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.texts = texts
        self.links = links or BotLinks()
        # Where replies go, by channel: the runtime's registry, shared with the outbox.
        self.senders = senders if senders is not None else Senders()
        # One queue per chat: its messages in order, other chats never behind it.
        self._queues: ChatQueues[Inbound, Handled] = ChatQueues(
            self._process, on_overflow=self._overflow, on_idle=self._flood_over
        )
        # Replies waiting out a rate limit, per chat, off the chat's worker (bot/delivery.py).
        self._lanes = ReplyLanes()
        # Called after each inbound is handled and its replies sent (tests, benchmarks).
        self.observers: list[Callable[[Inbound, Handled], None]] = []
        # Where exports wait for their download link (the web app serves them); None: no links.
        self.downloads: Downloads | None = None

    @property
    def channels(self) -> Senders:
        """The senders replies go through, by channel (the same registry as `senders`)."""
        return self.senders

    def register(self, channel: str, sender: Sender) -> None:
        """Say where replies for `channel` go (in the shared registry)."""
        self.senders.register(channel, sender)

    def submit(self, inbound: Inbound) -> None:
        """Queue one inbound behind the others of its chat and return at once (for adapters)."""
        future = self._queues.submit((inbound.channel, inbound.chat_id), inbound)
        # _process never raises; a cancelled future at shutdown needs no one to look at it.
        future.add_done_callback(lambda done: done.cancelled() or done.exception())

    async def dispatch(self, inbound: Inbound) -> Handled:
        """Handle one inbound message in its chat's turn and return what it produced."""
        return await self._queues.submit((inbound.channel, inbound.chat_id), inbound)

    async def _process(self, inbound: Inbound) -> Handled:
        """Handle one inbound and send its replies (a reply told to wait goes to its lane)."""
        started = time.perf_counter()
        handled = Handled([], "failed")
        try:
            if inbound.group:
                handled = await self._group(inbound)
            else:
                download = await self._download(inbound)
                prefetched = await self._prefetch(inbound)
                handled = await self.handle(inbound, download, prefetched)
            if handled.later:
                # "Preparing the file…" goes now; the observers hear once, at the very end.
                await self._reply(inbound, handled, notify=False)
                later = await self._run_later(inbound, handled.later)
                await self._reply(inbound, replace(handled, replies=later, later=()))
                handled = Handled([*handled.replies, *later], handled.handler)
            else:
                await self._reply(inbound, handled)
            return handled
        finally:
            seconds = time.perf_counter() - started
            elapsed = seconds * 1000
            metrics.UPDATES.labels(inbound.channel, handled.handler).inc()
            metrics.UPDATE_SECONDS.labels(handled.handler).observe(seconds)
            log.info(
                logfmt(
                    "update",
                    channel=inbound.channel,
                    kind=inbound.kind.value,
                    handler=handled.handler,
                    ms=f"{elapsed:.1f}",
                )
            )

    async def _run_later(self, inbound: Inbound, jobs: tuple[Later, ...]) -> list[Outbound]:
        """Run a handler's after-transaction work in order; a failure is a sentence, not silence."""
        services = Services(self.db, self.settings, self.clock, self.texts, self.downloads)
        replies: list[Outbound] = []
        for job in jobs:
            try:
                replies.extend(await job(services))
            except Exception:
                log.exception(logfmt("later_failed", channel=inbound.channel))
                replies.append(Outbound(text=self.texts("internal_problem")))
        return replies

    async def _reply(self, inbound: Inbound, handled: Handled, *, notify: bool = True) -> None:
        """Send the replies in order, then tell the observers.

        Each reply is tried once from here; one the platform makes wait (429, a hiccup) moves,
        with the rest, to the chat's reply lane, and this worker goes on with the chat's next
        message: a retry never holds the chat. While a lane is busy, new replies join it.
        """
        key = (inbound.channel, inbound.chat_id)
        sender = self.senders.get(inbound.channel)

        async def finished(unreachable: bool) -> None:
            if unreachable:
                await self._unreachable(inbound)
            if not notify:
                return
            for observer in self.observers:
                observer(inbound, handled)

        replies = handled.replies
        if sender is None:
            await finished(False)
            return
        if self._lanes.busy(key):
            self._lanes.add(key, sender, inbound.channel, inbound.chat_id, replies, finished)
            return
        for index, reply in enumerate(replies):
            result = await send_once(sender, inbound.chat_id, reply)
            if result.outcome is Outcome.RETRY:
                self._lanes.add(
                    key,
                    sender,
                    inbound.channel,
                    inbound.chat_id,
                    replies[index:],
                    finished,
                    wait=result.wait,
                    attempt=2,
                )
                return
            if result.outcome is Outcome.UNREACHABLE:
                await finished(True)  # the rest would be refused the same way
                return
            if result.outcome is Outcome.REFUSED:
                log.warning(logfmt("send_refused", channel=inbound.channel, error=result.error))
        await finished(False)

    async def _unreachable(self, inbound: Inbound) -> None:
        """The person blocked the bot (or the chat is gone): the outbox stops trying them."""
        log.warning(logfmt("unreachable", channel=inbound.channel))
        if inbound.group:
            return  # a group is nobody's membership
        try:
            async with self.db.transaction() as repos:
                await repos.members.set_reachable_by_user(inbound.channel, inbound.user_id, False)
        except Exception:
            log.exception(logfmt("unreachable_not_recorded", channel=inbound.channel))

    async def _overflow(self, key: Hashable, inbound: Inbound, first: bool) -> Handled:
        """A chat sent more than its queue holds: drop this one, say so once per flood."""
        metrics.DROPPED.labels(inbound.channel).inc()
        handled = Handled([Outbound(text=self.texts("flood"))] if first else [], "flood")
        if first:
            log.warning(logfmt("flood", channel=inbound.channel))
        await self._reply(inbound, handled)
        return handled

    def _flood_over(self, key: Hashable, dropped: int) -> None:
        channel = str(key[0]) if isinstance(key, tuple) else ""
        log.warning(logfmt("flood_over", channel=channel, dropped=dropped))

    async def _group(self, inbound: Inbound) -> Handled:
        """A group chat: point to a private chat; bind nothing, continue no one's conversation."""
        if inbound.key is not None:
            async with self.db.transaction() as repos:
                if not await repos.inbox.record(inbound.key, self.clock.now()):
                    return Handled([], "duplicate", duplicate=True)
        return Handled([Outbound(text=self.texts("group_only"))], "group")

    async def drain(self) -> None:
        """Wait until every chat's queue is empty and its replies went (for a clean shutdown)."""
        await self._queues.join()
        # Lanes only grow from the queues' workers, so once those are done they only shrink.
        await self._lanes.join()

    async def _download(self, inbound: Inbound) -> Downloaded | None:
        """Fetch a photo or file before the transaction, when a form is waiting for one.

        Network I/O stays outside the database lock; Zalo's photo links may expire, so the
        copy is taken now.
        """
        if inbound.kind not in (InboundKind.PHOTO, InboundKind.DOCUMENT):
            return None
        sender = self.senders.get(inbound.channel)
        if not isinstance(sender, Fetcher):
            return None
        async with self.db.read() as repos:
            conversation = await repos.conversations.get(inbound.channel, inbound.chat_id)
        if conversation.flow not in TAKES_FILES:
            return None
        try:
            fetched = await sender.fetch(inbound)
        except ChannelError as exc:
            log.warning(
                logfmt("download_failed", channel=inbound.channel, error=type(exc).__name__)
            )
            return None
        if fetched is None:
            return None
        data, suffix = fetched
        return save_bytes(files_dir(self.settings), data, suffix)

    async def _prefetch(self, inbound: Inbound) -> object:
        """Run a command's long read before its transaction (PREFETCH); None when it has none."""
        parsed = parse_command(inbound.text) if inbound.kind is InboundKind.TEXT else None
        prefetch = PREFETCH.get(parsed.command) if parsed is not None else None
        if prefetch is None:
            return None
        try:
            return await prefetch(self.db, self.settings, inbound, self.clock.now())
        except Exception:
            # The handler says "try again" in words; the message itself is still handled.
            log.exception(logfmt("prefetch_failed", channel=inbound.channel))
            return None

    async def handle(
        self, inbound: Inbound, download: Downloaded | None = None, prefetched: object = None
    ) -> Handled:
        """Decide and store the effects of one inbound in one transaction; return the replies."""
        now = self.clock.now()
        kept = False
        try:
            async with self.db.transaction() as repos:
                where = (inbound.channel, inbound.user_id, inbound.chat_id)
                if inbound.key is None:
                    session = await repos.sessions.load(*where)
                else:
                    # The inbox row and the session come back from one statement.
                    found = await repos.sessions.record_and_load(inbound.key, now, *where)
                    if found is None:
                        return Handled([], "duplicate", duplicate=True)
                    session = found
                if session.member is not None and not session.member.reachable:
                    # They wrote, so they can be reached again: the outbox may try them anew.
                    await repos.members.set_reachable(session.member.id, True)
                    member = session.member.model_copy(update={"reachable": True})
                    session = replace(session, member=member)
                conversation = session.conversation
                before = conversation.model_dump_json()
                ctx = Context(
                    inbound=inbound,
                    repos=repos,
                    conversation=conversation,
                    member=session.member,
                    unit=session.unit,
                    now=now,
                    texts=self.texts,
                    settings=self.settings,
                    links=self.links,
                    download=download,
                    draft=session.draft,
                    campaign_revisions=session.campaign_revisions,
                    commands=READY,
                    prefetched=prefetched,
                    downloads=self.downloads,
                )
                name, replies = await self._route(ctx)
                kept = ctx.download_kept
                later = tuple(ctx.later)
                if ctx.conversation.model_dump_json() != before:
                    await repos.conversations.save(
                        inbound.channel, inbound.chat_id, ctx.conversation, now
                    )
                return Handled(replies, name, later=later)
        except Exception:
            kept = False
            # No person sees a traceback; the transaction rolled back, so nothing half-done stays.
            log.exception(
                logfmt("handler_failed", channel=inbound.channel, kind=inbound.kind.value)
            )
            return Handled([Outbound(text=self.texts("internal_problem"))], "failed")
        finally:
            if download is not None and not kept:
                (files_dir(self.settings) / download.path).unlink(missing_ok=True)

    async def _route(self, ctx: Context) -> tuple[str, list[Outbound]]:
        inbound = ctx.inbound
        flow = ctx.conversation.flow
        if inbound.kind is InboundKind.UNSUPPORTED and (
            ctx.member is None or flow not in TAKES_FILES
        ):
            return "unsupported", [ctx.say("text_only")]
        parsed = parse_command(inbound.text) if inbound.kind is InboundKind.TEXT else None
        if ctx.member is None:
            return "enrol", await enrol.unenrolled(ctx, parsed)
        if parsed is None:
            if inbound.kind is not InboundKind.TEXT and flow not in TAKES_FILES:
                return "unsupported", [ctx.say("text_only")]
            if flow in FLOWS:
                return flow, await FLOWS[flow].on_input(ctx, None)
            return "unknown", [ctx.say("unknown")]
        command = parsed.command
        if command is Command.START and parsed.argument:
            return "enrol", await enrol.redeem(ctx, parsed.argument)
        if flow in FLOWS and parsed.ambiguous and await self._takes_words(ctx, flow):
            # A bare "Huy" at a free-text question: a command this person has is confirmed by
            # the flow; a command they do not have ("Mới" from a representative) is an answer.
            allowed = roles.allowed(command, ctx.member.role)
            return flow, await FLOWS[flow].on_input(ctx, parsed if allowed else None)
        if not roles.allowed(command, ctx.member.role):
            return "refused", await self._then_ask_again(ctx, [self._refusal(ctx, command)])
        if flow in FLOWS and command in NAVIGATION:
            return flow, await FLOWS[flow].on_input(ctx, parsed)
        if command in NAVIGATION:
            return "nothing_waiting", [ctx.say("nothing_waiting")]
        if command not in COMMANDS:
            return "not_ready", await self._then_ask_again(ctx, [help.not_ready(ctx)])
        name, handler = COMMANDS[command]
        if flow in FLOWS and command in INTERRUPTIONS:
            return name, await self._interrupt(ctx, handler)
        return name, await handler(ctx)

    @staticmethod
    async def _takes_words(ctx: Context, flow: str) -> bool:
        """A bare "Huy" may be an answer: the flow knows whether its question takes words."""
        check = FLOWS[flow].takes_words
        return check is not None and await check(ctx)

    @staticmethod
    async def _then_ask_again(ctx: Context, replies: list[Outbound]) -> list[Outbound]:
        """A reply in the middle of a conversation ends with the conversation's question."""
        flow = FLOWS.get(ctx.conversation.flow)
        return [*replies, *await flow.ask_again(ctx)] if flow else replies

    async def _interrupt(self, ctx: Context, handler: Handler) -> list[Outbound]:
        """Answer a command mid-conversation, then ask the conversation's question again."""
        kept = ctx.conversation.model_copy(deep=True)
        ctx.interrupting = True
        replies = await handler(ctx)
        ctx.conversation = kept
        ctx.interrupting = False
        return await self._then_ask_again(ctx, replies)

    def _refusal(self, ctx: Context, command: Command) -> Outbound:
        names = [ctx.texts(f"role_{role.value}") for role in roles.roles_for(command)]
        return ctx.say("refused_role", roles=ctx.texts("or_roles").join(names))
