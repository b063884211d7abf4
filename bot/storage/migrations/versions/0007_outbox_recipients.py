"""Outbox recipients that are not people: groups (issue 6).

Group reminders used to go under a placeholder row in `people` per group (`groups.outbox_key`).
Now an outbox row names either a person (`person_key`, encrypted chat id) or a group
(`group_id`; the sender reads the group's current chat id), never both. Existing group rows
move to their group, and the placeholder people, with what was recorded under them, go.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

PLACEHOLDERS = "SELECT outbox_key FROM groups"
# Never batch-rebuild `groups` on SQLite: dropping the old table with foreign keys on deletes
# its rows, and ON DELETE CASCADE would take every session with it. Plain ALTERs keep them.


def upgrade() -> None:
    """Give the outbox a group recipient, move group rows to it, drop the placeholders."""
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("group_id", sa.Integer(), nullable=True))
        batch.alter_column("person_key", existing_type=sa.String(40), nullable=True)
        batch.alter_column("chat_id_enc", existing_type=sa.Text(), nullable=True)
        batch.create_foreign_key("fk_outbox_group_id_groups", "groups", ["group_id"], ["id"],
                                 ondelete="CASCADE")
        batch.create_unique_constraint("uq_outbox_group_key", ["group_id", "campaign", "step"])
    # SET expressions read the row as it was, so the subquery still sees the old person_key.
    op.execute("UPDATE outbox SET group_id = (SELECT g.id FROM groups g "
               "WHERE g.outbox_key = outbox.person_key), person_key = NULL, chat_id_enc = NULL "
               f"WHERE person_key IN ({PLACEHOLDERS})")
    op.execute(f"DELETE FROM deliveries WHERE person_key IN ({PLACEHOLDERS})")
    op.execute(f"DELETE FROM people WHERE key IN ({PLACEHOLDERS})")
    with op.batch_alter_table("outbox") as batch:
        batch.create_check_constraint(op.f("ck_outbox_one_recipient"),
                                      "(person_key IS NULL) <> (group_id IS NULL)")
    op.execute("ALTER TABLE groups DROP COLUMN outbox_key")


def downgrade() -> None:
    """Back to person-only rows. Lossy: rebuilding placeholder people needs SOKH_SECRET_KEY,
    so group rows still waiting are dropped and group reminders stay silent afterwards."""
    op.execute("DELETE FROM outbox WHERE group_id IS NOT NULL")
    op.add_column("groups", sa.Column("outbox_key", sa.String(40), nullable=False,
                                      server_default=""))
    op.execute("UPDATE groups SET outbox_key = 'group-' || id")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint(op.f("ck_outbox_one_recipient"), type_="check")
        batch.drop_constraint("uq_outbox_group_key", type_="unique")
        batch.drop_constraint("fk_outbox_group_id_groups", type_="foreignkey")
        batch.drop_column("group_id")
        batch.alter_column("person_key", existing_type=sa.String(40), nullable=False)
        batch.alter_column("chat_id_enc", existing_type=sa.Text(), nullable=False)
