"""The message trail: encrypted message ids per person for 48 h, and auto-clean state.

Nothing here is written per message: bot/pipeline/trail.py buffers and calls `save` about twice a
second with everything seen since. See docs/quick-exit.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, case, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.runtime.clock import Clock
from bot.storage.models import Person, TrailMessage, TrailState, UTCDateTime
from bot.storage.vault import Vault

# Telegram lets a bot delete messages of a private chat for 48 hours, no longer.
WINDOW = timedelta(hours=48)
# A claimed clean-up or retry is claimed again if its runner died (or failed) this long ago.
LEASE = timedelta(minutes=2)
# Failed deletions are tried again after 30 s, doubling to at most an hour, within WINDOW.
RETRY_FIRST_S, RETRY_MAX_S = 30.0, 3600.0


@dataclass
class Pending:
    """What one flush writes: message ids, activity and sensitive marks, per person."""

    messages: list[tuple[str, int, datetime]] = field(default_factory=list)
    owners: set[str] = field(default_factory=set)  # whose state row must exist
    active: dict[str, datetime] = field(default_factory=dict)
    sensitive: dict[str, datetime] = field(default_factory=dict)
    languages: dict[str, str] = field(default_factory=dict)
    # When the person last wrote or tapped: it lifts the veil a hide put on (hidden_at).
    opened: dict[str, datetime] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.active)


@dataclass(frozen=True)
class Kept:
    """A message id the trail holds for a person, decrypted, and when it was seen."""

    row_id: int
    message_id: int
    sent_at: datetime


@dataclass(frozen=True)
class Known:
    """What the trail knows of a person's chat: the ids kept, and whether older ones were lost."""

    kept: list[Kept]
    lost: bool


@dataclass(frozen=True)
class Failed:
    """What a round of deletions could not do for a passing reason, to try again later."""

    message_ids: set[int] = field(default_factory=set)
    wait_s: float = 0.0  # the longest wait Telegram asked for (429 retry_after)
    seen_at: datetime | None = None  # for failed ids the trail did not hold: their age bound


@dataclass(frozen=True)
class Retry:
    """A person whose failed deletions are due for another try."""

    person_key: str
    chat_id: int
    kept: list[Kept]


@dataclass(frozen=True)
class DueClean:
    """A person whose sensitive chat went silent long enough: clean it now."""

    person_key: str
    chat_id: int
    language: str | None


