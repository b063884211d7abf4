"""The crisis-triage detector: the evaluation set, normalisation, look-alikes, speed, validation."""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.language.risk import (
    RiskCategory,
    RiskDetector,
    RiskMatch,
    normalise_english,
    normalise_khmer,
)

ROOT = Path(__file__).resolve().parents[1]
TERMS = ROOT / "content" / "risk_terms.yaml"
EVAL_SET = yaml.safe_load((ROOT / "tests" / "data" / "crisis_eval.yaml").read_text("utf-8"))
RISK: list[dict[str, str]] = EVAL_SET["risk"]
ORDINARY: list[dict[str, str]] = EVAL_SET["ordinary"]


@pytest.fixture(scope="module")
def detector() -> RiskDetector:
    """The shipped risk terms, loaded once."""
    return RiskDetector.from_file(TERMS)


# --- the evaluation set ----------------------------------------------------------------------


# The categories the first evaluation set was written for; tests/eval/crisis.yaml covers all.
FIRST_CATEGORIES = [c for c in RiskCategory if c.value in {i["category"] for i in RISK}]


def test_eval_set_covers_every_category_in_both_languages() -> None:
    assert len(RISK) >= 70 and len(ORDINARY) >= 50
    assert len(FIRST_CATEGORIES) == 8
    for category in FIRST_CATEGORIES:
        langs = {item["lang"] for item in RISK if item["category"] == category.value}
        assert {"en", "km"} <= langs, f"{category}: {langs}"
    assert {item["lang"] for item in ORDINARY} >= {"en", "km"}


def test_eval_set_recall_and_false_alarms(detector: RiskDetector) -> None:
    missed = [item["text"] for item in RISK if detector.detect(item["text"]) is None]
    alarms = [item["text"] for item in ORDINARY if detector.detect(item["text"]) is not None]
    recall = 1 - len(missed) / len(RISK)
    false_alarm_rate = len(alarms) / len(ORDINARY)
    report = f"recall {recall:.3f} ({len(RISK)} risk), false alarms {false_alarm_rate:.3f}"
    print(f"{report} ({len(ORDINARY)} ordinary); missed {missed}; false alarms {alarms}")
    assert recall >= 0.95, f"{report}; missed: {missed}"
    assert false_alarm_rate <= 0.10, f"{report}; false alarms: {alarms}"


def test_eval_set_categories_mostly_agree(detector: RiskDetector) -> None:
    # The category picks the hotline to lead with; several messages fit two categories.
    matches = [(item, detector.detect(item["text"])) for item in RISK]
    agree = sum(m is not None and m.category == item["category"] for item, m in matches)
    assert agree / len(RISK) >= 0.85, f"category agreement {agree}/{len(RISK)}"


def _respaced(text: str) -> str:
    """Insert spaces and zero-width spaces between Khmer letters, as people and apps do."""
    out: list[str] = []
    for i, char in enumerate(text):
        base = "\u1780" <= char <= "\u17b3" and i and "\u1780" <= text[i - 1] <= "\u17dd"
        if base and text[i - 1] != "\u17d2":
            out.append(" " if i % 3 else "\u200b")
        out.append(char)
    return "".join(out)


@pytest.mark.parametrize("item", [i for i in RISK if i["lang"] == "km"], ids=lambda i: i["text"])
def test_khmer_risk_found_whatever_the_spacing(
    detector: RiskDetector, item: dict[str, str]
) -> None:
    respaced = detector.detect(_respaced(item["text"]))
    assert respaced is not None and respaced == detector.detect(item["text"])


# --- what the brief names --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("my stepfather hurts me", RiskCategory.PHYSICAL_ABUSE),
        ("ឪពុកចុងវាយខ្ញុំ", RiskCategory.PHYSICAL_ABUSE),
        ("my dad hits me", RiskCategory.PHYSICAL_ABUSE),
        ("dad always hits me hard", RiskCategory.PHYSICAL_ABUSE),
        ("My husband hits my child", RiskCategory.PHYSICAL_ABUSE),
        ("someone is hurting my child now", RiskCategory.CHILD_IN_DANGER),
        ("I want to die", RiskCategory.SELF_HARM),
        ("the broker kept my passport", RiskCategory.TRAFFICKING),
        ("he asked me for nude photos", RiskCategory.ONLINE_EXPLOITATION),
        ("k1ll mys3lf", RiskCategory.SELF_HARM),
        ("he is going to kill me", RiskCategory.CHILD_IN_DANGER),
        ("this heat is killing me and I want to kill myself", RiskCategory.SELF_HARM),
    ],
)
def test_risk_messages(detector: RiskDetector, text: str, category: RiskCategory) -> None:
    match = detector.detect(text)
    assert match is not None and match.category == category, match


