"""What the course sends on its own: the next tip, a theme's quiz, the end of the course."""

from __future__ import annotations

from bot.content.i18n import Translator
from bot.content.store import Content
from bot.proactive.outbox import Claimed
from bot.proactive.sender import Rendered
from dialogs.browse import quiz_poll
from dialogs.course.flow import done_view, tip_view
from dialogs.text import escape


def tip(row: Claimed, content: Content, t: Translator) -> Rendered | None:
    """Tip n of the course, with its useful/not-useful buttons."""
    item = content.item(str(row.payload["item"]))
    if item is None:
        return None
    view = tip_view(item, t, int(row.payload["n"]), int(row.payload["total"]), content)
    return Rendered(view.text, view.markup(), (content.version, item.id))


def done(row: Claimed, content: Content, t: Translator) -> Rendered:
    """The course is over: what next."""
    view = done_view(t, row.payload.get("age"))
    return Rendered(view.text, view.markup())


def quiz(row: Claimed, content: Content, t: Translator) -> Rendered | None:
    """The quiz poll that ends a theme."""
    found = content.quiz(str(row.payload["quiz"]))
    if found is None:
        return None
    poll = quiz_poll(found, t.language)
    return Rendered(escape(poll["question"]), None, (content.version, found.id), poll)
