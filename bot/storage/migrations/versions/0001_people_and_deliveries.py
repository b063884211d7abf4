"""People (pseudonymous) and content deliveries.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("chat_id_enc", sa.Text(), nullable=False),
        sa.Column("language", sa.String(8), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("blocked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_people")),
    )
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("person_key", sa.String(40), nullable=False),
        sa.Column("content_version", sa.String(40), nullable=False),
        sa.Column("item_id", sa.String(120), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_key"],
            ["people.key"],
            name=op.f("fk_deliveries_person_key_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
    )
    op.create_index(op.f("ix_deliveries_person_key"), "deliveries", ["person_key"])
    op.create_index(op.f("ix_deliveries_item_id"), "deliveries", ["item_id"])


def downgrade() -> None:
    op.drop_table("deliveries")
    op.drop_table("people")
