"""Tables. No column may hold a clear Telegram id, name, username, phone or message text."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.storage.vault import CASE, ROLE

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        result: datetime = value
        return result if result.tzinfo else result.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    """Declarative base with stable constraint names for Alembic."""

    metadata = MetaData(naming_convention=NAMING)


class Person(Base):
    """Someone who talks to Sokh, known only by a keyed hash of their Telegram id."""

    __tablename__ = "people"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    chat_id_enc: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    blocked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # How sensitive proactive messages look on a lock screen (docs/notifications.md).
    notify: Mapped[str] = mapped_column(String(10), default="discreet",
                                        server_default="discreet")


class Delivery(Base):
    """One content item shown to one person, for reach per item and per content version."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_key: Mapped[str] = mapped_column(
        ForeignKey("people.key", ondelete="CASCADE"), index=True
    )
    content_version: Mapped[str] = mapped_column(String(40))
    item_id: Mapped[str] = mapped_column(String(120), index=True)
    delivered_at: Mapped[datetime] = mapped_column(UTCDateTime())


class TipFeedback(Base):
    """A 'useful' / 'not useful' tap on a course tip; one per person, item and version."""

    __tablename__ = "tip_feedback"
    __table_args__ = (UniqueConstraint("person_key", "item_id", "content_version",
                                       name="uq_tip_feedback_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # Only to dedupe a double tap; /forget erases the row with everything else keyed by person.
    person_key: Mapped[str] = mapped_column(ForeignKey("people.key", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(120))
    content_version: Mapped[str] = mapped_column(String(40))
    useful: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class OutboxRow(Base):
    """One proactive message to a person or a group; (recipient, campaign, step) is its key.

    A person's row holds their encrypted chat id; a group's row only its group id, so the
    sender finds the group's current chat id (it changes when a group becomes a supergroup).
    """

    __tablename__ = "outbox"
    __table_args__ = (UniqueConstraint("person_key", "campaign", "step", name="uq_outbox_key"),
                      # Partial: person rows (group_id NULL) never collide, so they skip it.
                      Index("uq_outbox_group_key", "group_id", "campaign", "step", unique=True,
                            postgresql_where=text("group_id IS NOT NULL"),
                            sqlite_where=text("group_id IS NOT NULL")),
                      CheckConstraint("(person_key IS NULL) <> (group_id IS NULL)",
                                      name="one_recipient"),
                      Index("ix_outbox_claim", "status", "due_at"))

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    person_key: Mapped[str | None] = mapped_column(ForeignKey("people.key", ondelete="CASCADE"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    campaign: Mapped[str] = mapped_column(String(40))
    step: Mapped[str] = mapped_column(String(60))
    chat_id_enc: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))
    payload: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    paid: Mapped[bool] = mapped_column(Boolean, default=False)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    error: Mapped[str | None] = mapped_column(String(80))


class Schedule(Base):
    """A person's drip course or travel countdown: one row, due again at next_due_at."""

    __tablename__ = "schedules"
    # AUTOINCREMENT: a schedule started again must get a new id, hence new outbox keys.
    __table_args__ = (UniqueConstraint("person_key", "kind", name="uq_schedules_kind"),
                      Index("ix_schedules_due", "status", "next_due_at"),
                      {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    person_key: Mapped[str] = mapped_column(ForeignKey("people.key", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10))
    step: Mapped[int] = mapped_column(Integer, default=0)
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    age: Mapped[str | None] = mapped_column(String(8))
    hour: Mapped[int] = mapped_column(Integer, default=8)
    every_days: Mapped[int] = mapped_column(Integer, default=1)
    destination: Mapped[str | None] = mapped_column(String(4))
    travel_date: Mapped[date | None] = mapped_column(Date)


class Case(Base):
    """One anonymous conversation with a counsellor; the person is only a key and a cipher."""

    __tablename__ = "cases"
    # The person's case key (Vault.case_key), not their key: no join to their profile.
    __table_args__ = ({"info": {"pseudonym": CASE}},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    alias: Mapped[str] = mapped_column(String(12), unique=True)
    person_key: Mapped[str] = mapped_column(String(40), index=True)
    chat_id_enc: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(10), index=True)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    topic_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    # Which counsellors' group holds the topic (COUNSELLOR_CHAT_ID may name several).
    forum_id: Mapped[int | None] = mapped_column(BigInteger)
    counsellor_id: Mapped[int | None] = mapped_column(BigInteger)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    waiting_told_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    rating: Mapped[int | None] = mapped_column(Integer)
    # The 'urgent case waiting' note in the forum's General topic, edited when taken.
    announce_id: Mapped[int | None] = mapped_column(BigInteger)


class CaseMessage(Base):
    """One line of a case transcript, encrypted at rest and purged after the case closes."""

    __tablename__ = "case_messages"
    __table_args__ = ({"info": {"pseudonym": CASE}},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    person_key: Mapped[str] = mapped_column(String(40), index=True)  # the case key
    sender: Mapped[str] = mapped_column(String(10))
    body_enc: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CaseForumMessage(Base):
    """A message the case left in the counsellors' forum, by its id (encrypted).

    Kept so the copies can be deleted one by one where deleting the whole topic fails.
    """

    __tablename__ = "case_forum_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    message_id_enc: Mapped[str] = mapped_column(Text)


class ForumCleanup(Base):
    """A purged case's forum topic still to delete; no person key, so /forget leaves it.

    `ids_enc` holds the case's forum message ids, encrypted; `next_try_at` backs off.
    """

    __tablename__ = "forum_cleanup"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    topic_id: Mapped[int | None] = mapped_column(BigInteger)
    ids_enc: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_try_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class CaseAudit(Base):
    """Who took or closed which case, and when; counsellor ids only, never a person's."""

    __tablename__ = "case_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_alias: Mapped[str] = mapped_column(String(12), index=True)
    action: Mapped[str] = mapped_column(String(10))
    counsellor_id: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class Group(Base):
    """A Telegram group Sokh was added to (docs/groups.md); a group's id is not personal."""

    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    title: Mapped[str] = mapped_column(String(128))
    language: Mapped[str | None] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(10))
    thread_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class GroupTrainer(Base):
    """A trainer an admin named: known by their group-role key (Vault.role_key) only."""

    __tablename__ = "group_trainers"
    # The role key, not the person key: group rows cannot be joined to cases or schedules.
    __table_args__ = (UniqueConstraint("group_id", "person_key", name="uq_group_trainers_key"),
                      {"info": {"pseudonym": ROLE}})

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    person_key: Mapped[str] = mapped_column(String(40), index=True)


class GroupSession(Base):
    """One meeting of a group; a weekly series shares `series_id`."""

    __tablename__ = "group_sessions"
    __table_args__ = (Index("ix_group_sessions_due", "status", "next_due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"),
                                          index=True)
    series_id: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(120))
    topic: Mapped[str] = mapped_column(String(60))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    place: Mapped[str] = mapped_column(String(200))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    reminders: Mapped[str] = mapped_column(String(40))
    stage: Mapped[int] = mapped_column(Integer, default=0)
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(10))
    trainer_key: Mapped[str] = mapped_column(String(40))  # a group-role key
    # The trainer's Telegram id, sealed: only to send them the attendance prompt.
    trainer_id_enc: Mapped[str | None] = mapped_column(Text)
    attended: Mapped[int | None] = mapped_column(Integer)
    women: Mapped[int | None] = mapped_column(Integer)
    men: Mapped[int | None] = mapped_column(Integer)
    girls: Mapped[int | None] = mapped_column(Integer)
    boys: Mapped[int | None] = mapped_column(Integer)


class SessionRsvp(Base):
    """One member's answer to a session reminder, by their group-role key."""

    __tablename__ = "session_rsvps"
    __table_args__ = (UniqueConstraint("session_id", "person_key", name="uq_session_rsvps_key"),
                      {"info": {"pseudonym": ROLE}})

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("group_sessions.id", ondelete="CASCADE"))
    person_key: Mapped[str] = mapped_column(String(40), index=True)
    coming: Mapped[bool] = mapped_column(Boolean)


class TrailMessage(Base):
    """One message id of a private chat, kept at most 48 h so quick exit can delete it.

    The id is AES-GCM encrypted and bound to the person's key; no text is ever kept.
    No foreign key to people: the crisis reply is recorded before anyone is stored.
    """

    __tablename__ = "trail_messages"
    __table_args__ = (Index("ix_trail_messages_sent_at", "sent_at"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    person_key: Mapped[str] = mapped_column(String(40), index=True)
    message_id_enc: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # A hide could not delete it for a passing reason (5xx, network, 429): retried later.
    failed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class TrailState(Base):
    """Per person: the auto-clean choice and when a clean-up of a sensitive chat is due."""

    __tablename__ = "trail_state"
    __table_args__ = (Index("ix_trail_state_due", "next_due_at"),
                      Index("ix_trail_state_retry", "retry_at"))

    person_key: Mapped[str] = mapped_column(String(40), primary_key=True)
    auto_clean: Mapped[bool] = mapped_column(Boolean, default=False)
    # The language the person was last answered in, for the menu a clean-up leaves.
    language: Mapped[str | None] = mapped_column(String(8))
    last_activity_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sensitive_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set when ids older than 48 h were dropped unseen: the next clean-up says so once.
    lost_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When failed deletions are tried next, and how many tries so far (the backoff).
    retry_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    retries: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Set by a hide, cleared when the person opens Sokh again: until then what Sokh sends
    # on its own shows only the neutral line and a Read button.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class UnansweredQuestion(Base):
    """One stripped question and how often it went unanswered."""

    __tablename__ = "unanswered_questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    text: Mapped[str] = mapped_column(String(200), unique=True)
    language: Mapped[str] = mapped_column(String(2))
    count: Mapped[int] = mapped_column(Integer, default=1)
    last_seen: Mapped[date] = mapped_column(Date())


class SeenUpdate(Base):
    """A webhook update being or having been handled: no worker handles an update_id twice."""

    __tablename__ = "seen_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    done: Mapped[bool] = mapped_column(Boolean, default=False)


class ChecklistTick(Base):
    """One checklist entry a person ticked: the item id only, under their pseudonymous key.

    Nothing else is kept (no time, no text); /forget erases the rows with the person.
    """

    __tablename__ = "checklist_ticks"
    __table_args__ = (UniqueConstraint("person_key", "item_id", name="uq_checklist_ticks_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_key: Mapped[str] = mapped_column(ForeignKey("people.key", ondelete="CASCADE"),
                                            index=True)
    item_id: Mapped[str] = mapped_column(String(120))
