"""FSM state groups of the dialogs that read typed answers."""

from __future__ import annotations

from aiogram.enums import ChatType
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import Message


class CaseStates(StatesGroup):
    """A person with an open case: what they write goes to the counsellors."""

    open = State()


class TravelForm(StatesGroup):
    """Waiting for a typed travel date."""

    date = State()


class SessionForm(StatesGroup):
    """/session: like last time? → day; or title → topic → day → time → place → pin; then the
    plan (defaults in one tap, or repeat → reminders)."""

    like = State()
    title = State()
    topic = State()
    day = State()
    time = State()
    place = State()
    pin = State()
    repeat = State()
    reminders = State()


class MoveForm(StatesGroup):
    """/sessions → move: the new date and time of one session."""

    when = State()


class EditForm(StatesGroup):
    """/sessions → edit: which field, its new value, and for which dates of the series."""

    field = State()
    value = State()
    scope = State()


class AttendanceForm(StatesGroup):
    """After a session, in the trainer's private chat: how many came, and the split."""

    count = State()
    split = State()


TRAINER_STATES = (SessionForm, MoveForm, EditForm, AttendanceForm)
TRAINER_FORMS = frozenset(form.__full_group_name__ for form in TRAINER_STATES)
PRIVATE_TRAINER_COMMANDS = ("/session",)


def concerns_trainers(message: Message, raw_state: str | None = None) -> bool:
    """Whether the trainers' routers need to see a message.

    Group messages, /session in private and the answers to their forms. Everything else a
    person writes in private skips those routers' two dozen filters: they were a quarter of
    the bot's CPU per private message.
    """
    if message.chat.type != ChatType.PRIVATE:
        return True
    if raw_state is not None and raw_state.partition(":")[0] in TRAINER_FORMS:
        return True
    command = (message.text or "").partition(" ")[0].partition("@")[0].lower()
    return command in PRIVATE_TRAINER_COMMANDS


def concerns_flows(message: Message, raw_state: str | None = None) -> bool:
    """Whether a message may belong to a feature flow rather than to the fallback.

    In private, flows take only commands and the answers to their forms; crisis triage has
    already run. Other private text skips the flows' routers and their filters: walking them
    cost as much as the rest of the reply.
    """
    if message.chat.type != ChatType.PRIVATE or raw_state is not None:
        return True
    return (message.text or message.caption or "").lstrip().startswith("/")
