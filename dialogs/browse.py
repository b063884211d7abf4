"""Browsing a content pack (parenting tips, migration checklists) one item per screen."""

from __future__ import annotations

import logging
from typing import Any

from aiogram import F, Router
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from sqlalchemy.exc import SQLAlchemyError

from bot.content.i18n import Translator
from bot.content.model import Quiz
from bot.content.phones import services_named
from bot.content.store import Content
from bot.proactive.outbox import Claimed
from bot.proactive.sender import Rendered
from bot.storage.people import People, Profile
from dialogs import parents
from dialogs.callbacks import MenuCb, QuizCb, Screen, TopicCb, TopicsCb
from dialogs.hotlines import call_rows
from dialogs.menu import menu_row
from dialogs.quick_exit.flow import hide_button
from dialogs.screen import Row, View, show
from dialogs.text import escape, sources_line

log = logging.getLogger(__name__)
PACK_OF_SCREEN = {Screen.PARENTING: "parenting", Screen.MIGRATION: "migration"}
BROWSED = frozenset(PACK_OF_SCREEN.values())
# Topics someone may need to hide from whoever holds their phone (docs/quick-exit.md).
SENSITIVE_TOPICS = frozenset({"red-flags", "passport-kept"})
# Topics a page: with parents' two entry rows, paging and the menu, 12 rows fit a small
# phone's screen (about 44 pixels a row on a 640-pixel screen, below the question).
TOPICS_PER_PAGE = 8


def topic_list(content: Content, pack_name: str, t: Translator, page: int = 0) -> View:
    """A page of a pack's topics, one button each, so the list fits one phone screen."""
    pack = content.packs[pack_name]
    shown = pack.topics[page * TOPICS_PER_PAGE:(page + 1) * TOPICS_PER_PAGE]
    rows: list[Row] = [
        [(topic.title.get(t.language), TopicCb(area=pack_name, topic=topic.id))]
        for topic in shown
    ]
    if pack_name == PACK_OF_SCREEN[Screen.PARENTING] and page == 0:
        rows[0:0] = parents.entry_rows(t)  # by worry and by age lead; themes follow
    rows.append(_list_paging(pack_name, page, topic_pages(content, pack_name), t))
    rows.append(menu_row(t))
    title = escape(pack.title.get(t.language))
    return View(t("browse-choose-topic", pack=title), tuple(rows))


