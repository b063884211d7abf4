"""`keys rotate` on real SQLite and PostgreSQL: old data moves to the new key, resumably."""

from __future__ import annotations

import asyncio
import base64
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import String, Text, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage import migrate
from bot.storage.cases import Cases
from bot.storage.database import create_engine, session_factory
from bot.storage.group_sessions import trainer_context
from bot.storage.groups import GroupStore
from bot.storage.keys import CHILDREN, PEOPLE, STANDALONE, rotate, stale_tables
from bot.storage.models import (
    Base,
    GroupSession,
    OutboxRow,
    SessionRsvp,
    TrailMessage,
    TrailState,
)
from bot.storage.people import People
from bot.storage.trail import TrailStore
from bot.storage.vault import Vault, key_id
from bot.wiring import build_services
from tests.helpers.dialog_client import dialog_settings
from tests.helpers.harness import TEST_SALT, TEST_SECRET

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
NEW_SECRET = b"the-next-secret-after-a-leak-0123456789"
PEOPLE_IDS = range(700_000_001, 700_000_008)  # more than one batch of 3
ROOT = Path(__file__).resolve().parent.parent


class LegacyVault(Vault):
    """The vault as it was before key ids (unsalted, no prefix): writes old-format rows."""

    def __init__(self, secret: bytes) -> None:
        super().__init__(secret, TEST_SALT.encode())
        self._chain = self._chain[:1]
        self._current = self._chain[0]

    def case_key(self, person_key: str) -> str:
        """Cases were kept under the person key itself."""
        return person_key

    def encrypt(self, plaintext: bytes, context: bytes = b"") -> str:
        """Old tokens: base64 of nonce and ciphertext, no key id."""
        nonce = os.urandom(12)
        sealed = self._current.aead.encrypt(nonce, plaintext, context)
        return base64.urlsafe_b64encode(nonce + sealed).decode()


class FailingVault(Vault):
    """The new vault, failing after `left` re-encryptions: a rotation killed half-way."""

    def __init__(self, left: int) -> None:
        super().__init__(NEW_SECRET, TEST_SALT.encode(), [TEST_SECRET.encode()])
        self.left = left

    def reencrypt(self, token: str, old_context: bytes, new_context: bytes) -> str:
        """Count down, then fail like a crash would."""
        self.left -= 1
        if self.left < 0:
            raise RuntimeError("killed")
        return super().reencrypt(token, old_context, new_context)


async def _fill(engine: AsyncEngine, vault: Vault) -> int:
    """Every kind of row that holds a pseudonym or a ciphertext, made by `vault`."""
    sessions = session_factory(engine)
    people, cases = People(sessions, vault, lambda: NOW), Cases(sessions, vault, lambda: NOW)
    groups = GroupStore(sessions, lambda: NOW)
    group = await groups.join(-100777, "Village group")
    for telegram_id in PEOPLE_IDS:
        key = (await people.touch(telegram_id, telegram_id)).key
        await people.set_language(key, "km")
        await people.record_delivery(key, "v1", "parenting.calm")
        case = await cases.open(key, telegram_id, "km", urgent=True)
        await cases.record(case, "person", f"help me {telegram_id}")
        await groups.add_trainer(group.id, vault.role_key(telegram_id))
        async with sessions.begin() as session:
            session.add(OutboxRow(person_key=key, campaign="course", step="1", language="km",
                                  chat_id_enc=vault.encrypt_chat_id(telegram_id, key),
                                  payload="{}", status="waiting", due_at=NOW))
            session.add(TrailMessage(person_key=key, sent_at=NOW, message_id_enc=vault.encrypt(
                b"4242", f"trail:{key}".encode())))
            session.add(TrailState(person_key=key, auto_clean=True))
    async with sessions.begin() as session:
        trainer = vault.role_key(PEOPLE_IDS[0])
        sealed = vault.encrypt(str(PEOPLE_IDS[0]).encode(), trainer_context(trainer))
        row = GroupSession(group_id=group.id, title="Talk", topic="t", starts_at=NOW,
                           place="hall", reminders="", status="planned", trainer_key=trainer,
                           trainer_id_enc=sealed)
        session.add(row)
        await session.flush()
        session.add(SessionRsvp(session_id=row.id, person_key=trainer, coming=True))
    return group.id


