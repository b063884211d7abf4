"""The one place that wires Sokh: storage, the update pipeline, the flows in their order, the
renderers of proactive messages and the scheduler's jobs. The process and the tests call it.

Nothing else attaches or swaps parts at run time, and this is the only module of bot/ that
imports dialogs/.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot, Dispatcher, Router
from aiogram.fsm.storage.base import BaseStorage
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.types import TelegramObject
from aiogram.utils.callback_answer import CallbackAnswerMiddleware
from apscheduler.triggers.cron import CronTrigger
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.content.i18n import Locales
from bot.content.store import ContentStore
from bot.language.commands import TypedCommands
from bot.language.risk import RiskDetector
from bot.pipeline.buttons import ButtonGuard
from bot.pipeline.flood_gate import FloodGate, SkipBareUpdates
from bot.pipeline.fsm_keys import ExpiringRedisStorage, PseudonymousKeyBuilder, bound_old_keys
from bot.pipeline.inline_filters import run_sync_filters_inline
from bot.pipeline.intake import KEEP, LEASE, Intake, RedisIntake, TableIntake
from bot.pipeline.middlewares import ContextMiddleware, InFlightMiddleware
from bot.pipeline.replies import ReplyLedger
from bot.pipeline.resilient_storage import ResilientStorage
from bot.pipeline.throttle import Limiter, MemoryLimiter, RedisLimiter, ThrottleMiddleware
from bot.pipeline.trail import IncomingTrail, OutgoingTrail, TrailRecorder
from bot.pipeline.turns import OrderedFSMMiddleware, PersonTurns, Pulse
from bot.proactive.group_reminders import CAMPAIGN as GROUP_CAMPAIGN
from bot.proactive.group_reminders import GroupReminders
from bot.proactive.jobs import Job, add_jobs, create_scheduler, every, warn_stale_services
from bot.proactive.leader import Leader, lock_for
from bot.proactive.limits import OVERALL_PER_S, PAID_PER_S, SendLimits
from bot.proactive.nudges import Nudges
from bot.proactive.outbox import Outbox
from bot.proactive.quiet import QuietHours
from bot.proactive.rate_share import ChatShare, RateShare
from bot.proactive.relay import RelayConfig, RelaySender
from bot.proactive.relay_queue import RelayQueue
from bot.proactive.render import Renderers
from bot.proactive.sender import Sender, SenderConfig
from bot.runtime.breaker import REDIS_TIMEOUT_S, Breaker
from bot.runtime.clock import Clock, utc_now
from bot.runtime.health import Metrics, UpdateMetrics
from bot.runtime.settings import Settings
from bot.storage import migrate
from bot.storage.cases import Cases
from bot.storage.database import create_engine, session_factory
from bot.storage.feedback import Feedback
from bot.storage.group_sessions import SessionStore
from bot.storage.groups import GroupStore
from bot.storage.keys import make_vault, stale_tables
from bot.storage.people import People
from bot.storage.schedules import Schedules
from bot.storage.seen_updates import SeenUpdates
from bot.storage.ticks import Ticks
from bot.storage.trail import TrailStore
from bot.storage.unanswered import Unanswered
from bot.storage.vault import Vault
from dialogs import (
    browse,
    buttons,
    checklists,
    crisis,
    errors,
    fallback,
    hotlines,
    menu,
    onboarding,
    parents,
    preferences,
    referral,
    search,
    travel,
)
from dialogs.callbacks import HideCb
from dialogs.counsellor import person
from dialogs.counsellor.jobs import clean_forum, purge_cases, tell_waiting
from dialogs.counsellor.mail import CaseMail
from dialogs.counsellor.relay import CaseRelay
from dialogs.course import flow as course
from dialogs.course import nudges as course_nudges
from dialogs.groups import membership, rsvp, session_form, session_list, session_private
from dialogs.groups import nudges as group_nudges
from dialogs.notifications import discreet, reveal
from dialogs.quick_exit import flow as quick_exit
from dialogs.quick_exit.jobs import clean_due, purge_trail, retry_failed
from dialogs.states import concerns_flows, concerns_trainers
from dialogs.travel import nudges as travel_nudges

log = logging.getLogger(__name__)
SHUTDOWN_GRACE_S = 20.0
REFUSED = "common-button-refused"


@dataclass
class Services:
    """Long-lived dependencies, passed into handlers rather than imported."""

    settings: Settings
    content: ContentStore
    locales: Locales
    engine: AsyncEngine
    vault: Vault
    people: People
    clock: Clock
    redis: Redis | None
    risk: RiskDetector
    typed_commands: TypedCommands
    cases: Cases
    quick_exit: quick_exit.QuickExit
    schedules: Schedules = field(init=False)
    outbox: Outbox = field(init=False)
    flood_gate: FloodGate = field(init=False)
    in_flight: InFlightMiddleware = field(init=False)
    metrics: Metrics = field(init=False)
    relay: RelayQueue = field(init=False)
    case_mail: CaseMail = field(init=False)
    # Shared by the FSM storage and the flood limiter: one Redis failure spares both a wait.
    redis_breaker: Breaker = field(init=False, default_factory=Breaker)
    pulse: Pulse | None = field(init=False)
    turns: PersonTurns = field(init=False)

    def __post_init__(self) -> None:
        sessions = session_factory(self.engine)
        # With Redis, this worker's sign of life: others take over what a dead one held.
        self.pulse = Pulse(self.redis) if self.redis is not None else None
        self.turns = PersonTurns(self.vault, self.redis, self.pulse)
        self.schedules, self.outbox = Schedules(sessions), Outbox(sessions)
        # Dropped messages still enter the trail, so quick exit can delete them.
        self.flood_gate = FloodGate(self.settings.flood_limit, self.settings.flood_window_s,
                                    self.quick_exit.trail.note, exempt=self._in_case)
        self.metrics = Metrics(dropped=lambda: self.flood_gate.dropped)
        self.in_flight = InFlightMiddleware()
        self.relay = RelayQueue(sessions, self.outbox, self.clock)
        self.case_mail = CaseMail(self.relay, self.vault, self.clock)

    def _in_case(self, user_id: int) -> bool:
        # Before parsing, without waiting: what this process last saw of the person's case.
        return self.cases.seemed_open(self.vault.person_key(user_id))

    async def close(self) -> None:
        """Release the database pool and the Redis connection."""
        await self.engine.dispose()
        if self.redis is not None:
            await self.redis.aclose()


async def build_services(config: Settings, clock: Clock = utc_now) -> Services:
    """Load and check content and locales, then open and migrate the database."""
    content = ContentStore(config.content_dir, include_drafts=config.show_draft_content)
    locales = Locales(config.locales_dir)
    vault = make_vault(config)
    engine = create_engine(config.database_url)
    await migrate.upgrade(engine)
    await _refuse_stale_keys(engine, vault)
    sessions = session_factory(engine)
    people = People(sessions, vault, clock)
    # Loaded once, kept in memory: the crisis reply must not need the database.
    risk = RiskDetector.from_file(config.content_dir / "risk_terms.yaml")
    commands = TypedCommands.from_file(config.content_dir / "typed_commands.yaml")
    # Built now, not by the first typed question: building takes about a second, during which
    # the event loop stood still and every other person waited. Only where people write.
    if config.runs("web"):
        search.searcher(content.current, risk.romaniser)
    cases = Cases(sessions, vault, clock)
    silence = timedelta(minutes=config.auto_clean_minutes)
    trail = TrailRecorder(TrailStore(sessions, vault, clock, silence), vault, clock)
    hide = quick_exit.QuickExit(trail, cases, config, locales, clock)
    return Services(config, content, locales, engine, vault, people, clock,
                    _redis(config.redis_url), risk, commands, cases, hide)


async def _refuse_stale_keys(engine: AsyncEngine, vault: Vault) -> None:
    """Refuse to start on data of an older key: its people would look new, /forget miss them."""
    stale = await stale_tables(engine, vault)
    if stale:
        await engine.dispose()
        raise RuntimeError(f"rows of an older key in {', '.join(stale)}: stop every worker "
                           "and run `python run_bot.py keys rotate` (docs/keys.md)")


def build_dispatcher(services: Services) -> tuple[Dispatcher, InFlightMiddleware]:
    """The dispatcher with middlewares and routers in their one true order."""
    limiter = _limiter(services)
    # aiogram's own FSM middleware is replaced by one that keeps each person's turn.
    dispatcher = Dispatcher(storage=_fsm_storage(services), flood_limiter=limiter,
                            disable_fsm=True, **_handler_data(services))
    urgent = crisis.urgent_update(services.risk)
    dispatcher.fsm = OrderedFSMMiddleware(dispatcher.fsm.storage, services.turns, urgent)
    # First, as aiogram's would be: one person's updates one at a time, in order.
    dispatcher.update.outer_middleware(dispatcher.fsm)
    in_flight = services.in_flight
    # A polled update the flood gate reduced to its id only confirms the offset.
    dispatcher.update.outer_middleware(SkipBareUpdates())
    dispatcher.update.outer_middleware(UpdateMetrics(services.metrics))
    dispatcher.update.outer_middleware(in_flight)
    dispatcher.update.outer_middleware(
        ContextMiddleware(services.content, services.locales, services.people,
                          urgent=urgent)
    )
    # The trail notes messages before the throttle, which may drop some (docs/quick-exit.md).
    incoming = IncomingTrail(services.quick_exit.trail)
    for observer in (dispatcher.message, dispatcher.edited_message, dispatcher.callback_query):
        observer.outer_middleware(incoming)
    throttle = ThrottleMiddleware(limiter, services.settings.flood_limit, services.vault,
                                  partial(_in_case, services))
    dispatcher.message.outer_middleware(throttle)
    dispatcher.callback_query.outer_middleware(throttle)
    # After the throttle: a flood of forged taps is dropped before any rule reads the database.
    dispatcher.callback_query.outer_middleware(ButtonGuard(buttons.rules(), REFUSED))
    dispatcher.callback_query.middleware(CallbackAnswerMiddleware())
    dispatcher.errors.register(errors.on_error)
    # Order matters: crisis triage first, so risk words get the emergency numbers before
    # anything else; then the feature flows; the fallback last, because it catches everything.
    # A person in an open case comes before even that: the counsellor reads along, and the
    # relay flags risk words in the topic (docs/counsellor.md).
    dispatcher.include_routers(person.create_relay_router(), crisis.create_router(),
                               _flows_router(), fallback.create_router())
    run_sync_filters_inline(dispatcher)
    return dispatcher, in_flight


def _handler_data(services: Services) -> dict[str, Any]:
    """What handlers receive by name (dispatcher data)."""
    sessions, clock = session_factory(services.engine), services.clock
    return {
        "content_store": services.content, "locales": services.locales,
        "people": services.people, "vault": services.vault, "settings": services.settings,
        "clock": clock, "schedules": services.schedules, "outbox": services.outbox,
        "tip_feedback": Feedback(sessions, clock), "risk": services.risk,
        "typed_commands": services.typed_commands,
        "cases": services.cases, "quick_exit": services.quick_exit,
        "groups": GroupStore(sessions, clock),
        "group_sessions": SessionStore(sessions, clock, services.vault),
        "admins": membership.Admins(), "unanswered": Unanswered(sessions),
        # Read under a message sent veiled after a hide renders its outbox row again.
        "renderers": renderers(services.content, services.locales, services.settings.timezone),
        "ticks": Ticks(sessions),
        "case_mail": services.case_mail,
    }


async def _in_case(services: Services, user_id: int) -> bool:
    """Whether a person is in an open case: their messages are queued, never dropped."""
    key = services.vault.person_key(user_id)
    try:
        return await asyncio.wait_for(services.cases.open_case(key), 1.0) is not None
    except (SQLAlchemyError, OSError, TimeoutError):
        return False


def _flows_router() -> Router:
    """Every feature's router, which private messages enter only when they concern a flow."""
    router = Router(name="flows")
    router.message.filter(concerns_flows)
    router.include_routers(
        quick_exit.create_router(),
        # Checklist topics open as tick-off lists: before browsing, which pages other topics.
        onboarding.create_router(), menu.create_router(), checklists.create_router(),
        browse.create_router(),
        parents.create_router(),
        hotlines.create_router(), referral.create_router(), person.create_router(),
        preferences.create_router(), discreet.create_router(), reveal.create_router(),
        course.create_router(), travel.create_router(),
        # Group sessions answer group commands, so they come before the fallback's group reply.
        _trainers_router(),
    )
    return router