def topic_pages(content: Content, pack_name: str) -> int:
    """How many pages the pack's list of topics takes."""
    return -(-len(content.packs[pack_name].topics) // TOPICS_PER_PAGE)


def _list_paging(pack_name: str, page: int, pages: int, t: Translator) -> Row:
    row: list[tuple[str, CallbackData]] = []
    if page > 0:
        row.append((t("browse-fewer-topics"), TopicsCb(area=pack_name, page=page - 1)))
    if page + 1 < pages:
        row.append((t("browse-more-topics"), TopicsCb(area=pack_name, page=page + 1)))
    return row


def topic_page(content: Content, at: TopicCb, t: Translator) -> View | None:
    """One item of a topic with previous/next; None when the button is stale."""
    topic = content.topic(at.area, at.topic)
    if topic is None or not 0 <= at.page < len(topic.items):
        return None
    item, total = topic.items[at.page], len(topic.items)
    title = escape(topic.title.get(t.language))
    text = "\n\n".join([
        f"<b>{title}</b> · {t('common-page', page=at.page + 1, total=total)}",
        escape(item.text.get(t.language)),
        sources_line(content, item.sources, t),
    ])
    quizzes = [(t("browse-quiz-button"), QuizCb(quiz=q.id)) for q in content.quizzes(topic.id)]
    back = _back_row(content, at, t)
    if at.topic in SENSITIVE_TOPICS:
        back = [*back, hide_button(t)]
    calls = call_rows(services_named(content, item.text.get(t.language)), t)  # tappable numbers
    return View(text, (*calls, _paging(at, total, t), quizzes[:1], back))


def _paging(at: TopicCb, total: int, t: Translator) -> Row:
    row: list[tuple[str, CallbackData]] = []
    if at.page > 0:
        row.append((t("common-button-previous"), at.model_copy(update={"page": at.page - 1})))
    if at.page + 1 < total:
        row.append((t("common-button-next"), at.model_copy(update={"page": at.page + 1})))
    return row


def _back_row(content: Content, at: TopicCb, t: Translator) -> Row:
    """Back to the page of the list that holds this topic."""
    ids = [topic.id for topic in content.packs[at.area].topics]
    page = ids.index(at.topic) // TOPICS_PER_PAGE
    return [(t("common-button-back"), TopicsCb(area=at.area, page=page)), *menu_row(t)]


async def open_topics(
    callback: CallbackQuery, callback_data: TopicsCb, content: Content, t: Translator
) -> None:
    """Another page of a pack's topics."""
    await show(callback, topic_list(content, callback_data.area, t, callback_data.page))


async def open_pack(
    callback: CallbackQuery, callback_data: MenuCb, content: Content, t: Translator
) -> None:
    """List the topics of the chosen area."""
    await show(callback, topic_list(content, PACK_OF_SCREEN[callback_data.to], t))


async def open_page(
    callback: CallbackQuery, callback_data: TopicCb, content: Content, t: Translator,
    people: People, profile: Profile | None, callback_answer: CallbackAnswer,
) -> None:
    """Show one item in place and note that it reached this person."""
    view = topic_page(content, callback_data, t)
    if view is None:
        callback_answer.text = t("browse-topic-gone")
        await show(callback, topic_list(content, callback_data.area, t))
        return
    await show(callback, view)
    topic = content.topic(callback_data.area, callback_data.topic)
    if profile is not None and topic is not None:
        await _record(people, profile, content, topic.items[callback_data.page].id)


async def send_quiz(
    callback: CallbackQuery, callback_data: QuizCb, content: Content, t: Translator,
    people: People, profile: Profile | None, callback_answer: CallbackAnswer,
) -> None:
    """Send the topic's quiz as a native Telegram quiz poll."""
    quiz = content.quiz(callback_data.quiz)
    if quiz is None or not isinstance(callback.message, Message):
        callback_answer.text = t("browse-topic-gone")
        return
    await callback.message.answer_poll(**quiz_poll(quiz, t.language))
    if profile is not None:
        await _record(people, profile, content, quiz.id)


def quiz_poll(quiz: Quiz, language: str) -> dict[str, Any]:
    """The sendPoll arguments of a native, anonymous quiz poll in `language`."""
    return {"question": quiz.question.get(language),
            "options": [o.get(language) for o in quiz.options], "type": "quiz",
            "correct_option_id": quiz.correct, "explanation": quiz.explanation.get(language),
            "is_anonymous": True}


async def _record(people: People, profile: Profile, content: Content, item_id: str) -> None:
    try:
        await people.record_delivery(profile.key, content.version, item_id)
    except SQLAlchemyError:
        log.warning("could not record a content delivery", exc_info=True)


def create_router() -> Router:
    """The browse flow's handlers, in the order they are tried."""
    router = Router(name="browse")
    router.callback_query.register(open_pack, MenuCb.filter(F.to.in_(PACK_OF_SCREEN)))
    router.callback_query.register(open_page, TopicCb.filter(F.area.in_(BROWSED)))
    router.callback_query.register(
        open_topics, TopicsCb.filter(F.area.in_(BROWSED)))
    router.callback_query.register(send_quiz, QuizCb.filter())
    return router


def item_message(row: Claimed, content: Content, t: Translator) -> Rendered | None:
    """A broadcast content item, as plain text in the person's language."""
    item = content.item(str(row.payload["item"]))
    if item is None:
        return None
    return Rendered(escape(item.text.get(t.language)), None, (content.version, item.id))
