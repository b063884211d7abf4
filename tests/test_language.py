"""The language layer: clean-up, Khmer words, romanised Khmer, typed commands."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.language import (
    RomanisedError,
    Romaniser,
    clean,
    is_romanised,
    khmer_words,
    normalise_khmer,
)
from bot.language.commands import CommandsError, TypedCommands
from bot.language.risk import RiskCategory, RiskDetector
from bot.language.romanised import parse_homographs, parse_table, sound_key

CONTENT = Path(__file__).resolve().parents[1] / "content"
EVAL = Path(__file__).resolve().parents[1] / "tests" / "eval"


@pytest.fixture(scope="module")
def romaniser() -> Romaniser:
    """The shipped romanised-Khmer table."""
    return Romaniser.from_file(CONTENT / "romanised.yaml")


def test_clean_is_nfc_without_invisible_characters_and_with_arabic_digits() -> None:
    assert clean("ខ្ញុំ\u200bអាយុ ១៥ ឆ្នាំ\ufeff") == "ខ្ញុំអាយុ 15 ឆ្នាំ"
    assert clean("cafe\u0301") == "café"


def test_khmer_words_are_segmented_whatever_the_spacing() -> None:
    words = khmer_words("ខ្ញុំចង់ទៅធ្វើការនៅប្រទេសថៃ")
    assert words[:3] == ("ខ្ញុំ", "ចង់", "ទៅ")
    assert "ធ្វើការ" in words and "ថៃ" in words
    assert khmer_words("ខ្ញុំ ចង់\u200bទៅ") == khmer_words("ខ្ញុំចង់ទៅ")


def test_khmer_characters_are_put_in_one_order() -> None:
    # Sign before vowel (ំុ) is how many keyboards type ុំ; both must read the same.
    assert normalise_khmer("ខ្ញ\u17c6\u17bb") == "ខ្ញុំ"
    assert khmer_words("ខ្ញ\u17c6\u17bbចង់ទៅ")[0] == "ខ្ញុំ"


@pytest.mark.parametrize(
    ("typed", "khmer"),
    [
        ("knhom chong slab", "ខ្ញុំ ចង់ ស្លាប់"),
        ("kjom chong slabb", "ខ្ញុំ ចង់ ស្លាប់"),  # a typo, matched fuzzily
        ("tov thai trov ka", "ទៅ ថៃ ត្រូវការ"),  # "trov ka" is listed as one word
        ("chomnuoy", "ជំនួយ"),  # listed as jomnuoy: same sound key
    ],
)
def test_romanised_khmer_reads_as_khmer(romaniser: Romaniser, typed: str, khmer: str) -> None:
    reading = romaniser.read(typed)
    assert reading.khmer == khmer and is_romanised(reading)


@pytest.mark.parametrize("english", ["my dad hits me", "this heat is killing me", "hello there"])
def test_english_is_not_read_as_romanised(romaniser: Romaniser, english: str) -> None:
    assert not is_romanised(romaniser.read(english))


def test_read_is_skipped_when_no_word_begins_a_listed_spelling(romaniser: Romaniser) -> None:
    assert not romaniser.may_read("I have been thinking of ending my life")
    assert romaniser.may_read("knhom chong slab") and romaniser.may_read("p'oun knhom")
    assert romaniser.may_read("ei lov")  # "ei" only begins the two-word spelling "ei lov"


def test_sound_keys_fold_common_spelling_variants() -> None:
    assert sound_key("jomnuoy") == sound_key("chomnuoy") == sound_key("chumnuy")
    assert sound_key("knhom") == sound_key("khnhom")
    assert sound_key("slab") != sound_key("kon")


def test_romanised_table_refuses_a_spelling_given_twice() -> None:
    data = {"review": "draft", "words": {"ខ្ញុំ": ["knhom"], "ញុំ": ["knhom"]}}
    with pytest.raises(RomanisedError, match="knhom"):
        parse_table(data, "romanised.yaml")


@pytest.mark.parametrize(
    "words",
    [{"knhom": ["x"]}, {"ខ្ញុំ": []}, {"ខ្ញុំ": ["Knhom!"]}, {"ខ្ញុំ": ["a b c"]}],
)
def test_romanised_table_names_a_bad_entry(words: dict[str, list[str]]) -> None:
    with pytest.raises(RomanisedError, match=r"romanised\.yaml"):
        parse_table({"review": "draft", "words": words}, "romanised.yaml")


def test_a_homograph_is_also_read_as_its_other_words() -> None:
    table = {"kat": "គាត់", "luy": "លុយ", "tuk": "ទូក"}
    romaniser = Romaniser(table, homographs={"kat": ("កាត់",), "tuk": ("ទុក", "ទឹក")})
    reading = romaniser.read("kat luy tuk")
    assert reading.khmer == "គាត់ លុយ ទូក"
    assert reading.others == ("កាត់ លុយ ទុក", "កាត់ លុយ ទឹក")
    assert romaniser.read("luy").others == ()


@pytest.mark.parametrize(
    ("homographs", "problem"),
    [
        ({"kot": ["កាត់"]}, "listed under words"),  # not a spelling of the table
        ({"kat": ["kath"]}, "Khmer words"),
        ({"kat": []}, "Khmer words"),
        ({"kat": ["គាត់"]}, "already its word"),
    ],
)
def test_homographs_are_validated(homographs: dict[str, list[str]], problem: str) -> None:
    data = {"review": "draft", "words": {"គាត់": ["kat"]}, "homographs": homographs}
    with pytest.raises(RomanisedError, match=problem):
        parse_homographs(data, "romanised.yaml", parse_table(data, "romanised.yaml"))


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("thauke kat luy khe yerng", RiskCategory.FORCED_LABOUR),  # kat: cut, not "he"
        ("pa knhom dal mok knhom", RiskCategory.PHYSICAL_ABUSE),  # punched my face
    ],
)
def test_triage_reads_romanised_homographs_both_ways(text: str, category: RiskCategory) -> None:
    detector = RiskDetector.from_file(CONTENT / "risk_terms.yaml")
    match = detector.detect(text)
    assert match is not None and match.category == category


def test_shipped_romanised_table_is_draft_and_valid() -> None:
    data = yaml.safe_load((CONTENT / "romanised.yaml").read_text("utf-8"))
    assert data["review"] == "draft"
    assert len(parse_table(data, "romanised.yaml")) > 300


@pytest.fixture(scope="module")
def commands() -> TypedCommands:
    """The shipped typed commands."""
    return TypedCommands.from_file(CONTENT / "typed_commands.yaml")


@pytest.mark.parametrize(
    ("typed", "command"),
    [("stop", "stop"), ("STOP!", "stop"), ("ឈប់", "stop"), ("chhob", "stop"),
     ("Unsubscribe", "stop"), ("menu", "menu"), ("ម៉ឺនុយ", "menu"), ("help", "help"),
     ("ជួយ", "help"), ("juy", "help"), ("អរគុណ", "thanks")],
)
def test_typed_commands(commands: TypedCommands, typed: str, command: str) -> None:
    assert commands.match(typed) == command


@pytest.mark.parametrize("typed", ["stop hitting your kids", "how do i stop shouting", "menu?x"])
def test_questions_are_not_commands(commands: TypedCommands, typed: str) -> None:
    assert commands.match(typed) is None


def test_typed_commands_refuse_a_phrase_for_two_commands(tmp_path: Path) -> None:
    bad = tmp_path / "typed_commands.yaml"
    bad.write_text(yaml.safe_dump({"review": "draft", "commands": {"stop": ["x"], "menu": ["x"]}}))
    with pytest.raises(CommandsError, match="two commands"):
        TypedCommands.from_file(bad)


def test_content_validate_checks_the_language_files(tmp_path: Path) -> None:
    from shutil import copytree

    from bot.content.tool.validate import validate_folder

    folder = tmp_path / "content"
    copytree(CONTENT, folder)
    table = (folder / "romanised.yaml").read_text("utf-8")
    (folder / "romanised.yaml").write_text(table + "  ញុំ: [knhom]\n", "utf-8")
    commands = (folder / "typed_commands.yaml").read_text("utf-8")
    (folder / "typed_commands.yaml").write_text(commands.replace("quit,", "menu,"), "utf-8")
    parenting = (folder / "parenting.yaml").read_text("utf-8")
    (folder / "parenting.yaml").write_text(parenting.replace('"ចំណាយពេល"', '"chamnay pel"', 1),
                                           "utf-8")
    problems = [str(p) for p in validate_folder(folder).problems]
    assert any("romanised.yaml" in p and "knhom" in p for p in problems), problems
    assert any("typed_commands.yaml" in p and "two commands" in p for p in problems), problems
    assert any("chamnay pel" in p and "no Khmer script" in p for p in problems), problems


def test_the_rule_index_never_hides_a_rule_that_matches() -> None:
    # detect() checks only the rules its index names for a message's tokens: every rule that
    # matches when checked on its own must be among them, over the whole evaluation set.
    from collections import Counter

    from bot.language.risk.compiler import Compiler
    from bot.language.risk.matching import RuleIndex, Tokens, _matches
    from bot.language.risk.terms import parse_terms

    terms = parse_terms(yaml.safe_load((CONTENT / "risk_terms.yaml").read_text("utf-8")), "t")
    compiler = Compiler(terms.groups, terms.spelling, terms.variants)
    entries = [e for es in terms.categories.values() for e in es]
    evals = yaml.safe_load((EVAL / "crisis.yaml").read_text("utf-8"))
    texts = [i["text"] for k, v in evals.items() if k != "review" for i in v]
    checked = 0
    for lang in ("en", "km"):
        raw = tuple(rule for e in entries for rule in compiler.rules(e, lang))
        frequency = Counter(t for r in raw for el in r.elements for alt in el.alts for t in alt)
        rules = tuple(rule.rekeyed(frequency) for rule in raw)
        index = RuleIndex.of(rules, frequency)
        for text in texts:
            tokens = Tokens(compiler.tokens(text, lang))
            matching = {n for n, rule in enumerate(rules) if next(_matches(rule, tokens), None)}
            assert matching <= set(index.candidates(tokens)), text
            checked += len(matching)
    assert checked > 300  # the set really exercises the rules


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        ("risk_terms.yaml", "      km_gap: 8\n", "      km_gap: 8\n      km_gap: 3\n"),
        ("romanised.yaml", "homographs:\n", "homographs:\n  dal: [ដល់]\n"),
    ],
)
def test_a_key_given_twice_is_refused_with_its_line(
    tmp_path: Path, name: str, old: str, new: str
) -> None:
    # PyYAML keeps the last of two equal keys: a repeated km_gap once went unnoticed.
    from shutil import copytree

    from bot.content.tool.validate import validate_folder

    folder = tmp_path / "content"
    copytree(CONTENT, folder)
    text = (folder / name).read_text("utf-8")
    assert old in text
    (folder / name).write_text(text.replace(old, new, 1), "utf-8")
    with pytest.raises(ValueError, match="given twice"):
        RiskDetector.from_file(folder / "risk_terms.yaml")
    problems = [str(p) for p in validate_folder(folder).problems]
    assert any("given twice" in p and "line" in p for p in problems), problems
