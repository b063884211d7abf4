"""How a phone number is shown: what is known plainly, doubts behind 'About this number'.

Screens of the help flow (dialogs/hotlines.py), referral and crisis build on these.
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData

from bot.content.i18n import Translator
from bot.content.model import Service, Text
from bot.content.store import Content
from dialogs.callbacks import AboutCb, CallCb, MenuCb, PlaceCb, ReferralCb, Screen
from dialogs.quick_exit.flow import quick_exit_row
from dialogs.screen import Row, View, in_rows
from dialogs.text import escape, sentences, sources_line

ABOUT_PER_ROW = 3


def service_line(service: Service, t: Translator) -> str:
    """Name and number, then only what is known: hours, cost, who it is for."""
    known = (service.hours, service.cost, service.who)
    return t("help-service-line", name=escape(service.name.get(t.language)),
             phone=service.phone, facts=escape(_facts(known, t.language)))


def _facts(texts: tuple[Text | None, ...], language: str) -> str:
    return sentences([text.get(language) for text in texts if text is not None], language)


def call_rows(services: tuple[Service, ...], t: Translator) -> list[Row]:
    """A tap-to-call button per service (Telegram buttons cannot hold tel: links)."""
    return [
        [(t("help-call-button", phone=s.phone, name=s.name.get(t.language)), CallCb(service=s.id))]
        for s in services
    ]


def about_rows(services: tuple[Service, ...], t: Translator, category: str = "",
               province: str = "") -> list[Row]:
    """'About 1280' buttons, three a row; Back from there returns to this screen."""
    buttons = [(t("help-about-button", phone=s.phone),
                AboutCb(service=s.id, category=category, province=province)) for s in services]
    return in_rows(buttons, ABOUT_PER_ROW)


def about_view(content: Content, service: Service, at: AboutCb, t: Translator) -> View:
    """Everything behind one number: what they do, doubts, sources, when it was checked."""
    lang = t.language
    phones = " / ".join((service.phone, *service.other_phones))
    lines = [t("help-about-title", name=escape(service.name.get(lang)), phones=phones),
             escape(_facts((service.hours, service.cost, service.who, service.note), lang))]
    if service.caveat is not None:
        lines.append(f"<i>{escape(service.caveat.get(lang))}</i>")
    lines.append(sources_line(content, service.sources, t))
    lines.append(f"<i>{t('help-checked', date=t.date(service.last_verified))}</i>")
    back = [(t("common-button-back"), back_to(at)), *quick_exit_row(t)]
    return View("\n\n".join(lines), (*call_rows((service,), t), back))


def back_to(at: AboutCb) -> CallbackData:
    """The screen an 'About' button was tapped on."""
    if at.category:
        return ReferralCb(category=at.category, province=at.province)
    if at.province:
        return PlaceCb(province=at.province)
    return MenuCb(to=Screen.HELP)