@pytest.mark.parametrize(
    "text",
    [
        "my toddler hits his sister",
        "I need to kill time",
        "this heat is killing me",
        "I could die laughing",
        "leave early to beat the traffic",
        "beat eggs with sugar",
        "my son beat me at chess",
        "ក្ដៅចង់ស្លាប់",  # so hot I could die
        "ស្វាយខ្ញុំទុំហើយ",  # my mangoes are ripe (ស្វាយ contains វាយ "hit")
        "ខ្ញុំវាយអក្សរយឺត",  # I type slowly (វាយ also means "type")
        "តើការជួញដូរមនុស្សជាអ្វី?",  # what is human trafficking?
    ],
)
def test_look_alikes_do_not_trigger(detector: RiskDetector, text: str) -> None:
    assert detector.detect(text) is None


def test_a_gap_does_not_span_two_sentences() -> None:
    data = _minimal_terms()
    data["categories"]["physical-abuse"] = [
        {"id": "pa-test", "en": ["dad ~ hit @me"], "km": ["ប៉ា ~ វាយ"]}
    ]
    detector = RiskDetector.from_data(data)
    assert detector.detect("dad, he hits me") is not None
    assert detector.detect("ask dad. Hit me up later") is None
    assert detector.detect("ប៉ាខ្ញុំវាយ") is not None
    assert detector.detect("ប៉ាខ្ញុំ។ វាយ") is None


def test_a_match_keeps_none_of_the_text(detector: RiskDetector) -> None:
    match = detector.detect("my dad hits me")
    assert isinstance(match, RiskMatch)
    assert {f.name for f in dataclasses.fields(RiskMatch)} == {"category", "term_id", "witness"}
    with pytest.raises(dataclasses.FrozenInstanceError):
        match.term_id = "x"  # type: ignore[misc]


def test_a_10000_character_message(detector: RiskDetector) -> None:
    filler = ". ".join(item["text"] for item in ORDINARY) + ". "
    long_text = (filler * (10_000 // len(filler) + 1))[:9_980]
    risky = long_text[:9_970] + ". ខ្ញុំចង់ស្លាប់"
    assert len(long_text) == 9_980 and len(risky) >= 9_980
    assert detector.detect(long_text) is None
    match = detector.detect(risky)
    assert match is not None and match.category == RiskCategory.SELF_HARM
    # Its detect() time is measured in `make bench` (crisis.detect_10k_chars_us).


# --- normalisation ---------------------------------------------------------------------------


def test_khmer_zero_width_characters_are_removed() -> None:
    assert normalise_khmer("ខ្ញុំ\u200bចង់\u200cស្លាប់\ufeff\u200d") == "ខ្ញុំចង់ស្លាប់"


def test_khmer_spaces_between_khmer_are_removed_but_not_around_latin() -> None:
    assert normalise_khmer("ខ្ញុំ  ចង់ ស្លាប់") == "ខ្ញុំចង់ស្លាប់"
    assert normalise_khmer("ខ្ញុំ\n ចង់") == "ខ្ញុំចង់"
    assert normalise_khmer("តាម Facebook ហើយ") == "តាម facebook ហើយ"


def test_khmer_digits_become_ascii() -> None:
    assert normalise_khmer("អាយុ ១៥ ឆ្នាំ") == "អាយុ15ឆ្នាំ"


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("ស្រ្តី", "ស្ត្រី"),  # coeng RO typed before the other subscript
        ("ខ្ញំុ", "ខ្ញុំ"),  # nikahit typed before the vowel
        ("ខុ្ញំ", "ខ្ញុំ"),  # subscript typed after the vowel
        ("ម្ដាយ", "ម្តាយ"),  # subscript DA and TA look the same
        ("ឲ្យ", "ឱ្យ"),  # two forms of the same letter
        ("ឳពុក", "ឪពុក"),
        ("ប៊ី", "ប៉ី"),  # the two register shifters
        ("ខ្ញុំំ", "ខ្ញុំ"),  # a doubled mark
        ("ដេីរ", "ដើរ"),  # េ + ី typed for ើ
    ],
)
def test_khmer_spelling_variants_are_unified(typed: str, canonical: str) -> None:
    assert normalise_khmer(typed) == normalise_khmer(canonical) == canonical


