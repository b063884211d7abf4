"""RiskDetector: loads the terms once, then checks each message against them from memory."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.language import HAS_KHMER, Romaniser, is_romanised
from bot.language.risk.categories import PRIORITY, RiskMatch
from bot.language.risk.compiler import Compiler
from bot.language.risk.matching import RuleIndex, Tokens, first_match, mask_all
from bot.language.risk.terms import Entry, Terms, parse_terms
from bot.language.yamlfile import load_yaml

_LANGS = ("en", "km")
_LATIN = re.compile("[A-Za-z]")
_WORD = re.compile(r"[a-z]+")
ROMANISED_FILE = "romanised.yaml"  # beside risk_terms.yaml


@dataclass(frozen=True)
class _Ranked:
    """All categories' rules of one language in one index, most urgent category first."""

    index: RuleIndex
    rank: tuple[int, ...]  # each rule's category, as its place in PRIORITY
    start: tuple[int, ...]  # where each category's rules start: a search can stop there


class RiskDetector:
    """Decides from one message alone whether it needs the crisis reply; works from memory."""

    def __init__(self, compiler: Compiler, terms: Terms, romaniser: Romaniser | None = None):
        self._compiler = compiler
        self._romaniser = romaniser
        categories = terms.categories
        extra = [*terms.witness, *terms.self_words]
        every = [*terms.exclusions, *extra, *(e for c in PRIORITY for e in categories.get(c, []))]
        frequency = self._frequency(every)
        self._exclusions = {
            lang: self._compile(terms.exclusions, lang, frequency) for lang in _LANGS
        }
        self._witness = {lang: self._compile(terms.witness, lang, frequency) for lang in _LANGS}
        self._self = {lang: self._compile(terms.self_words, lang, frequency) for lang in _LANGS}
        ordered = [(r, e) for r, c in enumerate(PRIORITY) for e in categories.get(c, [])]
        self._rules = {lang: self._ranked(ordered, lang, frequency) for lang in _LANGS}

    @classmethod
    def from_file(cls, path: Path) -> RiskDetector:
        """Load and validate a risk-terms file (and romanised.yaml beside it, if there)."""
        try:
            data = load_yaml(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise ValueError(f"{path}: cannot read the risk terms: {exc}") from exc
        table = path.parent / ROMANISED_FILE
        return cls.from_data(data, str(path), table if table.exists() else None)

    @classmethod
    def from_data(
        cls, data: object, source: str = "risk terms", romanised: Path | None = None
    ) -> RiskDetector:
        """Validate already-parsed risk terms; `source` names them in error messages."""
        terms = parse_terms(data, source)
        compiler = Compiler(terms.groups, terms.spelling, terms.variants)
        english = _english_words(terms)
        romaniser = Romaniser.from_file(romanised, english) if romanised else None
        return cls(compiler, terms, romaniser)

    @property
    def romaniser(self) -> Romaniser | None:
        """The romanised-Khmer table this detector reads with; search reads with it too."""
        return self._romaniser

    def detect(self, text: str) -> RiskMatch | None:
        """Return the most urgent risk the text shows, or None; keeps nothing of the text."""
        readings = self._readings(text)
        rank, term_id = len(PRIORITY), ""
        for lang, tokens in readings:
            # A later reading wins only with a more urgent category: ties go to the earlier one.
            rules = self._rules[lang]
            if (n := first_match(rules.index, tokens, rules.start[rank])) is not None:
                rank, term_id = rules.rank[n], rules.index.rules[n].term_id
        if not term_id:
            return None
        return RiskMatch(PRIORITY[rank], term_id, witness=self._witness_of(readings))

    def _readings(self, text: str) -> list[tuple[str, Tokens]]:
        """Read the text as English, as Khmer script, and as romanised Khmer where it may be."""
        khmer = HAS_KHMER.search(text) is not None
        # English terms are all words: Khmer with no Latin letter is not read as English.
        readings = [("en", self._read(text, "en"))] if not khmer or _LATIN.search(text) else []
        if khmer:
            readings.append(("km", self._read(text, "km")))
        if self._romaniser is not None and self._romaniser.may_read(text):
            reading = self._romaniser.read(text)
            if reading.recognised and (is_romanised(reading) or reading.recognised >= 2):
                readings += [("km", self._read(k, "km")) for k in (reading.khmer, *reading.others)]
        return readings

    def _witness_of(self, readings: list[tuple[str, Tokens]]) -> bool:
        """Whether the writer reports someone else: a witness word, and no word for 'me'."""
        witness = False
        for lang, tokens in readings:
            copy = Tokens(list(tokens.tokens))
            if first_match(self._witness[lang], copy) is None:
                continue
            mask_all(self._witness[lang], copy)  # "my friend" must not count as "me"
            if first_match(self._self[lang], copy) is not None:
                return False
            witness = True
        return witness

    def _read(self, text: str, lang: str) -> Tokens:
        """Tokenise text for one language and blank out its look-alikes."""
        tokens = Tokens(self._compiler.tokens(text, lang))
        mask_all(self._exclusions[lang], tokens)
        return tokens

    def _frequency(self, entries: list[Entry]) -> Counter[str]:
        """Count how often each token occurs across all terms, to find each term's rarest."""
        return Counter(
            token
            for lang in _LANGS
            for rule in self._compile(entries, lang, {}).rules
            for element in rule.elements
            for alt in element.alts
            for token in alt
        )

    def _ranked(
        self, ordered: list[tuple[int, Entry]], lang: str, frequency: Mapping[str, int]
    ) -> _Ranked:
        """Index every category's rules together, most urgent category first."""
        ranked = [(r, rule) for r, e in ordered for rule in self._compiler.rules(e, lang)]
        index = RuleIndex.of(tuple(rule.rekeyed(frequency) for _, rule in ranked), frequency)
        rank = tuple(r for r, _ in ranked)
        return _Ranked(index, rank, tuple(bisect_left(rank, r) for r in range(len(PRIORITY) + 1)))

    def _compile(self, entries: list[Entry], lang: str, frequency: Mapping[str, int]) -> RuleIndex:
        rules = (rule for entry in entries for rule in self._compiler.rules(entry, lang))
        return RuleIndex.of(tuple(rule.rekeyed(frequency) for rule in rules), frequency)


def _english_words(terms: Terms) -> frozenset[str]:
    """Every English word the terms use: the romaniser never reads these as Khmer typos."""
    entries = [*terms.exclusions, *(e for es in terms.categories.values() for e in es)]
    texts = [t for e in entries for t in e.terms["en"]]
    texts += [m for g in terms.groups.values() for m in g.get("en", [])]
    return frozenset(w for text in texts for w in _WORD.findall(text.lower()) if len(w) > 3)

