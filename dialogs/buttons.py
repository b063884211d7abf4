"""Who may tap each kind of button, where, and with which values: the guard's table.

Every callback data class in `dialogs.callbacks` has a rule here (a test holds that). Values
are checked against the set they come from (content, a flow's choices); a button naming a
stored thing (a session, a group) is checked against the chat and person it belongs to.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from aiogram import Bot
from aiogram.enums import ChatType
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery

from bot.content.course import item_for_ref
from bot.content.i18n import LANGUAGES
from bot.content.model import AGES
from bot.content.store import Content
from bot.pipeline.buttons import GROUPS, PRIVATE, Rule
from bot.runtime.settings import Settings
from bot.storage.group_sessions import SessionStore
from bot.storage.groups import GroupStore
from bot.storage.models import Group
from dialogs.browse import BROWSED, topic_pages
from dialogs.callbacks import (
    AboutCb,
    AttendanceCb,
    AutoCleanCb,
    CallCb,
    CaseCb,
    ChecklistCb,
    CourseAction,
    CourseCb,
    ForgetCb,
    GroupCb,
    HideCb,
    LanguageCb,
    MenuCb,
    NotifyCb,
    ParentCb,
    PlaceCb,
    QuizCb,
    RateCb,
    ReadCb,
    ReferralCb,
    RsvpCb,
    SessionAction,
    SessionCb,
    TakeCb,
    TopicCb,
    TopicsCb,
    TravelAction,
    TravelCb,
)
from dialogs.checklists import checklist_topic
from dialogs.course.flow import EVERY, HOURS
from dialogs.groups.membership import may_schedule
from dialogs.groups.session_edit import FIELDS
from dialogs.groups.session_form import REMINDERS, WEEKS, parse_time
from dialogs.groups.session_list import ROW_ACTIONS
from dialogs.hotlines import ABROAD
from dialogs.notifications.discreet import KINDS, MODES
from dialogs.referral import NOT_IN_CAMBODIA
from dialogs.travel.views import destinations

Data = dict[str, Any]
SCOPES = ("one", "later")
MOMENTS = (SessionAction.CAL, SessionAction.NEXT, SessionAction.TIME, SessionAction.PLAN)
SCREENS = ("s", "c")


def rules() -> dict[type[CallbackData], Rule]:
    """The rule of every kind of button."""
    return {
        LanguageCb: Rule(PRIVATE, _language), MenuCb: Rule(PRIVATE),
        TopicCb: Rule(PRIVATE, _topic), TopicsCb: Rule(PRIVATE, _topics),
        CallCb: Rule(PRIVATE, _service),
        QuizCb: Rule(PRIVATE, _quiz), ReferralCb: Rule(PRIVATE, _referral),
        AboutCb: Rule(PRIVATE, _about), PlaceCb: Rule(PRIVATE, _place),
        ForgetCb: Rule(PRIVATE), CaseCb: Rule(PRIVATE, _case), RateCb: Rule(PRIVATE, _score),
        ReadCb: Rule(PRIVATE, _read, "notify-gone", alert=True), NotifyCb: Rule(PRIVATE, _notify),
        CourseCb: Rule(PRIVATE, _course), TravelCb: Rule(PRIVATE, _travel),
        HideCb: Rule(PRIVATE), AutoCleanCb: Rule(PRIVATE, _auto_clean),
        TakeCb: Rule(GROUPS, _counsellors),
        GroupCb: Rule(GROUPS, _group_language),
        SessionCb: Rule(PRIVATE | GROUPS, _session, "sessions-not-allowed"),
        RsvpCb: Rule(GROUPS, _rsvp), AttendanceCb: Rule(PRIVATE, _attendance),
        ParentCb: Rule(PRIVATE, _parent), ChecklistCb: Rule(PRIVATE, _checklist),
    }


async def _language(button: LanguageCb, query: CallbackQuery, data: Data) -> bool:
    return button.code in LANGUAGES


async def _topic(button: TopicCb, query: CallbackQuery, data: Data) -> bool:
    return button.page >= 0 and _content(data).topic(button.area, button.topic) is not None


async def _topics(button: TopicsCb, query: CallbackQuery, data: Data) -> bool:
    """A pack people browse, and a page its list of topics has."""
    return button.area in BROWSED and 0 <= button.page < topic_pages(_content(data), button.area)


async def _parent(button: ParentCb, query: CallbackQuery, data: Data) -> bool:
    """Worry and age come from their enums (unpacking checks); a page is never negative."""
    return button.page >= 0


async def _checklist(button: ChecklistCb, query: CallbackQuery, data: Data) -> bool:
    """A checklist topic of the content, and one of its entries (or none, -1)."""
    topic = checklist_topic(_content(data), button.topic)
    return topic is not None and -1 <= button.item < len(topic.items)


async def _service(button: CallCb, query: CallbackQuery, data: Data) -> bool:
    return _content(data).service(button.service) is not None


async def _quiz(button: QuizCb, query: CallbackQuery, data: Data) -> bool:
    return _content(data).quiz(button.quiz) is not None


async def _referral(button: ReferralCb, query: CallbackQuery, data: Data) -> bool:
    content = _content(data)
    categories = {c.id for c in content.categories()}
    provinces = {p.id for p in content.provinces()}
    places = {"", NOT_IN_CAMBODIA, *provinces}
    return button.category in {"", *categories} and button.province in places


async def _about(button: AboutCb, query: CallbackQuery, data: Data) -> bool:
    content = _content(data)
    categories = {c.id for c in content.categories()}
    places = {"", NOT_IN_CAMBODIA, ABROAD, *(p.id for p in content.provinces())}
    return (content.service(button.service) is not None
            and button.category in {"", *categories} and button.province in places)


async def _place(button: PlaceCb, query: CallbackQuery, data: Data) -> bool:
    return button.province in {"", ABROAD, *(p.id for p in _content(data).provinces())}


async def _score(button: RateCb, query: CallbackQuery, data: Data) -> bool:
    return 1 <= button.score <= 5 and button.case > 0


async def _read(button: ReadCb, query: CallbackQuery, data: Data) -> bool:
    return button.kind in KINDS


async def _notify(button: NotifyCb, query: CallbackQuery, data: Data) -> bool:
    return button.mode in ("", *MODES)


async def _case(button: CaseCb, query: CallbackQuery, data: Data) -> bool:
    return button.lang in ("", *LANGUAGES)  # the crisis card's language, or none


async def _auto_clean(button: AutoCleanCb, query: CallbackQuery, data: Data) -> bool:
    return button.screen in SCREENS and button.lang in ("", *LANGUAGES)


async def _course(button: CourseCb, query: CallbackQuery, data: Data) -> bool:
    """A set-up step carries the answers so far; a rating names a tip; the rest carry nothing."""
    parts = button.value.split(".")
    steps = {CourseAction.HOUR: (AGES,), CourseAction.EVERY: (AGES, HOURS),
             CourseAction.GO: (AGES, HOURS, EVERY)}
    if button.action in steps:
        choices = steps[button.action]
        return len(parts) == len(choices) and all(
            p in c for p, c in zip(parts, choices, strict=True))
    if button.action in (CourseAction.USEFUL, CourseAction.USELESS):
        return item_for_ref(_content(data), button.value) is not None
    return button.value == ""


async def _travel(button: TravelCb, query: CallbackQuery, data: Data) -> bool:
    """A destination, or a destination with a month or a day of the date picker."""
    codes = {d.destination for d in destinations(_content(data))}
    code, _, when = button.value.partition(".")
    if button.action == TravelAction.DEST:
        return button.value in codes
    if button.action in (TravelAction.CAL, TravelAction.DAY):
        shape = f"{when}-01" if button.action == TravelAction.CAL else when
        return code in codes and _is_date(shape)
    return button.value == ""


async def _counsellors(button: TakeCb, query: CallbackQuery, data: Data) -> bool:
    settings: Settings = data["settings"]
    return query.message is not None and query.message.chat.id in settings.counsellor_chats


async def _group_language(button: GroupCb, query: CallbackQuery, data: Data) -> bool:
    return button.value in LANGUAGES


async def _session(button: SessionCb, query: CallbackQuery, data: Data) -> bool:
    """Form answers from their sets; a named session or group only where the tapper runs it."""
    private = query.message is not None and query.message.chat.type == ChatType.PRIVATE
    if button.action == SessionAction.GROUP:
        group = await _groups(data).by_id(int(button.value)) if button.value.isdigit() else None
        return private and group is not None and await _schedules(group, query, data)
    if button.action in ROW_ACTIONS:
        return not private and await _session_here(button.value, query, data, schedule=True)
    return _form_answer(button, _content(data))


def _form_answer(button: SessionCb, content: Content) -> bool:
    choices: dict[SessionAction, tuple[str, ...]] = {
        SessionAction.WEEKS: tuple(str(n) for n in WEEKS),
        SessionAction.REM: tuple(REMINDERS), SessionAction.PIN: ("skip",),
        SessionAction.FIELD: FIELDS, SessionAction.SCOPE: SCOPES,
    }
    if button.action in choices:
        return button.value in choices[button.action]
    if button.action in (SessionAction.TOPIC, SessionAction.ETOPIC):
        return content.topic("parenting", button.value) is not None
    if button.action == SessionAction.DAY:
        return _is_date(button.value)
    return _form_moment(button) if button.action in MOMENTS else button.value == ""


def _form_moment(button: SessionCb) -> bool:
    """A month of the calendar, next week's day and hour, an hour, or the plan's defaults."""
    value = button.value
    if button.action == SessionAction.CAL:
        return _is_date(f"{value}-01")
    if button.action == SessionAction.NEXT:
        day, _, hour = value.partition("T")
        return _is_date(day) and parse_time(hour) is not None
    if button.action == SessionAction.TIME:
        return parse_time(value) is not None
    weeks, _, key = value.partition(".")
    return weeks in {str(n) for n in WEEKS} and key in REMINDERS


async def _rsvp(button: RsvpCb, query: CallbackQuery, data: Data) -> bool:
    return await _session_here(str(button.session), query, data, schedule=False)


async def _attendance(button: AttendanceCb, query: CallbackQuery, data: Data) -> bool:
    row = await _sessions(data).get(button.session)
    return row is not None and row.trainer_key == data["vault"].role_key(query.from_user.id)


async def _session_here(value: str, query: CallbackQuery, data: Data, *, schedule: bool) -> bool:
    """The session exists in this chat's group (and the tapper may schedule there)."""
    row = await _sessions(data).get(int(value)) if value.isdigit() else None
    group = await _groups(data).by_id(row.group_id) if row else None
    if group is None or query.message is None or group.chat_id != query.message.chat.id:
        return False
    return not schedule or await _schedules(group, query, data)


async def _schedules(group: Group, query: CallbackQuery, data: Data) -> bool:
    bot: Bot = data["bot"]
    return await may_schedule(bot, group, query.from_user.id, _groups(data), data["admins"],
                              data["vault"])


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def _content(data: Data) -> Content:
    content: Content = data["content"]
    return content


def _groups(data: Data) -> GroupStore:
    groups: GroupStore = data["groups"]
    return groups


def _sessions(data: Data) -> SessionStore:
    sessions: SessionStore = data["group_sessions"]
    return sessions
