"""Compiling validated terms into rules: groups expanded, both languages read as in detect()."""

from __future__ import annotations

from bot.language.english import normalise_english
from bot.language.khmer import HAS_KHMER, khmer_tokens
from bot.language.risk.matching import SENTENCE_END, Alt, Element, Rule
from bot.language.risk.terms import Entry, fail


class Compiler:
    """Turns validated terms into rules: expands groups and tokenises both languages."""

    def __init__(
        self,
        groups: dict[str, dict[str, list[str]]],
        spelling: dict[str, str],
        variants: dict[str, str],
    ) -> None:
        self.groups = groups
        self.spelling = spelling
        self.variants = {_spaced(k): _spaced(v) for k, v in variants.items()}
        # Each variant's clusters, split once here rather than on every message.
        self._needs = tuple((frozenset(k.split()), k, v) for k, v in self.variants.items())

    def tokens(self, text: str, lang: str) -> list[str]:
        """Read text as the detector does: stemmed English words, or Khmer clusters."""
        if lang == "en":
            return normalise_english(text, self.spelling)
        return self._unify_variants(khmer_tokens(text))

    def rules(self, entry: Entry, lang: str) -> list[Rule]:
        """Compile an entry's terms in one language."""
        return [self._rule(entry, term, lang) for term in entry.terms[lang]]

    def _unify_variants(self, tokens: list[str]) -> list[str]:
        """Replace the file's Khmer spelling variants by their one spelling."""
        present = set(tokens)
        found = [(k, v) for needs, k, v in self._needs if present.issuperset(needs)]
        if not found:
            return tokens
        # Variants may span clusters: replace them on the tokens joined by spaces. Twice, as
        # neighbouring matches share a space, so one pass skips every other one.
        joined = f" {' '.join(tokens)} "
        for variant, canonical in found:
            joined = joined.replace(variant, canonical).replace(variant, canonical)
        return joined.split()

    def _rule(self, entry: Entry, term: str, lang: str) -> Rule:
        khmer = bool(HAS_KHMER.search(term))
        if khmer != (lang == "km") and not (lang == "km" and "@" in term):
            raise fail(entry.where, f"the {lang} term {term!r} is in the wrong script")
        elements, joints = _split(term, entry.where)
        alts = tuple(Element.of(self._expand(e, lang, entry.where), {}) for e in elements)
        return Rule.of(entry.term_id, alts, tuple(entry.gap[lang] * j for j in joints))

    def _expand(self, alts: list[str], lang: str, where: str) -> tuple[Alt, ...]:
        """Replace @group by its members, tokenise every alternative, drop repeats."""
        out: list[Alt] = []
        for alt in alts:
            members = self._group(alt[1:], lang, where) if alt.startswith("@") else [alt]
            out.extend(self._alternative(member, lang, where) for member in members)
        return tuple(dict.fromkeys(out))

    def _group(self, name: str, lang: str, where: str) -> list[str]:
        members = self.groups.get(name, {}).get(lang)
        if not members:
            raise fail(where, f"unknown group '@{name}' (or it has no {lang} members)")
        return members

    def _alternative(self, text: str, lang: str, where: str) -> Alt:
        tokens = tuple(t for t in self.tokens(text, lang) if t not in SENTENCE_END)
        if not tokens:
            raise fail(where, f"empty term {text!r}: nothing left after normalising")
        return tokens


def _split(term: str, where: str) -> tuple[list[list[str]], tuple[bool, ...]]:
    """Split 'a|b @g ~ c' into elements of alternatives and whether each joint allows a gap."""
    words = term.split()
    if any(word == "~" and (i == 0 or words[i - 1] == "~") for i, word in enumerate(words)):
        raise fail(where, f"misplaced '~' in {term!r}")
    elements = [word.split("|") for word in words if word != "~"]
    if not words or words[-1] == "~" or any("" in alts for alts in elements):
        raise fail(where, f"malformed term {term!r}")
    joints = tuple(words[i - 1] == "~" for i, word in enumerate(words) if i and word != "~")
    return elements, joints


def _spaced(text: str) -> str:
    """Return Khmer text as its clusters between spaces, the form variants are replaced in."""
    return f" {' '.join(khmer_tokens(text))} "