async def _check_moved(engine: AsyncEngine, vault: Vault, group_id: int) -> None:
    """Everything is on the new key and reads back as before."""
    sessions = session_factory(engine)
    people, cases = People(sessions, vault, lambda: NOW), Cases(sessions, vault, lambda: NOW)
    trail = TrailStore(sessions, vault, lambda: NOW, timedelta(minutes=15))
    groups = GroupStore(sessions, lambda: NOW)
    for telegram_id in PEOPLE_IDS:
        profile = await people.touch(telegram_id, telegram_id)
        assert not profile.is_new and profile.language == "km"
        assert await people.chat_id(profile.key) == telegram_id
        case = await cases.active_for(profile.key)
        assert case is not None and case.chat_id == telegram_id
        assert await cases.transcript(case.id) == [("person", f"help me {telegram_id}")]
        known = await trail.start_hide(profile.key, None)
        assert [k.message_id for k in known.kept] == [4242]
        assert await trail.auto_clean(profile.key)
        assert await groups.is_trainer(group_id, vault.role_key(telegram_id))
    assert [g.id for g in await groups.of_trainer(vault.role_key(PEOPLE_IDS[0]))] == [group_id]
    async with engine.connect() as connection:
        key, sealed = (await connection.execute(
            select(GroupSession.trainer_key, GroupSession.trainer_id_enc))).one()
    assert sealed is not None
    assert vault.decrypt(sealed, trainer_context(key)) == str(PEOPLE_IDS[0]).encode()
    assert await _stored_key_ids(engine) == {vault.key_id}
    assert await stale_tables(engine, vault) == []


async def _stored_key_ids(engine: AsyncEngine) -> set[str]:
    """The key id of every pseudonym and ciphertext column value in the database."""
    found: set[str] = set()
    async with engine.connect() as connection:
        for spec in (PEOPLE, *CHILDREN, *STANDALONE):
            columns = [c for c in (spec.key, *(s.column for s in spec.sealed)) if c]
            for values in await connection.execute(select(*(spec.table.c[c] for c in columns))):
                found |= {key_id(v) for v in values if v is not None}
    return found


def test_every_pseudonym_and_ciphertext_column_is_rotated() -> None:
    # A new table with a person key or a ciphertext must be added to keys.py, or it would
    # keep old-key data forever (and /forget would miss it after a rotation).
    covered = {(spec.table.name, c) for spec in (PEOPLE, *CHILDREN, *STANDALONE)
               for c in (spec.key, *(s.column for s in spec.sealed)) if c}
    candidates = {(table.name, column.name) for table in Base.metadata.sorted_tables
                  for column in table.columns if isinstance(column.type, (String, Text))
                  and (column.name.endswith(("_key", "_enc")) or column.name == "key")}
    assert candidates == covered


@pytest.mark.parametrize("old", ["legacy", "salted"])
async def test_rotation_moves_everything_and_is_resumable(db_url: str, old: str) -> None:
    engine = create_engine(db_url)
    await migrate.upgrade(engine)
    secret = TEST_SECRET.encode()
    before = LegacyVault(secret) if old == "legacy" else Vault(secret, TEST_SALT.encode())
    group_id = await _fill(engine, before)
    assert await _stored_key_ids(engine) == {"" if old == "legacy" else before.key_id}
    new = Vault(NEW_SECRET, TEST_SALT.encode(), [secret])
    assert await stale_tables(engine, new), "the bot must refuse to start on old-key data"

    with pytest.raises(RuntimeError, match="killed"):
        # 7 trail ids, then 4 ciphertexts a person: the first batch of 3 people commits.
        await rotate(engine, FailingVault(left=21), batch=3)
    half = await _stored_key_ids(engine)
    assert half == {new.key_id, "" if old == "legacy" else before.key_id}, "some batches kept"

    done = await rotate(engine, new, batch=3)
    assert 0 < done["people"] < len(PEOPLE_IDS), "people moved before the crash are skipped"
    await _check_moved(engine, new, group_id)
    assert not any((await rotate(engine, new, batch=3)).values()), "a second run is a no-op"
    await engine.dispose()


