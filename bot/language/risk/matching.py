"""The matcher: compiled rules, a message as tokens, and finding a rule's matches in it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

Alt = tuple[str, ...]  # one alternative: English words or Khmer clusters
SENTENCE_END = frozenset("។៕!?.;\n")  # a gap never spans two sentences


@dataclass(frozen=True)
class Element:
    """The alternatives at one place in a term, indexed by their first and last token."""

    alts: tuple[Alt, ...]
    by_first: dict[str, tuple[Alt, ...]]
    by_last: dict[str, tuple[Alt, ...]]
    # The rarest token of each alternative (ស្លា, not the ច or កា that many terms share): a
    # message that has none of these cannot match this element.
    keys: frozenset[str]
    # Each key's alternatives, with where the key stands in each: a match is looked for only
    # around the keys a message has, not for each of a group's hundred members.
    by_key: dict[str, tuple[tuple[Alt, int], ...]]

    @classmethod
    def of(cls, alts: tuple[Alt, ...], frequency: Mapping[str, int]) -> Element:
        """Index the alternatives, keying each by its rarest token in `frequency`."""
        by_key: dict[str, list[tuple[Alt, int]]] = {}
        for alt in alts:
            key = min(alt, key=lambda t: (frequency.get(t, 0), -len(t)))
            by_key.setdefault(key, []).append((alt, alt.index(key)))
        keyed = {key: tuple(group) for key, group in by_key.items()}
        return cls(alts, _index_by(alts, 0), _index_by(alts, -1), frozenset(keyed), keyed)


def _index_by(alts: tuple[Alt, ...], end: int) -> dict[str, tuple[Alt, ...]]:
    index: dict[str, list[Alt]] = {}
    for alt in alts:
        index.setdefault(alt[end], []).append(alt)
    return {key: tuple(group) for key, group in index.items()}


@dataclass(frozen=True)
class Rule:
    """One compiled term: its elements, and how many tokens may come between neighbours."""

    term_id: str
    elements: tuple[Element, ...]
    gaps: tuple[int, ...]
    order: tuple[int, ...]  # elements with the fewest alternatives first: fastest to rule out

    @classmethod
    def of(cls, term_id: str, elements: tuple[Element, ...], gaps: tuple[int, ...]) -> Rule:
        """Build a rule, working out the order its elements are checked in."""
        order = sorted(range(len(elements)), key=lambda i: len(elements[i].alts))
        return cls(term_id, elements, gaps, tuple(order))

    def rekeyed(self, frequency: Mapping[str, int]) -> Rule:
        """Return this rule with each element keyed by its rarest tokens."""
        elements = tuple(Element.of(e.alts, frequency) for e in self.elements)
        return Rule.of(self.term_id, elements, self.gaps)


class Tokens:
    """A message as tokens, with an index of where each token occurs."""

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.index: dict[str, list[int]] = {}
        for i, token in enumerate(tokens):
            self.index.setdefault(token, []).append(i)
        self.present = set(self.index)  # a set, so that checks against it run in C

    def end_at(self, pos: int, alt: Alt) -> int:
        """Return where alt ends if it starts at pos, or -1."""
        end = pos + len(alt)
        return end if pos >= 0 and tuple(self.tokens[pos:end]) == alt else -1

    def start_at(self, end: int, alt: Alt) -> int:
        """Return where alt starts if it ends at end, or -1."""
        start = end - len(alt)
        return start if start >= 0 and tuple(self.tokens[start:end]) == alt else -1

    def at(self, pos: int) -> str:
        """Return the token at pos, or '' outside the message."""
        return self.tokens[pos] if 0 <= pos < len(self.tokens) else ""

    def mask(self, start: int, end: int) -> None:
        """Blank out tokens start..end and drop them from the index."""
        for i in range(start, end):
            if positions := self.index.get(self.tokens[i]):
                positions.remove(i)
                if not positions:
                    del self.index[self.tokens[i]]
                    self.present.discard(self.tokens[i])
            self.tokens[i] = ""


@dataclass(frozen=True)
class RuleIndex:
    """Rules in their order, indexed by the tokens that must be present for each to match.

    Each rule is filed under the keys of its rarest element: a message without any of them
    cannot match it. So a message is checked only against the few rules its own tokens name,
    not against every rule in the file.
    """

    rules: tuple[Rule, ...]
    by_token: dict[str, tuple[int, ...]]

    @classmethod
    def of(cls, rules: tuple[Rule, ...], frequency: Mapping[str, int]) -> RuleIndex:
        """Index rules (already keyed by `frequency`) under their rarest element's keys."""
        found: dict[str, list[int]] = {}
        for n, rule in enumerate(rules):
            rarest = min(rule.elements, key=lambda e: sum(frequency.get(k, 0) for k in e.keys))
            for key in rarest.keys:
                found.setdefault(key, []).append(n)
        return cls(rules, {key: tuple(ns) for key, ns in found.items()})

    def candidates(self, text: Tokens, below: int | None = None) -> list[int]:
        """Return, in order, the positions of the rules text may match (those before `below`)."""
        by_token = self.by_token
        found = {n for token in text.present if (ns := by_token.get(token)) for n in ns}
        return sorted(found if below is None else (n for n in found if n < below))


