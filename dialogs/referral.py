"""Referral: what happened → where you are → who to contact, with tap-to-call cards."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery

from bot.content.i18n import Translator
from bot.content.model import Service
from bot.content.store import Content
from dialogs.callbacks import MenuCb, ReferralCb, Screen
from dialogs.numbers import about_rows, call_rows, service_line
from dialogs.quick_exit.flow import quick_exit_row
from dialogs.screen import Row, View, show
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
    rows: list[Row] = [buttons[i:i + PROVINCES_PER_ROW]
                       for i in range(0, len(buttons), PROVINCES_PER_ROW)]
    skip = ReferralCb(category=category, province=NOT_IN_CAMBODIA)
    rows.append([(t("referral-skip-province"), skip)])
    rows.append([(t("common-button-back"), ReferralCb()), *quick_exit_row(t)])
    return View(t("referral-where"), tuple(rows))


def who_view(content: Content, at: ReferralCb, t: Translator) -> View | None:
    """The services to contact, local ones first; None when the category is unknown."""
    category = next((c for c in content.categories() if c.id == at.category), None)
    if category is None:
        return None
    services = _services_for(content, category.id, at.province)
    lines = [t("referral-who", category=escape(category.title.get(t.language)))]
    lines += [service_line(s, t) for s in services]
    if category.note is not None:
        lines.append(f"<i>{escape(category.note.get(t.language))}</i>")
    back = ReferralCb(category=category.id)
    about = about_rows(services, t, category=category.id, province=at.province)
    rows = [*call_rows(services, t), *about, [(t("common-button-back"), back),
                                               *quick_exit_row(t)]]
    return View("\n\n".join(lines), tuple(rows))


def _services_for(content: Content, category: str, province: str) -> tuple[Service, ...]:
    """Local then national services; someone outside Cambodia also sees services abroad."""
    if province != NOT_IN_CAMBODIA:
        return content.referral(category, province)
    countries = sorted({s.country for s in content.services()}, key=lambda c: c != "kh")
    return tuple(s for c in countries for s in content.referral(category, None, c))


async def referral_step(
    callback: CallbackQuery, callback_data: ReferralCb, content: Content, t: Translator
) -> None:
    """Move one step through the referral flow, editing the message in place."""
    known = {c.id for c in content.categories()}
    if callback_data.category not in known:
        await show(callback, categories_view(content, t))
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
