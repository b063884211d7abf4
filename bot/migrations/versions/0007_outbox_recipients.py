"""Outbox recipients that are not people: groups (issue 6).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22
"""

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Reserved for outbox recipients; filled in by that change."""


def downgrade() -> None:
    """Reserved for outbox recipients; filled in by that change."""
