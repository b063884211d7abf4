"""Ranking documents against a typed question: BM25 over the language layer's terms.

A text becomes terms the same way on both sides: English words as stems (minus a few words
that say nothing), Khmer as khmercut words plus their clusters (so a word cut differently in
the question and in the content still meets), and a Latin question read as romanised Khmer
too. English words missing from the index are matched to the nearest indexed word
(rapidfuzz), so "passprot" finds "passport". Everything is in memory; nothing is logged.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from bot.language.english import normalise_english
from bot.language.khmer import HAS_KHMER, khmer_tokens
from bot.language.romanised import Romaniser, is_romanised
from bot.language.segment import khmer_words

K1, B = 1.2, 0.75  # the usual BM25 constants
TYPO_CUTOFF = 80.0  # rapidfuzz ratio for an unknown English word to take an indexed one
CLUSTER = "~"  # prefix of Khmer cluster terms, so they never equal a word term
_LATIN_OR_KHMER = re.compile(r"[A-Za-z0-9'’]+|[\u1780-\u17ff\u19e0-\u19ff]+")
# Stems that carry no topic (after normalise_english: "is" is "be", "how" stays "how").
# fmt: off
STOP_EN = frozenset((
    "a", "an", "the", "to", "of", "in", "on", "at", "for", "from", "by", "with", "and", "or",
    "but", "if", "so", "than", "then", "be", "do", "doe", "have", "i", "me", "my", "mine",
    "you", "your", "yours", "he", "him", "his", "she", "her", "it", "its", "we", "us", "our",
    "they", "them", "their", "this", "that", "these", "those", "what", "how", "why", "when",
    "where", "who", "which", "can", "could", "should", "would", "will", "shall", "may",
    "might", "must", "there", "here", "about", "any", "some", "please", "tell", "want", "need",
    "get", "go", "know", "not", "no", "yes", "just", "very", "really", "also", "too", "as",
    "is", "ok", "okay", "hi", "hello", "hey", "bye",
))
STOP_KM = frozenset(["ខ្ញុំ", "តើ", "ទេ", "បាន", "ដែល", "និង", "នៃ", "ជា", "របស់", "ឱ្យ", "នឹង",
                     "ក្នុង", "នៅ", "ហើយ", "ណាស់", "អ្វី", "យ៉ាង", "ម៉េច", "គឺ", "ពី", "មួយ",
                     "ទៅ", "ខ្លះ", "សូម", "ដូចម្ដេច", "ដូចម្តេច", "យ៉ាងម៉េច", "ធ្វើម៉េច"])
# fmt: on


@dataclass(frozen=True)
class Field:
    """Text of a document to index, and how much a match in it counts (1 = body text)."""

    text: str
    weight: int = 1


@dataclass(frozen=True)
class Hit:
    """One ranked document: its id, score, and the question's words that it matched."""

    doc_id: str
    score: float
    coverage: float  # share of the question's weight (idf) the document matched, 0..1
    words: tuple[str, ...]


class Analyzer:
    """Turns text into search terms; the same for content and questions."""

    def __init__(
        self, romaniser: Romaniser | None = None, english: frozenset[str] = frozenset()
    ) -> None:
        self._romaniser = romaniser
        self._english = english  # words the content uses: never read as romanised Khmer

    def terms(self, text: str, *, romanised: bool = False) -> list[str]:
        """Return the terms of a text; with romanised, Latin words are also read as Khmer."""
        return [t for _, terms in self.units(text, romanised=romanised) for t in terms]

    def units(self, text: str, *, romanised: bool = False) -> list[tuple[str, tuple[str, ...]]]:
        """Return each word as typed with its terms, for ranking and for saying why."""
        units: list[tuple[str, tuple[str, ...]]] = []
        # A question mostly in romanised Khmer reads its listed spellings as Khmer only;
        # an English question keeps its English words.
        khmer_first = romanised and self._romaniser is not None and is_romanised(
            self._romaniser.read(text))
        runs = _LATIN_OR_KHMER.findall(text)
        i = 0
        while i < len(runs):
            run = runs[i]
            if HAS_KHMER.match(run):
                units.extend((w, _khmer_terms(w)) for w in khmer_words(run))
            elif khmer_first and (pair := self._pair(runs, i)):
                units.append(pair)
                i += 1
            else:
                units.append((run, self._latin_terms(run.casefold(), romanised, khmer_first)))
            i += 1
        return [(word, terms) for word, terms in units if terms]

    def _pair(self, runs: list[str], i: int) -> tuple[str, tuple[str, ...]] | None:
        """Two typed words an editor listed together as one Khmer word ("trov ka")."""
        if self._romaniser is None or i + 1 >= len(runs):
            return None
        typed = f"{runs[i]} {runs[i + 1]}"
        listed = self._romaniser.exact(typed.casefold())
        return (typed, _khmer_terms(listed)) if listed else None

    def _latin_terms(self, word: str, romanised: bool, khmer_first: bool) -> tuple[str, ...]:
        stems = [t for t in normalise_english(word) if t.isalnum()]
        english = tuple(t for t in stems if t not in STOP_EN)
        if not romanised or self._romaniser is None:
            return english
        if stems and not english:  # "your", "the": English words that say nothing
            listed = self._romaniser.exact(word) if khmer_first else None
            return _khmer_terms(listed) if listed else ()
        if khmer_first and (listed := self._romaniser.exact(word)):
            return _khmer_terms(listed)
        if english and english[0] in self._english:
            # An English word of the content ("hot", "game") is read as Khmer only when an
            # editor listed it as a romanised spelling: guesses would drown the English.
            listed = self._romaniser.exact(word)
            return english + (_khmer_terms(listed) if listed else ())
        khmer = self._romaniser.read(word)
        return english + (_khmer_terms(khmer.khmer) if khmer.recognised else ())