def _trainers_router() -> Router:
    """The trainers' features, which private messages enter only when they concern them."""
    router = Router(name="trainers")
    router.message.filter(concerns_trainers)
    router.include_routers(
        membership.create_router(), session_private.create_router(),
        session_form.create_router(), session_list.create_router(), rsvp.create_router(),
    )
    return router


def renderers(content: ContentStore, locales: Locales, zone: ZoneInfo) -> Renderers:
    """Each flow's renderers of the outbox rows it queues, by campaign and payload kind."""
    return Renderers(content, locales, {
        "tip": course_nudges.tip, "done": course_nudges.done, "quiz": course_nudges.quiz,
        "travel": travel_nudges.reminder,
        "item": browse.item_message,
        (GROUP_CAMPAIGN, "reminder"): partial(group_nudges.reminder, zone=zone),
        (GROUP_CAMPAIGN, "pin"): group_nudges.pin,
        (GROUP_CAMPAIGN, "tip"): group_nudges.tip,
        (GROUP_CAMPAIGN, "attendance"): partial(group_nudges.attendance, zone=zone),
    }, veil=discreet.veiled)


class Proactive:
    """What Sokh sends on its own: the jobs that fill the outbox, and the sender."""

    def __init__(self, services: Services) -> None:
        self.services = services
        settings, sessions = services.settings, session_factory(services.engine)
        self.nudges = Nudges(sessions, services.content, settings.timezone)
        self.reminders = GroupReminders(sessions, services.clock, services.vault)
        self.renderers = renderers(services.content, services.locales, settings.timezone)
        self.quiet = QuietHours(settings.quiet_start_hour, settings.quiet_end_hour,
                                settings.timezone)
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        # One budget for both senders: Telegram's 30 a second is for the whole bot.
        rate = PAID_PER_S if settings.allow_paid_broadcast else OVERALL_PER_S
        self.limits = SendLimits(rate, time.monotonic)

    def sender(self, bot: Bot, **overrides: Any) -> Sender:
        """A sender on this bot; SQLite has one sender, PostgreSQL may have several."""
        s = self.services
        sole = s.engine.dialect.name == "sqlite"
        options = {"paid": s.settings.allow_paid_broadcast, "exclusive": sole, **overrides}
        sender = Sender(bot, s.outbox, s.people, s.vault, self.renderers.render, s.clock,
                        self.quiet, SenderConfig(**options))
        if "monotonic" not in overrides:  # tests that drive time keep their own limits
            sender.limits = self.limits
        return sender

    def relay_sender(self, bot: Bot, limits: SendLimits | None = None,
                     **overrides: Any) -> RelaySender:
        """The counsellor relay's sender (no quiet hours: someone is waiting for an answer)."""
        s = self.services
        deliver = CaseRelay(s.vault, s.locales, s.settings, s.people, s.cases,
                            person.rating_view)
        options = {"exclusive": s.engine.dialect.name == "sqlite",
                   "delay": s.metrics.relay_delay.observe, **overrides}
        return RelaySender(bot, s.relay, s.vault, deliver, s.clock, limits or self.limits,
                           RelayConfig(**options))

    async def enqueue(self) -> int:
        """The periodic job: due schedules become outbox rows."""
        try:
            return await self.nudges.enqueue_due(self.services.clock())
        except (SQLAlchemyError, OSError):
            log.warning("could not queue due nudges; the next run tries again", exc_info=True)
            return 0

    def start_sender(self, bot: Bot) -> None:
        """Send from the outbox and the relay queue; with Redis, within this sender's share."""
        sender, relay = self.sender(bot), self.relay_sender(bot)
        if self.services.redis is not None:
            share = RateShare(self.services.redis, sender.limits)
            self._tasks.append(asyncio.create_task(share.run(self._stop)))
            sender.chats = relay.chats = ChatShare(self.services.redis, self.services.vault)
        self._tasks += [asyncio.create_task(sender.run(self._stop)),
                        asyncio.create_task(relay.run(self._stop))]

    async def stop(self) -> None:
        """Let the sender finish its batch and stop."""
        self._stop.set()
        for task in self._tasks:
            await task


