"""Counsellor cases, their encrypted transcripts and the audit log of take and close.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = True) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _person_key(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["person_key"], ["people.key"], ondelete="CASCADE",
                                   name=op.f(f"fk_{table}_person_key_people"))


def _cases() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("alias", sa.String(12), nullable=False),
        sa.Column("person_key", sa.String(40), nullable=False),
        sa.Column("chat_id_enc", sa.Text(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("topic_id", sa.BigInteger(), nullable=True),
        sa.Column("counsellor_id", sa.BigInteger(), nullable=True),
        _when("opened_at", nullable=False), _when("taken_at"), _when("closed_at"),
        _when("waiting_told_at"),
        sa.Column("rating", sa.Integer(), nullable=True),
        _person_key("cases"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("alias", name=op.f("uq_cases_alias")),
    )
    for column in ("person_key", "status", "topic_id"):
        op.create_index(op.f(f"ix_cases_{column}"), "cases", [column])


def _case_messages() -> None:
    op.create_table(
        "case_messages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("person_key", sa.String(40), nullable=False),
        sa.Column("sender", sa.String(10), nullable=False),
        sa.Column("body_enc", sa.Text(), nullable=False),
        _when("sent_at", nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE",
                                name=op.f("fk_case_messages_case_id_cases")),
        _person_key("case_messages"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_messages")),
    )
    for column in ("case_id", "person_key"):
        op.create_index(op.f(f"ix_case_messages_{column}"), "case_messages", [column])


def _case_audit() -> None:
    op.create_table(
        "case_audit",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_alias", sa.String(12), nullable=False),
        sa.Column("action", sa.String(10), nullable=False),
        sa.Column("counsellor_id", sa.BigInteger(), nullable=False),
        _when("at", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_audit")),
    )
    op.create_index(op.f("ix_case_audit_case_alias"), "case_audit", ["case_alias"])


def upgrade() -> None:
    _cases()
    _case_messages()
    _case_audit()


def downgrade() -> None:
    op.drop_table("case_audit")
    op.drop_table("case_messages")
    op.drop_table("cases")
