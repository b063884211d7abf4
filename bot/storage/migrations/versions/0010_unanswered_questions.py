"""Unanswered typed questions, stripped of personal data (issue 16): unanswered_questions.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """A stripped question, how often it went unanswered, and when last."""
    op.create_table(
        "unanswered_questions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("text", sa.String(200), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("last_seen", sa.Date(), nullable=False),
        sa.UniqueConstraint("text", name="uq_unanswered_questions_text"),
    )


def downgrade() -> None:
    """Drop the counts."""
    op.drop_table("unanswered_questions")