def jobs(services: Services, bot: Bot, proactive: Proactive) -> tuple[Job, ...]:
    """Every periodic job of the process, in one table."""
    s, hide = services, services.quick_exit
    return (
        Job("stale-services", warn_stale_services, CronTrigger(hour=8), (s.content, s.clock)),
        Job("nudges", proactive.enqueue, every(seconds=60), at_once=True),
        Job("group-reminders", proactive.reminders.job, every(seconds=60), at_once=True),
        Job("trail-autoclean", clean_due, every(seconds=20), (bot, hide)),
        Job("trail-purge", purge_trail, every(minutes=10), (hide,)),
        # At once too: a hide a killed process left half done is finished on restart.
        Job("trail-retry", retry_failed, every(seconds=30), (bot, hide), at_once=True),
        Job("cases-waiting", tell_waiting, every(minutes=1),
            (bot, s.cases, s.locales, s.content, s.settings, s.people)),
        Job("cases-purge", purge_cases, every(hours=1), (s.cases, s.settings)),
        Job("seen-updates-purge", seen_updates(s).purge, every(hours=1), (KEEP,)),
        Job("cases-forum-cleanup", clean_forum, every(minutes=1), (bot, s.cases)),
    )


def start_trail(services: Services, bot: Bot) -> None:
    """Note every message the bot sends for quick exit, and start the trail's writer."""
    bot.session.middleware(OutgoingTrail(services.quick_exit.trail, HideCb().pack()))
    services.quick_exit.trail.start()


