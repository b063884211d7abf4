"""Useful / not useful taps on course tips (issue 5).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22
"""

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Reserved for nudge feedback; filled in by that change."""


def downgrade() -> None:
    """Reserved for nudge feedback; filled in by that change."""
