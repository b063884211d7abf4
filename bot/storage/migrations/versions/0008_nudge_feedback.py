"""Useful / not useful taps on course tips (issue 5); schedule ids never reused on SQLite.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Feedback: one row per person, tip and content version (a double tap is one vote)."""
    op.create_table(
        "tip_feedback",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("person_key", sa.String(40),
                  sa.ForeignKey("people.key", ondelete="CASCADE",
                                name="fk_tip_feedback_person_key_people"),
                  nullable=False),
        sa.Column("item_id", sa.String(120), nullable=False),
        sa.Column("content_version", sa.String(40), nullable=False),
        sa.Column("useful", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_tip_feedback"),
        sa.UniqueConstraint("person_key", "item_id", "content_version",
                            name="uq_tip_feedback_key"),
    )
    if op.get_bind().dialect.name == "sqlite":
        _never_reuse_schedule_ids()


def _never_reuse_schedule_ids() -> None:
    """AUTOINCREMENT, so a course or trip started again gets a new id and new outbox keys.

    Without it SQLite hands a deleted row's id to the next row: tips of the new course then
    collide with the old course's outbox keys and are silently dropped.
    """
    with op.batch_alter_table("schedules", recreate="always",
                              table_kwargs={"sqlite_autoincrement": True}):
        pass
    # Ids deleted before this migration may still name outbox rows: start above them too.
    op.execute("INSERT INTO sqlite_sequence (name, seq) SELECT 'schedules', 0 WHERE NOT EXISTS "
               "(SELECT 1 FROM sqlite_sequence WHERE name = 'schedules')")
    op.execute("UPDATE sqlite_sequence SET seq = MAX(seq, COALESCE((SELECT MAX(CAST(substr("
               "step, 1, instr(step, '-') - 1) AS INTEGER)) FROM outbox WHERE campaign IN "
               "('course', 'travel')), 0)) WHERE name = 'schedules'")


def downgrade() -> None:
    """Drop the feedback table."""
    op.drop_table("tip_feedback")