def mask_all(index: RuleIndex, text: Tokens) -> None:
    """Blank out every span an exclusion matches, so risk rules cannot use those tokens."""
    for n in index.candidates(text):
        for start, end in _matches(index.rules[n], text):
            text.mask(start, end)


def first_match(index: RuleIndex, text: Tokens, below: int | None = None) -> int | None:
    """Return the position of the first rule (before `below`) that matches text, or None."""
    rules = index.rules
    return next((n for n in index.candidates(text, below) if next(_matches(rules[n], text), None)),
                None)


def _matches(rule: Rule, text: Tokens) -> Iterator[tuple[int, int]]:
    """Yield the spans where the rule matches text."""
    index = text.index
    if any(rule.elements[i].keys.isdisjoint(text.present) for i in rule.order):
        return  # cheap check that rules out almost every rule
    anchor = _anchor(rule, text)
    element = rule.elements[anchor]
    for key in element.keys & text.present:
        for alt, k in element.by_key[key]:
            for pos in tuple(index.get(key, ())):
                end = _extend_right(rule, text, anchor + 1, text.end_at(pos - k, alt))
                begin = _extend_left(rule, text, anchor - 1, pos - k) if end >= 0 else -1
                if begin >= 0:
                    yield begin, end


def _anchor(rule: Rule, text: Tokens) -> int:
    """Return the element whose keys occur least often in text."""
    # Grow each match out from its rarest element and, within it, from each alternative's
    # rarest token in this message: "I" and "do" are everywhere, "passport" is not.
    present, index = text.present, text.index
    totals = [sum(len(index[key]) for key in e.keys & present) for e in rule.elements]
    return totals.index(min(totals))


def _extend_right(rule: Rule, text: Tokens, k: int, pos: int) -> int:
    """Match elements k.. from pos, skipping at most the joint's gap; return the end or -1."""
    if pos < 0 or k == len(rule.elements):
        return pos
    by_first = rule.elements[k].by_first
    for offset in range(rule.gaps[k - 1] + 1):
        if offset and text.at(pos + offset - 1) in SENTENCE_END:
            break
        for alt in by_first.get(text.at(pos + offset), ()):
            end = _extend_right(rule, text, k + 1, text.end_at(pos + offset, alt))
            if end >= 0:
                return end
    return -1


def _extend_left(rule: Rule, text: Tokens, k: int, pos: int) -> int:
    """Match elements ..k ending at pos, skipping at most the joint's gap; return the start."""
    if pos < 0 or k < 0:
        return pos
    by_last = rule.elements[k].by_last
    for offset in range(rule.gaps[k] + 1):
        if offset and text.at(pos - offset) in SENTENCE_END:
            break
        for alt in by_last.get(text.at(pos - offset - 1), ()):
            start = _extend_left(rule, text, k - 1, text.start_at(pos - offset, alt))
            if start >= 0:
                return start
    return -1
