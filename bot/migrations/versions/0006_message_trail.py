"""Message ids kept for quick exit and auto-clean (issue 7).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Reserved for the message trail; filled in by that change."""


def downgrade() -> None:
    """Reserved for the message trail; filled in by that change."""
