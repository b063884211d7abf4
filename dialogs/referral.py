"""Referral: what happened → where you are → who to contact, with tap-to-call cards."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery

from bot.content.i18n import Translator
from bot.content.model import Category, Province, Service
from bot.content.store import Content
from dialogs.callbacks import MenuCb, ReferralCb, Screen
from dialogs.numbers import about_rows, call_rows, service_line
from dialogs.quick_exit.flow import quick_exit_row
from dialogs.screen import Row, View, in_rows, show
from dialogs.text import escape

NOT_IN_CAMBODIA = "none"
PROVINCES_PER_ROW = 3


def categories_view(content: Content, t: Translator) -> View:
    """What happened: one button per category."""
    rows: list[Row] = [
        [(c.title.get(t.language), ReferralCb(category=c.id))] for c in content.categories()
    ]
    rows.append([(t("common-button-back"), MenuCb(to=Screen.HELP)), *quick_exit_row(t)])
    return View(t("referral-what-happened"), tuple(rows))


def provinces_view(content: Content, category: str, t: Translator) -> View:
    """Where the person is, three provinces a row, with a way to skip."""
    buttons = [(p.name.get(t.language), ReferralCb(category=category, province=p.id))
               for p in content.provinces()]
    rows = in_rows(buttons, PROVINCES_PER_ROW)
    skip = ReferralCb(category=category, province=NOT_IN_CAMBODIA)
    rows.append([(t("referral-skip-province"), skip)])
    rows.append([(t("common-button-back"), ReferralCb()), *quick_exit_row(t)])
    return View(t("referral-where"), tuple(rows))


def who_view(content: Content, at: ReferralCb, t: Translator) -> View | None:
    """Who can help: local services, the national fallback said plainly, and where nothing
    local is known, the next step (whom to ask, and what); None for an unknown category."""
    category = next((c for c in content.categories() if c.id == at.category), None)
    if category is None:
        return None
    local, national, abroad = _services_for(content, category, at.province)
    lines = [t("referral-who", category=escape(category.title.get(t.language)))]
    lines += [service_line(s, t) for s in local]
    place = next((p for p in content.provinces()
                  if p.id == at.province and category.country == "kh"), None)
    lines += _office_lines(content, category, place, bool(local), t)
    for header, group in (("referral-national", national), ("referral-abroad", abroad)):
        lines += [t(header), *(service_line(s, t) for s in group)] if group else []
    if category.note is not None:
        lines.append(f"<i>{escape(category.note.get(t.language))}</i>")
    if not local:
        lines.append(t("referral-next-step", step=escape(category.next_step.get(t.language))))
    services = (*local, *national, *abroad)
    # Abroad there is no province step to go back to.
    back = ReferralCb(category=category.id) if category.country == "kh" else ReferralCb()
    about = about_rows(services, t, category=category.id, province=at.province)
    rows = [*call_rows(services, t), *about, [(t("common-button-back"), back),
                                               *quick_exit_row(t)]]
    return View("\n\n".join(lines), tuple(rows))


Group = tuple[Service, ...]


def _office_lines(content: Content, category: Category, place: Province | None,
                  has_local: bool, t: Translator) -> list[str]:
    """Places in the province our sources name without a number, or, with no local
    service either, that none is known there."""
    if place is None or has_local:
        return []
    name = escape(place.name.get(t.language))
    offices = content.offices(category.id, place.id)
    if not offices:
        return [t("referral-no-local", place=name)]
    return [t("referral-offices", place=name),
            *(t("referral-office-line", name=escape(o.name.get(t.language)),
                what=escape(o.what.get(t.language))) for o in offices)]


def _services_for(content: Content, category: Category, province: str,
                  ) -> tuple[Group, Group, Group]:
    """(local, national, abroad). In Cambodia: the province's services, then the national
    ones; someone not in Cambodia also sees services abroad. An abroad category lists that
    country's services, then those that can be dialled from anywhere (international form)."""
    fitting = tuple(s for s in content.services() if category.id in s.categories)
    if category.country != "kh":
        there = tuple(s for s in fitting if s.country == category.country)
        anywhere = tuple(s for s in fitting if s not in there and s.phone.startswith("+"))
        return (), (), (*there, *anywhere)
    national = tuple(s for s in fitting if s.country == "kh" and s.scope == "national")
    if province == NOT_IN_CAMBODIA:
        return (), national, tuple(s for s in fitting if s.country != "kh")
    return tuple(s for s in fitting if s.scope == province), national, ()


async def referral_step(
    callback: CallbackQuery, callback_data: ReferralCb, content: Content, t: Translator
) -> None:
    """Move one step through the referral flow, editing the message in place."""
    category = next((c for c in content.categories() if c.id == callback_data.category), None)
    if category is None:
        await show(callback, categories_view(content, t))
    elif category.country != "kh":
        # Abroad, a Cambodian province means nothing: straight to who can help there.
        at = ReferralCb(category=category.id, province=NOT_IN_CAMBODIA)
        await show(callback, who_view(content, at, t) or categories_view(content, t))
    elif not callback_data.province:
        await show(callback, provinces_view(content, callback_data.category, t))
    else:
        view = who_view(content, callback_data, t)
        await show(callback, view or categories_view(content, t))


def create_router() -> Router:
    """The referral flow's handlers."""
    router = Router(name="referral")
    router.callback_query.register(referral_step, ReferralCb.filter())
    return router
