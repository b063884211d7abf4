"""FSM state groups of the dialogs that read typed answers."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class SessionForm(StatesGroup):
    """/session: title → topic → day → time → place → pin → repeat → reminders."""

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
