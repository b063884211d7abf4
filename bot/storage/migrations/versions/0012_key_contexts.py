"""Cases get their own pseudonyms (docs/keys.md): no foreign key from cases to people.

Also `group_sessions.trainer_id_enc`: the trainer's Telegram id, sealed, so the attendance
prompt reaches them though `trainer_key` is now a group-role key, unrelated to `people.key`.

`cases.person_key` and `case_messages.person_key` now hold the person's case key
(`Vault.case_key`), unrelated to `people.key` without the secret, so they can no longer
reference it. Existing rows keep the person key they had until `keys rotate` moves them.

On SQLite a foreign key cannot be dropped in place: both tables are rebuilt. Dropping the
old `cases` while the transcripts still refer to it would delete them (ON DELETE CASCADE),
so the new transcript table refers to the new cases table before the old ones go.

Revision ID: 0012_key_contexts
Revises: 0011_seen_updates
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_key_contexts"
down_revision = "0011_seen_updates"
branch_labels = None
depends_on = None

PERSON_FK = {"cases": "fk_cases_person_key_people",
             "case_messages": "fk_case_messages_person_key_people"}


def _when(name: str, nullable: bool = True) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _person_fk(table: str, with_fk: bool) -> list[sa.ForeignKeyConstraint]:
    if not with_fk:
        return []
    return [sa.ForeignKeyConstraint(["person_key"], ["people.key"], ondelete="CASCADE",
                                    name=PERSON_FK[table])]


def _create(suffix: str, with_fk: bool) -> None:
    """The two tables as in 0002, named with `suffix`, with or without the people key."""
    op.create_table(
        f"cases{suffix}",
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
        *_person_fk("cases", with_fk),
        sa.PrimaryKeyConstraint("id", name="pk_cases"),
        sa.UniqueConstraint("alias", name="uq_cases_alias"),
    )
    op.create_table(
        f"case_messages{suffix}",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("person_key", sa.String(40), nullable=False),
        sa.Column("sender", sa.String(10), nullable=False),
        sa.Column("body_enc", sa.Text(), nullable=False),
        _when("sent_at", nullable=False),
        sa.ForeignKeyConstraint(["case_id"], [f"cases{suffix}.id"], ondelete="CASCADE",
                                name="fk_case_messages_case_id_cases"),
        *_person_fk("case_messages", with_fk),
        sa.PrimaryKeyConstraint("id", name="pk_case_messages"),
    )


def _rebuild_on_sqlite(with_fk: bool) -> None:
    """New tables first (transcripts pointing at the new cases), copy, drop old, rename."""
    _create("_new", with_fk)
    for table in ("cases", "case_messages"):
        op.execute(f"INSERT INTO {table}_new SELECT * FROM {table}")
    op.drop_table("case_messages")  # nothing refers to it: no cascade
    op.drop_table("cases")  # the old transcripts are gone, the new ones refer to cases_new
    # Renaming a parent table rewrites the REFERENCES of its children (foreign keys are on).
    op.rename_table("cases_new", "cases")
    op.rename_table("case_messages_new", "case_messages")
    for column in ("person_key", "status", "topic_id"):
        op.create_index(f"ix_cases_{column}", "cases", [column])
    for column in ("case_id", "person_key"):
        op.create_index(f"ix_case_messages_{column}", "case_messages", [column])


def upgrade() -> None:
    """Drop the foreign keys from cases and transcripts to people; seal trainers' ids."""
    # A plain ALTER, never a rebuild: dropping group_sessions would cascade to the RSVPs.
    op.add_column("group_sessions", sa.Column("trainer_id_enc", sa.Text(), nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_on_sqlite(with_fk=False)
        return
    for table, name in PERSON_FK.items():
        op.drop_constraint(name, table, type_="foreignkey")


def downgrade() -> None:
    """Restore them. Lossy: cases whose key is not a person's key cannot stay."""
    op.execute("ALTER TABLE group_sessions DROP COLUMN trainer_id_enc")
    op.execute("DELETE FROM case_messages WHERE person_key NOT IN (SELECT \"key\" FROM people)")
    op.execute("DELETE FROM cases WHERE person_key NOT IN (SELECT \"key\" FROM people)")
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_on_sqlite(with_fk=True)
        return
    for table, name in PERSON_FK.items():
        op.create_foreign_key(name, table, "people", ["person_key"], ["key"],
                              ondelete="CASCADE")
