"""Quick exit never pretends (issue 15): failed deletions kept for retry, the veil after a hide.

trail_messages.failed marks ids whose deletion failed for a passing reason (5xx, network,
429); trail_state.retry_at and retries pace their retries; trail_state.hidden_at makes what
Sokh sends on its own fully neutral until the person opens Sokh again (docs/quick-exit.md).

Revision ID: 0013_quick_exit
Revises: 0012_key_contexts
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

# A named id, not "0011": other branches may add their own 0011 the same day.
revision = "0013_quick_exit"
down_revision = "0012_key_contexts"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Add the retry mark, its pacing, and the veil."""
    with op.batch_alter_table("trail_messages") as table:
        table.add_column(sa.Column("failed", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
    with op.batch_alter_table("trail_state") as table:
        table.add_column(sa.Column("retry_at", WHEN, nullable=True))
        table.add_column(sa.Column("retries", sa.Integer(), nullable=False,
                                   server_default="0"))
        table.add_column(sa.Column("hidden_at", WHEN, nullable=True))
    op.create_index("ix_trail_state_retry", "trail_state", ["retry_at"])


def downgrade() -> None:
    """Drop them again."""
    op.drop_index("ix_trail_state_retry", table_name="trail_state")
    with op.batch_alter_table("trail_state") as table:
        table.drop_column("hidden_at")
        table.drop_column("retries")
        table.drop_column("retry_at")
    with op.batch_alter_table("trail_messages") as table:
        table.drop_column("failed")
