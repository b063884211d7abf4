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
# What parents say worries them (issue 19): items are tagged, never rewritten, for these.
CONCERNS = ("crying", "tantrums", "sleep", "eating", "hitting", "screens", "school")

Review = Literal["draft", "reviewed"]
Age = Literal["0-2", "3-5", "6-11", "12-17"]
Concern = Literal["crying", "tantrums", "sleep", "eating", "hitting", "screens", "school"]
Sources = tuple[str, ...]
# Notes for editors and reviewers ("general guidance, to be checked"): kept with the content,
# never sent to people; `content validate` keeps such notes out of `sources` and texts.
EditorNote = str | None
# A date as precise as the source shows it: a year, a month or a day (2017, 2022-08, 2022-08-31).
PARTIAL_DATE = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
VIA_PATTERN = r"^(source|fact-sheet|https?://\S+)$"


class ContentError(Exception):
    """Content that must not be served; the message names file, line, item and problem."""


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ReviewMark(Frozen):
    """Who reviewed one language's texts of a thing, and when (`content review import`)."""

    by: str = Field(min_length=1, max_length=80)
    on: date


class Reviews(Frozen):
    """Each language's review mark, where a native speaker has reviewed it."""

    en: ReviewMark | None = None
    km: ReviewMark | None = None


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


class Quote(Frozen):
    """What one cited source says in support of a claim: its words, or where they are.

    `source` counts from 0 in the `sources` beside it. `via: fact-sheet` says the words are
    the fact sheet's summary of that source, copied because nobody has re-read the page yet;
    a reviewer replaces them with the source's own words and sets `via: source`, or the
    https:// address where they read them. `dated` is
    set when the source dates the claim ("hours in 2017", "plan for 2017-2021"): the text
    must then say that year, so nothing dated reads as current.
    """

    source: int = Field(ge=0)
    text: str | None = Field(default=None, min_length=1, max_length=600)
    page: str | None = Field(default=None, min_length=1, max_length=120)
    # Where the editor read `text`: `source` (the cited page itself), `fact-sheet` (its
    # summary), or the address (https://...) of the copy that was read (a mirror or reprint).
    via: str = Field(default="source", pattern=VIA_PATTERN, max_length=300)
    dated: str | None = Field(default=None, pattern=PARTIAL_DATE)

    @model_validator(mode="after")
    def _says_something(self) -> Quote:
        if self.text is None and self.page is None:
            raise ValueError("a quote needs its text, a page reference, or both")
        return self


class Item(Frozen):
    """One tip or checklist entry: a phone screen of text."""

    id: str = Field(pattern=ID_PATTERN, max_length=120)
    review: Review
    reviewed: Reviews = Reviews()
    # Empty only with an editor_note saying why (general guidance with no source).
    sources: Sources = ()
    quotes: tuple[Quote, ...] = ()
    editor_note: EditorNote = None
    ages: tuple[Age, ...] = ()
    concerns: tuple[Concern, ...] = ()
    text: Text
    keywords: Keywords | None = None


class Topic(Frozen):
    """A browsable group of items (a parenting theme, a checklist, a destination)."""

    id: str = Field(pattern=ID_PATTERN, max_length=SHORT_ID)
    review: Review
    reviewed: Reviews = Reviews()
    title: Text
    destination: str | None = Field(default=None, pattern=r"^[a-z]{2}$")
    # Shown as one list a person ticks off (their ticks kept under their key), not page by page.
    checklist: bool = False
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
    # What is known is shown plainly; what our sources do not say is left out, not doubted.
    hours: Text | None = None
    cost: Text | None = None
    who: Text
    note: Text | None = None
    # Doubts about the number (one source, old sources, hours as of a year): shown only
    # behind "About this number", with the sources and the checked date.
    caveat: Text | None = None
    emergency: bool = False
    confidence: Literal["confirmed", "single-source"]
    review: Review
    reviewed: Reviews = Reviews()
    sources: Sources = Field(min_length=1)
    # The newest date the sources show for this number, as precise as they give it; left
    # out when none shows a date. last_verified is when someone checked it, and how:
    # `sources` means against public sources on paper (nobody called), `call` a phone call.
    source_date: str | None = Field(default=None, pattern=PARTIAL_DATE)
    editor_note: EditorNote = None
    last_verified: date
    verified_by: Literal["sources", "call"]
    keywords: Keywords | None = None


class Quiz(Frozen):
    """A quiz question sent as a Telegram quiz poll."""

    id: str = Field(pattern=ID_PATTERN, max_length=SHORT_ID)
    topic: str
    review: Review
    reviewed: Reviews = Reviews()
    sources: Sources = ()
    quotes: tuple[Quote, ...] = ()
    editor_note: EditorNote = None
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
    reviewed: Reviews = Reviews()
    title: Text
    items: tuple[str, ...] = Field(min_length=1)


class Category(Frozen):
    """What happened, as offered in the referral flow.

    A category for people abroad names its `country`: the flow skips the province step and
    shows that country's services and the numbers that can be dialled from abroad.
    """

    id: str = Field(pattern=ID_PATTERN, max_length=SHORT_ID)
    review: Review
    reviewed: Reviews = Reviews()
    title: Text
    country: Literal["kh", "th", "my", "kr", "jp"] = "kh"
    note: Text | None = None
    # The step that is always possible where no local service is known: whom to ask, and
    # what to ask them (the commune office; the embassy abroad).
    next_step: Text
    sources: Sources = ()
    editor_note: EditorNote = None


class Publisher(Frozen):
    """Who published a cited source, named for readers in each language.

    A citation in `sources` names this publisher when it contains one of `match` (compared
    in lower case); readers see the name, editors keep the full citation.
    """

    id: str = Field(pattern=ID_PATTERN, max_length=SHORT_ID)
    review: Review
    reviewed: Reviews = Reviews()
    name: Text
    match: tuple[str, ...] = Field(min_length=1)


def cited_by(source: str, publishers: tuple[Publisher, ...]) -> tuple[Publisher, ...]:
    """The publishers one citation names (a citation may name two)."""
    lowered = source.lower()
    return tuple(p for p in publishers if any(m.lower() in lowered for m in p.match))


class Office(Frozen):
    """A place in a province that our sources name but give no number for (a Migrant Worker
    Resource Centre, a shelter): shown in the referral flow for that province, with the
    year the source describes, so the commune office can be asked how to reach it."""

    id: str = Field(pattern=ID_PATTERN, max_length=SHORT_ID)
    review: Review
    reviewed: Reviews = Reviews()
    name: Text
    provinces: tuple[str, ...] = Field(min_length=1)
    categories: tuple[str, ...] = Field(min_length=1)
    what: Text
    sources: Sources = Field(min_length=1)
    editor_note: EditorNote = None


class Province(Frozen):
    """A province (or the capital) of Cambodia, id `kh-N` after ISO 3166-2 KH-N."""

    id: str = Field(pattern=r"^kh-[0-9]{1,2}$")
    review: Review
    reviewed: Reviews = Reviews()
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
    offices: tuple[Office, ...] = ()
    provinces: tuple[Province, ...] = ()
    publishers: tuple[Publisher, ...] = ()


class ChangelogEntry(Frozen):
    version: str
    date: date
    changes: tuple[str, ...] = Field(min_length=1)


class Manifest(Frozen):
    version: str = Field(min_length=1, max_length=40)
    changelog: tuple[ChangelogEntry, ...] = Field(min_length=1)
    packs: tuple[str, ...] = Field(min_length=1)
