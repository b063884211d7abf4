"""The four journeys docs/screens/ shows, walked in the simulator page by their labels.

Every label and every text waited for comes from the locale of the language being shown
(and content titles from content/), never from an English literal, so a reworded button is
picked up on the next `make screenshots`, and a journey that stops working fails loudly.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.content.i18n import Translator, local_digits

if TYPE_CHECKING:
    from simulator.screenshots import Stage

__all__ = ["JOURNEYS", "Journey", "plain"]

_TAG = re.compile(r"<[^>]+>")
SESSION_TITLE = {"km": "ពាក្យសម្ដីទន់ភ្លន់", "en": "Kind words"}
SESSION_PLACE = {"km": "សាលាវត្ត", "en": "Pagoda hall"}
# What the person and the counsellor write (sample chat lines, not content; Khmer: draft).
PERSON_WRITES = {"km": "ខ្ញុំចង់និយាយអំពីរឿងនៅផ្ទះ", "en": "I need to talk about home"}
COUNSELLOR_WRITES = {"km": "ខ្ញុំនៅទីនេះ។ តើអ្នកមានសុវត្ថិភាពឥឡូវនេះទេ?",
                     "en": "I am here. Are you safe right now?"}
FORM_STEPS = 16  # more questions than the /session form asks: a loop that never ends fails


def plain(text: str) -> str:
    """The first line of a formatted string as the page shows it: no tags, no entities."""
    first = next(line for line in text.splitlines() if line.strip())
    return _TAG.sub("", first).replace("&lt;", "<").replace("&gt;", ">").strip()


def lead(t: Translator, message_id: str, *names: str) -> str:
    """The shown text of a message up to its first argument (an alias, a title not known).

    `names` are all the message's arguments, so Fluent has each one and logs no error.
    """
    marker = "\x00"
    text = t(message_id, **dict.fromkeys(names, marker))
    return plain(text.split(marker, 1)[0] + "\n").strip()


async def parent_tip(stage: Stage) -> None:
    """A mother finds a tip for her crying three-year-old."""
    t = stage.t
    await stage.start()
    for label in ("menu-button-parenting", "parents-button-concerns", "parents-concern-crying",
                  "course-age-3-5"):
        await stage.tap(t(label))
    await stage.see(plain(t("parents-tips-title", concern=t("parents-concern-crying"),
                            age=t("course-age-3-5"))))
    await stage.snap()


async def thai_hotline(stage: Stage) -> None:
    """A young man going to Thailand finds whom to call there, and gets the 1300 card."""
    t = stage.t
    thailand = stage.content.topic("migration", "thailand")
    if thailand is None:
        raise LookupError("content has no migration topic 'thailand'")
    await stage.start()
    await stage.tap(t("menu-button-migration"))
    await stage.tap(thailand.title.get(t.language))
    await stage.tap_containing("1300")
    await stage.see_contact("1300")
    await stage.snap()


async def group_session(stage: Stage) -> None:
    """A trainer schedules a weekly session in her group; the group gets a reminder, RSVPs."""
    t = stage.t
    await stage.open_tab("Parenting group")
    await stage.say("/setup")
    await stage.tap(t(f"common-language-name-{t.language}"))
    await stage.see(plain(t("groups-intro")))
    await fill_session_form(stage, stage.scene.at + timedelta(days=1))
    first = (stage.scene.at + timedelta(days=1)).replace(hour=18, minute=0)
    stage.scene.jump(first - timedelta(hours=24))  # the day before: the 24-hour reminder
    await stage.app.proactive.reminders.enqueue_due()
    await stage.see(lead(t, "rsvp-reminder", "title", "when", "place", "topic", "coming",
                         "missing") + " " + SESSION_TITLE[t.language])
    await stage.act_as("Dara")  # a parent of the group taps I'll come
    await stage.tap(t("rsvp-coming"))
    counts = t("rsvp-reminder", title="", when="", place="", topic="", coming=1, missing=0)
    await stage.see(plain(counts.splitlines()[-1]))
    await stage.snap()


async def fill_session_form(stage: Stage, day: datetime) -> None:
    """/session, answering whatever the form asks until it confirms.

    The form is driven by its questions, not by their order: each known question (by its
    locale id) has an answer, and an unknown one with buttons gets its first button, so a
    reworked form with more or fewer steps still completes.
    """
    t = stage.t
    answers: dict[str, Callable[[], Awaitable[None]]] = {
        "sessions-ask-title": lambda: stage.say(SESSION_TITLE[t.language]),
        "sessions-ask-topic": stage.tap_first,
        "sessions-ask-day": lambda: stage.tap(local_digits(str(day.day), t.language)),
        "sessions-ask-time": lambda: stage.say("18:00"),
        "sessions-ask-place": lambda: stage.say(SESSION_PLACE[t.language]),
        "sessions-ask-pin": lambda: stage.tap(t("sessions-pin-skip")),
        "sessions-ask-repeat": lambda: stage.tap(t(
            "sessions-plan-default", weeks=t("sessions-weeks", weeks=4),
            reminders=t("sessions-reminders-24-1"))),
        "sessions-ask-reminders": lambda: stage.tap(t("sessions-reminders-24-1")),
    }
    prompts = {plain(t(key)): answer for key, answer in answers.items() if t.has(key)}
    done = plain(t("sessions-saved", count=4))
    latest = await stage.newest_text()
    await stage.say("/session")
    for _ in range(FORM_STEPS):
        latest = await stage.next_question(latest, (*prompts, done))
        if done in latest:
            return
        answer = next((a for prompt, a in prompts.items() if prompt in latest), None)
        await (answer() if answer is not None else stage.tap_first())
    raise RuntimeError(f"/session did not confirm after {FORM_STEPS} answers")


async def counsellor(stage: Stage) -> None:
    """A person agrees to the terms, a case opens, a counsellor takes it and answers."""
    t = stage.t  # the counsellors' forum is set to the person's language (staged())
    await stage.start()
    await stage.tap(t("menu-button-counsellor"))
    await stage.see(lead(t, "counsellor-consent", "days", "numbers", "open", "close"))
    await stage.snap("consent")
    await stage.tap(t("counsellor-button-agree"))
    await stage.see(lead(t, "counsellor-connected", "alias", "minutes", "numbers"))
    await stage.say(PERSON_WRITES[t.language])
    await stage.open_tab("Counsellors")
    await stage.open_topic(lead(t, "counsellor-topic", "alias"))
    await stage.tap(t("counsellor-button-take"))
    await stage.see(PERSON_WRITES[t.language])
    await stage.say(COUNSELLOR_WRITES[t.language])
    await stage.open_tab("Parent")
    await stage.see(COUNSELLOR_WRITES[t.language])
    await stage.snap()


@dataclass(frozen=True)
class Journey:
    """One journey: its file name, its walk (which takes its pictures), and what it shows."""

    name: str
    walk: Callable[[Stage], Awaitable[None]]
    summary: str


JOURNEYS = (
    Journey("parent-tip", parent_tip, "A mother gets a tip for a crying 3-year-old"),
    Journey("thai-hotline", thai_hotline, "Going to Thailand: whom to call there"),
    Journey("group-session", group_session,
            "A trainer schedules weekly sessions; the group gets reminders"),
    Journey("counsellor", counsellor, "A person reaches a counsellor: consent, then a case"),
)


def by_name(name: str) -> Journey:
    """The journey called `name`; an unknown name stops with the known ones."""
    found = next((j for j in JOURNEYS if j.name == name), None)
    if found is None:
        raise SystemExit(f"no journey {name!r}; journeys: {', '.join(j.name for j in JOURNEYS)}")
    return found
