"""Key rotation: rewrite every pseudonym and ciphertext an older key made (docs/keys.md).

`python run_bot.py keys rotate` walks each table in batches, one transaction per batch, and
only touches rows that do not yet carry the current key id: a run that stops half-way is
simply run again. A person's key is the primary key of `people` and other tables refer to
it, so a person moves as a unit: the new row first, then their rows elsewhere, then the old
row goes. Ciphertexts bound to a person's key are re-sealed to the new key in the same step.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, ColumnElement, Table, delete, exists, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.runtime.settings import Settings
from bot.storage.forum_cleanup import CLEANUP_CONTEXT, forum_context
from bot.storage.group_sessions import trainer_context
from bot.storage.models import (
    Case,
    CaseForumMessage,
    CaseMessage,
    ChecklistTick,
    Delivery,
    ForumCleanup,
    GroupSession,
    GroupTrainer,
    OutboxRow,
    Person,
    Schedule,
    SessionRsvp,
    TipFeedback,
    TrailMessage,
    TrailState,
)
from bot.storage.vault import CASE, PERSON, ROLE, Vault

BATCH = 500
Row = Mapping[Any, Any]


def make_vault(config: Settings) -> Vault:
    """The vault from SOKH_SECRET_KEY, SOKH_KEY_SALT and SOKH_OLD_SECRET_KEYS."""
    return Vault(config.secret_key_bytes(), config.key_salt_bytes(),
                 config.old_secret_keys_bytes())


def _by_key(row: Row, key: str) -> bytes:
    return str(row[key]).encode()


@dataclass(frozen=True)
class Sealed:
    """A ciphertext column and how its binding (AEAD context) is made from its row."""

    column: str
    context: Callable[[Row], bytes]


@dataclass(frozen=True)
class Spec:
    """A table's pseudonym column (if any, and its context) and its ciphertext columns."""

    table: Table
    key: str | None
    context: str = PERSON
    sealed: tuple[Sealed, ...] = ()

    def stale(self, prefix: str) -> ColumnElement[bool]:
        """Rows holding anything not made by the current key (NULLs need nothing)."""
        columns = [c for c in (self.key, *(s.column for s in self.sealed)) if c]
        return or_(*(~self.table.c[c].startswith(prefix, autoescape=True) for c in columns))

    def rewrite(self, vault: Vault, row: Row, moved_to: str | None = None) -> dict[str, Any]:
        """The row's new values: its pseudonym advanced (or `moved_to`), ciphertexts re-sealed."""
        new = dict(row)
        if moved_to is not None and self.key:
            new[self.key] = moved_to
        elif self.key and row[self.key] is not None:
            new[self.key] = vault.advance(self.context, row[self.key])
        for sealed in self.sealed:
            if row[sealed.column] is not None:
                new[sealed.column] = vault.reencrypt(row[sealed.column], sealed.context(row),
                                                     sealed.context(new))
        return new


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


_CHAT = Sealed("chat_id_enc", lambda row: _by_key(row, "person_key"))
PEOPLE = Spec(_table(Person), "key", PERSON, (Sealed("chat_id_enc", lambda r: _by_key(r, "key")),))
# Rows keyed by people.key (or, for cases, by a key derived from it): they move with their
# person. Cases are not found from their own key alone (Vault.case_key_under).
CHILDREN = (
    Spec(_table(Delivery), "person_key"), Spec(_table(TipFeedback), "person_key"),
    Spec(_table(OutboxRow), "person_key", PERSON, (_CHAT,)),
    Spec(_table(Schedule), "person_key"), Spec(_table(ChecklistTick), "person_key"),
    Spec(_table(Case), "person_key", CASE, (_CHAT,)),
    Spec(_table(CaseMessage), "person_key", CASE, (Sealed(
        "body_enc", lambda r: f"case:{r['case_id']}:{r['sender']}".encode()),)),
)
# Tables without a foreign key to people: rewritten row by row.
STANDALONE = (
    Spec(_table(TrailMessage), "person_key", PERSON,
         (Sealed("message_id_enc", lambda r: f"trail:{r['person_key']}".encode()),)),
    Spec(_table(TrailState), "person_key"),
    Spec(_table(GroupTrainer), "person_key", ROLE),
    Spec(_table(GroupSession), "trainer_key", ROLE,
         (Sealed("trainer_id_enc", lambda r: trainer_context(r["trainer_key"])),)),
    Spec(_table(SessionRsvp), "person_key", ROLE),
    # Forum message ids of cases, and of topics queued for deletion: sealed, no pseudonym.
    Spec(_table(CaseForumMessage), None,
         sealed=(Sealed("message_id_enc", lambda r: forum_context(r["case_id"])),)),
    Spec(_table(ForumCleanup), None, sealed=(Sealed("ids_enc", lambda r: CLEANUP_CONTEXT),)),
)


