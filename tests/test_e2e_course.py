"""The parenting course end to end over real HTTP on both databases: tips arrive on time."""

# The rest of the course (next, pause, resume, stop, Khmer) is tested in-process in
# test_dialogs_course.py.

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.helpers.course import Course, course_bot, join, query
from tests.helpers.harness import Harness


@pytest.fixture
async def course_http(db_url: str) -> AsyncIterator[Course[Harness]]:
    """The whole bot on each database, driven by hand on a fake clock."""
    async with course_bot(db_url) as driven:
        yield driven


async def test_tips_arrive_at_the_chosen_time_in_the_persons_language(
        course_http: Course[Harness]) -> None:
    c, dara = course_http, course_http.sokh.emu.add_user(language_code="en")
    c.at(1, 6)  # inside the quiet hours: no tip on joining, the first at the chosen hour
    started = await join(c, dara)
    assert "first tip arrives on 01/12 19:00" in started.text
    assert await c.tick(dara) is None, "not before 19:00"
    c.at(1, 19)
    tip = await c.tick(dara)
    assert tip is not None and "Tip 1 of" in tip.text
    assert c.sokh.emu.buttons(tip) == ["👍 Useful", "👎 Not useful", "⏭ Next tip now",
                                       "⏸ Pause"]
    assert await c.tick(dara) is None, "one a day"
    c.at(2, 19)
    second = await c.tick(dara)
    assert second is not None and "Tip 2 of" in second.text
    rows = await query(c, "SELECT count(*) FROM deliveries")
    assert rows == [(2,)], "each delivered tip is recorded with its content version"
