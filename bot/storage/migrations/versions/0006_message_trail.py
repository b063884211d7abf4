"""Message ids kept for quick exit and auto-clean (issue 7, docs/quick-exit.md).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create the trail of encrypted message ids and the per-person clean-up state."""
    op.create_table(
        "trail_messages",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  primary_key=True, autoincrement=True),
        sa.Column("person_key", sa.String(40), nullable=False),
        sa.Column("message_id_enc", sa.Text(), nullable=False),
        sa.Column("sent_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_trail_messages"),
    )
    op.create_index("ix_trail_messages_person_key", "trail_messages", ["person_key"])
    op.create_index("ix_trail_messages_sent_at", "trail_messages", ["sent_at"])
    op.create_table(
        "trail_state",
        sa.Column("person_key", sa.String(40), nullable=False),
        sa.Column("auto_clean", sa.Boolean(), nullable=False),
        sa.Column("language", sa.String(8), nullable=True),
        sa.Column("last_activity_at", WHEN, nullable=True),
        sa.Column("sensitive_since", WHEN, nullable=True),
        sa.Column("next_due_at", WHEN, nullable=True),
        sa.Column("lost_at", WHEN, nullable=True),
        sa.PrimaryKeyConstraint("person_key", name="pk_trail_state"),
    )
    op.create_index("ix_trail_state_due", "trail_state", ["next_due_at"])


def downgrade() -> None:
    """Drop the trail and its state."""
    op.drop_table("trail_state")
    op.drop_table("trail_messages")
