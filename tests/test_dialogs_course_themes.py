"""The course beyond single tips, in-process: theme quizzes, feedback, finishing, quiet hours."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.content.course import course_plan
from bot.content.tool.stats import format_feedback
from bot.runtime import cli
from bot.runtime.clock import utc_now
from bot.storage import migrate
from bot.storage.database import create_engine, session_factory
from bot.storage.feedback import Feedback, read_feedback
from bot.storage.people import People
from bot.storage.schedules import COURSE
from bot.storage.vault import Vault
from simulator.state import SimMessage, SimUser
from tests.helpers.course import DialogCourse, course_dialog, join, join_in_khmer, query
from tests.helpers.harness import TEST_SALT, TEST_SECRET

FIRST_QUIZ = "How long does one-on-one time with your child need to be to help?"


@pytest.fixture
def driven(course: DialogCourse) -> DialogCourse:
    """The dialog client, its nudges driven by hand on a fake clock."""
    return course


async def _tips(c: DialogCourse, user: SimUser, days: range) -> list[SimMessage]:
    """Tick at 19:00 on each day; return what arrived."""
    arrived = []
    for day in days:
        c.at(day, 19)
        message = await c.tick(user)
        assert message is not None, f"no tip on {day} December"
        arrived.append(message)
    return arrived


async def _rows_eventually(c: DialogCourse, sql: str, want: list[tuple[object, ...]]) -> None:
    """The rows once the bot wrote them: it answers the tap first, then stores."""
    for _ in range(100):
        if (rows := await query(c, sql)) == want:
            return
        await asyncio.sleep(0.05)
    assert rows == want


async def test_a_theme_ends_with_its_quiz_poll_sent_once(driven: DialogCourse) -> None:
    c, dara = driven, driven.sokh.emu.add_user(language_code="en")
    assert course_plan(c.sokh.services.content.current, "3-5").quizzes[3] == "quiz-one-on-one"
    c.at(1, 6)  # inside the quiet hours: the first tip waits for the evening
    await join(c, dara)
    tips = await _tips(c, dara, range(1, 5))  # the theme ends with its home practice
    assert "Tip 4 of" in tips[3].text and not c.sokh.emu.calls("sendPoll")
    c.time.advance(2)  # one message a second per chat: the quiz waits its turn
    poll = await c.tick(dara)
    assert poll is not None and poll.kind == "poll"
    sent = c.sokh.emu.calls("sendPoll")[0].params
    assert (sent["question"], sent["type"], sent["correct_option_id"]) == (FIRST_QUIZ, "quiz", 1)
    steps = await query(c, "SELECT step FROM outbox WHERE step LIKE '%-q%'")
    assert [str(s).split("-", 1)[1] for s, in steps] == ["q3"], "its own idempotency key"
    await c.proactive.nudges.enqueue_due(c.time.now)  # a job run repeated after a crash
    c.time.advance(2)
    assert await c.tick(dara) is None and len(c.sokh.emu.calls("sendPoll")) == 1
    reach = await query(c, "SELECT item_id FROM deliveries WHERE item_id LIKE 'quiz%'")
    assert reach == [("quiz-one-on-one",)]


async def test_next_tip_now_brings_the_quiz_at_the_end_of_a_theme(driven: DialogCourse) -> None:
    c, sokh = driven, driven.sokh
    dara = sokh.emu.add_user(language_code="en")
    c.at(1, 6)  # inside the quiet hours: the first tip waits for the evening
    await join(c, dara)
    (tip,) = await _tips(c, dara, range(1, 2))
    second = await sokh.tap(dara, tip, "⏭ Next tip now")
    third = await sokh.tap(dara, second, "⏭ Next tip now")
    assert "Tip 3 of" in third.text and not sokh.emu.calls("sendPoll")
    practice = await sokh.tap(dara, third, "⏭ Next tip now")
    assert "Tip 4 of" in practice.text and "Practice for today" in practice.text
    [polled] = [m for m in sokh.emu.chat_messages(sokh.chat(dara)) if m.kind == "poll"]
    assert polled.content["poll"]["question"] == FIRST_QUIZ
    c.at(2, 19)
    check_in = await c.tick(dara)
    assert check_in is not None and "Tip 5 of" in check_in.text
    assert "Check-in" in check_in.text, "the next day opens with how the practice went"
    c.time.advance(2)
    assert await c.tick(dara) is None, "the quiz came with 'next tip now', not again"
    assert sokh.emu.buttons(check_in)[:2] == ["🙌 I tried it", "⏳ Not yet"]
    tried = await sokh.tap(dara, check_in, "🙌 I tried it")
    assert sokh.emu.buttons(tried)[:2] == ["✅ Tried: well done!", "⏳ Not yet"]
    assert sokh.calls("answerCallbackQuery")[-1].params.get("text") == "Well done! Keep practising."
    await _rows_eventually(c, "SELECT item_id, useful FROM tip_feedback",
                           [("parenting.practice.time-check", True)])


async def test_useful_taps_are_counted_once_and_thanked_in_place(driven: DialogCourse) -> None:
    c, sokh = driven, driven.sokh
    dara, sophea = sokh.emu.add_user(language_code="en"), sokh.emu.add_user(language_code="en")
    c.at(1, 6)  # inside the quiet hours: the first tip waits for the evening
    await join(c, dara)
    await join(c, sophea)
    (tip,) = await _tips(c, dara, range(1, 2))
    other = sokh.emu.last_bot_message(sokh.chat(sophea))
    assert other is not None and "Tip 1 of" in other.text
    thanked = await sokh.tap(dara, tip, "👍 Useful")
    assert thanked.message_id == tip.message_id and thanked.text == tip.text
    assert sokh.emu.buttons(thanked)[:2] == ["✅ Useful: thank you!", "👎 Not useful"]
    sokh.emu.click(dara, thanked, "✅ Useful: thank you!")  # a double tap stays one vote
    await sokh.feed()
    assert sokh.calls("answerCallbackQuery")[-1].params.get("text") == "Thank you! Glad it helps."
    await _rows_eventually(c, "SELECT useful FROM tip_feedback", [(True,)])
    await sokh.tap(sophea, other, "👎 Not useful")
    sql = "SELECT item_id, useful FROM tip_feedback ORDER BY useful"
    item = "parenting.one-on-one.twenty-minutes"
    await _rows_eventually(c, sql, [(item, False), (item, True)])
    counts = await read_feedback(sokh.services.settings.database_url)
    assert format_feedback(counts).splitlines()[1].endswith(f"{item} ({_version(c)}): 1 / 1")
    changed = await sokh.tap(dara, thanked, "👎 Not useful")
    assert sokh.emu.buttons(changed)[:2] == ["👍 Useful", "✅ Noted: thank you!"]
    await _rows_eventually(c, sql, [(item, False), (item, False)])
    erased = await sokh.services.people.forget(sokh.services.people.key_for(dara.id))
    assert erased["tip_feedback"] == 1


def _version(c: DialogCourse) -> str:
    return c.sokh.services.content.current.version


def test_content_stats_shows_feedback_per_item(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'sokh.db'}"
    asyncio.run(_taps(url, [(1, True), (2, False), (2, False), (3, True)]))
    assert cli.main(["content", "stats", "--database", url]) == 0
    out = capsys.readouterr().out
    assert "feedback per item (content version): useful / not useful" in out
    assert "  parenting.calm.step-away (v1): 2 / 1" in out
    nowhere = tmp_path / "none.db"
    assert cli.main(["content", "stats", "--database", f"sqlite+aiosqlite:///{nowhere}"]) == 0
    assert "feedback: no database to read" in capsys.readouterr().out
    assert not nowhere.exists(), "a report creates no database"


async def _taps(url: str, taps: list[tuple[int, bool]]) -> None:
    """Store taps on one tip by people with these Telegram ids."""
    engine = create_engine(url)
    await migrate.upgrade(engine)
    sessions = session_factory(engine)
    people = People(sessions, Vault(TEST_SECRET.encode(), TEST_SALT.encode()), utc_now)
    for telegram_id, useful in taps:
        key = (await people.touch(telegram_id, telegram_id)).key
        await Feedback(sessions, utc_now).rate(key, "parenting.calm.step-away", useful, "v1")
    await engine.dispose()


async def test_a_tap_counts_for_the_content_version_the_tip_was_sent_in(db_url: str) -> None:
    engine = create_engine(db_url)
    await migrate.upgrade(engine)
    sessions = session_factory(engine)
    people = People(sessions, Vault(TEST_SECRET.encode(), TEST_SALT.encode()), utc_now)
    feedback = Feedback(sessions, utc_now)
    sent, unsent = (await people.touch(1, 1)).key, (await people.touch(2, 2)).key
    await people.record_delivery(sent, "2026-10-01", "parenting.calm.step-away")
    await people.record_delivery(sent, "2026-11-01", "parenting.calm.step-away")
    # Content reloaded to 2026-11-20 since; the taps come after.
    await feedback.rate(sent, "parenting.calm.step-away", True, "2026-11-20")
    await feedback.rate(unsent, "parenting.calm.step-away", False, "2026-11-20")
    counts = {(c.content_version, c.useful, c.useless) for c in await feedback.counts()}
    await engine.dispose()
    assert counts == {("2026-11-01", 1, 0), ("2026-11-20", 0, 1)}


async def test_finishing_is_celebrated_and_offers_the_next_age(driven: DialogCourse) -> None:
    c, sokh = driven, driven.sokh
    dara = sokh.emu.add_user(language_code="en")
    c.at(1, 6)  # inside the quiet hours: the first tip waits for the evening
    await join(c, dara)
    key = sokh.services.people.key_for(dara.id)
    total = len(course_plan(sokh.services.content.current, "3-5").items)
    await sokh.services.schedules.change(key, COURSE, step=total)
    c.at(1, 19)
    done = await c.tick(dara)
    assert done is not None and "Well done" in done.text
    assert sokh.emu.buttons(done)[:2] == ["➡️ Next: the course for 6–11 years",
                                          "🔁 Start a course again"]
    hours = await sokh.tap(dara, done, "➡️ Next: the course for 6–11 years")
    often = await sokh.tap(dara, hours, "☀️ Midday (12:00)")
    started = await sokh.tap(dara, often, "Every 2 days")
    # 19:01 is outside the quiet hours: the first tip comes at once, the next on the pace.
    assert "Here is your first tip" in started.text and "03/12 12:00" in started.text
    row = await sokh.services.schedules.get(key, COURSE)
    assert row is not None and (row.age, row.step, row.every_days) == ("6-11", 1, 2)
    first = sokh.last(dara)
    total = len(course_plan(sokh.services.content.current, "6-11").items)
    assert first is not None and f"Tip 1 of {total}" in (first.text or "")
    c.at(3, 12)
    second = await c.tick(dara)
    assert second is not None and f"Tip 2 of {total}" in (second.text or "")


async def test_quiet_hours_hold_a_due_tip_until_morning_in_sokh_timezone(
        tmp_path: Path) -> None:
    # Seoul is two hours ahead of the test clock's Phnom Penh: times follow SOKH_TIMEZONE.
    async with course_dialog(tmp_path, sokh_timezone="Asia/Seoul", quiet_start_hour=18,
                             quiet_end_hour=7) as c:
        dara = c.sokh.emu.add_user(language_code="en")
        c.at(1, 0, 30)  # 02:30 in Seoul, inside the quiet hours: no tip on joining
        assert "first tip arrives on 01/12 19:00" in (await join(c, dara)).text
        c.at(1, 17)  # 19:01 in Seoul: due, but inside the quiet hours
        assert await c.tick(dara) is None
        assert await query(c, "SELECT status FROM outbox") == [("pending",)]
        c.at(2, 4, 59)  # 06:59 in Seoul
        assert await c.tick(dara) is None
        c.at(2, 5)  # 07:01 in Seoul: morning
        tip = await c.tick(dara)
        assert tip is not None and "Tip 1 of" in tip.text


async def test_a_khmer_parent_gets_the_quiz_in_khmer(driven: DialogCourse) -> None:
    c, sokh = driven, driven.sokh
    sophea = sokh.emu.add_user(language_code="km")
    c.at(1, 6)
    await join_in_khmer(c, sophea, "រៀងរាល់ថ្ងៃ")
    key = sokh.services.people.key_for(sophea.id)
    await sokh.services.schedules.change(key, COURSE, step=3)  # tip 4, the practice, ends it
    c.at(1, 7)
    tip = await c.tick(sophea)
    assert tip is not None and "គន្លឹះទី ៤" in tip.text, "Khmer digits in Khmer text"
    c.time.advance(2)
    poll = await c.tick(sophea)
    quiz = sokh.services.content.current.quiz("quiz-one-on-one")
    assert poll is not None and quiz is not None
    assert poll.content["poll"]["question"] == quiz.question.km
