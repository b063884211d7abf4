"""Search over all content: tips, checklists, quizzes and services, in both languages.

Each content object becomes one document of weighted fields (titles and editors' keywords
count more than body text); bot/language/search.py ranks them. An index is built once per
content version and kept with it, like the screens built from content.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from bot.content.model import Item, Keywords, Quiz, Service, Text, Topic
from bot.content.store import Content
from bot.language import Romaniser, khmer_words
from bot.language.romanised import COMMON_ENGLISH
from bot.language.search import STOP_EN, Field, Hit, SearchIndex

_WORD = re.compile(r"[a-z]+")
_KHMER_RUN = re.compile(r"[\u1780-\u17ff]+")
TITLE, KEYWORDS = 2, 3  # a match in a title or an editor's keyword counts this many times


class Kind(StrEnum):
    """What a search result opens."""

    ITEM = "item"
    SERVICE = "service"
    QUIZ = "quiz"


@dataclass(frozen=True)
class Target:
    """Where a document lives, so a result can open it: pack and topic page, or an id."""

    kind: Kind
    id: str
    pack: str = ""
    topic: str = ""
    page: int = 0


@dataclass(frozen=True)
class ContentSearch:
    """A content version's search index, where each document opens, and what to label it."""

    index: SearchIndex
    targets: dict[str, Target]
    items: dict[str, tuple[Text, Text]]  # item id -> (topic title, item text)
    quizzes: dict[str, Quiz]
    services: dict[str, Service]
    vocabulary: frozenset[str]  # words content uses: the only ones an unanswered count keeps

    def search(self, question: str, limit: int = 3) -> list[tuple[Hit, Target]]:
        """Return the best documents for a question with where each one opens."""
        return [(hit, self.targets[hit.doc_id]) for hit in self.index.search(question, limit)]


def build_search(content: Content, romaniser: Romaniser | None) -> ContentSearch:
    """Index every item, quiz and service of a content version."""
    docs: list[tuple[str, list[Field]]] = []
    targets: dict[str, Target] = {}
    items: dict[str, tuple[Text, Text]] = {}
    for pack_name, pack in content.packs.items():
        for topic in pack.topics:
            for page, item in enumerate(topic.items):
                docs.append((item.id, _item_fields(topic, item)))
                targets[item.id] = Target(Kind.ITEM, item.id, pack_name, topic.id, page)
                items[item.id] = (topic.title, item.text)
    for quiz in content.quizzes():
        docs.append((quiz.id, _quiz_fields(quiz)))
        targets[quiz.id] = Target(Kind.QUIZ, quiz.id)
    for service in content.services():
        docs.append((service.id, _service_fields(service)))
        targets[service.id] = Target(Kind.SERVICE, service.id)
    quizzes = {q.id: q for q in content.quizzes()}
    services = {s.id: s for s in content.services()}
    words = vocabulary((f.text for _, fields in docs for f in fields), romaniser)
    index = SearchIndex(romaniser, docs)
    return ContentSearch(index, targets, items, quizzes, services, words)


def vocabulary(texts: Iterable[str], romaniser: Romaniser | None) -> frozenset[str]:
    """Every word the content uses, as typed (Latin lowercase, Khmer words), and the romanised
    spellings and common English words: what may be kept of an unanswered question."""
    words: set[str] = set(COMMON_ENGLISH) | set(STOP_EN)
    for text in texts:
        lowered = text.casefold()
        words.update(_WORD.findall(lowered))
        words.update(w for run in _KHMER_RUN.findall(lowered) for w in khmer_words(run))
    if romaniser is not None:
        words.update(w for spelling in romaniser.spellings() for w in spelling.split())
    return frozenset(words)


def _both(text: Text | None, weight: int = 1) -> list[Field]:
    return [] if text is None else [Field(text.en, weight), Field(text.km, weight)]


def _keywords(keywords: Keywords | None) -> list[Field]:
    if keywords is None:
        return []
    return [Field(" ".join(keywords.en), KEYWORDS), Field(" ".join(keywords.km), KEYWORDS)]


def _item_fields(topic: Topic, item: Item) -> list[Field]:
    return [*_both(topic.title, TITLE), *_both(item.text), *_keywords(item.keywords)]


def _quiz_fields(quiz: Quiz) -> list[Field]:
    # Quizzes come after the tips they test: their text counts once, not as a title.
    options = [field for option in quiz.options for field in _both(option)]
    return [*_both(quiz.question), *options, *_both(quiz.explanation), *_keywords(quiz.keywords)]


def _service_fields(service: Service) -> list[Field]:
    categories = Field(" ".join(c.replace("-", " ") for c in service.categories))
    return [*_both(service.name, TITLE), *_both(service.who), *_both(service.note), categories,
            *_keywords(service.keywords)]
