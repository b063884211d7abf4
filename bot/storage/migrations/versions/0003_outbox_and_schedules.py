"""Outbox of proactive messages and per-person schedules (course, travel countdown).

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _person_key(table: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(
        "person_key", sa.String(40),
        sa.ForeignKey("people.key", ondelete="CASCADE", name=f"fk_{table}_person_key_people"),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        _person_key("outbox"),
        sa.Column("campaign", sa.String(40), nullable=False),
        sa.Column("step", sa.String(60), nullable=False),
        sa.Column("chat_id_enc", sa.Text(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("paid", sa.Boolean(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.String(80), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sa.UniqueConstraint("person_key", "campaign", "step", name="uq_outbox_key"),
    )
    op.create_index("ix_outbox_claim", "outbox", ["status", "due_at"])
    op.create_table(
        "schedules",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        _person_key("schedules"),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("next_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("age", sa.String(8), nullable=True),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("every_days", sa.Integer(), nullable=False),
        sa.Column("destination", sa.String(4), nullable=True),
        sa.Column("travel_date", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_schedules"),
        sa.UniqueConstraint("person_key", "kind", name="uq_schedules_kind"),
    )
    op.create_index("ix_schedules_due", "schedules", ["status", "next_due_at"])


def downgrade() -> None:
    op.drop_table("schedules")
    op.drop_table("outbox")
