"""After the counsellor, course, travel and group flows, nothing identifying is kept anywhere.

The whole bot runs over HTTP on SQLite and on PostgreSQL, with Redis, on a fake clock. Then
the SQLite files' raw bytes (with the WAL), every PostgreSQL table as text, every Redis key
and value, the logs with their tracebacks and the counsellors' chat are searched for each
person's Telegram id (in every byte form, tests/helpers/leaks.py), name, username, phone
and words. The first tests prove the scan finds what it looks for.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from redis import Redis as SyncRedis
from redis.asyncio import Redis
from sqlalchemy import text

import simulator.api_misc
from bot.storage.database import create_engine
from bot.wiring import Proactive
from simulator.emulator import BotApiEmulator
from simulator.spec import ApiError
from simulator.state import SimChat, SimUser
from tests.helpers.course import Course, join, query
from tests.helpers.databases import REDIS_TEST_URL, postgres_database
from tests.helpers.desk import FORUM_ID, TAKE, Desk
from tests.helpers.groups import GroupWorld
from tests.helpers.harness import Harness, running_bot
from tests.helpers.leaks import (
    database_dump,
    id_forms,
    leaks,
    log_text,
    redis_dump,
    secrets_of,
    sqlite_files,
    sqlite_varint,
)
from tests.test_dialogs_groups import schedule_weekly
from tests.test_sender import FakeTime

PHONE = "+855 12 345 678"
WORDS = ("they took my passport and I owe the broker money",
         "my uncle Sokunthea in Battambang keeps my papers",
         "We can help you get the document back safely",
         f"please call me on {PHONE}",
         "is it safe to smack my son Visalroth",
         "I run the Tuesday group in Phum Trapeang",
         "why does my neighbour Vannaroth keep the children inside the house")


# -- the scan finds what it looks for --------------------------------------------------------

def test_varints_match_sqlite() -> None:
    assert sqlite_varint(0x7F) == b"\x7f"
    assert sqlite_varint(300) == b"\x82\x2c"
    assert sqlite_varint(700_000_001) == b"\x82\xcd\xe4\xce\x01"
    assert len(sqlite_varint(-1)) == 9


def test_an_integer_id_in_sqlite_is_found_though_its_text_is_not_there(tmp_path: Path) -> None:
    database = tmp_path / "planted.db"
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE t (who INTEGER)")
        connection.execute("INSERT INTO t VALUES (?)", (700_000_123,))
        connection.execute("CREATE TABLE r (id INTEGER PRIMARY KEY, x TEXT)")
        connection.execute("INSERT INTO r VALUES (?, 'x')", (7_000_000_321,))
    connection.close()
    files = sqlite_files(database)
    assert not leaks(files, {"id": {"decimal": id_forms(700_000_123)["decimal"]}})
    assert leaks(files, secrets_of([700_000_123], [])) == [
        f"id 700000123 as int4-be in {database.name}"]
    assert any("as varint" in found for found in leaks(files, secrets_of([7_000_000_321], [])))


async def test_a_planted_id_is_found_in_postgres_and_redis(tmp_path: Path) -> None:
    async with postgres_database() as url:
        engine = create_engine(url)
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE t (who BIGINT, name TEXT)"))
            await connection.execute(text("INSERT INTO t VALUES (700000124, 'x')"))
        dump = await database_dump(engine)
        await engine.dispose()
    assert leaks(dump, secrets_of([700_000_124], [])) == ["id 700000124 as decimal in postgres t"]
    redis = Redis.from_url(REDIS_TEST_URL)
    await redis.flushdb()
    await redis.set("sokh:planted", "700000125")
    found = leaks(await redis_dump(redis), secrets_of([700_000_125], []))
    await redis.flushdb()
    await redis.aclose()
    assert "id 700000125 as decimal in redis b'sokh:planted'" in found
    assert "id 700000125 as int4-le in redis b'sokh:planted'" in found, "DUMP keeps ints binary"


def test_tracebacks_are_scanned_not_only_messages() -> None:
    try:
        int("Chanthou")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, None)
        record.exc_info = sys.exc_info()
    assert "Chanthou" not in record.getMessage()
    assert leaks({"logs": log_text([record])}, secrets_of([], ["Chanthou"]))


# -- the flows, then the scan ----------------------------------------------------------------

@pytest.fixture
def failing_once(monkeypatch: pytest.MonkeyPatch) -> Callable[[int], None]:
    """Make Telegram answer 500 to the next sendMessage into one chat: a traceback is logged."""
    def arm(chat_id: int) -> None:
        original = simulator.api_misc.HANDLERS["sendmessage"]
        armed = [True]

        def send(emu: Any, params: dict[str, Any]) -> Any:
            if armed[0] and params.get("chat_id") == chat_id:
                armed[0] = False
                raise ApiError(500, "Internal Server Error")
            return original(emu, params)
        monkeypatch.setitem(simulator.api_misc.HANDLERS, "sendmessage", send)
    return arm


@pytest.fixture
def redis_url() -> Iterator[str]:
    """The test Redis database, empty before and after."""
    client = SyncRedis.from_url(REDIS_TEST_URL)
    client.flushdb()
    yield REDIS_TEST_URL
    client.flushdb()
    client.close()


def _person(emu: BotApiEmulator, first: str, last: str, username: str) -> SimUser:
    return emu.add_user(first_name=first, username=username, last_name=last,
                        language_code="en")


async def _counsellor_flow(sokh: Harness, child: SimUser, failing: Callable[[int], None]) -> None:
    """A case from crisis to rating, with a contact card and a failed send on the way."""
    emu = sokh.emu
    vanna = emu.add_user(first_name="Vanna", username="vanna_c", language_code="en")
    forum = emu.add_group("Counsellors", is_forum=True, admins=[vanna], chat_id=FORUM_ID)
    d = Desk(sokh, forum, vanna, vanna, child)
    await d.open_case(first=WORDS[0])
    thread = d.topic_id()
    await d.forum_message(lambda: emu.send_text(child, WORDS[1]))
    while not any(TAKE in emu.buttons(m) for m in forum.messages.values()):
        await asyncio.sleep(0.1)  # the topic's notes come through the paced relay queue
    await d.person_message(lambda: emu.click(vanna, d.intro(), TAKE))
    await d.person_message(lambda: emu.send_text(vanna, WORDS[2], forum, thread_id=thread))
    await d.forum_message(lambda: emu.send_text(child, WORDS[3]))
    contact = {"contact": {"phone_number": PHONE, "first_name": child.first_name,
                           "user_id": child.id}}
    refused = await d.person_message(
        lambda: emu.user_message(child, None, "contact", content=contact))
    assert "not passed on" in (refused.text or ""), "a contact card never reaches the forum"
    closing = await d.person_message(
        lambda: emu.send_text(vanna, "/close", forum, thread_id=thread))
    await sokh.tap(child, closing, "4")
    failing(child.id)
    await sokh.say(child, WORDS[4])  # the answer fails once: the error path logs a traceback
    await sokh.settle()
    _no_identity_in_forum(forum, child)


async def _move(time: FakeTime, stop: asyncio.Event) -> None:
    while not stop.is_set():
        time.advance(1)
        await asyncio.sleep(0.1)


def _no_identity_in_forum(forum: SimChat, child: SimUser) -> None:
    """The counsellors see the words the person chose to send, never who they are."""
    shown = {f"forum message {m.message_id}": json.dumps(m.to_api(), ensure_ascii=False).encode()
             for m in forum.messages.values() if m.from_bot}
    who = [n for n in (child.first_name, child.last_name, child.username) if n]
    assert leaks(shown, secrets_of([child.id], who)) == []


async def _course_and_travel(c: Course[Harness], parent: SimUser, traveller: SimUser) -> None:
    """A parent joins the course; a migrant plans a trip to Thailand on the 20th."""
    sokh = c.sokh
    await join(c, parent)
    choice = await sokh.say(traveller, "/start")
    menu = await sokh.tap(traveller, choice, "English")
    where = await sokh.tap(traveller, menu, "✈️ Travel countdown")
    calendar = await sokh.tap(traveller, where, "Working in Thailand")
    assert "20/12/2026" in (await sokh.tap(traveller, calendar, "20")).text
    await sokh.say(parent, WORDS[4])
    await sokh.say(traveller, WORDS[6])  # search finds nothing: kept for editors, scrubbed


async def _group_flow(w: GroupWorld) -> None:
    """An admin schedules a series, names a trainer; a member answers the reminder."""
    await schedule_weekly(w)
    said = w.sokh.emu.send_text(w.dara, WORDS[5], chat=w.group)
    mine = w.group.messages[said["message"]["message_id"]]
    await w.in_group(w.admin, "/trainer", reply_to=mine)
    w.at(1, 18, 5)
    assert await w.tick() >= 1
    reminder = w.sokh.emu.last_bot_message(w.group)
    assert reminder is not None
    coming, not_coming = w.sokh.emu.buttons(reminder)[:2]  # the group speaks Khmer
    await w.tap(w.dara, reminder, coming)
    await w.tap(w.bopha, reminder, not_coming)


async def test_no_identity_or_words_anywhere_after_every_flow(
        db_url: str, redis_url: str, caplog: pytest.LogCaptureFixture,
        failing_once: Callable[[int], None]) -> None:
    caplog.set_level(logging.DEBUG)
    time = FakeTime()
    time.now = time.now.replace(month=12, day=1, hour=3)  # 10:00 in Phnom Penh
    async with running_bot(db_url, time, outbox_sender=False, redis_url=redis_url,
                           count_unanswered=True,
                           counsellor_chat_id=FORUM_ID, counsellor_language="en",
                           counsellor_open_hour=0, counsellor_close_hour=24) as sokh:
        emu = sokh.emu
        people = [_person(emu, "Chanthou", "Meas", "chanthou_kh"),
                  _person(emu, "Sreyneang", "Kimsour", "sreyneang_k"),
                  _person(emu, "Rachana", "Hengvuth", "rachana_hv")]
        admin = _person(emu, "Sopheakdey", "Chanrithy", "sopheakdey")
        dara = _person(emu, "Daravuth", "Pichsamnang", "daravuth_p")
        bopha = _person(emu, "Bophavatey", "Sokhom", "bophavatey")
        group = emu.add_group("Parents of Kampong Speu", members=[dara, bopha], admins=[admin],
                              bot_admin=False)
        proactive = Proactive(sokh.services)
        sender = proactive.sender(sokh.bot, monotonic=time.monotonic, sleep=time.sleep)
        course = Course(sokh, time, proactive, sender)
        world = GroupWorld(sokh, time, proactive.reminders, sender, group, admin, dara, bopha)

        # The course's sender is driven by hand here; the counsellor relay runs as in the bot,
        # on a clock that moves (its rows wait a moment before they may go).
        stop = asyncio.Event()
        relay = asyncio.create_task(sokh.app.proactive.relay_sender(sokh.bot).run(stop))
        moving = asyncio.create_task(_move(time, stop))
        try:
            await _counsellor_flow(sokh, people[0], failing_once)
        finally:
            stop.set()
            await asyncio.gather(relay, moving)
        await _course_and_travel(course, people[1], people[2])
        await _group_flow(world)
        course.at(6, 19, 5)  # course tips and the travel reminder (14 days before) are due
        await proactive.enqueue()
        await sender.run_once()
        assert await query(course, "SELECT count(*) FROM unanswered_questions") == [(1,)]
        sent = await query(course, "SELECT DISTINCT campaign FROM outbox WHERE status = 'sent'")
        assert len(sent) >= 3, f"course, travel and group messages went out: {sent}"
        gone = sokh.services.vault.person_key(people[2].id)
        confirm = await sokh.say(people[2], "/forget")
        assert "Done" in (await sokh.tap(people[2], confirm, "Yes, erase")).text
        await sokh.settle()
        kept = await database_dump(sokh.services.engine)
        redis = Redis.from_url(redis_url)
        kept.update(await redis_dump(redis))
        await redis.aclose()
        assert any(place.startswith("redis") for place in kept), "the FSM lived in Redis"
    if db_url.startswith("sqlite"):  # and once more, after the WAL is checkpointed at close
        kept.update({f"closed {k}": v for k, v in sqlite_files(
            Path(db_url.removeprefix("sqlite+aiosqlite:///"))).items()})
    logged = log_text(caplog.records)
    assert b"Traceback" in logged and b"TelegramServerError" in logged, "an error was logged"
    everyone = [*people, admin, dara, bopha]
    names = [n for u in everyone for n in (u.first_name, u.last_name, u.username) if n]
    # Names inside the words too: a stripped question kept for the editors must lose them.
    secrets = secrets_of([u.id for u in everyone],
                         [*names, PHONE, *WORDS, "Visalroth", "Sokunthea", "Phum Trapeang",
                          "Vannaroth"])
    assert leaks({**kept, "logs": logged}, secrets) == []
    # Erased means erased: not even the pseudonym of whoever used /forget stays in the
    # database, its free pages or its WAL. (Redis flood counters expire on their own.)
    stored = {place: data for place, data in kept.items() if not place.startswith("redis")}
    assert leaks(stored, {"forgotten person key": {"utf-8": gone.encode()}}) == []