async def rotate(engine: AsyncEngine, vault: Vault, batch: int = BATCH) -> dict[str, int]:
    """Rewrite everything older keys made; return how many rows changed, by table."""
    done: dict[str, int] = {}
    for spec in STANDALONE:
        done[spec.table.name] = await _rotate_standalone(engine, vault, spec, batch)
    done.update(await _rotate_people(engine, vault, batch))
    return done


async def stale_tables(engine: AsyncEngine, vault: Vault) -> list[str]:
    """Tables still holding rows of an older key (children are covered by `people`)."""
    found = []
    async with engine.connect() as connection:
        for spec in (*STANDALONE, PEOPLE):
            if await connection.scalar(select(exists().where(spec.stale(vault.prefix)))):
                found.append(spec.table.name)
    return found


async def _next_batch(connection: AsyncConnection, spec: Spec, vault: Vault, after: Any,
                      batch: int) -> list[Row]:
    # Keyset by primary key: a row that cannot be rewritten is never read twice in one run.
    pk = _pk(spec)
    query = select(spec.table).where(spec.stale(vault.prefix)).order_by(pk).limit(batch)
    if after is not None:
        query = query.where(pk > after)
    return [row._mapping for row in await connection.execute(query)]


def _pk(spec: Spec) -> Column[Any]:
    (column,) = spec.table.primary_key.columns
    return column


async def _rotate_standalone(engine: AsyncEngine, vault: Vault, spec: Spec, batch: int) -> int:
    count, after, pk = 0, None, _pk(spec)
    while True:
        async with engine.begin() as connection:
            rows = await _next_batch(connection, spec, vault, after, batch)
            for row in rows:
                new = spec.rewrite(vault, row)
                await connection.execute(update(spec.table).where(pk == row[pk.name])
                                         .values(**new))
        if not rows:
            return count
        count, after = count + len(rows), rows[-1][pk.name]


async def _rotate_people(engine: AsyncEngine, vault: Vault, batch: int) -> dict[str, int]:
    done = dict.fromkeys([PEOPLE.table.name, *(c.table.name for c in CHILDREN)], 0)
    after = None
    while True:
        async with engine.begin() as connection:
            rows = await _next_batch(connection, PEOPLE, vault, after, batch)
            for row in rows:
                await _move_person(connection, vault, row, done)
        if not rows:
            return done
        after = rows[-1]["key"]


async def _move_person(connection: AsyncConnection, vault: Vault, row: Row,
                       done: dict[str, int]) -> None:
    """Insert the person under the new key, move their rows to it, drop the old row."""
    table, new = PEOPLE.table, PEOPLE.rewrite(vault, row)
    if new["key"] == row["key"]:
        await connection.execute(update(table).where(table.c.key == row["key"]).values(**new))
    else:
        await connection.execute(insert(table).values(**new))
    done[table.name] += 1
    for child in CHILDREN:
        before, after = row["key"], new["key"]
        if child.context == CASE:
            before, after = vault.case_key_under(before), vault.case_key(after)
        found = await connection.execute(
            select(child.table).where(child.table.c.person_key == before))
        for old in found.mappings().all():
            pk = _pk(child)
            await connection.execute(update(child.table).where(pk == old[pk.name])
                                     .values(**child.rewrite(vault, old, after)))
            done[child.table.name] += 1
    if new["key"] != row["key"]:
        await connection.execute(delete(table).where(table.c.key == row["key"]))