def test_keys_rotate_command(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'k.db'}"

    async def fill() -> int:
        engine = create_engine(url)
        await migrate.upgrade(engine)
        group_id = await _fill(engine, LegacyVault(TEST_SECRET.encode()))
        await engine.dispose()
        return group_id

    group_id = asyncio.run(fill())
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DATABASE_URL": url,
           "SOKH_SECRET_KEY": NEW_SECRET.decode(), "SOKH_KEY_SALT": TEST_SALT,
           "SOKH_OLD_SECRET_KEYS": TEST_SECRET}
    result = subprocess.run([sys.executable, "run_bot.py", "keys", "rotate"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert f"people: {len(PEOPLE_IDS)} rows rewritten" in result.stdout

    async def check() -> None:
        engine = create_engine(url)
        await _check_moved(engine, Vault(NEW_SECRET, TEST_SALT.encode(),
                                         [TEST_SECRET.encode()]), group_id)
        await engine.dispose()

    asyncio.run(check())


async def test_forget_erases_group_roles_by_their_own_key(db_url: str, vault: Vault) -> None:
    engine = create_engine(db_url)
    await migrate.upgrade(engine)
    group_id = await _fill(engine, vault)
    people = People(session_factory(engine), vault, lambda: NOW)
    first, second = PEOPLE_IDS[0], PEOPLE_IDS[1]
    # The person key alone reaches no group row: the two cannot be joined.
    erased = await people.forget(vault.person_key(second))
    assert erased["people"] == 1 and erased["cases"] == 1
    assert erased["group_trainers"] == 0 and erased["session_rsvps"] == 0
    erased = await people.forget(vault.person_key(first), vault.role_key(first))
    assert erased["group_trainers"] == 1 and erased["session_rsvps"] == 1
    groups = GroupStore(session_factory(engine), lambda: NOW)
    assert [await groups.is_trainer(group_id, vault.role_key(i)) for i in PEOPLE_IDS[:3]] == [
        False, True, True]
    await engine.dispose()


async def test_the_bot_refuses_to_start_on_old_key_data(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'd.db'}")
    await migrate.upgrade(engine)
    await _fill(engine, LegacyVault(TEST_SECRET.encode()))
    await engine.dispose()
    with pytest.raises(RuntimeError, match="keys rotate"):
        await build_services(dialog_settings(tmp_path))


async def test_cases_lose_their_foreign_key_to_people_and_keep_their_rows(db_url: str) -> None:
    engine = create_engine(db_url)
    await migrate.upgrade(engine, "0010")
    at = "'2026-12-01 09:00:00+00:00'"
    async with engine.begin() as connection:
        for statement in (
                f"INSERT INTO people (key, chat_id_enc, created_at, last_seen_at, notify) "
                f"VALUES ('p1', 'x', {at}, {at}, 'discreet')",
                "INSERT INTO cases (id, alias, person_key, chat_id_enc, language, status, "
                f"urgent, opened_at) VALUES (1, 'K7Q2', 'p1', 'x', 'km', 'waiting', true, {at})",
                "INSERT INTO case_messages (case_id, person_key, sender, body_enc, sent_at) "
                f"VALUES (1, 'p1', 'person', 'y', {at})"):
            await connection.execute(text(statement))
    await migrate.upgrade(engine)
    async with engine.begin() as connection:
        count = "SELECT (SELECT count(*) FROM cases), (SELECT count(*) FROM case_messages)"
        assert tuple((await connection.execute(text(count))).one()) == (1, 1), "rows kept"
        await connection.execute(text(  # a case key is no person's key: no foreign key
            "INSERT INTO cases (id, alias, person_key, chat_id_enc, language, status, urgent, "
            f"opened_at) VALUES (2, 'K7Q3', 'ab12:c', 'x', 'km', 'waiting', false, {at})"))
        await connection.execute(text("DELETE FROM cases WHERE id = 1"))
        assert tuple((await connection.execute(text(count))).one()) == (1, 0), "still cascades"
    await engine.dispose()
