"""Versioned content packs (content/*.yaml), validated into immutable typed objects.

The models check shape only; the rules that need the whole content (references, Telegram
limits, Khmer normalisation, phone forms, stale services) live in bot/content/tool/rules.py.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

KHMER = re.compile(r"[\u1780-\u17FF\u19E0-\u19FF]")
ID_PATTERN = r"^[a-z0-9][a-z0-9.-]*$"
# Ids that travel in callback data (64 bytes with a prefix and other fields) stay short.
SHORT_ID = 24
MESSAGE_LIMIT = 4096
AGES = ("0-2", "3-5", "6-11", "12-17")

Review = Literal["draft", "reviewed"]
Age = Literal["0-2", "3-5", "6-11", "12-17"]
Sources = tuple[str, ...]


class ContentError(Exception):
    """Content that must not be served; the message names file, line, item and problem."""


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ReviewMark(Frozen):
    """Who reviewed one language's texts of a thing, and when (`content review import`)."""

    by: str = Field(min_length=1, max_length=80)
    on: date


Reviews = dict[Literal["en", "km"], ReviewMark]


class Text(Frozen):
    """The same text in both languages; scripts and limits are checked by the content tool."""

    en: str = Field(min_length=1, max_length=MESSAGE_LIMIT)
    km: str = Field(min_length=1, max_length=MESSAGE_LIMIT)

    def get(self, language: str) -> str:
        """The text in `language` (English for anything but Khmer)."""
        return self.km if language == "km" else self.en


class Keywords(Frozen):
    """Words people type for an item that its text lacks (synonyms, slang); search reads them.

    Khmer keywords are in Khmer script: romanised spellings go in content/romanised.yaml.
    """

    en: tuple[str, ...] = ()
    km: tuple[str, ...] = ()


class Item(Frozen):
    """One tip or checklist entry: a phone screen of text."""

    id: str = Field(pattern=ID_PATTERN, max_length=120)
    review: Review
    reviewed: Reviews = Field(default_factory=dict)
    sources: Sources = Field(min_length=1)
    ages: tuple[Age, ...] = ()
    text: Text
    keywords: Keywords | None = None


class Topic(Frozen):
    """A browsable group of items (a parenting theme, a checklist, a destination)."""

    id: str = Field(pattern=ID_PATTERN, max_length=SHORT_ID)
    review: Review
    reviewed: Reviews = Field(default_factory=dict)
    title: Text
    destination: str | None = Field(default=None, pattern=r"^[a-z]{2}$")
    services: tuple[str, ...] = ()
    items: tuple[Item, ...] = Field(min_length=1)


class Service(Frozen):
    """A hotline or service people can contact, with where the fact came from."""

    id: str = Field(pattern=ID_PATTERN, max_length=SHORT_ID)
    name: Text
    phone: str = Field(pattern=r"^\+?[0-9][0-9 -]{2,18}$")
    other_phones: tuple[str, ...] = ()
    country: Literal["kh", "th"] = "kh"
    scope: str = Field(default="national", pattern=ID_PATTERN)
    categories: tuple[str, ...] = ()
    hours: Text
    cost: Text
    who: Text
    note: Text | None = None
    emergency: bool = False
    confidence: Literal["confirmed", "single-source"]
    review: Review
    reviewed: Reviews = Field(default_factory=dict)
    sources: Sources = Field(min_length=1)
    last_verified: date
    keywords: Keywords | None = None


class Quiz(Frozen):
    """A quiz question sent as a Telegram quiz poll."""

    id: str = Field(pattern=ID_PATTERN, max_length=SHORT_ID)
    topic: str
    review: Review
    reviewed: Reviews = Field(default_factory=dict)
    sources: Sources = Field(min_length=1)
    question: Text
    options: tuple[Text, ...] = Field(min_length=2, max_length=4)
    correct: int = Field(ge=0)
    explanation: Text
    keywords: Keywords | None = None

    @model_validator(mode="after")
    def _correct_in_range(self) -> Quiz:
        if self.correct >= len(self.options):
            raise ValueError(f"correct is {self.correct} but there are {len(self.options)} options")
        return self


class CourseWeek(Frozen):
    """One week of the drip course: tip ids in the order they are sent."""

    week: int = Field(ge=1)
    review: Review
    reviewed: Reviews = Field(default_factory=dict)
    title: Text
    items: tuple[str, ...] = Field(min_length=1)


class Category(Frozen):
    """What happened, as offered in the referral flow."""

    id: str = Field(pattern=ID_PATTERN, max_length=SHORT_ID)
    review: Review
    reviewed: Reviews = Field(default_factory=dict)
    title: Text
    note: Text | None = None
    sources: Sources = ()


class Province(Frozen):
    """A province (or the capital) of Cambodia, id `kh-N` after ISO 3166-2 KH-N."""

    id: str = Field(pattern=r"^kh-[0-9]{1,2}$")
    review: Review
    reviewed: Reviews = Field(default_factory=dict)
    name: Text


class Pack(Frozen):
    """One YAML file under content/."""

    pack: str = Field(pattern=ID_PATTERN, max_length=SHORT_ID)
    title: Text
    topics: tuple[Topic, ...] = ()
    quizzes: tuple[Quiz, ...] = ()
    course: tuple[CourseWeek, ...] = ()
    services: tuple[Service, ...] = ()
    categories: tuple[Category, ...] = ()
    provinces: tuple[Province, ...] = ()


class ChangelogEntry(Frozen):
    version: str
    date: date
    changes: tuple[str, ...] = Field(min_length=1)


class Manifest(Frozen):
    version: str = Field(min_length=1, max_length=40)
    changelog: tuple[ChangelogEntry, ...] = Field(min_length=1)
    packs: tuple[str, ...] = Field(min_length=1)