def test_english_case_punctuation_and_stems() -> None:
    assert normalise_english("My DAD hits me!!!") == ["my", "dad", "hit", "me", "."]
    assert normalise_english("hitting hits hit") == ["hit", "hit", "hit"]
    assert normalise_english("beaten beats") == ["beat", "beat"]
    assert normalise_english("I can't, he's gonna") == ["i", "can", "not", "he", "be", "go", "to"]
    assert normalise_english("“Mum’s” \u200bboyfriend") == ["mum", "boyfriend"]


def test_english_rap_music_is_not_rape() -> None:
    assert normalise_english("rap")[0] != normalise_english("rape")[0]


def test_english_spelling_map_is_applied() -> None:
    assert normalise_english("sucide", {"sucide": "suicide"}) == normalise_english("suicide")


# --- validation ------------------------------------------------------------------------------


def _minimal_terms() -> dict[str, Any]:
    """A valid terms file with one entry per category."""
    return {
        "review": "draft",
        "groups": {"me": {"en": ["me"], "km": ["ខ្ញុំ"]}},
        "exclusions": [{"id": "ex-one", "en": ["kill time"]}],
        "categories": {
            c.value: [{"id": f"t-{c.value}", "en": [f"{c.value.split('-')[0]} @me"]}]
            for c in RiskCategory
        },
    }


def test_minimal_terms_load() -> None:
    detector = RiskDetector.from_data(_minimal_terms())
    assert detector.detect("self me") == RiskMatch(RiskCategory.SELF_HARM, "t-self-harm")


def _broken(change: str) -> dict[str, Any]:
    data = copy.deepcopy(_minimal_terms())
    entry = data["categories"]["trafficking"][0]
    if change == "unknown category":
        data["categories"]["kidnapping"] = [{"id": "kid-one", "en": ["kidnap"]}]
    elif change == "empty term":
        entry["en"] = ["   "]
    elif change == "unknown group":
        entry["km"] = ["@nobody ខ្ញុំ"]
    elif change == "misplaced gap":
        entry["en"] = ["~ sold"]
    elif change == "repeated id":
        entry["id"] = "t-self-harm"
    elif change == "wrong script":
        entry["km"] = ["sold me"]
    return data


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ("unknown category", "kidnapping"),
        ("empty term", "t-trafficking"),
        ("unknown group", "@nobody"),
        ("misplaced gap", "t-trafficking"),
        ("repeated id", "t-self-harm"),
        ("wrong script", "t-trafficking"),
    ],
)
def test_validator_names_the_bad_entry(change: str, named: str) -> None:
    with pytest.raises(ValueError, match=named):
        RiskDetector.from_data(_broken(change), "risk_terms.yaml")


def test_validator_rejects_a_missing_category_and_review() -> None:
    data = _minimal_terms()
    del data["categories"]["forced-labour"]
    with pytest.raises(ValueError, match="forced-labour"):
        RiskDetector.from_data(data)
    with pytest.raises(ValueError, match="review"):
        RiskDetector.from_data({**_minimal_terms(), "review": "maybe"})


def test_from_file_reports_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "risk_terms.yaml"
    bad.write_text(yaml.safe_dump(_broken("empty term")), encoding="utf-8")
    with pytest.raises(ValueError, match=r"risk_terms\.yaml.*t-trafficking.*empty term"):
        RiskDetector.from_file(bad)
    bad.write_text("review: [unclosed", encoding="utf-8")
    with pytest.raises(ValueError, match=r"risk_terms\.yaml"):
        RiskDetector.from_file(bad)


def test_shipped_terms_are_marked_draft() -> None:
    assert yaml.safe_load(TERMS.read_text("utf-8"))["review"] == "draft"


# --- issue #16: three scripts, new categories, witnesses -----------------------------------

NEW_SET = yaml.safe_load((ROOT / "tests" / "eval" / "crisis.yaml").read_text("utf-8"))
NEW_RISK = [i for k, v in NEW_SET.items() if k.startswith("risk") for i in v]
NEW_ORDINARY = [i for k, v in NEW_SET.items() if k.startswith("ordinary") for i in v]


