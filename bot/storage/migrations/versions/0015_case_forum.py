"""Cases remember which counsellors' group holds their topic (issue 14): cases.forum_id.

Revision ID: 0015_case_forum
Revises: 0014_checklist_ticks
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_case_forum"
down_revision = "0014_checklist_ticks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """COUNSELLOR_CHAT_ID may name several groups; cases from before live in the first."""
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("forum_id", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    """Drop the column."""
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("forum_id")
