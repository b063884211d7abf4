"""English normalisation: lowercase stemmed words, with slang, leetspeak and misspellings undone."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache

from bot.language.khmer import DIGITS, INVISIBLE

# Apostrophes go ("can't" is "cant", then "can not"); Khmer keyboards' digits and invisible
# characters turn up in English messages too.
_EN_TABLE: dict[int, str | None] = {**dict.fromkeys(map(ord, "'’‘`´" + INVISIBLE)), **DIGITS}
_EN_ODD = re.compile("[" + "".join(map(chr, _EN_TABLE)) + "]")
# Words; sentence ends; and runs of Khmer, which stand in English as one word ("my stepdad
# វាយខ្ញុំ") that matches nothing, so English on either side of it is not read as adjacent.
_EN_TOKEN = re.compile(r"[a-z0-9@$]+|[.!?;\n]+|[\u1780-\u17ff]+")
_LEET = str.maketrans("013457@$", "oieastas")
# fmt: off
_SLANG = {
    "wanna": "want to", "gonna": "going to", "gotta": "got to", "dont": "do not",
    "doesnt": "does not", "didnt": "did not", "cant": "can not", "cannot": "can not",
    "wont": "will not", "wouldnt": "would not", "couldnt": "could not", "isnt": "is not",
    "arent": "are not", "wasnt": "was not", "werent": "were not", "havent": "have not",
    "hasnt": "has not", "hadnt": "had not", "shouldnt": "should not", "aint": "is not",
    "im": "i am", "ive": "i have", "youre": "you are", "hes": "he is", "shes": "she is",
    "theyre": "they are", "u": "you", "ur": "your", "r": "are", "pls": "please",
    "plz": "please", "2": "to", "4": "for", "b4": "before", "bf": "boyfriend",
    "gf": "girlfriend", "bc": "because", "coz": "because", "tho": "though",
}
# Forms the suffix rules below would miss; values are base words, stemmed like any other.
_IRREGULAR = {
    "am": "be", "is": "be", "are": "be", "was": "be", "were": "be", "been": "be",
    "being": "be", "has": "have", "had": "have", "having": "have", "does": "do", "did": "do",
    "done": "do", "said": "say", "says": "say", "told": "tell", "went": "go", "gone": "go",
    "goes": "go", "got": "get", "gotten": "get", "came": "come", "made": "make",
    "took": "take", "taken": "take", "kept": "keep", "held": "hold", "left": "leave",
    "met": "meet", "given": "give", "gave": "give", "forgot": "forget", "sent": "send",
    "caught": "catch", "threw": "throw", "thrown": "throw",
    "burnt": "burn", "drank": "drink", "drunk": "drink", "fought": "fight", "ran": "run",
    "stole": "steal", "stolen": "steal", "hid": "hide", "hidden": "hide", "ate": "eat",
    "eaten": "eat", "paid": "pay", "owed": "owe", "owes": "owe", "owing": "owe",
    "died": "die", "dying": "die", "dies": "die", "children": "child", "men": "man",
    "women": "woman", "knives": "knife", "wives": "wife", "hung": "hang", "bled": "bleed",
    "beaten": "beat", "broke": "break", "broken": "break", "going": "go", "doing": "do",
}
# Kept apart from words they would collide with ("rap" music is not "rape"; "use" is not "us").
_FROZEN = {
    "rap": "rap-music", "raps": "rap-music", "rapping": "rap-music", "rapper": "rap-music",
    "rappers": "rap-music", "use": "use", "uses": "use", "used": "use", "using": "use",
}
# fmt: on
_HAS_VOWEL = re.compile("[aeiouy]")


def normalise_english(text: str, spelling: Mapping[str, str] | None = None) -> list[str]:
    """Return stemmed lowercase words; sentence punctuation becomes '.', other punctuation goes."""
    text = _EN_ODD.sub(_en_map, unicodedata.normalize("NFKC", text).casefold())
    meaning = {**_SLANG, **spelling} if spelling else _SLANG
    words: list[str] = []
    for token in _EN_TOKEN.findall(text):
        word = token if token.isalpha() else _clean_token(token)
        if word in meaning:  # slang or a misspelling: use what it means, maybe several words
            words.extend(meaning[word].split())
        elif word:
            words.append(word)
    return list(map(_stem, words))


def stem(word: str) -> str:
    """Return the crude stem of one lowercase English word (hitting -> hit)."""
    return _stem(word)


def _en_map(match: re.Match[str]) -> str:
    return _EN_TABLE[ord(match.group())] or ""


def _clean_token(token: str) -> str:
    """Turn sentence marks into '.', Khmer into '~', and leetspeak (k1ll, r@pe) into letters."""
    if token[0] >= "\u1780":
        return "~"
    if not token[0].isalnum() and token[0] not in "@$":
        return "."
    if any(c.isalpha() for c in token):
        return token.translate(_LEET)
    return token.strip("@$")


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """Reduce an English word to a crude stem: hits, hitting, hit -> hit; beats -> beat."""
    if word in _FROZEN:
        return _FROZEN[word]
    word = _IRREGULAR.get(word, word)
    if len(word) <= 3:
        return word
    if len(word) > 4 and word.endswith(("ies", "ied")):
        return word[:-3] + "y"
    word = _strip_suffix(word)
    return word[:-1] if len(word) > 3 and word.endswith("e") else word


def _strip_suffix(word: str) -> str:
    """Drop one plural, -ing or -ed ending, undoubling a final consonant (hitting -> hit)."""
    if word.endswith(("sses", "ches", "shes", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    for suffix, shortest in (("ing", 6), ("ed", 5)):
        base = word[: -len(suffix)]
        if word.endswith(suffix) and len(word) >= shortest and _HAS_VOWEL.search(base):
            if suffix == "ed" and base.endswith("e"):
                return word  # need, freed: the e is part of the word
            return base[:-1] if base[-1] == base[-2] and base[-1] not in "lsz" else base
    return word
