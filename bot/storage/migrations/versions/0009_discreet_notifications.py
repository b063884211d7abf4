"""Discreet notification preference (issue 7, notifications): people.notify.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Everyone starts 'discreet': a neutral first line on sensitive proactive messages."""
    op.add_column("people", sa.Column("notify", sa.String(10), nullable=False,
                                      server_default="discreet"))


def downgrade() -> None:
    """Drop the preference in place.

    Not batch mode: rebuilding `people` on SQLite would drop it, and foreign keys would
    cascade that to every table that refers to a person.
    """
    op.drop_column("people", "notify")
