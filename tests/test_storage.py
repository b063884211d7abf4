"""People storage and migrations on real SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import inspect, text

from bot.storage import migrate
from bot.storage.database import create_engine, session_factory
from bot.storage.people import People
from bot.storage.vault import Vault

USER_ID, CHAT_ID = 987654321, 987654321


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


async def test_migrations_create_and_drop_every_table(db_url: str) -> None:
    engine = create_engine(db_url)
    await migrate.upgrade(engine)
    async with engine.connect() as conn:
        tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert {"people", "deliveries", "alembic_version"} <= tables
    await migrate.downgrade(engine, "base")
    async with engine.connect() as conn:
        tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert tables <= {"alembic_version"}
    await engine.dispose()


async def test_person_is_created_once_and_language_remembered(db_url: str, vault: Vault) -> None:
    engine = create_engine(db_url)
    await migrate.upgrade(engine)
    people = People(session_factory(engine), vault, FakeClock())
    first = await people.touch(USER_ID, CHAT_ID)
    assert first.is_new and first.language is None
    await people.set_language(first.key, "km")
    again = await people.touch(USER_ID, CHAT_ID)
    assert not again.is_new and again.language == "km" and again.key == first.key
    assert await people.chat_id(first.key) == CHAT_ID
    await engine.dispose()


async def test_no_clear_telegram_id_is_stored(db_url: str, vault: Vault) -> None:
    engine = create_engine(db_url)
    await migrate.upgrade(engine)
    people = People(session_factory(engine), vault, FakeClock())
    profile = await people.touch(USER_ID, CHAT_ID)
    await people.record_delivery(profile.key, "v1", "parenting.calm.ten-second-pause")
    async with engine.connect() as conn:
        rows = [*await conn.execute(text("SELECT * FROM people")),
                *await conn.execute(text("SELECT * FROM deliveries"))]
    assert rows and all(str(USER_ID) not in str(value) for row in rows for value in row)
    await engine.dispose()


async def test_forget_erases_profile_and_deliveries(db_url: str, vault: Vault) -> None:
    engine = create_engine(db_url)
    await migrate.upgrade(engine)
    clock = FakeClock()
    people = People(session_factory(engine), vault, clock)
    profile = await people.touch(USER_ID, CHAT_ID)
    for minutes in range(3):
        clock.now += timedelta(minutes=minutes)
        await people.record_delivery(profile.key, "v1", f"item-{minutes}")
    assert len(await people.delivered_at(profile.key)) == 3
    erased = await people.forget(profile.key)
    # Every table with a person_key is swept; only the ones holding rows count here.
    assert {table: n for table, n in erased.items() if n} == {"people": 1, "deliveries": 3}
    assert {"cases", "case_messages"} <= erased.keys()
    assert await people.delivered_at(profile.key) == []
    assert await people.chat_id(profile.key) is None
    assert not any((await people.forget(profile.key)).values())
    await engine.dispose()


def test_migrations_have_one_head() -> None:
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(migrate.alembic_config()).get_heads()
    assert len(heads) == 1, f"merge the migration branches: {heads}"


async def test_a_crowd_of_first_contacts_is_created_together_once_each(
    db_url: str, vault: Vault
) -> None:
    engine = create_engine(db_url)
    await migrate.upgrade(engine)
    people = People(session_factory(engine), vault, FakeClock())
    known = await people.touch(1, 1)
    await people.set_language(known.key, "en")
    # 700 new people (over one batch), each first message three times at once, and one known.
    ids = [1_000 + n for n in range(700)]
    profiles = await asyncio.gather(*(people.touch(i, i) for i in [*ids, *ids, *ids, 1]))
    assert all(p.is_new and p.language is None for p in profiles[:-1])
    assert not profiles[-1].is_new and profiles[-1].language == "en"
    async with engine.connect() as conn:
        count = (await conn.execute(text("SELECT count(*) FROM people"))).scalar_one()
    assert count == 701
    assert await people.chat_id(people.key_for(1_699)) == 1_699
    await engine.dispose()


async def test_a_row_another_process_just_made_is_left_alone(db_url: str, vault: Vault) -> None:
    engine = create_engine(db_url)
    await migrate.upgrade(engine)
    other, mine = (People(session_factory(engine), vault, FakeClock()) for _ in range(2))
    made = await other.touch(USER_ID, CHAT_ID)
    await other.set_language(made.key, "km")
    # `mine` has no cache entry: it finds the row, never inserts a second one.
    profile = await mine.touch(USER_ID, CHAT_ID)
    assert not profile.is_new and profile.language == "km"
    await engine.dispose()