class TrailStore:
    """Reads and writes the trail; ids are sealed by the vault, bound to their owner."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], vault: Vault, clock: Clock,
                 silence: timedelta) -> None:
        self._sessions, self._vault, self._clock, self._silence = sessions, vault, clock, silence

    def _seal(self, person_key: str, message_id: int) -> str:
        return self._vault.encrypt(str(message_id).encode(), _context(person_key))

    async def save(self, pending: Pending) -> None:
        """Write one buffer's worth in a single transaction (a few statements, not per row)."""
        async with self._sessions.begin() as session:
            if pending.owners:
                await session.execute(_insert_states(session), [
                    {"person_key": key, "auto_clean": False} for key in pending.owners])
            if pending.sensitive:
                await session.execute(_MARK_SENSITIVE, [
                    {"key": key, "at": at} for key, at in pending.sensitive.items()])
            if pending.languages:
                await session.execute(_SPEAKS, [
                    {"key": key, "language": lang} for key, lang in pending.languages.items()])
            await session.execute(_TOUCH, [
                {"key": key, "at": at, "due": at + self._silence}
                for key, at in pending.active.items()])
            if pending.opened:
                await session.execute(_OPENED, [
                    {"key": key, "at": at} for key, at in pending.opened.items()])
            if pending.messages:
                await session.execute(_MESSAGES.insert(), [
                    {"person_key": key, "message_id_enc": self._seal(key, mid), "sent_at": at}
                    for key, mid, at in pending.messages])

    async def start_hide(self, person_key: str, upto: int | None) -> Known:
        """What a hide must delete, first marked as failed and due for a retry at once.

        If the process dies mid-hide (SIGKILL, power), the retry job of the next one finishes
        the deletions; `settle` replaces the marks with the real outcome. `upto`, the newest
        id the hiding update shows, is kept too, as the top of the range to sweep.
        """
        now = self._clock()
        async with self._sessions.begin() as session:
            rows = (await session.scalars(select(TrailMessage).where(
                TrailMessage.person_key == person_key).order_by(TrailMessage.id))).all()
            kept = self._open(person_key, rows)
            if upto is not None and upto not in {k.message_id for k in kept}:
                row_id = await session.scalar(_MESSAGES.insert().values(
                    person_key=person_key, message_id_enc=self._seal(person_key, upto),
                    sent_at=now, failed=True).returning(_MESSAGES.c.id))
                kept.append(Kept(int(row_id or 0), upto, now))
            await session.execute(update(_MESSAGES).where(
                _MESSAGES.c.person_key == person_key).values(failed=True))
            await session.execute(_insert_states(session), [
                {"person_key": person_key, "auto_clean": False}])
            state = await session.get(TrailState, person_key)
            assert state is not None
            state.retry_at, lost = now, state.lost_at is not None
        return Known(kept, lost)

    def _open(self, person_key: str, rows: Sequence[TrailMessage]) -> list[Kept]:
        context = _context(person_key)
        return [Kept(r.id, int(self._vault.decrypt(r.message_id_enc, context)), r.sent_at)
                for r in rows]

    async def settle(self, person_key: str, handled: Sequence[Kept], failed: Failed,
                     hid: bool) -> None:
        """Record a round of deletions: drop what is done, keep what failed for a retry.

        `hid`: the round was a hide, which ends the sensitive spell, says 'older messages
        remain' only once, and veils the chat until the person opens Sokh again.
        """
        now = self._clock()
        retry = [k.row_id for k in handled if k.message_id in failed.message_ids]
        done = [k.row_id for k in handled if k.message_id not in failed.message_ids]
        unheld = failed.message_ids - {k.message_id for k in handled}
        async with self._sessions.begin() as session:
            await session.execute(_insert_states(session), [
                {"person_key": person_key, "auto_clean": False}])
            if done:
                await session.execute(delete(_MESSAGES).where(_MESSAGES.c.id.in_(done)))
            if retry:
                await session.execute(update(_MESSAGES).where(_MESSAGES.c.id.in_(retry))
                                      .values(failed=True))
            if unheld:
                await session.execute(_MESSAGES.insert(), [
                    {"person_key": person_key, "message_id_enc": self._seal(person_key, mid),
                     "sent_at": failed.seen_at or now, "failed": True} for mid in unheld])
            state = await session.get(TrailState, person_key)
            assert state is not None
            _pace(state, now, failed)
            if hid:
                state.sensitive_since = state.next_due_at = state.lost_at = None
                state.hidden_at = now

    async def claim_retries(self, limit: int = 50) -> list[Retry]:
        """Take the people whose failed deletions are due again (leased, like clean-ups)."""
        now = self._clock()
        async with self._sessions.begin() as session:
            due = (select(_STATE.c.person_key).where(_STATE.c.retry_at <= now)
                   .order_by(_STATE.c.retry_at).limit(limit).with_for_update(skip_locked=True))
            claimed = (update(_STATE).where(_STATE.c.person_key.in_(due.scalar_subquery()),
                                            _STATE.c.retry_at <= now)
                       .values(retry_at=now + LEASE).returning(_STATE.c.person_key))
            keys = list((await session.scalars(claimed)).all())
            chats = await _chats(session, keys, self._vault)
            # No chat id to delete in (never stored, or forgotten): nothing more can be done.
            await _give_up(session, set(keys) - set(chats), _STATE.c.retry_at)
            rows = (await session.scalars(select(TrailMessage).where(
                TrailMessage.person_key.in_(chats), TrailMessage.failed,
                TrailMessage.sent_at > now - WINDOW).order_by(TrailMessage.id))).all()
        return [Retry(key, chat, self._open(key, [r for r in rows if r.person_key == key]))
                for key, chat in chats.items()]

    async def veiled(self, person_key: str) -> bool:
        """True while a hide's veil is on: proactive messages go out fully neutral."""
        async with self._sessions() as session:
            state = await session.get(TrailState, person_key)
        return bool(state and state.hidden_at is not None)

    async def auto_clean(self, person_key: str) -> bool:
        """Whether the person chose 'Clean up after me'."""
        async with self._sessions() as session:
            state = await session.get(TrailState, person_key)
        return bool(state and state.auto_clean)

    async def set_auto_clean(self, person_key: str, on: bool) -> None:
        """Switch auto-clean on or off (the state row is created if this is its first use)."""
        async with self._sessions.begin() as session:
            await session.execute(_insert_states(session), [
                {"person_key": person_key, "auto_clean": on}])
            state = await session.get(TrailState, person_key)
            assert state is not None
            state.auto_clean = on
            # Switched on mid-spell: the silence already counts; switched off: nothing is due.
            mid_spell = on and state.sensitive_since is not None
            last = state.last_activity_at or self._clock()
            state.next_due_at = last + self._silence if mid_spell else None

    async def claim_due(self, limit: int = 50) -> list[DueClean]:
        """Take the clean-ups now due, atomically: each is handed to one caller only.

        The due time moves a lease ahead rather than being cleared: only the hide's
        `settle` clears it, so a clean-up that fails (or whose process dies) runs again.
        """
        now = self._clock()
        async with self._sessions.begin() as session:
            # SKIP LOCKED on PostgreSQL; SQLite's single writer makes the UPDATE atomic.
            due = (select(_STATE.c.person_key).where(_STATE.c.next_due_at <= now)
                   .order_by(_STATE.c.next_due_at).limit(limit).with_for_update(skip_locked=True))
            claimed = (update(_STATE).where(_STATE.c.person_key.in_(due.scalar_subquery()),
                                            _STATE.c.next_due_at <= now)
                       .values(next_due_at=now + LEASE)
                       .returning(_STATE.c.person_key, _STATE.c.language))
            languages = {key: language for key, language in await session.execute(claimed)}
            chats = await _chats(session, list(languages), self._vault)
            await _give_up(session, set(languages) - set(chats), _STATE.c.next_due_at)
        return [DueClean(key, chat, languages[key]) for key, chat in chats.items()]

    async def purge(self) -> int:
        """Drop ids past Telegram's 48 h window, noting whose were lost; return how many."""
        cutoff = self._clock() - WINDOW
        async with self._sessions.begin() as session:
            old = select(_MESSAGES.c.person_key).where(_MESSAGES.c.sent_at < cutoff)
            await session.execute(update(_STATE).where(
                _STATE.c.person_key.in_(old.scalar_subquery())).values(lost_at=self._clock()))
            result = await session.execute(delete(_MESSAGES).where(_MESSAGES.c.sent_at < cutoff))
        return int(getattr(result, "rowcount", 0))


