"""Rules across items: unique ids, references that resolve, course order, known numbers."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from bot.content.model import (
    Category,
    CourseWeek,
    Item,
    Office,
    Province,
    Quiz,
    Service,
    Text,
    Topic,
)
from bot.content.tool.source import Context, Loc, Problem

__all__ = ["REF_RULES", "digits"]

HasId = Item | Service | Quiz | Category | Province | Office
GLOBAL_KINDS: tuple[type[HasId], ...] = (Item, Service, Quiz, Category, Province, Office)
PHONE_IN_TEXT = re.compile(r"\+?\d[\d -]{4,}\d")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
At = Callable[[Loc, str], Problem]


def digits(phone: str) -> str:
    """The number as dialled inside its country: +855 23 ... becomes 023..."""
    plain = re.sub(r"\D", "", phone)
    for code in ("855", "66"):
        if phone.startswith("+" + code):
            return "0" + plain[len(code):]
    return plain


def _unique_ids(ctx: Context) -> Iterator[Problem]:
    """Item, service, quiz, category and province ids are unique everywhere."""
    seen: set[str] = set()
    for kind in GLOBAL_KINDS:
        for source, loc, node in ctx.nodes(kind):
            if node.id in seen:
                yield source.problem((*loc, "id"), f"id {node.id!r} is used twice")
            seen.add(node.id)
    for source, pack in ctx.packs:
        topic_ids = [t.id for t in pack.topics]
        for index, topic_id in enumerate(topic_ids):
            if topic_id in topic_ids[:index]:
                yield source.problem(("topics", index, "id"), f"topic id {topic_id!r} is twice")


def _ids(ctx: Context, kind: type[Item | Service | Category | Province]) -> set[str]:
    return {node.id for _, _, node in ctx.nodes(kind)}


def _course(ctx: Context) -> Iterator[Problem]:
    """Course weeks are 1, 2, 3... and name existing tips, each once."""
    items, sent = _ids(ctx, Item), set[str]()
    for source, pack in ctx.packs:
        for index, week in enumerate(pack.course):
            if week.week != index + 1:
                yield source.problem(("course", index, "week"), f"week {week.week} should be "
                                     f"{index + 1}: weeks are numbered in order")
            yield from _week_items(source.problem, index, week, items, sent)


def _week_items(at: At, index: int, week: CourseWeek, items: set[str],
                sent: set[str]) -> Iterator[Problem]:
    for position, item_id in enumerate(week.items):
        loc = ("course", index, "items", position)
        if item_id not in items:
            yield at(loc, f"course names tip {item_id!r}, which does not exist")
        elif item_id in sent:
            yield at(loc, f"tip {item_id!r} is in the course twice")
        sent.add(item_id)


def _references(ctx: Context) -> Iterator[Problem]:
    """Quiz topics, topic services, service categories and scopes all resolve."""
    services, categories = _ids(ctx, Service), _ids(ctx, Category)
    scopes = {"national"} | _ids(ctx, Province)
    for source, pack in ctx.packs:
        topics = {t.id for t in pack.topics}
        for index, quiz in enumerate(pack.quizzes):
            if quiz.topic not in topics:
                yield source.problem(("quizzes", index, "topic"), f"topic {quiz.topic!r} is not "
                                     f"a topic of pack {pack.pack!r}")
    for source, loc, topic in ctx.nodes(Topic):
        for n, service in enumerate(topic.services):
            if service not in services:
                yield source.problem((*loc, "services", n), f"no service {service!r}")
    for source, loc, svc in ctx.nodes(Service):
        if svc.scope not in scopes:
            yield source.problem((*loc, "scope"), f"scope {svc.scope!r} is neither 'national' "
                                 "nor a province id")
        for n, category in enumerate(svc.categories):
            if category not in categories:
                yield source.problem((*loc, "categories", n), f"no category {category!r}")
    yield from _office_references(ctx, categories, scopes - {"national"})


def _office_references(ctx: Context, categories: set[str],
                       provinces: set[str]) -> Iterator[Problem]:
    """An office names existing categories and provinces."""
    for source, loc, office in ctx.nodes(Office):
        for n, category in enumerate(office.categories):
            if category not in categories:
                yield source.problem((*loc, "categories", n), f"no category {category!r}")
        for n, province in enumerate(office.provinces):
            if province not in provinces:
                yield source.problem((*loc, "provinces", n), f"no province {province!r}")


def _categories_lead_somewhere(ctx: Context) -> Iterator[Problem]:
    """The referral flow must never end with nobody to contact: in Cambodia a national
    service (the fallback for every province), abroad a service in that country or one
    with an international number, which can be dialled from there."""
    services = [svc for _, _, svc in ctx.nodes(Service)]
    for source, loc, category in ctx.nodes(Category):
        listed = [s for s in services if category.id in s.categories]
        if not listed:
            yield source.problem((*loc, "id"), f"no service is listed for category "
                                 f"{category.id!r}")
        elif not any(_reachable(s, category) for s in listed):
            where = "anywhere in Cambodia" if category.country == "kh" else "from there"
            yield source.problem((*loc, "id"), f"category {category.id!r} has no service "
                                 f"that can be called {where}")


def _reachable(service: Service, category: Category) -> bool:
    """Whether people in the category's country can call this service wherever they are."""
    if category.country == "kh":
        return service.country == "kh" and service.scope == "national"
    return service.country == category.country or service.phone.startswith("+")


def _numbers_in_text_are_listed(ctx: Context) -> Iterator[Problem]:
    """A full phone number in any text must be a listed service's, so none slips in unchecked."""
    known = {digits(p) for _, _, s in ctx.nodes(Service) for p in (s.phone, *s.other_phones)}
    for source, loc, text in ctx.nodes(Text):
        for language, value in (("en", text.en), ("km", text.km)):
            for found in PHONE_IN_TEXT.findall(ISO_DATE.sub("", value)):
                if len(digits(found)) >= 8 and digits(found) not in known:
                    yield source.problem((*loc, language), f"number {found!r} is not the number "
                                         "of any service in the directory")


REF_RULES = (_unique_ids, _course, _references, _categories_lead_somewhere,
             _numbers_in_text_are_listed)
