"""Crisis reply and counsellor helpers, without a running bot."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.content.i18n import Locales, local_digits
from bot.content.store import ContentStore
from bot.language.risk import RiskCategory, RiskDetector, RiskMatch
from bot.runtime.settings import REPO_ROOT, Settings
from bot.storage.cases import ALIAS_LETTERS, new_alias
from dialogs.counsellor.consent import Entry, consent_view, entry_view, is_open_now
from dialogs.crisis import crisis_services, crisis_view, lead_id, written_language
from dialogs.screen import View


def _content() -> ContentStore:
    return ContentStore(REPO_ROOT / "content", include_drafts=True)


def test_the_reply_language_follows_the_script() -> None:
    assert written_language("ឪពុកចុងវាយខ្ញុំ") == "km"
    assert written_language("my stepfather hurts me") == "en"
    assert written_language("help ខ្ញុំ") == "km"


def test_crisis_view_puts_numbers_first_and_offers_a_counsellor(locales: Locales) -> None:
    view = crisis_view(_content().current, locales.get("en"))
    assert view.text.index("not alone") < view.text.index("1280")
    labels = [label for row in view.rows for label, _ in row]
    assert labels[-3:] == ["💬 Talk to a counsellor", "☰ Menu", "🙈 Hide chat"]
    assert any("1280" in label for label in labels[:-3])


def test_opening_hours_are_read_in_the_local_time_zone() -> None:
    settings = Settings(counsellor_open_hour=8, counsellor_close_hour=17)
    assert is_open_now(settings, datetime(2026, 1, 5, 2, 0, tzinfo=UTC))  # 09:00 local
    assert not is_open_now(settings, datetime(2026, 1, 5, 10, 0, tzinfo=UTC))  # 17:00 local


@pytest.mark.parametrize("language", ["en", "km"])
def test_consent_is_three_lines_and_says_what_the_retention_setting_does(
        locales: Locales, language: str) -> None:
    t, now, content = locales.get(language), datetime(2026, 1, 5, 3, tzinfo=UTC), _content().current
    for days in (30, 7, 0):
        short = consent_view(content, t, Settings(case_retention_days=days), now, Entry())
        full = consent_view(content, t, Settings(case_retention_days=days), now, Entry(full=True))
        bullets = [line for line in short.text.splitlines() if line.startswith("•")]
        assert len(bullets) == 3 and t("counsellor-button-more") in _labels(short)
        assert t("counsellor-button-more") not in _labels(full)
        for text in (short.text, full.text):
            # The number of days the purge job uses is the number the person reads.
            assert (f" {local_digits(str(days), language)} " in text) == (days > 0), (days, text)
    en = locales.get("en")
    kept = consent_view(content, en, Settings(case_retention_days=30), now, Entry()).text
    assert "until 30 days after" in kept and "counsellors' chat" in kept
    gone = consent_view(content, en, Settings(case_retention_days=0), now, Entry()).text
    assert "deleted, from Sokh and from the counsellors' chat, when the conversation ends" in gone


def test_without_a_counsellor_chat_only_hotlines_are_offered(locales: Locales) -> None:
    now = datetime(2026, 1, 5, 3, tzinfo=UTC)
    view = entry_view(_content().current, locales.get("km"), Settings(counsellor_chat_id=None), now)
    assert "1280" in view.text and "មិនទាន់" in view.text


def test_aliases_avoid_look_alike_characters() -> None:
    aliases = {new_alias() for _ in range(200)}
    assert all(len(a) == 4 and set(a) <= set(ALIAS_LETTERS) for a in aliases)
    assert not set("01OIL") & set(ALIAS_LETTERS)


def _labels(view: View) -> list[str]:
    return [label for row in view.rows for label, _ in row]


def test_self_harm_leads_with_the_mental_health_line(locales: Locales) -> None:
    t = locales.get("en")
    view = crisis_view(_content().current, t, RiskMatch(RiskCategory.SELF_HARM, "x"))
    assert view.text.startswith(t("crisis-lead-self-harm"))
    assert "TPO" in view.text and view.text.index("1280") < view.text.index("117")
    assert "not your fault" not in view.text  # the abuse card's words are not for this


def test_a_witness_is_answered_as_a_witness(locales: Locales) -> None:
    t = locales.get("km")
    match = RiskMatch(RiskCategory.PHYSICAL_ABUSE, "x", witness=True)
    view = crisis_view(_content().current, t, match)
    assert view.text.startswith(t("crisis-lead-witness"))
    assert _labels(view)[-3:] == [t("crisis-button-counsellor"), t("common-button-menu"),
                                  t("hide-button")]


@pytest.mark.parametrize(
    ("category", "lead"),
    [(RiskCategory.MEDICAL_EMERGENCY, "crisis-lead-medical-emergency"),
     (RiskCategory.DRUGS_ALCOHOL, "crisis-lead-drugs-alcohol"),
     (RiskCategory.DISTRESS, "crisis-lead-distress"),
     (RiskCategory.TRAFFICKING, "crisis-lead")],
)
def test_each_kind_of_risk_has_fitting_words(category: RiskCategory, lead: str) -> None:
    assert lead_id(RiskMatch(category, "x")) == lead


def test_numbers_come_only_from_the_services(locales: Locales) -> None:
    content = _content().current
    phones = {s.phone for s in content.services()}
    for category in RiskCategory:
        for witness in (False, True):
            match = RiskMatch(category, "x", witness)
            shown = crisis_services(content, match)
            assert shown and {s.phone for s in shown} <= phones
            urgent = {s.id for s in content.services(emergency_only=True)}
            assert urgent <= {s.id for s in shown}


def test_romanised_khmer_is_answered_in_khmer() -> None:
    risk = RiskDetector.from_file(REPO_ROOT / "content" / "risk_terms.yaml")
    assert written_language("knhom chong slab", risk.romaniser) == "km"
    assert written_language("my dad hits me", risk.romaniser) == "en"
