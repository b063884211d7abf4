"""Checklist ticks, one row per person and ticked item (issue 19): checklist_ticks.

Revision ID: 0014_checklist_ticks
Revises: 0013_quick_exit
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

# A named id, not the next number: other branches may add their own 0011 meanwhile.
revision = "0014_checklist_ticks"
down_revision = "0013_quick_exit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """A person's key and the id of an item they ticked."""
    op.create_table(
        "checklist_ticks",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("person_key", sa.String(40),
                  sa.ForeignKey("people.key", ondelete="CASCADE",
                                name="fk_checklist_ticks_person_key_people"),
                  nullable=False),
        sa.Column("item_id", sa.String(120), nullable=False),
        sa.UniqueConstraint("person_key", "item_id", name="uq_checklist_ticks_key"),
    )
    op.create_index("ix_checklist_ticks_person_key", "checklist_ticks", ["person_key"])


def downgrade() -> None:
    """Drop the ticks."""
    op.drop_index("ix_checklist_ticks_person_key", table_name="checklist_ticks")
    op.drop_table("checklist_ticks")