def _pace(state: TrailState, now: datetime, failed: Failed) -> None:
    """Set when failed deletions are tried next: doubling from 30 s, at least what 429 asked."""
    if not failed.message_ids:
        state.retry_at, state.retries = None, 0
        return
    wait = min(RETRY_MAX_S, RETRY_FIRST_S * 2 ** min(state.retries or 0, 16))
    state.retry_at = now + timedelta(seconds=max(wait, failed.wait_s))
    state.retries = (state.retries or 0) + 1


async def _chats(session: AsyncSession, keys: Sequence[str], vault: Vault) -> dict[str, int]:
    """The chat ids to clean, from the copy `people` keeps to reply: one copy, not two."""
    if not keys:
        return {}
    rows = await session.execute(select(Person.key, Person.chat_id_enc).where(
        Person.key.in_(keys)))
    return {key: vault.decrypt_chat_id(enc, key) for key, enc in rows}


async def _give_up(session: AsyncSession, keys: set[str], column: Any) -> None:
    if keys:
        await session.execute(update(_STATE).where(_STATE.c.person_key.in_(keys))
                              .values({column.key: None}))


def _context(person_key: str) -> bytes:
    return f"trail:{person_key}".encode()


def _insert_states(session: AsyncSession) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING for state rows, on either backend."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(_STATE).on_conflict_do_nothing(index_elements=["person_key"])


# Core tables: executemany with bind parameters stays one statement, not an ORM loop.
_STATE, _MESSAGES = cast(Table, TrailState.__table__), cast(Table, TrailMessage.__table__)
# Sensitive since the first sensitive screen of this spell; a later one does not move it.
_MARK_SENSITIVE = update(_STATE).where(_STATE.c.person_key == bindparam("key")).values(
    sensitive_since=func.coalesce(_STATE.c.sensitive_since, bindparam("at", type_=UTCDateTime())))
_SPEAKS = update(_STATE).where(_STATE.c.person_key == bindparam("key")).values(
    language=bindparam("language"))
# The person wrote or tapped after the hide: Sokh's own messages may show in full again.
_OPENED = update(_STATE).where(
    _STATE.c.person_key == bindparam("key"),
    _STATE.c.hidden_at < bindparam("at", type_=UTCDateTime())).values(hidden_at=None)
# Any message restarts the silence; a clean-up is due only for auto-clean people mid-spell.
_TOUCH = update(_STATE).where(_STATE.c.person_key == bindparam("key")).values(
    last_activity_at=bindparam("at", type_=UTCDateTime()),
    next_due_at=case((and_(_STATE.c.auto_clean, _STATE.c.sensitive_since.is_not(None)),
                      bindparam("due", type_=UTCDateTime())), else_=None))
