"""Parenting tips by what worries a parent (crying, sleep…) and by the child's age.

Built from the content's own tips: each item lists the `concerns` it answers and the `ages`
it fits, so these entry points add no advice of their own (issue 19).
"""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.types import CallbackQuery
from sqlalchemy.exc import SQLAlchemyError

from bot.content.i18n import Translator
from bot.content.model import Item
from bot.content.phones import services_named
from bot.content.store import Content
from bot.storage.people import People, Profile
from bot.storage.schedules import ACTIVE, COURSE, PAUSED, Schedules
from dialogs.callbacks import ChildAge, Concern, MenuCb, ParentAction, ParentCb, Screen
from dialogs.hotlines import call_rows
from dialogs.menu import menu_row
from dialogs.screen import Row, View, in_rows, show
from dialogs.text import escape

log = logging.getLogger(__name__)
PACK = "parenting"


def entry_rows(t: Translator) -> tuple[Row, ...]:
    """The two ways in beside the themes: by worry and by the child's age."""
    return (
        [(t("parents-button-concerns"), ParentCb(action=ParentAction.CONCERNS))],
        [(t("parents-button-ages"), ParentCb(action=ParentAction.AGES))],
    )


def tips_for(content: Content, concern: Concern, age: ChildAge) -> list[tuple[str, Item]]:
    """(theme title id, item) of every tip tagged with `concern` that fits `age`.

    Tips written for fewer ages come first: they speak to this child rather than to all.
    """
    pack = content.packs.get(PACK)
    found = [(topic.id, item) for topic in (pack.topics if pack else ())
             for item in topic.items
             if concern.value in item.concerns and (not item.ages or age.value in item.ages)]
    return sorted(found, key=lambda pair: len(pair[1].ages) or 99)


def concern_view(t: Translator, age: ChildAge | None) -> View:
    """The worries, two a row; with an age known, each leads straight to its tips."""
    step = ParentAction.TIPS if age else ParentAction.AGES
    buttons = [(t(f"parents-concern-{c.value}"), ParentCb(action=step, concern=c, age=age))
               for c in Concern]
    lead = t("parents-ask-concern-age", age=t(f"course-age-{age.value}")) if age \
        else t("parents-ask-concern")
    return View(lead, (*in_rows(buttons, 2), _back_row(t)))


def age_view(t: Translator, concern: Concern | None) -> View:
    """The age groups, two a row; with a worry known, each leads straight to its tips."""
    step = ParentAction.TIPS if concern else ParentAction.CONCERNS
    buttons = [(t(f"course-age-{a.value}"), ParentCb(action=step, concern=concern, age=a))
               for a in ChildAge]
    lead = t("parents-ask-age-concern", concern=t(f"parents-concern-{concern.value}")) \
        if concern else t("parents-ask-age")
    return View(lead, (*in_rows(buttons, 2), _back_row(t)))


def tips_view(content: Content, at: ParentCb, t: Translator) -> tuple[View, Item | None]:
    """Tip `page` for a worry and an age, with paging, call buttons and the ways back."""
    assert at.concern is not None and at.age is not None
    tips = tips_for(content, at.concern, at.age)
    title = t("parents-tips-title", concern=t(f"parents-concern-{at.concern.value}"),
              age=t(f"course-age-{at.age.value}"))
    switch: Row = [
        (t("parents-button-other-age"), at.model_copy(update={"action": ParentAction.AGES})),
        (t("parents-button-other-concern"),
         ParentCb(action=ParentAction.CONCERNS, age=at.age)),
    ]
    if not 0 <= at.page < len(tips):
        return View(f"{title}\n\n{t('parents-none')}", (switch, _back_row(t))), None
    topic_id, item = tips[at.page]
    topic = content.topic(PACK, topic_id)
    theme = escape(topic.title.get(t.language)) if topic else ""
    text = "\n\n".join([title, escape(item.text.get(t.language)),
                        f"<i>{t('parents-from-theme', theme=theme)}</i>",
                        t("common-page", page=at.page + 1, total=len(tips))])
    calls = call_rows(services_named(content, item.text.get(t.language)), t)
    rows = (*calls, _paging(at, len(tips), t), switch, _back_row(t))
    return View(text, rows), item


def _paging(at: ParentCb, total: int, t: Translator) -> Row:
    row: list[tuple[str, ParentCb]] = []
    if at.page > 0:
        row.append((t("common-button-previous"), at.model_copy(update={"page": at.page - 1})))
    if at.page + 1 < total:
        row.append((t("common-button-next"), at.model_copy(update={"page": at.page + 1})))
    return row


def _back_row(t: Translator) -> Row:
    return [(t("common-button-back"), MenuCb(to=Screen.PARENTING)), *menu_row(t)]


async def open_step(
    callback: CallbackQuery, callback_data: ParentCb, content: Content, t: Translator,
    people: People, profile: Profile | None, schedules: Schedules,
) -> None:
    """Show the worries, the ages, or a tip, in place; a tip shown is noted for reach."""
    at = callback_data
    if at.action == ParentAction.CONCERNS or (at.action == ParentAction.TIPS and not at.concern):
        await show(callback, concern_view(t, at.age or await _course_age(schedules, profile)))
        return
    if at.action == ParentAction.AGES or at.age is None:
        await show(callback, age_view(t, at.concern))
        return
    view, item = tips_view(content, at, t)
    await show(callback, view)
    if profile is not None and item is not None:
        try:
            await people.record_delivery(profile.key, content.version, item.id)
        except SQLAlchemyError:
            log.warning("could not record a content delivery", exc_info=True)


async def _course_age(schedules: Schedules, profile: Profile | None) -> ChildAge | None:
    """The age a parent gave when joining the course: asked once, not again (issue 19)."""
    try:
        row = await schedules.get(profile.key, COURSE) if profile else None
    except SQLAlchemyError:
        log.warning("could not read the course age", exc_info=True)
        return None
    ages = {a.value: a for a in ChildAge}
    return ages.get(row.age or "") if row is not None and row.status in (ACTIVE, PAUSED) else None


def create_router() -> Router:
    """The parents' entry points' handlers."""
    router = Router(name="parents")
    router.callback_query.register(open_step, ParentCb.filter())
    return router
