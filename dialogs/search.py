"""Typed text no flow expects: commands people type ("stop", "ម៉ឺនុយ"), then a search.

Search answers with the best one to three tips, checklists, quizzes or services as buttons,
each with a line saying which of the person's words it matched; when nothing matches well it
says so and shows the menu, which offers a counsellor. Nothing typed is logged or stored.
"""

from __future__ import annotations

import logging
from collections import Counter
from functools import lru_cache

from aiogram.filters.callback_data import CallbackData
from aiogram.types import Message
from sqlalchemy.exc import SQLAlchemyError

from bot.content.i18n import Translator
from bot.content.search import ContentSearch, Kind, Target, build_search
from bot.content.store import Content
from bot.language import Romaniser
from bot.language.commands import TypedCommands
from bot.language.risk import RiskDetector
from bot.language.scrub import scrub
from bot.language.search import Hit
from bot.runtime.clock import Clock
from bot.runtime.settings import Settings
from bot.storage.unanswered import Unanswered
from dialogs.callbacks import (
    CallCb,
    Concern,
    CourseAction,
    CourseCb,
    MenuCb,
    ParentAction,
    ParentCb,
    QuizCb,
    Screen,
    TopicCb,
    TravelAction,
    TravelCb,
)
from dialogs.hotlines import help_view
from dialogs.menu import main_menu, menu_row
from dialogs.screen import Row, View, reply
from dialogs.text import escape

log = logging.getLogger(__name__)
# A result is shown when it covers over half the question's weight (idf), or a fair part of it
# with a good BM25 score (tuned on the dev questions of tests/eval/queries.yaml: nine in ten
# right answers cover over half; a stray shared word covers less).
MOST = 0.5
PART, MIN_SCORE = 0.3, 5.5
LABEL_LIMIT = 60  # characters of a result button
MAX_QUESTION = 300  # characters read: a question is short; a pasted page is not searched whole


@lru_cache(maxsize=4)
def searcher(content: Content, romaniser: Romaniser | None) -> ContentSearch:
    """The search over one content version (built once; content is replaced on reload)."""
    return build_search(content, romaniser)


async def typed_text(
    message: Message, t: Translator, content: Content, risk: RiskDetector, settings: Settings,
    unanswered: Unanswered, clock: Clock, typed_commands: TypedCommands,
) -> None:
    """Do what a typed command asks, or answer the question from content."""
    text = message.text or ""
    command = typed_commands.match(text)
    if command is not None:
        await reply(message, command_view(command, content, t))
        return
    search = searcher(content, risk.romaniser)
    view = answer_view(search, t, text, content)
    await reply(message, view)
    if settings.count_unanswered and view.text.startswith(t("search-nothing")):
        await _count(unanswered, scrub(text[:MAX_QUESTION], search.vocabulary), t, clock)


async def _count(unanswered: Unanswered, stripped: str | None, t: Translator, clock: Clock) -> None:
    """Count a stripped unanswered question; a database fault must not reach the person."""
    if stripped is None:
        return
    try:
        await unanswered.note(stripped, t.language, clock().date())
    except SQLAlchemyError:
        log.warning("could not count an unanswered question")


def command_view(command: str, content: Content, t: Translator) -> View:
    """The screen a typed command opens; stopping asks first, with the buttons that stop."""
    if command == "help":
        return help_view(content, t)
    if command == "stop":
        return View(t("search-stop-confirm"), (
            [(t("course-button-stop"), CourseCb(action=CourseAction.STOP))],
            [(t("travel-button-cancel"), TravelCb(action=TravelAction.CANCEL))],
            menu_row(t),
        ))
    return main_menu(t, t("search-thanks") if command == "thanks" else "")


def answer_view(search: ContentSearch, t: Translator, question: str,
                content: Content | None = None) -> View:
    """The best matches as buttons with why each was chosen, or an honest 'not found'."""
    hits = search.search(question[:MAX_QUESTION])
    found = [(hit, target) for hit, target in hits if _good(hit)]
    if not found:
        log.info("search found nothing")  # no words: they may identify the person
        # A short line, not the whole menu: people who type a lot got a chat full of menus.
        counsellor = [(t("menu-button-counsellor"), MenuCb(to=Screen.COUNSELLOR))]
        return View(t("search-nothing"), (counsellor, menu_row(t)))
    lines = [t("search-found")]
    rows: list[Row] = []
    for n, (hit, target) in enumerate(found, 1):
        label, button = _result(search, target, t)
        words = escape(", ".join(hit.words))
        lines.append(t("search-why", n=n, title=escape(label), words=words))
        rows.append([(f"{n}. {label}", button)])
    return View("\n\n".join(lines), (*rows, *_worry_row(content, found, t), menu_row(t)))


def _worry_row(content: Content | None, found: list[tuple[Hit, Target]],
               t: Translator) -> list[Row]:
    """When most results answer one worry (sleep, crying…), its tips by age are a tap away."""
    if content is None:
        return []
    items = (content.item(target.id) for _, target in found if target.kind == Kind.ITEM)
    concerns = Counter(c for item in items if item is not None for c in item.concerns)
    if not concerns or concerns.most_common(1)[0][1] * 2 < len(found):
        return []
    concern = Concern(concerns.most_common(1)[0][0])
    label = t("search-worry", worry=t(f"parents-concern-{concern.value}"))
    return [[(label, ParentCb(action=ParentAction.AGES, concern=concern))]]


def _good(hit: Hit) -> bool:
    return hit.coverage > MOST or (hit.coverage >= PART and hit.score >= MIN_SCORE)


def _result(search: ContentSearch, target: Target, t: Translator) -> tuple[str, CallbackData]:
    """A result's button label in the person's language, and what tapping it opens."""
    lang = t.language
    if target.kind == Kind.SERVICE:
        service = search.services[target.id]
        return _short(f"{service.name.get(lang)} {service.phone}"), CallCb(service=target.id)
    if target.kind == Kind.QUIZ:
        return _short(search.quizzes[target.id].question.get(lang)), QuizCb(quiz=target.id)
    title, text = search.items[target.id]
    label = _short(f"{title.get(lang)}: {text.get(lang)}")
    return label, TopicCb(area=target.pack, topic=target.topic, page=target.page)


def _short(text: str) -> str:
    """One line of at most LABEL_LIMIT characters, cut at a word where possible."""
    line = " ".join(text.split())
    if len(line) <= LABEL_LIMIT:
        return line
    cut = line[: LABEL_LIMIT - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut[20:] else cut) + "…"
