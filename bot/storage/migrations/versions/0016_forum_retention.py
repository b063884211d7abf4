"""Retention that covers the counsellors' forum (issue 14, item 5): forum message ids per
case, the cleanup queue, and the General-topic announcement of an urgent case.

Revision ID: 0016_forum_retention
Revises: 0015_case_forum
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_forum_retention"
down_revision = "0015_case_forum"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add cases.announce_id, case_forum_messages and forum_cleanup."""
    op.add_column("cases", sa.Column("announce_id", sa.BigInteger(), nullable=True))
    op.create_table(
        "case_forum_messages",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.Integer(),
                  sa.ForeignKey("cases.id", ondelete="CASCADE",
                                name="fk_case_forum_messages_case_id_cases"), nullable=False),
        sa.Column("message_id_enc", sa.Text(), nullable=False),
    )
    op.create_index("ix_case_forum_messages_case_id", "case_forum_messages", ["case_id"])
    op.create_table(
        "forum_cleanup",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("topic_id", sa.BigInteger(), nullable=True),
        sa.Column("ids_enc", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_try_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_forum_cleanup_next_try_at", "forum_cleanup", ["next_try_at"])


def downgrade() -> None:
    """Drop the queue, the ids and the column (in place: see 0009 on batch mode)."""
    op.drop_index("ix_forum_cleanup_next_try_at", "forum_cleanup")
    op.drop_table("forum_cleanup")
    op.drop_index("ix_case_forum_messages_case_id", "case_forum_messages")
    op.drop_table("case_forum_messages")
    op.drop_column("cases", "announce_id")
