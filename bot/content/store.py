"""Load content/ from disk, refusing invalid packs with file, line, item and problem named."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from bot.content.model import (
    Category,
    ContentError,
    CourseWeek,
    Item,
    Office,
    Pack,
    Province,
    Publisher,
    Quiz,
    Service,
    Topic,
    cited_by,
)
from bot.content.tool.validate import DEFAULT_MAX_AGE_DAYS, Report, validate_folder

log = logging.getLogger(__name__)
SHOWN_PROBLEMS = 30


# eq=False: a version is itself, so screens built from it can be cached by identity.
@dataclass(frozen=True, eq=False)
class Content:
    """Every pack of one content version, ready to serve."""

    version: str
    packs: dict[str, Pack]

    def topic(self, pack: str, topic_id: str) -> Topic | None:
        """The topic, or None when a (possibly stale) button names one that is gone."""
        found = self.packs.get(pack)
        return next((t for t in found.topics if t.id == topic_id), None) if found else None

    def item(self, item_id: str) -> Item | None:
        """One tip or checklist entry by id, from any pack."""
        every = (i for p in self.packs.values() for t in p.topics for i in t.items)
        return next((i for i in every if i.id == item_id), None)

    def services(self, *, emergency_only: bool = False) -> tuple[Service, ...]:
        """All services in pack order, or just the emergency ones."""
        every = tuple(s for p in self.packs.values() for s in p.services)
        return tuple(s for s in every if s.emergency) if emergency_only else every

    def service(self, service_id: str) -> Service | None:
        """One service by id."""
        return next((s for s in self.services() if s.id == service_id), None)

    def quizzes(self, topic: str | None = None) -> tuple[Quiz, ...]:
        """All quizzes, or those about one topic id."""
        every = tuple(q for p in self.packs.values() for q in p.quizzes)
        return every if topic is None else tuple(q for q in every if q.topic == topic)

    def quiz(self, quiz_id: str) -> Quiz | None:
        """One quiz by id."""
        return next((q for q in self.quizzes() if q.id == quiz_id), None)

    def course(self) -> tuple[CourseWeek, ...]:
        """The drip course, week by week (tip ids resolve with `item`)."""
        return tuple(w for p in self.packs.values() for w in p.course)

    def categories(self) -> tuple[Category, ...]:
        """What-happened choices of the referral flow."""
        return tuple(c for p in self.packs.values() for c in p.categories)

    def offices(self, category: str, province: str) -> tuple[Office, ...]:
        """Places in the province that help with the category but have no number we know."""
        every = (o for p in self.packs.values() for o in p.offices)
        return tuple(o for o in every if category in o.categories and province in o.provinces)

    def provinces(self) -> tuple[Province, ...]:
        """Cambodia's 25 provinces and capital, in code order."""
        return tuple(v for p in self.packs.values() for v in p.provinces)

    def publishers(self) -> tuple[Publisher, ...]:
        """Who published the sources content cites, in file order."""
        return tuple(v for p in self.packs.values() for v in p.publishers)

    def cited(self, sources: tuple[str, ...]) -> tuple[Publisher, ...]:
        """The publishers these citations name, each once, in citation order."""
        found: dict[str, Publisher] = {}
        for source in sources:
            for publisher in cited_by(source, self.publishers()):
                found.setdefault(publisher.id, publisher)
        return tuple(found.values())

    def referral(self, category: str, province: str | None = None,
                 country: str = "kh") -> tuple[Service, ...]:
        """Whom to contact: services of this category in the province first, then national."""
        fitting = [s for s in self.services() if category in s.categories and s.country == country]
        local = [s for s in fitting if province is not None and s.scope == province]
        return (*local, *(s for s in fitting if s.scope == "national"))


def load_content(folder: Path, *, include_drafts: bool = True,
                 max_age_days: int = DEFAULT_MAX_AGE_DAYS) -> Content:
    """Read and validate the manifest and every pack it lists, or raise ContentError."""
    # A stale date only warns here: hiding hotline numbers from a running bot helps nobody.
    report = validate_folder(folder, max_age_days=max_age_days, stale_severity="warning")
    if report.errors:
        raise ContentError(_describe(report))
    # Unquoted sources are editorial work in progress: one line, not one per item, so the
    # warnings that need someone now (a stale number) stay visible.
    unquoted = [w for w in report.warnings if "no quotation" in w.message]
    for warning in report.warnings:
        if warning not in unquoted:
            log.warning("content: %s", warning)
    if unquoted:
        log.warning("content: %d items or quizzes have sources without a quotation "
                    "(`content validate` lists them)", len(unquoted))
    assert report.loaded.manifest is not None
    packs = {s.pack.pack: s.pack for s in report.loaded.packs if s.pack is not None}
    if not include_drafts:
        packs = {name: without_drafts(pack) for name, pack in packs.items()}
    return Content(version=report.loaded.manifest.version, packs=packs)


def _describe(report: Report) -> str:
    lines = [str(problem) for problem in report.errors[:SHOWN_PROBLEMS]]
    more = len(report.errors) - SHOWN_PROBLEMS
    tail = [f"... and {more} more (run: python run_bot.py content validate)"] if more > 0 else []
    return f"{len(report.errors)} problem(s):\n" + "\n".join(lines + tail)


def without_drafts(pack: Pack) -> Pack:
    """The pack with only what a native speaker has reviewed."""
    topics = []
    for topic in (t for t in pack.topics if t.review == "reviewed"):
        reviewed = tuple(item for item in topic.items if item.review == "reviewed")
        if reviewed:
            topics.append(topic.model_copy(update={"items": reviewed}))
    shown = {i.id for t in topics for i in t.items}
    return pack.model_copy(update={
        "topics": tuple(topics),
        "quizzes": tuple(q for q in pack.quizzes if q.review == "reviewed"
                         and q.topic in {t.id for t in topics}),
        "course": _reviewed_course(pack.course, shown),
        "services": tuple(s for s in pack.services if s.review == "reviewed"),
        "categories": tuple(c for c in pack.categories if c.review == "reviewed"),
        "offices": tuple(o for o in pack.offices if o.review == "reviewed"),
        "provinces": tuple(p for p in pack.provinces if p.review == "reviewed"),
    })


def _reviewed_course(course: tuple[CourseWeek, ...], shown: set[str]) -> tuple[CourseWeek, ...]:
    weeks: list[CourseWeek] = []
    for week in (w for w in course if w.review == "reviewed"):
        items = tuple(i for i in week.items if i in shown)
        if items:
            weeks.append(week.model_copy(update={"items": items, "week": len(weeks) + 1}))
    return tuple(weeks)


class ContentStore:
    """Holds the content being served; a reload swaps it whole or not at all."""

    def __init__(self, folder: Path, *, include_drafts: bool = True) -> None:
        self._folder, self._include_drafts = folder, include_drafts
        self.current = load_content(folder, include_drafts=include_drafts)

    def reload(self) -> Content:
        """Load again from disk; on any error the old content keeps running."""
        self.current = load_content(self._folder, include_drafts=self._include_drafts)
        return self.current
