"""Merge the relay's case_forum (cases.forum_id) and the forum retention branches.

Revision ID: 0012_merge_relay_retention
Revises: 0011_case_forum, 0011_forum_retention
Create Date: 2026-12-06
"""

revision = "0012_merge_relay_retention"
down_revision = ("0011_case_forum", "0011_forum_retention")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to do: the two branches touch different columns and tables."""


def downgrade() -> None:
    """Nothing to undo."""
