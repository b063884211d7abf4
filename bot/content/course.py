"""The parenting course as one person gets it: tips for their child's age, a quiz per theme."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from bot.content.model import CourseWeek, Item
from bot.content.store import Content

__all__ = ["CoursePlan", "course_items", "course_plan", "is_check_in", "item_for_ref", "tip_ref"]

PRACTICE = "parenting.practice."  # home practice: X-try ends a week, X-check opens the next


@dataclass(frozen=True)
class CoursePlan:
    """Tip ids in sending order, and the quiz that follows the last tip of each theme."""

    items: list[str]
    quizzes: dict[int, str] = field(default_factory=dict)  # step of a theme's last tip -> quiz


def course_plan(content: Content, age: str | None) -> CoursePlan:
    """The course for `age`: weeks are themes; tips written for other ages are left out."""
    plan, quizzed = CoursePlan([]), {q.topic for q in content.quizzes()}
    for week in content.course():
        plan.items.extend(i for i in week.items if _fits(content.item(i), age))
        quiz = _theme_quiz(content, week, quizzed)
        if quiz is not None and plan.items and plan.items[-1] in week.items:
            plan.quizzes[len(plan.items) - 1] = quiz
    return plan


def course_items(content: Content, age: str | None) -> list[str]:
    """The course's tip ids in order, leaving out tips written for other ages."""
    return course_plan(content, age).items


def _fits(item: Item | None, age: str | None) -> bool:
    return item is None or age is None or not item.ages or age in item.ages


def _theme_quiz(content: Content, week: CourseWeek, quizzed: set[str]) -> str | None:
    """The quiz of the one quizzed topic the week's tips come from; a mixed week has none.

    Topics without a quiz (the home-practice prompts and check-ins, tips added for one age
    group) ride along in a theme's week without taking its quiz away.
    """
    themes = {topic.id for pack in content.packs.values() for topic in pack.topics
              if topic.id in quizzed and any(i.id in week.items for i in topic.items)}
    return content.quizzes(themes.pop())[0].id if len(themes) == 1 else None


def tip_ref(item_id: str) -> str:
    """A short stable reference to a tip: item ids may be too long for callback data."""
    return hashlib.blake2s(item_id.encode(), digest_size=6).hexdigest()


def item_for_ref(content: Content, ref: str) -> Item | None:
    """The course tip a button's reference names, if the current content still has it."""
    found = next((i for i in course_items(content, None) if tip_ref(i) == ref), None)
    return content.item(found) if found else None


def is_check_in(item_id: str) -> bool:
    """A home-practice check-in: its buttons ask whether the parent tried, not if it helped."""
    return item_id.startswith(PRACTICE) and item_id.endswith("-check")
