"""Groups, their trainers, sessions and RSVPs (docs/groups.md).

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0001"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def _group_fk(table: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("group_id", sa.Integer(),
                     sa.ForeignKey("groups.id", ondelete="CASCADE",
                                   name=f"fk_{table}_group_id_groups"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "groups",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("title", sa.String(128), nullable=False),
        sa.Column("language", sa.String(8), nullable=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("thread_id", sa.BigInteger(), nullable=True),
        sa.Column("outbox_key", sa.String(40), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_groups"),
        sa.UniqueConstraint("chat_id", name="uq_groups_chat_id"),
    )
    op.create_table(
        "group_trainers",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _group_fk("group_trainers"),
        sa.Column("person_key", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_group_trainers"),
        sa.UniqueConstraint("group_id", "person_key", name="uq_group_trainers_key"),
    )
    op.create_index("ix_group_trainers_person_key", "group_trainers", ["person_key"])
    _sessions()
    op.create_table(
        "session_rsvps",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("session_id", sa.Integer(),
                  sa.ForeignKey("group_sessions.id", ondelete="CASCADE",
                                name="fk_session_rsvps_session_id_group_sessions"),
                  nullable=False),
        sa.Column("person_key", sa.String(40), nullable=False),
        sa.Column("coming", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_session_rsvps"),
        sa.UniqueConstraint("session_id", "person_key", name="uq_session_rsvps_key"),
    )
    op.create_index("ix_session_rsvps_person_key", "session_rsvps", ["person_key"])


def _sessions() -> None:
    counts = [sa.Column(name, sa.Integer(), nullable=True)
              for name in ("attended", "women", "men", "girls", "boys")]
    op.create_table(
        "group_sessions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _group_fk("group_sessions"),
        sa.Column("series_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("topic", sa.String(60), nullable=False),
        sa.Column("starts_at", WHEN, nullable=False),
        sa.Column("place", sa.String(200), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("reminders", sa.String(40), nullable=False),
        sa.Column("stage", sa.Integer(), nullable=False),
        sa.Column("next_due_at", WHEN, nullable=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("trainer_key", sa.String(40), nullable=False),
        *counts,
        sa.PrimaryKeyConstraint("id", name="pk_group_sessions"),
    )
    op.create_index("ix_group_sessions_group_id", "group_sessions", ["group_id"])
    op.create_index("ix_group_sessions_due", "group_sessions", ["status", "next_due_at"])


def downgrade() -> None:
    op.drop_table("session_rsvps")
    op.drop_table("group_sessions")
    op.drop_table("group_trainers")
    op.drop_table("groups")