def assemble(services: Services) -> tuple[Dispatcher, Proactive]:
    """Dispatcher plus the start-up and shutdown hooks that own the scheduler and storage."""
    dispatcher, in_flight = build_dispatcher(services)
    scheduler = create_scheduler(services.settings.sokh_timezone)
    leader = Leader(scheduler, lock_for(services.engine, services.redis))
    proactive = Proactive(services)
    settings = services.settings

    async def on_startup(bot: Bot) -> None:
        # First, so every message sent from now on is in the trail (docs/quick-exit.md).
        start_trail(services, bot)
        if services.pulse is not None:
            services.pulse.start()
        await _bound_fsm_keys(services)
        if settings.runs("scheduler"):
            add_jobs(scheduler, jobs(services, bot, proactive))
            leader.start()  # the jobs run only while this process holds the lock
        if settings.runs("sender"):
            proactive.start_sender(bot)

    async def on_shutdown(bot: Bot) -> None:
        # Let updates already taken from Telegram finish before closing the database.
        await in_flight.drain(SHUTDOWN_GRACE_S)
        if settings.runs("scheduler"):
            await leader.stop()
        await proactive.stop()
        if services.pulse is not None:
            await services.pulse.stop()
        await services.quick_exit.trail.stop()  # write the buffered trail: a restart loses nothing
        await services.close()
        log.info("Sokh stopped cleanly")

    dispatcher.startup.register(on_startup)
    dispatcher.shutdown.register(on_shutdown)
    return dispatcher, proactive


