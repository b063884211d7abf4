"""Callback data of every button, with each flow's actions as an enum.

Prefixes are short: data must fit in 64 bytes. A value outside an enum does not unpack, so
a forged action never reaches a handler.
"""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class Screen(StrEnum):
    """Top-level places the main menu leads to."""

    HOME = "home"
    PARENTING = "parenting"
    MIGRATION = "migration"
    HELP = "help"
    COUNSELLOR = "counsellor"
    SETTINGS = "settings"
    LANGUAGE = "language"
    FORGET = "forget"


class CaseAction(StrEnum):
    """A person's way into a case.

    `consent` shows the short terms, `more` all of them, `start` opens the case; in a
    case, a shared location is sent only after `loc` (or kept with `noloc`).
    """

    CONSENT = "consent"
    MORE = "more"
    START = "start"
    SEND_LOCATION = "loc"  # the person confirms a shared location may go to the counsellor
    KEEP_LOCATION = "noloc"


class CourseAction(StrEnum):
    """The course's set-up steps, its controls and the buttons under a tip."""

    HOME = "home"
    START = "start"
    HOUR = "hour"
    EVERY = "every"
    GO = "go"
    PAUSE = "pause"
    RESUME = "resume"
    STOP = "stop"
    USEFUL = "useful"
    USELESS = "useless"
    NEXT = "next"


class ParentAction(StrEnum):
    """Parenting tips by what worries a parent and by the child's age."""

    CONCERNS = "c"
    AGES = "a"
    TIPS = "t"


class Concern(StrEnum):
    """The worries parents name (content items carry the same words as `concerns`)."""

    CRYING = "crying"
    TANTRUMS = "tantrums"
    SLEEP = "sleep"
    EATING = "eating"
    HITTING = "hitting"
    SCREENS = "screens"
    SCHOOL = "school"


class ChildAge(StrEnum):
    """A child's age group, as content items and the course name them."""

    BABY = "0-2"
    SMALL = "3-5"
    CHILD = "6-11"
    TEEN = "12-17"


class TravelAction(StrEnum):
    """The travel countdown's screens and the date picker's buttons."""

    HOME = "home"
    CHANGE = "change"
    DEST = "dest"
    CAL = "cal"
    DAY = "day"
    CANCEL = "cancel"
    SAFE = "safe"
    NOOP = "noop"


class GroupAction(StrEnum):
    """Group set-up."""

    LANG = "lang"


class SessionAction(StrEnum):
    """The /session form's steps and the /sessions list's buttons."""

    GROUP = "group"
    LIKE = "like"  # the next session like the group's last one
    NEW = "new"
    NEXT = "next"  # next week's day and hour, proposed from the last session
    CAL = "cal"  # another month of the calendar
    NOOP = "noop"  # a calendar cell that does nothing
    TIME = "time"
    PLAN = "plan"  # weeks and reminders in one tap: the defaults
    EDIT = "edit"
    FIELD = "field"
    ETOPIC = "etopic"
    SCOPE = "scope"
    CANCEL = "cancel"
    MOVE = "move"
    TOPIC = "topic"
    DAY = "day"
    WEEKS = "weeks"
    PIN = "pin"
    REM = "rem"
    QUIT = "quit"


class LanguageCb(CallbackData, prefix="l"):
    """Choose the interface language."""

    code: str


class MenuCb(CallbackData, prefix="m"):
    """Open a top-level screen."""

    to: Screen


class TopicsCb(CallbackData, prefix="tl"):
    """Page `page` (0-based) of a pack's list of topics."""

    area: str
    page: int


class TopicCb(CallbackData, prefix="t"):
    """Page `page` (0-based) of a topic in a content pack."""

    area: str
    topic: str
    page: int = 0


class ParentCb(CallbackData, prefix="p"):
    """Tips by concern and age: a list of concerns, of ages, or page `page` of the tips."""

    action: ParentAction
    concern: Concern | None = None
    age: ChildAge | None = None
    page: int = 0


class CallCb(CallbackData, prefix="c"):
    """Send a tap-to-call contact card for a service."""

    service: str


class ForgetCb(CallbackData, prefix="f"):
    """Confirm or cancel erasing a person's data."""

    confirm: bool


class CaseCb(CallbackData, prefix="ks"):
    """The counsellor path for a person.

    `lang` is the language the crisis card was written in (used while none is chosen);
    `share` carries the message that triggered triage into the case (the one the
    consent screen replies to: Telegram names it, the button cannot).
    """

    action: CaseAction
    urgent: bool = False
    lang: str = ""
    share: bool = False
    ref: int = 0  # the person's message a location button is about


class TakeCb(CallbackData, prefix="kt"):
    """A counsellor takes a waiting case."""

    case: int


class RateCb(CallbackData, prefix="kr"):
    """A person rates their closed case from 1 to 5."""

    case: int
    score: int


class CourseCb(CallbackData, prefix="n"):
    """The parenting course: set-up choices and the buttons under each nudge."""

    action: CourseAction
    value: str = ""


class TravelCb(CallbackData, prefix="v"):
    """The travel countdown: destination, date picker, change, cancel, arrival check-in."""

    action: TravelAction
    value: str = ""


class ReadCb(CallbackData, prefix="nr"):
    """'Read' under a fully neutral notification: `kind` says what to re-render from `ref`."""

    kind: str
    ref: str = ""


class NotifyCb(CallbackData, prefix="nm"):
    """Settings, notifications: no mode shows the choice; a mode saves it."""

    mode: str = ""


class ReferralCb(CallbackData, prefix="r"):
    """The referral flow: no category yet → categories; no province → provinces; both → who."""

    category: str = ""
    province: str = ""


class AboutCb(CallbackData, prefix="ab"):
    """'About this number': caveats, sources and checked date of one service. `category`
    and `province` say where Back leads: the referral step, a province's numbers, or /help."""

    service: str
    category: str = ""
    province: str = ""


class PlaceCb(CallbackData, prefix="pl"):
    """Numbers by place: no province → the list; a province id, or `abroad` → its numbers."""

    province: str = ""


class QuizCb(CallbackData, prefix="q"):
    """Send a content quiz as a Telegram quiz poll."""

    quiz: str


class GroupCb(CallbackData, prefix="gg"):
    """Group set-up: the admin picks the group's language."""

    action: GroupAction
    value: str = ""


class SessionCb(CallbackData, prefix="gs"):
    """The /session form and the /sessions list (move, cancel one date)."""

    action: SessionAction
    value: str = ""


class RsvpCb(CallbackData, prefix="gr"):
    """'I'll come' / 'Can't come' under a session reminder."""

    session: int
    coming: bool


class AttendanceCb(CallbackData, prefix="ga"):
    """The trainer records how many came to a session."""

    session: int


class HideCb(CallbackData, prefix="x"):
    """'Hide this chat': delete the conversation and leave a neutral menu (docs/quick-exit.md)."""


class AutoCleanCb(CallbackData, prefix="xa"):
    """Switch 'Clean up after me' on or off, from Settings (`s`) or the consent screen (`c`)."""

    on: bool
    screen: str = "s"
    urgent: bool = False
    lang: str = ""


class ChecklistCb(CallbackData, prefix="ck"):
    """A checklist topic: with `item` (0-based), tick or untick that entry; -1 only shows it."""

    topic: str
    item: int = -1
