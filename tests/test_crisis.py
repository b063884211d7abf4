"""Crisis reply and counsellor helpers, without a running bot."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.content.i18n import Locales
from bot.content.store import ContentStore
from bot.runtime.settings import REPO_ROOT, Settings
from bot.storage.cases import ALIAS_LETTERS, new_alias
from dialogs.counsellor.person import consent_view, entry_view, is_open_now
from dialogs.crisis import crisis_view, written_language


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


def test_consent_names_retention_and_zero_retention(locales: Locales) -> None:
    t, now, content = locales.get("en"), datetime(2026, 1, 5, 3, tzinfo=UTC), _content().current
    kept = consent_view(content, t, Settings(case_retention_days=30), now, False)
    assert "for 30 days after it ends" in kept.text and "not an emergency service" in kept.text
    gone = consent_view(content, t, Settings(case_retention_days=0), now, False)
    assert "deleted when it ends" in gone.text


def test_without_a_counsellor_chat_only_hotlines_are_offered(locales: Locales) -> None:
    now = datetime(2026, 1, 5, 3, tzinfo=UTC)
    view = entry_view(_content().current, locales.get("km"), Settings(counsellor_chat_id=None), now)
    assert "1280" in view.text and "មិនទាន់" in view.text


def test_aliases_avoid_look_alike_characters() -> None:
    aliases = {new_alias() for _ in range(200)}
    assert all(len(a) == 4 and set(a) <= set(ALIAS_LETTERS) for a in aliases)
    assert not set("01OIL") & set(ALIAS_LETTERS)
