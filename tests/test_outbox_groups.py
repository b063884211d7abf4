"""The outbox addresses groups as groups: no placeholder people, 403 pauses, migration 0007."""

from __future__ import annotations

from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.proactive.outbox import NewMessage
from bot.storage import migrate
from bot.storage.database import create_engine, session_factory
from bot.storage.groups import ACTIVE, PAUSED, GroupStore
from bot.storage.vault import Vault
from tests.test_sender import rig_on


async def rows(engine: AsyncEngine, sql: str) -> list[tuple[object, ...]]:
    """Rows of a raw query."""
    async with engine.connect() as conn:
        return [tuple(row) for row in await conn.execute(text(sql))]


async def test_group_rows_need_no_person_and_keep_their_key(db_url: str, vault: Vault) -> None:
    async with rig_on(db_url, vault) as rig:
        chat = rig.emu.add_group("Parents", members=[rig.emu.add_user()])
        group = await GroupStore(session_factory(rig.engine), rig.time).join(chat.id, "Parents")
        _, key = await rig.person()
        to_group = [NewMessage.to_group(group.id, "test", step, "en", {}, rig.time())
                    for step in ("a", "a", "b")]
        await rig.outbox.enqueue(to_group)
        await rig.queue(key, ["a"])
        sender = rig.sender()
        assert await sender.run_once() == 3
        assert await rig.statuses() == {"sent": 2, "pending": 1}, "3 s between a group's sends"
        rig.time.advance(3)
        await sender.run_once()
        assert await rig.statuses() == {"sent": 3}
        group_texts = [c.params["text"] for c in rig.emu.calls("sendMessage")
                       if c.ok and c.params["chat_id"] == chat.id]
        assert group_texts == ["nudge a", "nudge b"], "one key, one message"
        assert await rows(rig.engine, "SELECT key FROM people") == [(key,)]
        assert await rows(rig.engine, "SELECT person_key FROM deliveries") == [(key,)]


async def test_a_group_that_removed_the_bot_is_paused_not_a_person(
        db_url: str, vault: Vault) -> None:
    async with rig_on(db_url, vault) as rig:
        chat = rig.emu.add_group("Youth club", members=[rig.emu.add_user()])
        groups = GroupStore(session_factory(rig.engine), rig.time)
        group = await groups.join(chat.id, "Youth club")
        _, key = await rig.person()
        await rig.outbox.enqueue([NewMessage.to_group(group.id, "test", s, "en", {}, rig.time())
                                  for s in ("a", "b")])
        await rig.queue(key, ["a"])
        chat.bot_status = "kicked"
        await rig.sender().run_once()
        assert await rig.statuses() == {"cancelled": 2, "sent": 1}
        found = await groups.by_id(group.id)
        assert found is not None and found.status == PAUSED
        assert await rows(rig.engine, "SELECT key FROM people WHERE blocked_at IS NULL") == [
            (key,)], "the person stays active"
        rejoined = await groups.join(chat.id, "Youth club")
        assert rejoined.id == group.id and rejoined.status == ACTIVE


async def test_migration_0007_moves_placeholder_people_away(db_url: str, vault: Vault) -> None:
    engine = create_engine(db_url)
    await migrate.upgrade(engine, "0006")
    await _seed_placeholders(engine)
    await migrate.upgrade(engine, "0007")  # only this step: later ones are not under test
    assert await rows(engine, "SELECT key FROM people") == [("person-key",)]
    assert await rows(engine, "SELECT person_key FROM deliveries") == [("person-key",)]
    moved = await rows(engine, "SELECT person_key, group_id, chat_id_enc, step FROM outbox "
                               "ORDER BY id")
    assert moved == [(None, 7, None, "1-r"), ("person-key", None, "enc-p", "1")]
    async with engine.connect() as conn:
        columns = await conn.run_sync(lambda c: {x["name"] for x in inspect(c).get_columns(
            "groups")})
    assert "outbox_key" not in columns
    assert await rows(engine, "SELECT id FROM group_sessions") == [(1,)], "no cascade"
    await migrate.downgrade(engine, "0006")
    assert await rows(engine, "SELECT person_key FROM outbox") == [("person-key",)]
    await engine.dispose()


async def _seed_placeholders(engine: AsyncEngine) -> None:
    """A group with a session, its placeholder person, and a reminder and tip under it."""
    when = "'2026-12-01 05:00:00+00:00'"
    statements = [
        f"INSERT INTO people (key, chat_id_enc, created_at, last_seen_at) VALUES "
        f"('group-key', 'enc-g', {when}, {when}), ('person-key', 'enc-p', {when}, {when})",
        f"INSERT INTO groups (id, chat_id, title, status, outbox_key, created_at) VALUES "
        f"(7, -4001, 'Parents', 'active', 'group-key', {when})",
        f"INSERT INTO group_sessions (id, group_id, title, topic, starts_at, place, reminders, "
        f"stage, status, trainer_key) VALUES "
        f"(1, 7, 'Kind words', 'calm', {when}, 'Pagoda', '60', 0, 'scheduled', 'trainer-key')",
        f"INSERT INTO outbox (person_key, campaign, step, chat_id_enc, language, payload, "
        f"status, due_at, attempts, paid) VALUES "
        f"('group-key', 'group', '1-r', 'enc-g', 'en', '{{}}', 'pending', {when}, 0, false), "
        f"('person-key', 'course', '1', 'enc-p', 'en', '{{}}', 'pending', {when}, 0, false)",
        f"INSERT INTO deliveries (person_key, content_version, item_id, delivered_at) VALUES "
        f"('group-key', 'v1', 'tip', {when}), ('person-key', 'v1', 'tip', {when})",
    ]
    async with engine.begin() as conn:
        for statement in statements:
            await conn.execute(text(statement))


async def test_group_key_indexes_only_group_rows_and_still_dedupes(
        db_url: str, vault: Vault) -> None:
    # Migration 0017: person rows stay out of the group key's index (enqueue speed); a group
    # row queued again in a later run is still dropped by ON CONFLICT DO NOTHING.
    async with rig_on(db_url, vault) as rig:
        chat = rig.emu.add_group("Parents", members=[rig.emu.add_user()])
        group = await GroupStore(session_factory(rig.engine), rig.time).join(chat.id, "Parents")
        message = NewMessage.to_group(group.id, "test", "a", "en", {}, rig.time())
        await rig.outbox.enqueue([message])
        await rig.outbox.enqueue([message])
        _, key = await rig.person()
        await rig.queue(key, ["a"])
        await rig.queue(key, ["a"])
        assert await rig.statuses() == {"pending": 2}

        def group_key(conn: object) -> dict[str, object]:
            found = [i for i in inspect(conn).get_indexes("outbox")
                     if i["name"] == "uq_outbox_group_key"]
            assert len(found) == 1, "an index, no longer a table constraint"
            return dict(found[0])

        async with rig.engine.connect() as conn:
            index = await conn.run_sync(group_key)
        assert index["unique"] and index["column_names"] == ["group_id", "campaign", "step"]
        options = index.get("dialect_options", {})
        assert isinstance(options, dict)
        where = " ".join(str(value) for value in options.values())
        assert "group_id IS NOT NULL" in where.replace("(", "").replace(")", "")