def test_new_eval_set_has_what_the_issue_asks() -> None:
    first = NEW_SET["risk"]
    assert len(first) >= 150 and len(NEW_SET["ordinary"]) >= 80
    assert sum(i["lang"] == "rom" for i in first) >= 40
    assert sum(i.get("indirect", False) or i["about"] == "other" for i in first) >= 30
    for category in RiskCategory:
        langs = {i["lang"] for i in first if i["category"] == category.value}
        assert {"en", "km", "rom"} <= langs, f"{category}: {langs}"


def test_a_fifth_is_held_aside_every_fifth_item() -> None:
    for kind in ("risk", "ordinary"):
        splits = [i["split"] for i in NEW_SET[kind]]
        assert splits == ["held" if (n + 1) % 5 == 0 else "dev" for n in range(len(splits))]
    later = [i for k, v in NEW_SET.items() if k not in ("risk", "ordinary", "review") for i in v]
    assert later and all(i["split"] == "dev" for i in later)


def test_dev_recall_and_false_alarms(detector: RiskDetector) -> None:
    # Held items are measured by bench/crisis.py, never asserted here: no tuning against them.
    risk = [i for i in NEW_RISK if i["split"] == "dev"]
    ordinary = [i for i in NEW_ORDINARY if i["split"] == "dev"]
    missed = [i["text"] for i in risk if detector.detect(i["text"]) is None]
    alarms = [i["text"] for i in ordinary if detector.detect(i["text"]) is not None]
    assert len(missed) / len(risk) <= 0.03, missed
    assert len(alarms) / len(ordinary) <= 0.03, alarms


@pytest.mark.parametrize(
    ("text", "category", "witness"),
    [
        ("knhom chong slab", RiskCategory.SELF_HARM, False),
        ("kjom chong somlab kluon eng", RiskCategory.SELF_HARM, False),
        ("i feel so hopeless, i cant go on like this", RiskCategory.SELF_HARM, False),
        ("my classmate wrote that he wants to die", RiskCategory.SELF_HARM, True),
        ("my neighbour's husband beats her every night", RiskCategory.PHYSICAL_ABUSE, True),
        ("my husband hit me again", RiskCategory.PHYSICAL_ABUSE, False),
        ("my son is not breathing", RiskCategory.MEDICAL_EMERGENCY, True),
        ("kon srey knhom min dok donghaem", RiskCategory.MEDICAL_EMERGENCY, True),
        ("my 13 year old son is using yama every day", RiskCategory.DRUGS_ALCOHOL, True),
        ("i don't feel safe at home", RiskCategory.DISTRESS, False),
        ("the broker says i cannot leave until i pay the debt", RiskCategory.FORCED_LABOUR, False),
        ("my sister was sold as a bride in china", RiskCategory.TRAFFICKING, True),
    ],
)
# None of these is an item of tests/eval/crisis.yaml: the held items stay unseen.
def test_new_categories_romanised_and_witnesses(
    detector: RiskDetector, text: str, category: RiskCategory, witness: bool
) -> None:
    match = detector.detect(text)
    assert match is not None and (match.category, match.witness) == (category, witness), match


@pytest.mark.parametrize(
    "text",
    ["my phone died", "this exam is going to kill me", "kdao chong slab", "khmas chong slab",
     "tmor tursab knhom slab", "is it legal for my employer to keep a copy of my passport",
     "my baby cries all night and I'm exhausted"],
)
def test_everyday_idioms_in_three_scripts(detector: RiskDetector, text: str) -> None:
    assert detector.detect(text) is None


def test_romanised_terms_come_from_the_table_beside_the_terms(tmp_path: Path) -> None:
    (tmp_path / "risk_terms.yaml").write_text(yaml.safe_dump(_minimal_terms()), encoding="utf-8")
    alone = RiskDetector.from_file(tmp_path / "risk_terms.yaml")
    table = {"review": "draft", "words": {"ខ្ញុំ": ["knhom"]}}
    (tmp_path / "romanised.yaml").write_text(yaml.safe_dump(table, allow_unicode=True), "utf-8")
    data = _minimal_terms()
    data["categories"]["self-harm"][0]["km"] = ["ស្លាប់ @me"]
    (tmp_path / "risk_terms.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    with_table = RiskDetector.from_file(tmp_path / "risk_terms.yaml")
    assert alone.romaniser is None and with_table.romaniser is not None
    assert with_table.detect("slab knhom") is None  # "slab" is not in this table
    assert with_table.detect("ស្លាប់ knhom") is not None
