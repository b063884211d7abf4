"""The outbox's group key becomes a partial unique index (issue 17, item 7).

Person rows, nearly all of the outbox, have no group id, yet each still put a
(NULL, campaign, step) entry into the group key's index: about 0.15 s of the 1.6 s that
inserting 100,000 course tips took on PostgreSQL. NULLs never collide, so indexing only
group rows keeps the same uniqueness; ON CONFLICT DO NOTHING (no target) still honours the
partial index.

Revision ID: 0017_outbox_group_key_partial
Revises: 0016_forum_retention
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_outbox_group_key_partial"
down_revision = "0016_forum_retention"
branch_labels = None
depends_on = None

COLUMNS = ["group_id", "campaign", "step"]
GROUP_ROWS = sa.text("group_id IS NOT NULL")


def upgrade() -> None:
    """Swap the unique constraint for a unique index over group rows only."""
    # SQLite cannot drop a table constraint in place: batch mode rebuilds `outbox`
    # (nothing references it, so no cascade can fire).
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint("uq_outbox_group_key", type_="unique")
    op.create_index("uq_outbox_group_key", "outbox", COLUMNS, unique=True,
                    postgresql_where=GROUP_ROWS, sqlite_where=GROUP_ROWS)


def downgrade() -> None:
    """Back to the full unique constraint."""
    op.drop_index("uq_outbox_group_key", table_name="outbox")
    with op.batch_alter_table("outbox") as batch:
        batch.create_unique_constraint("uq_outbox_group_key", COLUMNS)
