"""The parenting course, fed in-process: next, pause, resume, stop, Khmer, the periodic job."""

from __future__ import annotations

from datetime import timedelta

from tests.helpers.course import DialogCourse, join, join_in_khmer, query


async def test_next_now_pause_resume_and_stop(course: DialogCourse) -> None:
    c, sokh = course, course.sokh
    dara = sokh.emu.add_user(language_code="en")
    c.at(1, 6)  # inside the quiet hours: the first tip comes at the chosen 19:00
    await join(c, dara)
    c.at(1, 19)
    tip = await c.tick(dara)
    assert tip is not None
    sokh.emu.click(dara, tip, "👍 Useful")
    await sokh.feed()
    assert sokh.calls("answerCallbackQuery")[-1].params.get("text") == "Thank you! Glad it helps."
    nxt = await sokh.tap(dara, tip, "⏭ Next tip now")
    assert "Tip 2 of" in nxt.text and nxt.message_id != tip.message_id
    paused = await sokh.tap(dara, nxt, "⏸ Pause")
    assert "paused" in paused.text
    c.at(3, 19)
    assert await c.tick(dara) is None, "nothing while paused"
    assert "back on" in (await sokh.say(dara, "/resume")).text
    c.at(4, 19)
    third = await c.tick(dara)
    assert third is not None and "Tip 3 of" in third.text
    assert "stopped" in (await sokh.say(dara, "/stop")).text
    c.at(5, 19)
    assert await c.tick(dara) is None


async def test_khmer_nudges_and_no_clear_ids_in_the_outbox(course: DialogCourse) -> None:
    c, sokh = course, course.sokh
    sophea = sokh.emu.add_user(language_code="km")
    c.at(1, 6)
    await join_in_khmer(c, sophea, "មួយសប្តាហ៍ម្តង")
    c.at(1, 7)
    tip = await c.tick(sophea)
    assert tip is not None and "គន្លឹះទី ១" in tip.text, "Khmer digits in Khmer text"
    dump = await query(c, "SELECT * FROM outbox")
    assert str(sophea.id) not in repr(dump) and "Sophea" not in repr(dump)
    c.time.advance(timedelta(days=6).total_seconds())
    assert await c.tick(sophea) is None, "weekly"


async def test_the_nudge_job_is_one_periodic_job_in_memory(course: DialogCourse) -> None:
    from apscheduler.jobstores.memory import MemoryJobStore

    from bot.proactive.jobs import add_jobs, create_scheduler
    from bot.wiring import jobs

    services, bot = course.sokh.services, course.sokh.bot
    scheduler = create_scheduler("Asia/Phnom_Penh")
    add_jobs(scheduler, jobs(services, bot, course.proactive))
    add_jobs(scheduler, jobs(services, bot, course.proactive))  # a restart re-adds, never doubles
    scheduler.start(paused=True)
    job = scheduler.get_job("nudges")
    assert job is not None and [j.id for j in scheduler.get_jobs()].count("nudges") == 1
    assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, 3600)
    assert isinstance(scheduler._lookup_jobstore("default"), MemoryJobStore)
    scheduler.shutdown(wait=False)


async def test_the_first_tip_comes_on_joining_then_at_the_chosen_time(
    course: DialogCourse,
) -> None:
    c, sokh = course, course.sokh
    dara = sokh.emu.add_user(language_code="en")
    c.at(1, 10)
    started = await join(c, dara)
    assert "Here is your first tip" in started.text and "02/12 19:00" in started.text
    first = sokh.last(dara)
    assert first is not None and "Tip 1 of" in first.text and first.message_id != started.message_id
    c.at(1, 19)
    assert await c.tick(dara) is None, "one tip on the day of joining, daily after"
    c.at(2, 19)
    second = await c.tick(dara)
    assert second is not None and "Tip 2 of" in second.text


async def test_joining_in_khmer_by_day_brings_the_first_tip_in_khmer(course: DialogCourse) -> None:
    c, sokh = course, course.sokh
    sophea = sokh.emu.add_user(language_code="km")
    c.at(1, 9)
    started = await join_in_khmer(c, sophea, "រៀងរាល់ថ្ងៃ")
    assert "នេះជាគន្លឹះដំបូង" in started.text and "០២/១២ ០៧:០០" in started.text, "Khmer digits"
    first = sokh.last(sophea)
    assert first is not None and "គន្លឹះទី" in first.text
