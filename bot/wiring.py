"""One factory that builds everything: the bot process and the tests both call it."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from aiogram import Dispatcher, Router
from aiogram.fsm.storage.base import BaseStorage
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.fsm.storage.redis import RedisStorage
from aiogram.utils.callback_answer import CallbackAnswerMiddleware
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from bot import errors
from bot.clock import Clock, utc_now
from bot.content_loader import ContentStore
from bot.fsm_keys import PseudonymousKeyBuilder
from bot.i18n import Locales
from bot.inline_filters import run_sync_filters_inline
from bot.middlewares import ContextMiddleware, InFlightMiddleware
from bot.outbox.store import Outbox
from bot.privacy import Vault
from bot.resilient_storage import ResilientStorage
from bot.settings import Settings
from bot.storage import migrate
from bot.storage.cases import Cases
from bot.storage.database import create_engine, session_factory
from bot.storage.feedback import Feedback
from bot.storage.people import People
from bot.storage.schedules import Schedules
from bot.storage.unanswered import Unanswered
from bot.throttle import Limiter, MemoryLimiter, RedisLimiter, ThrottleMiddleware
from dialogs import browse, counsellor, course, crisis, fallback, menu, onboarding, referral, travel
from dialogs import discreet as notify_settings
from dialogs import groups as trainer_groups
from dialogs import help as hotlines
from dialogs import hide as quick_exit_flow
from dialogs import reveal as notify_reveal
from dialogs import rsvp as session_rsvp
from dialogs import session_list as session_lists
from dialogs import session_private as private_sessions
from dialogs import sessions as session_form
from dialogs import settings as preferences
from dialogs.risk import RiskDetector
from dialogs.states import concerns_flows, concerns_trainers

log = logging.getLogger(__name__)


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
    cases: Cases
    schedules: Schedules = field(init=False)
    outbox: Outbox = field(init=False)
    quick_exit: quick_exit_flow.QuickExit = field(init=False)

    def __post_init__(self) -> None:
        sessions = session_factory(self.engine)
        self.schedules, self.outbox = Schedules(sessions), Outbox(sessions)
        self.quick_exit = quick_exit_flow.build(self)

    async def close(self) -> None:
        """Release the database pool and the Redis connection."""
        await self.engine.dispose()
        if self.redis is not None:
            await self.redis.aclose()


async def build_services(config: Settings, clock: Clock = utc_now) -> Services:
    """Load and check content and locales, then open and migrate the database."""
    content = ContentStore(config.content_dir, include_drafts=config.show_draft_content)
    locales = Locales(config.locales_dir)
    vault = Vault(config.secret_key_bytes())
    engine = create_engine(config.database_url)
    await migrate.upgrade(engine)
    people = People(session_factory(engine), vault, clock)
    redis = _redis(config.redis_url)
    # Loaded once, kept in memory: the crisis reply must not need the database.
    risk = RiskDetector.from_file(config.content_dir / "risk_terms.yaml")
    cases = Cases(session_factory(engine), vault, clock)
    return Services(config, content, locales, engine, vault, people, clock, redis, risk, cases)


def build_dispatcher(services: Services) -> tuple[Dispatcher, InFlightMiddleware]:
    """The dispatcher with middlewares and routers in their one true order."""
    dispatcher = Dispatcher(
        storage=_fsm_storage(services), content_store=services.content,
        locales=services.locales, people=services.people, vault=services.vault,
        settings=services.settings, clock=services.clock,
        schedules=services.schedules, outbox=services.outbox,
        tip_feedback=Feedback(session_factory(services.engine), services.clock),
        risk=services.risk, cases=services.cases, quick_exit=services.quick_exit,
        unanswered=Unanswered(session_factory(services.engine)),
        **trainer_groups.dependencies(services),
    )
    in_flight = InFlightMiddleware()
    dispatcher.update.outer_middleware(in_flight)
    dispatcher.update.outer_middleware(
        ContextMiddleware(services.content, services.locales, services.people,
                          urgent=crisis.urgent_update(services.risk))
    )
    throttle = ThrottleMiddleware(_limiter(services), services.settings.flood_limit, services.vault)
    # The trail notes messages before the throttle, which may drop some (docs/quick-exit.md).
    quick_exit_flow.attach(services.quick_exit, dispatcher)
    dispatcher.message.outer_middleware(throttle)
    dispatcher.callback_query.outer_middleware(throttle)
    dispatcher.callback_query.middleware(CallbackAnswerMiddleware())
    dispatcher.errors.register(errors.on_error)
    # Order matters: crisis triage first, so risk words get the emergency numbers before
    # anything else; then the feature flows; the fallback last, because it catches everything.
    dispatcher.include_routers(crisis.create_router(), _flows_router(), fallback.create_router())
    run_sync_filters_inline(dispatcher)
    return dispatcher, in_flight


def _flows_router() -> Router:
    """Every feature's router, which private messages enter only when they concern a flow."""
    router = Router(name="flows")
    router.message.filter(concerns_flows)
    router.include_routers(
        quick_exit_flow.create_router(),
        onboarding.create_router(), menu.create_router(), browse.create_router(),
        hotlines.create_router(), referral.create_router(), counsellor.create_router(),
        preferences.create_router(), notify_settings.create_router(),
        notify_reveal.create_router(),
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
        trainer_groups.create_router(), private_sessions.create_router(),
        session_form.create_router(),
        session_lists.create_router(), session_rsvp.create_router(),
    )
    return router


def _redis(url: str | None) -> Redis | None:
    # Short timeouts: a hanging Redis must fall back quickly, not stall every update.
    return Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2) if url else None


def _fsm_storage(services: Services) -> BaseStorage:
    if services.redis is None:
        return MemoryStorage()
    redis = RedisStorage(services.redis, key_builder=PseudonymousKeyBuilder(services.vault))
    return ResilientStorage(redis)


def _limiter(services: Services) -> Limiter:
    window = services.settings.flood_window_s
    return RedisLimiter(services.redis, window) if services.redis else MemoryLimiter(window)