@lru_cache(maxsize=8192)
def _khmer_terms(word: str) -> tuple[str, ...]:
    """A Khmer word as itself (when it says something) and as its clusters."""
    words = tuple(w for w in khmer_words(word) if w not in STOP_KM)
    clusters = tuple(CLUSTER + c for w in words for c in khmer_tokens(w) if len(words) > 0)
    return words + clusters


class SearchIndex:
    """BM25 over documents made of weighted fields; built once per content version."""

    def __init__(
        self, romaniser: Romaniser | None, docs: Sequence[tuple[str, Sequence[Field]]]
    ) -> None:
        self._analyzer = Analyzer()
        self._ids = [doc_id for doc_id, _ in docs]
        counts = [self._count(fields) for _, fields in docs]
        self._lengths = [sum(c.values()) for c in counts]
        self._doc_terms = [frozenset(c) for c in counts]
        self._average = sum(self._lengths) / max(len(counts), 1)
        self._nearest = lru_cache(maxsize=4096)(self._find_nearest)
        # Each posting holds its document's BM25 term weight already, so a question costs one
        # multiplication per posting.
        self._postings: dict[str, list[tuple[int, float]]] = {}
        for n, count in enumerate(counts):
            norm = K1 * (1 - B + B * self._lengths[n] / self._average)
            for term, tf in count.items():
                self._postings.setdefault(term, []).append((n, tf * (K1 + 1) / (tf + norm)))
        total = len(counts)
        self._idf = {
            t: math.log(1 + (total - len(p) + 0.5) / (len(p) + 0.5))
            for t, p in self._postings.items()
        }
        self._english = tuple(t for t in self._postings if t.isascii() and len(t) > 3)
        english = frozenset(t for t in self._postings if t.isascii() and len(t) > 2)
        self._questions = Analyzer(romaniser, english)
        self._max_idf = max(self._idf.values(), default=1.0)

    def _count(self, fields: Iterable[Field]) -> Counter[str]:
        count: Counter[str] = Counter()
        for field in fields:
            for term in self._analyzer.terms(field.text):
                count[term] += field.weight
        return count

    def search(self, question: str, limit: int = 3) -> list[Hit]:
        """Return up to `limit` documents best matching the question, best first."""
        units = [(w, self._known(terms)) for w, terms in
                 self._questions.units(question, romanised=True)]
        query = Counter(t for _, terms in units for t in set(terms))
        if not query:
            return []
        scores: dict[int, float] = {}
        for term, qtf in query.items():
            self._score_term(term, qtf, scores)
        weight = sum(self._idf.get(t, self._max_idf) for t in query)
        best = sorted(scores.items(), key=lambda kv: -kv[1])[:limit]
        return [self._hit(n, score, units, weight) for n, score in best]

    def _known(self, terms: tuple[str, ...]) -> tuple[str, ...]:
        """Keep the terms of one typed word that can match, best first.

        A Khmer word the index knows stands for itself; only an unknown one falls back on
        its clusters (short clusters such as ង match everywhere). A Latin word read as
        Khmer drops its Latin form unless the index has it. English words the index lacks
        become the nearest indexed word, if one is close.
        """
        khmer = [t for t in terms if not t.isascii() and not t.startswith(CLUSTER)]
        if any(t in self._idf for t in khmer):
            return tuple(t for t in terms if t in self._idf and not t.startswith(CLUSTER))
        if khmer:
            return tuple(t for t in terms if not t.isascii() or t in self._idf)
        return tuple(self._nearest(t) if t not in self._idf else t for t in terms)

    def _find_nearest(self, term: str) -> str:
        if not term.isascii() or len(term) < 4:
            return term
        best = process.extractOne(term, self._english, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF)
        return best[0] if best else term

    def _score_term(self, term: str, qtf: int, scores: dict[int, float]) -> None:
        idf = self._idf.get(term)
        if idf is None:
            return
        factor = qtf * idf
        for n, weight in self._postings[term]:
            scores[n] = scores.get(n, 0.0) + factor * weight

    def _hit(
        self, n: int, score: float, units: list[tuple[str, tuple[str, ...]]], weight: float
    ) -> Hit:
        """Describe a ranked document: which of the question's words it matched, and how much."""
        hit_terms = {t for _, terms in units for t in terms if t in self._doc_terms[n]}
        words = tuple(dict.fromkeys(w for w, terms in units if hit_terms & set(terms)))
        coverage = sum(self._idf[t] for t in hit_terms) / weight if weight else 0.0
        return Hit(self._ids[n], round(score, 3), round(min(coverage, 1.0), 3), words)
