"""The forum cleanup queue on real SQLite and PostgreSQL: what purge and /forget hand over."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from bot.storage import migrate
from bot.storage.cases import Cases
from bot.storage.database import create_engine, session_factory
from bot.storage.forum_cleanup import backoff
from bot.storage.people import People
from bot.storage.vault import Vault
from tests.test_dialogs_counsellor_privacy import FakeClock

FORUM = -1001234567890


async def test_purge_and_forget_queue_topics_with_their_ids_sealed(db_url: str,
                                                                   vault: Vault) -> None:
    engine = create_engine(db_url)
    await migrate.upgrade(engine)
    clock = FakeClock(datetime(2026, 1, 5, 3, 0, tzinfo=UTC))
    sessions = session_factory(engine)
    people, cases = People(sessions, vault, clock), Cases(sessions, vault, clock)
    old, other = await people.touch(7001, 7001), await people.touch(7002, 7002)
    opened = []
    for profile, chat, topic in ((old, 7001, 11), (other, 7002, 22)):
        case = await cases.open(profile.key, chat, "en", urgent=True)
        opened.append(case.id)
        await cases.set_topic(case.id, topic)
        await cases.set_announce(case.id, topic + 1000)
        await cases.note_forum(case.id, topic + 1, topic + 2)
        await cases.record(case, "person", "words")
    assert await cases.close(opened[0], 5, keep_transcript=True, forum_chat=FORUM) == []
    clock.now += timedelta(days=31)
    assert await cases.purge(30, FORUM) == 1
    [queued] = await cases.cleanups.due()
    assert (queued.chat_id, queued.topic_id) == (FORUM, 11)
    assert sorted(queued.message_ids) == [12, 13, 1011]
    assert await cases.retire_for(other.key, FORUM) == 1
    assert await cases.cleanups.pending() == 2
    async with engine.connect() as conn:
        sealed = (await conn.execute(text("SELECT ids_enc FROM forum_cleanup"))).scalars().all()
        left = (await conn.execute(text("SELECT count(*) FROM case_forum_messages"))).scalar()
    assert left == 0 and not any("[" in s or "1011" in s for s in sealed), "ids are sealed"
    assert await people.forget(other.key) and await cases.cleanups.pending() == 2, \
        "/forget cannot erase the job of erasing"
    later = await cases.cleanups.failed(queued, (1011,))
    assert later == clock.now + timedelta(minutes=1)
    assert [backoff(n) for n in (1, 2, 3, 12)] == [timedelta(minutes=m) for m in (1, 2, 4, 360)]
    assert [c.topic_id for c in await cases.cleanups.due()] == [22], "11 waits its pause"
    await engine.dispose()
