"""Webhook intake: update ids being or having been handled (issue 17): seen_updates.

Revision ID: 0011_seen_updates
Revises: 0010
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_seen_updates"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """An update id, when a worker claimed it, and whether it was handled."""
    op.create_table(
        "seen_updates",
        sa.Column("update_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_seen_updates_claimed_at", "seen_updates", ["claimed_at"])


def downgrade() -> None:
    """Drop the intake log."""
    op.drop_index("ix_seen_updates_claimed_at", "seen_updates")
    op.drop_table("seen_updates")