async def sample_backlog(services: Services) -> None:
    """Read what waits (outbox rows, cases) into the metrics, for a scrape of /metrics."""
    backlog = await services.outbox.backlog(services.clock())
    waiting = await services.cases.count_waiting()
    services.metrics.backlog(backlog.proactive, backlog.relay, backlog.oldest_due_s, waiting)


def intake(services: Services, bot_id: int) -> Intake:
    """Webhook update ids claimed in Redis when configured, else in the database."""
    if services.redis is not None:
        return RedisIntake(services.redis, bot_id, pulse=services.pulse)
    return TableIntake(seen_updates(services))


def replies(services: Services, bot_id: int) -> ReplyLedger | None:
    """With Redis, what handling a webhook update sent, so a redelivery does not repeat it."""
    if services.redis is None:
        return None
    return ReplyLedger(services.redis, services.vault, bot_id)


def urgent_updates(services: Services) -> Callable[[TelegramObject], bool]:
    """True for an update that gets the crisis reply: nothing may hold it up."""
    return crisis.urgent_update(services.risk)


def seen_updates(services: Services) -> SeenUpdates:
    """The database's record of webhook updates (without Redis)."""
    return SeenUpdates(session_factory(services.engine), services.clock, LEASE)


def _redis(url: str | None) -> Redis | None:
    # Short timeouts: a hanging Redis must fall back quickly, not stall every update.
    if not url:
        return None
    return Redis.from_url(url, socket_timeout=REDIS_TIMEOUT_S,
                          socket_connect_timeout=REDIS_TIMEOUT_S)


async def _bound_fsm_keys(services: Services) -> None:
    """FSM keys from before they expired get the TTL now (once; later ones carry it)."""
    if services.redis is None:
        return
    try:
        bounded = await bound_old_keys(services.redis)
    except (RedisError, OSError):
        log.warning("Redis unreachable at start; old FSM keys get their TTL next start")
        return
    if bounded:
        log.info("gave %d FSM key(s) an expiry", bounded)


def _fsm_storage(services: Services) -> BaseStorage:
    if services.redis is None:
        return MemoryStorage()
    redis = ExpiringRedisStorage(services.redis, PseudonymousKeyBuilder(services.vault))
    return ResilientStorage(redis, services.redis_breaker)


def _limiter(services: Services) -> Limiter:
    window = services.settings.flood_window_s
    if services.redis is None:
        return MemoryLimiter(window)
    return RedisLimiter(services.redis, window, services.redis_breaker)
