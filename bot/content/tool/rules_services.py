"""Rules for the services directory: phone number forms, sources and freshness."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from bot.content.model import Service
from bot.content.tool.source import Context, Problem

__all__ = ["SERVICE_RULES", "phone_form_error"]

GROUPED = re.compile(r"^\+?\d+([ -]\d+)*$")


@dataclass(frozen=True)
class PhonePlan:
    """Number forms of one country: short codes, 0-prefixed numbers, international."""

    short: str
    national: tuple[int, int]
    code: str


PLANS = {
    # Cambodia: 3-4 digit short codes (117, 1280); 0 + 7-9 digits; +855 without the 0.
    "kh": PhonePlan(short=r"\d{3,4}", national=(8, 10), code="855"),
    # Thailand: 4-digit hotlines starting with 1 (1300, 1694); 0 + 8-9 digits; +66.
    "th": PhonePlan(short=r"1\d{3}", national=(9, 10), code="66"),
}


def phone_form_error(phone: str, country: str) -> str | None:
    """Why `phone` is not a known number form for `country`, or None when it is."""
    if not GROUPED.match(phone):
        return "write digits in groups separated by single spaces or hyphens"
    plan, plain = PLANS[country], re.sub(r"\D", "", phone)
    low, high = plan.national
    if phone.startswith("+"):
        rest = plain[len(plan.code):]
        ok = plain.startswith(plan.code) and not rest.startswith("0")
        ok = ok and low - 1 <= len(rest) <= high - 1
    elif phone.startswith("0"):
        ok = low <= len(plain) <= high
    else:
        ok = re.fullmatch(plan.short, plain) is not None
    return None if ok else (f"{phone!r} is not a {country.upper()} short code, 0-prefixed "
                            f"number of {low}-{high} digits, or +{plan.code} number")


def _phone_forms(ctx: Context) -> Iterator[Problem]:
    for source, loc, service in ctx.nodes(Service):
        for field, index, phone in _phones(service):
            if (why := phone_form_error(phone, service.country)) is not None:
                where = (*loc, field) if index is None else (*loc, field, index)
                yield source.problem(where, why)


def _phones(service: Service) -> list[tuple[str, int | None, str]]:
    others = [("other_phones", n, p) for n, p in enumerate(service.other_phones)]
    return [("phone", None, service.phone), *others]


def _freshness(ctx: Context) -> Iterator[Problem]:
    """Numbers go stale: past the age limit a service must be checked again."""
    for source, loc, service in ctx.nodes(Service):
        age = (ctx.today - service.last_verified).days
        if age < 0:
            yield source.problem((*loc, "last_verified"), "last_verified is in the future")
        elif age > ctx.max_age_days:
            yield source.problem((*loc, "last_verified"), f"last verified {age} days ago (limit "
                                 f"{ctx.max_age_days}): check the number again",
                                 ctx.stale_severity)


def _checked_after_sources(ctx: Context) -> Iterator[Problem]:
    """A number cannot have been checked before the newest source that gives it."""
    for source, loc, service in ctx.nodes(Service):
        if service.source_date is None:
            continue
        checked = service.last_verified.isoformat()[:len(service.source_date)]
        if checked < service.source_date:
            yield source.problem((*loc, "last_verified"), f"last_verified "
                                 f"{service.last_verified} is before source_date "
                                 f"{service.source_date}: check the number again")


def _honest_confidence(ctx: Context) -> Iterator[Problem]:
    """'confirmed' means two or more independent sources, as in the fact sheet."""
    for source, loc, service in ctx.nodes(Service):
        if service.confidence == "confirmed" and len(service.sources) < 2:
            yield source.problem((*loc, "confidence"), "confirmed needs two or more sources")
        if service.confidence == "single-source" and service.caveat is None:
            yield source.problem((*loc, "caveat"), "a single-source number needs a caveat "
                                 "saying so (shown behind 'About this number')")


def _emergency_is_national(ctx: Context) -> Iterator[Problem]:
    """Emergency numbers are shown to everyone in Cambodia, first, without asking where."""
    for source, loc, service in ctx.nodes(Service):
        if service.emergency and (service.country != "kh" or service.scope != "national"):
            yield source.problem((*loc, "emergency"), "an emergency service must be national "
                                 "and in Cambodia")


SERVICE_RULES = (_phone_forms, _freshness, _checked_after_sources, _honest_confidence,
                 _emergency_is_national)
