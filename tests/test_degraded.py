"""Degraded, not down (issue 17, item 4): PostgreSQL or Redis unreachable or hanging.

The bot runs over real HTTP against the emulator, on the machine's real PostgreSQL and
Redis, each behind a FaultyProxy the test switches: refused (down) or blackholed (hanging).
The machine's servers are shared with other sessions and never stopped. People writing risk
words get the crisis reply with the hotlines within a second; a person whose message cannot
be kept is told to try again soon, in her language; once the server is back, service resumes
without a restart and what she wrote in her case is all there.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

import pytest
from redis.asyncio import Redis
from sqlalchemy import text

from bot.runtime.breaker import Breaker
from bot.storage import database
from simulator.state import SimMessage, SimUser
from tests.helpers.databases import REDIS_TEST_URL, postgres_database
from tests.helpers.desk import Desk, desk
from tests.helpers.faulty_proxy import FaultyProxy, faulty_proxy
from tests.helpers.harness import Harness

CRISIS = {"en": "my stepfather hurts me every night", "km": "ឪពុកចុងវាយខ្ញុំ"}
KM_COUNSELLOR, KM_SHARE = "💬 និយាយជាមួយអ្នកប្រឹក្សា", "✅ បាទ/ចាស ចាប់ផ្តើម ហើយបញ្ជូនអ្វីដែលខ្ញុំបានសរសេរ"
CRISIS_BUDGET_S = 1.0
# Back within the breaker's cool-down (5 s) and a pool reconnect, with room for a loaded box.
RESUME_S = 20.0


@asynccontextmanager
async def broken_desk() -> AsyncIterator[tuple[Desk, FaultyProxy, FaultyProxy]]:
    """The bot with counsellors on a fresh PostgreSQL database and Redis, both via proxies."""
    redis = urlsplit(REDIS_TEST_URL)
    # The same people and key every run: an earlier run's conversation state must not leak in.
    async with Redis.from_url(REDIS_TEST_URL) as client:
        await client.flushdb()
    async with postgres_database() as url, faulty_proxy("127.0.0.1", 5432) as pg, \
            faulty_proxy(redis.hostname or "127.0.0.1", redis.port or 6379) as rd:
        proxied = url.replace("@127.0.0.1:5432/", f"@127.0.0.1:{pg.port}/")
        assert proxied != url
        redis_url = f"redis://127.0.0.1:{rd.port}{redis.path or '/0'}"
        async with desk(proxied, redis_url=redis_url) as counsellors:
            yield counsellors, pg, rd


async def timed(sokh: Harness, user: SimUser, text: str) -> tuple[SimMessage, float]:
    """Send text; the bot's next message and the seconds it took."""
    started = time.perf_counter()
    answer = await sokh.say(user, text, timeout=15)
    return answer, time.perf_counter() - started


async def relayed(d: Desk, user: SimUser, text: str) -> SimMessage:
    """The person writes in her case; the copy that reached the counsellors' topic."""
    return await d.sokh.act(d.forum, lambda: d.sokh.emu.send_text(user, text),
                            lambda m: text in (m.text or ""), timeout=10)


async def khmer_case(d: Desk) -> SimUser:
    """A second person, writing in Khmer, in a case of her own."""
    sokh = d.sokh
    assert isinstance(sokh, Harness)
    kanha = sokh.emu.add_user(first_name="Kanha", language_code="km")
    crisis = await sokh.say(kanha, CRISIS["km"])
    consent = await sokh.tap(kanha, crisis, KM_COUNSELLOR)
    await sokh.tap(kanha, consent, KM_SHARE)
    await sokh.settle()
    return kanha


async def words_kept(sokh: Harness, user: SimUser) -> list[str]:
    """What the person's open case holds from her, decrypted."""
    services = sokh.services
    case = await services.cases.open_case(services.vault.person_key(user.id))
    assert case is not None
    return [text for sender, text in await services.cases.transcript(case.id)
            if sender == "person"]


async def until_relayed(d: Desk, user: SimUser, text: str) -> float:
    """Seconds until a message she writes reaches the topic again (she tries every second)."""
    started = time.perf_counter()
    while time.perf_counter() - started < RESUME_S:
        try:
            await relayed(d, user, text)
            return time.perf_counter() - started
        except TimeoutError:
            await asyncio.sleep(1)
    raise AssertionError(f"no relay within {RESUME_S} s of the restore")


def _soon(sokh: Harness, language: str) -> str:
    """The 'try again soon' line, from the Fluent files the bot loaded."""
    return sokh.services.locales.get(language)("common-try-again-soon")


