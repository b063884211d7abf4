"""Validating content/risk_terms.yaml: every entry checked, each fault named by file and id."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.language.khmer import KHMER
from bot.language.risk.categories import RiskCategory

_TOP_KEYS = {
    "review", "groups", "spelling", "khmer_variants", "exclusions", "categories", "witness",
    "self",
}
_ENTRY_KEYS = {"id", "en", "km", "gap", "km_gap"}
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_NAME = re.compile(r"[a-z][a-z0-9_]*")
_WORD = re.compile(r"[a-z0-9]+")
_KHMER_WORD = re.compile(f"[{KHMER}]+")
_SYNTAX = re.compile(r"[@~|]")


@dataclass(frozen=True)
class Entry:
    """One validated entry of the file, before its terms are compiled."""

    where: str
    term_id: str
    terms: dict[str, list[str]]
    gap: dict[str, int]


@dataclass(frozen=True)
class Terms:
    """A validated terms file: what the compiler needs, and the entries it compiles."""

    groups: dict[str, dict[str, list[str]]]
    spelling: dict[str, str]
    variants: dict[str, str]
    exclusions: list[Entry]
    categories: dict[RiskCategory, list[Entry]]
    witness: list[Entry]  # words naming someone else as the one in danger
    self_words: list[Entry]  # words showing the writer is in danger too


def parse_terms(data: object, source: str) -> Terms:
    """Validate parsed risk terms; raise ValueError naming `source` and the faulty entry."""
    top = _mapping(data, source)
    if unknown := set(top) - _TOP_KEYS:
        raise fail(source, f"unknown keys {sorted(unknown)}")
    if top.get("review") not in ("draft", "reviewed"):
        raise fail(source, "review must be 'draft' or 'reviewed'")
    spelling = _load_pairs(top.get("spelling"), f"{source}: spelling", _WORD)
    variants = _load_pairs(top.get("khmer_variants"), f"{source}: khmer_variants", _KHMER_WORD)
    groups = _load_groups(top.get("groups"), source)
    seen: set[str] = set()  # ids are unique across exclusions and categories
    exclusions = _parse_entries(top.get("exclusions"), f"{source}: exclusions", seen)
    categories = _load_categories(top.get("categories"), source, seen)
    witness = _optional_entries(top.get("witness"), f"{source}: witness", seen)
    self_words = _optional_entries(top.get("self"), f"{source}: self", seen)
    return Terms(groups, spelling, variants, exclusions, categories, witness, self_words)


def fail(where: str, problem: str) -> ValueError:
    """Return the error for a fault: where it is, then what is wrong."""
    return ValueError(f"{where}: {problem}")


def _mapping(value: object, where: str) -> dict[str, object]:
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise fail(where, "must be a mapping with text keys")
    return value


def _text_list(value: object, where: str) -> list[str]:
    """Return a list of non-empty strings, or raise naming where the bad one is."""
    if not isinstance(value, list):
        raise fail(where, "must be a list")
    for item in value:
        if not isinstance(item, str):
            raise fail(where, f"{item!r} is not text (quote numbers)")
        if not item.strip():
            raise fail(where, f"empty term {item!r}")
    return [str(item) for item in value]


def _gap(entry: dict[str, object], key: str, default: int, where: str) -> int:
    value = entry.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 40:
        raise fail(where, f"{key} must be a whole number from 0 to 40")
    return value


def _parse_entry(raw: object, where: str, seen: set[str]) -> Entry:
    """Validate one entry: a unique id, en and/or km term lists, optional gaps."""
    entry = _mapping(raw, where)
    term_id = entry.get("id")
    if not isinstance(term_id, str) or not _ID.fullmatch(term_id) or term_id in seen:
        raise fail(where, f"entry id {term_id!r} is missing, malformed or repeated")
    seen.add(term_id)
    where = f"{where}, entry '{term_id}'"
    if unknown := set(entry) - _ENTRY_KEYS:
        raise fail(where, f"unknown keys {sorted(unknown)}")
    terms = {lang: _text_list(entry.get(lang, []), f"{where}, {lang}") for lang in ("en", "km")}
    if not terms["en"] and not terms["km"]:
        raise fail(where, "has no en or km terms")
    # English gaps count words, Khmer gaps clusters.
    gap = {"en": _gap(entry, "gap", 3, where), "km": _gap(entry, "km_gap", 5, where)}
    return Entry(where, term_id, terms, gap)


def _parse_entries(raw: object, where: str, seen: set[str]) -> list[Entry]:
    if not isinstance(raw, list) or not raw:
        raise fail(where, "must be a non-empty list of entries")
    return [_parse_entry(item, where, seen) for item in raw]


def _optional_entries(raw: object, where: str, seen: set[str]) -> list[Entry]:
    return [] if raw is None else _parse_entries(raw, where, seen)


def _load_groups(raw: object, source: str) -> dict[str, dict[str, list[str]]]:
    """Validate the named word lists: lowercase names, en/km lists of plain words."""
    groups: dict[str, dict[str, list[str]]] = {}
    for name, value in _mapping(raw or {}, f"{source}: groups").items():
        where = f"{source}: group '{name}'"
        langs = _mapping(value, where)
        if not _NAME.fullmatch(name) or not langs or set(langs) - {"en", "km"}:
            raise fail(where, "needs a lowercase name and only en/km lists")
        groups[name] = {lang: _text_list(v, f"{where}, {lang}") for lang, v in langs.items()}
        if any(_SYNTAX.search(m) for ms in groups[name].values() for m in ms):
            raise fail(where, "members cannot contain @ ~ or |")
    return groups


def _load_pairs(raw: object, where: str, key: re.Pattern[str]) -> dict[str, str]:
    """Validate a spelling map: keys that are one `key` word, non-empty text values."""
    pairs = _mapping(raw or {}, where)
    for variant, canonical in pairs.items():
        if not key.fullmatch(variant) or not isinstance(canonical, str) or not canonical.strip():
            raise fail(where, f"bad entry {variant!r}: {canonical!r}")
    return {k: str(v) for k, v in pairs.items()}


def _load_categories(raw: object, source: str, seen: set[str]) -> dict[RiskCategory, list[Entry]]:
    """Validate the per-category entry lists; every category must have some."""
    where = f"{source}: categories"
    categories: dict[RiskCategory, list[Entry]] = {}
    for name, entries in _mapping(raw, where).items():
        if name not in {category.value for category in RiskCategory}:
            known = ", ".join(c.value for c in RiskCategory)
            raise fail(where, f"unknown category '{name}' (known: {known})")
        categories[RiskCategory(name)] = _parse_entries(entries, f"{where} '{name}'", seen)
    if missing := [c.value for c in RiskCategory if c not in categories]:
        raise fail(where, f"no entries for {', '.join(missing)}")
    return categories
