"""What the travel countdown shows: destinations, a month calendar, reminders."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.content.i18n import Translator, local_digits
from bot.content.model import Topic
from bot.content.store import Content
from bot.proactive.countdown import OFFSETS
from dialogs.callbacks import ChecklistCb, MenuCb, Screen, TopicCb, TravelAction, TravelCb
from dialogs.hotlines import call_rows, service_line
from dialogs.menu import menu_row
from dialogs.month import month_rows
from dialogs.screen import Row, View
from dialogs.text import escape


def destinations(content: Content) -> tuple[Topic, ...]:
    """Topics about one destination country, in content order."""
    return tuple(t for t in _pack_topics(content) if t.destination)


def country(content: Content, code: str, t: Translator) -> str:
    """The destination country's name in the person's language."""
    if t.has(f"travel-country-{code}"):
        return t(f"travel-country-{code}")
    topic = next((d for d in destinations(content) if d.destination == code), None)
    return escape(topic.title.get(t.language)) if topic else code


def destination_view(content: Content, t: Translator) -> View:
    """Ask where the person is going."""
    rows = [
        [(d.title.get(t.language), TravelCb(action=TravelAction.DEST, value=d.destination or ""))]
        for d in destinations(content)
    ]
    return View(t("travel-ask-destination"), (*rows, menu_row(t)))


def calendar_view(t: Translator, code: str, month: date, today: date) -> View:
    """A month of days to tap (past days inert) under its name and the weekdays; typing works."""
    rows = month_rows(
        t, month, today,
        day=lambda d: TravelCb(action=TravelAction.DAY, value=f"{code}.{d.isoformat()}"),
        page=lambda first: TravelCb(action=TravelAction.CAL, value=f"{code}.{first:%Y-%m}"),
        inert=TravelCb(action=TravelAction.NOOP))
    return View(t("travel-ask-date"), (*rows, menu_row(t)))


def status_view(t: Translator, content: Content, place: str, when: date, today: date,
                step: int, next_on: date | None, lead: str = "travel-saved") -> View:
    """The countdown: the date, days left and what comes next; tick off, change, cancel."""
    lang = t.language
    left = (when - today).days
    lines = [t(lead, country=place, date=_numeric(when, lang)),
             t("travel-days-left", n=left, days=local_digits(str(left), lang))]
    if next_on is not None and step < len(OFFSETS):
        lines.append(_next_line(t, OFFSETS[step], _numeric(next_on, lang)))
    tick = next((topic for topic in _pack_topics(content) if topic.checklist), None)
    rows: list[Row] = [[(t("travel-button-tick", title=tick.title.get(lang)),
                         ChecklistCb(topic=tick.id))]] if tick else []
    return View("\n".join(lines), (
        *rows,
        [(t("travel-button-change"), TravelCb(action=TravelAction.CHANGE))],
        [(t("travel-button-cancel"), TravelCb(action=TravelAction.CANCEL))],
        menu_row(t),
    ))


def _next_line(t: Translator, offset: int, when: str) -> str:
    """What the countdown sends next: a checklist, the morning's numbers, or the check-in."""
    if offset < 0:
        return t("travel-next-reminder", date=when, days=local_digits(str(-offset), t.language))
    return t("travel-next-morning" if offset == 0 else "travel-next-checkin", date=when)


def _numeric(day: date, lang: str) -> str:
    """A date as people write it by hand here, day first, in the language's digits."""
    return local_digits(day.strftime("%d/%m/%Y"), lang)


def _pack_topics(content: Content) -> tuple[Topic, ...]:
    pack = content.packs.get("migration")
    return pack.topics if pack else ()


def reminder_view(content: Content, t: Translator, payload: dict[str, Any]) -> View:
    """A countdown message: checklist reminder, morning-of numbers, or arrival check-in."""
    offset, code = int(payload["offset"]), str(payload.get("dest") or "")
    place = country(content, code, t)
    if offset < 0:
        return View(t("travel-reminder", days=-offset, country=place),
                    (*_reminder_rows(content, t, code), menu_row(t)))
    if offset == 0:
        return _morning(content, t, code, place)
    return View(
        t("travel-checkin", country=place),
        (
            [(t("travel-button-safe"), TravelCb(action=TravelAction.SAFE))],
            [(t("travel-button-help"), MenuCb(to=Screen.HELP))],
        ),
    )


def _reminder_rows(content: Content, t: Translator, code: str) -> list[Row]:
    """The checklist to tick off, then the destination's own page."""
    tick = next((topic for topic in _pack_topics(content) if topic.checklist), None)
    place = next((d for d in destinations(content) if d.destination == code), None)
    rows: list[Row] = [[(t("travel-button-checklist"), ChecklistCb(topic=tick.id))]] if tick else []
    if place is not None:
        rows.append([(place.title.get(t.language), TopicCb(area="migration", topic=place.id))])
    return rows


def _morning(content: Content, t: Translator, code: str, place: str) -> View:
    topic = next((d for d in destinations(content) if d.destination == code), None)
    ids = topic.services if topic else ()
    services = [s for s in (content.service(i) for i in ids) if s is not None]
    services += [s for s in content.services(emergency_only=True) if s not in services]
    lines = [t("travel-morning", country=place), *(service_line(s, t) for s in services)]
    return View("\n\n".join(lines), (*call_rows(tuple(services), t), menu_row(t)))