async def assert_crisis_in_time(sokh: Harness) -> list[float]:
    """New people writing risk words, in English and Khmer: hotlines within the budget."""
    took = []
    for language, words in CRISIS.items():
        for _ in range(2):  # the first one after the fault pays any timeout; so may a second
            answer, seconds = await timed(sokh, sokh.emu.add_user(language_code=language), words)
            assert "1280" in answer.text and "117" in answer.text, answer.text
            assert "💬" in "".join(sokh.emu.buttons(answer))
            assert seconds < CRISIS_BUDGET_S, (language, seconds)
            took.append(seconds)
    help_answer, seconds = await timed(sokh, sokh.emu.add_user(language_code="en"), "/help")
    assert "1280" in help_answer.text
    return took


@pytest.mark.parametrize("fault", ["refuse", "blackhole"])
async def test_postgres_down_or_hanging(fault: str) -> None:
    async with broken_desk() as (d, pg, _):
        sokh = d.sokh
        assert isinstance(sokh, Harness)
        await d.open_case()
        kanha = await khmer_case(d)
        await relayed(d, d.person, "I am at my aunt's house now")
        await relayed(d, kanha, "ខ្ញុំនៅផ្ទះមីង")
        await getattr(pg, fault)()

        took = await assert_crisis_in_time(sokh)
        # In a case, nothing can be kept: each is told so in her language, with the numbers.
        for person, language, text in ((d.person, "en", "he came back tonight"),
                                       (kanha, "km", "គាត់ត្រឡប់មកវិញ")):
            answer, seconds = await timed(sokh, person, text)
            assert _soon(sokh, language).split("\n")[0][:40] in answer.text, answer.text
            assert "1280" in answer.text
            print(f"pg {fault}: try-again-soon ({language}) in {seconds:.3f} s")
        print(f"pg {fault}: crisis replies in {', '.join(f'{s:.3f}' for s in took)} s")

        await pg.restore()
        resumed = await until_relayed(d, d.person, "he came back tonight")
        await relayed(d, kanha, "គាត់ត្រឡប់មកវិញ")
        print(f"pg {fault}: relaying again {resumed:.1f} s after the restore")
        assert await words_kept(sokh, d.person) == [
            "my stepfather hurts me", "I am at my aunt's house now", "he came back tonight"]
        assert await words_kept(sokh, kanha) == [
            CRISIS["km"], "ខ្ញុំនៅផ្ទះមីង", "គាត់ត្រឡប់មកវិញ"]


@pytest.mark.parametrize("fault", ["refuse", "blackhole"])
async def test_redis_down_or_hanging(fault: str) -> None:
    async with broken_desk() as (d, _, rd):
        sokh = d.sokh
        assert isinstance(sokh, Harness)
        await d.open_case()
        await relayed(d, d.person, "I am at my aunt's house now")
        await getattr(rd, fault)()

        took = await assert_crisis_in_time(sokh)
        # The database answers: her case goes on, the menu works (state in memory meanwhile).
        await relayed(d, d.person, "he came back tonight")
        menu, seconds = await timed(sokh, sokh.emu.add_user(language_code="km"), "/menu")
        assert "ម៉ឺនុយ" in menu.text or sokh.emu.buttons(menu), menu.text
        assert seconds < CRISIS_BUDGET_S
        print(f"redis {fault}: crisis replies in {', '.join(f'{s:.3f}' for s in took)} s; "
              f"/menu in {seconds:.3f} s")

        await rd.restore()
        breaker = sokh.services.redis_breaker
        started = time.perf_counter()
        while breaker.open and time.perf_counter() - started < RESUME_S:
            await asyncio.sleep(0.2)
        await relayed(d, d.person, "is anyone there")
        assert await sokh.services.redis.ping()
        print(f"redis {fault}: Redis in use again {time.perf_counter() - started:.1f} s after")
        assert await words_kept(sokh, d.person) == [
            "my stepfather hurts me", "I am at my aunt's house now", "he came back tonight",
            "is anyone there"]


def test_the_breaker_skips_a_failed_dependency_for_its_cool_down_only() -> None:
    now = [100.0]
    breaker = Breaker(cool_s=5.0, monotonic=lambda: now[0])
    assert not breaker.open
    breaker.trip()
    now[0] += 4.9
    assert breaker.open
    now[0] += 0.2
    assert not breaker.open and breaker.trips == 1


async def test_a_pooled_connection_that_died_while_idle_is_replaced_unseen(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "PG_PING_IDLE_S", 0.2)  # the 5 s of production, shortened
    async with postgres_database() as url, faulty_proxy("127.0.0.1", 5432) as pg:
        engine = database.create_engine(url.replace("@127.0.0.1:5432/", f"@127.0.0.1:{pg.port}/"))
        try:
            async with engine.connect() as connection:
                assert await connection.scalar(text("SELECT 1")) == 1
            await pg.refuse()  # PostgreSQL restarts: the pooled connection dies
            await pg.restore()
            await asyncio.sleep(0.3)
            async with engine.connect() as connection:  # pinged, found dead, connected anew
                assert await connection.scalar(text("SELECT 2")) == 2
        finally:
            await engine.dispose()
