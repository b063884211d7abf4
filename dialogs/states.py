"""FSM state groups of the dialogs that read typed answers."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class SessionForm(StatesGroup):
    """/session: title → topic → day → time → place → repeat → reminders."""

    title = State()
    topic = State()
    day = State()
    time = State()
    place = State()
    repeat = State()
    reminders = State()


class MoveForm(StatesGroup):
    """/sessions → move: the new date and time of one session."""

    when = State()


class AttendanceForm(StatesGroup):
    """After a session, in the trainer's private chat: how many came, and the split."""

    count = State()
    split = State()
