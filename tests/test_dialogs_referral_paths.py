"""Every referral path, walked through the real dispatcher: no path may end at a dead end.

A path is a category and a place: each of the 25 provinces or "not in Cambodia" for a
Cambodian category, the country itself for a category abroad. Its last screen must show a
number the person can dial from where they are, with its sources behind "About"; in
Cambodia the national fallback, said plainly; and where no local service is known, the
next step (whom to ask at the commune office, and what).
"""

from __future__ import annotations

import re

import pytest

from bot.content.i18n import Translator
from bot.content.model import Category, Service
from bot.content.store import Content
from simulator.state import SimMessage, SimUser
from tests.helpers.dialog_client import DialogClient

TAG = re.compile(r"<[^>]+>")


def plain(html: str) -> str:
    """What people read of a formatted line (the emulator keeps text, not tags)."""
    return TAG.sub("", html).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")


def marker(t: Translator, message_id: str, **args: str) -> str:
    """A fixed line of the screen, as read."""
    return plain(t(message_id, **args))


async def person(dialog: DialogClient, language: str) -> SimUser:
    """Someone who uses the bot in `language`."""
    user = dialog.emu.add_user(language_code=language)
    if language == "km":
        await dialog.tap(user, await dialog.say(user, "/start"), "ខ្មែរ")
    return user


def by_phone(content: Content) -> dict[str, Service]:
    return {s.phone: s for s in content.services()}


def check_who(screen: SimMessage, buttons: list[str], content: Content, category: Category,
              place: str | None, t: Translator) -> list[str]:
    """Why this last screen is a dead end (empty when it is not)."""
    text, lang = screen.text or "", t.language
    services = by_phone(content)
    phones = [p for p in services if t("help-call-button", phone=p,
                                       name=services[p].name.get(lang)) in buttons]
    problems = [] if phones else ["no number to call"]
    for phone in phones:
        if phone not in text:
            problems.append(f"{phone} has a call button but is not shown")
        if t("help-about-button", phone=phone) not in buttons:
            problems.append(f"{phone} has no 'About' button with its sources")
    step = category.next_step.get(lang)
    if category.country != "kh":
        header = marker(t, "referral-abroad")
        dialable = [p for p in phones
                    if p.startswith("+") or services[p].country == category.country]
        if header not in text or not dialable:
            problems.append("no number that can be dialled from there")
        if step not in text:
            problems.append("no next step")
        return problems
    national = marker(t, "referral-national")
    if national not in text:
        return [*problems, "the national fallback is not said"]
    after = text[text.index(national):]
    if not any(p in after and services[p].country == "kh" for p in phones):
        problems.append("no national number under the national fallback")
    local = [p for p in phones if p in text[:text.index(national)]]
    said = place is None or any(marker(t, line, place=place) in text
                                for line in ("referral-no-local", "referral-offices"))
    if not local and not said:
        problems.append("does not say no local service is known")
    if not local and step not in text:
        problems.append("no local service and no next step")
    return problems


async def walk(dialog: DialogClient, language: str) -> tuple[int, list[str]]:
    """Walk every path in one language; return how many were walked and what was wrong."""
    content = dialog.services.content.current
    t = dialog.services.locales.get(language)
    user = await person(dialog, language)
    categories = await dialog.tap(user, await dialog.say(user, "/help"),
                                  t("help-by-topic-button"))
    walked, problems = 0, []
    for category in content.categories():
        title = category.title.get(language)
        step = await dialog.tap(user, categories, title)
        if category.country != "kh":
            found = check_who(step, dialog.buttons(step), content, category, None, t)
            problems += [f"{category.id} abroad: {p}" for p in found]
            walked += 1
            categories = await dialog.tap(user, step, t("common-button-back"))
            continue
        places: list[tuple[str, str | None]] = [
            (p.name.get(language), p.name.get(language)) for p in content.provinces()]
        places.append((t("referral-skip-province"), None))
        provinces = step
        for label, place in places:
            who = await dialog.tap(user, provinces, label)
            found = check_who(who, dialog.buttons(who), content, category, place, t)
            problems += [f"{category.id} × {label}: {p}" for p in found]
            walked += 1
            provinces = await dialog.tap(user, who, t("common-button-back"))
        categories = await dialog.tap(user, provinces, t("common-button-back"))
    return walked, problems


@pytest.mark.parametrize("language", ["en", "km"])
async def test_every_referral_path_ends_at_someone_to_contact(dialog: DialogClient,
                                                              language: str) -> None:
    content = dialog.services.content.current
    walked, problems = await walk(dialog, language)
    home = [c for c in content.categories() if c.country == "kh"]
    expected = len(home) * (len(content.provinces()) + 1) + len(content.categories()) - len(home)
    assert walked == expected and walked > 250
    assert problems == [], "\n".join(problems[:40])


async def test_a_province_without_a_local_service_says_so_and_what_to_ask(
        dialog: DialogClient) -> None:
    dara = await person(dialog, "en")
    screen = await dialog.tap(dara, await dialog.say(dara, "/help"), "🧭 By topic")
    screen = await dialog.tap(dara, screen, "An adult hurt by a partner or family")
    who = await dialog.tap(dara, screen, "Kampot")
    text = who.text or ""
    assert "We know of no service for this in Kampot yet." in text
    assert text.index("Anywhere in Cambodia:") < text.index("117")
    assert "commune committee for women and children" in text
    assert "licadho-cambodia.org" in text


async def test_working_in_malaysia_skips_the_province_and_says_what_exists(
        dialog: DialogClient) -> None:
    sophea = await person(dialog, "km")
    screen = await dialog.tap(sophea, await dialog.say(sophea, "/help"), "🧭 តាមប្រធានបទ")
    who = await dialog.tap(sophea, screen, "ធ្វើការនៅប្រទេសម៉ាឡេស៊ី")
    text = who.text or ""
    assert "+855 23 216 532" in text and "កូឡាឡាំពួ" in text
    back = await dialog.tap(sophea, who, "‹ ថយក្រោយ")
    assert "ធ្វើការនៅប្រទេសម៉ាឡេស៊ី" in dialog.buttons(back)


async def test_a_province_with_a_resource_centre_names_it_and_how_to_reach_it(
        dialog: DialogClient) -> None:
    dara = await person(dialog, "en")
    screen = await dialog.tap(dara, await dialog.say(dara, "/help"), "🧭 By topic")
    screen = await dialog.tap(dara, screen, "A problem while working abroad")
    who = await dialog.tap(dara, screen, "Banteay Meanchey")
    text = who.text or ""
    assert "In Banteay Meanchey, our sources name these places" in text
    assert "Migrant Worker Resource Centre: Opened in 2022" in text
    assert "IOM Migrant Resource Center, Poipet: Run by IOM in 2016" in text
    assert "We know of no service" not in text
    assert "Next step: Ask at your commune office how to reach the nearest" in text
    kampot = await dialog.tap(dara, await dialog.tap(dara, who, "‹ Back"), "Kampot")
    assert "We know of no service for this in Kampot yet." in (kampot.text or "")
