"""Unanswered questions: counted only when enabled, stripped of personal data, reported."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from bot.content.search import build_search
from bot.content.store import ContentStore
from bot.language.risk import RiskDetector
from bot.language.scrub import GAP, scrub
from bot.storage import migrate
from bot.storage.database import create_engine, session_factory
from bot.storage.unanswered import Unanswered
from tests.helpers.harness import running_bot

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def vocabulary() -> frozenset[str]:
    """The words the shipped content uses."""
    risk = RiskDetector.from_file(ROOT / "content" / "risk_terms.yaml")
    return build_search(ContentStore(ROOT / "content").current, risk.romaniser).vocabulary


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("my name is Sokunthea, call me on 012 345 678 about the visa",
         "my name is … call me on … about the visa"),
        ("email dara.k@example.com or @dara_k for the passport fee", "… or … for the passport fee"),
        ("ID 0123456789 how much is the passport", "id … how much is the passport"),
        ("ឈ្មោះខ្ញុំ សុខា លេខ ០១២៣៤៥៦៧៨ ពីលិខិតឆ្លងដែន", "ឈ្មោះ ខ្ញុំ … លេខ … ពី លិខិត ឆ្លង ដែន"),
    ],
)
def test_personal_data_is_stripped(
    vocabulary: frozenset[str], typed: str, kept: str
) -> None:
    assert scrub(typed, vocabulary) == kept


def test_too_little_left_is_not_kept(vocabulary: frozenset[str]) -> None:
    assert scrub("Sokunthea 012345678", vocabulary) is None
    assert scrub("", vocabulary) is None
    assert GAP not in (scrub("passport visa", vocabulary) or GAP)


async def test_counts_and_top_questions(db_url: str) -> None:
    engine = create_engine(db_url)
    await migrate.upgrade(engine)
    store = Unanswered(session_factory(engine))
    day = date(2026, 12, 6)
    for _ in range(3):
        await store.note("how much is the … visa", "en", day)
    await store.note("ទិដ្ឋាការ …", "km", day)
    top = await store.top()
    assert [(c.text, c.count) for c in top] == [("how much is the … visa", 3), ("ទិដ្ឋាការ …", 1)]
    await engine.dispose()


def test_report_unanswered_lists_them(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'sokh.db'}"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DATABASE_URL": url}
    done = subprocess.run([sys.executable, "run_bot.py", "report", "unanswered"], cwd=ROOT,
                          env=env, capture_output=True, text=True, check=True, timeout=120)
    assert done.stdout.splitlines()[0] == "count,language,last_seen,question"


@pytest.mark.parametrize("enabled", [False, True])
async def test_counted_only_when_the_operator_enables_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, enabled: bool
) -> None:
    monkeypatch.setenv("COUNT_UNANSWERED", "true" if enabled else "false")
    url = f"sqlite+aiosqlite:///{tmp_path / 'sokh.db'}"
    async with running_bot(url) as sokh:
        dara = sokh.emu.add_user(language_code="en")
        # "paint", "zebra" and "kip" are words no content uses (content now says "buy" and
        # "riel"), so the count keeps only the content words around the gaps.
        reply = await sokh.say(dara, "where can Sokunthea paint a zebra for 5000 kip")
        assert "could not find an answer" in reply.text
    engine = create_engine(url)
    top = await Unanswered(session_factory(engine)).top()
    await engine.dispose()
    assert [c.text for c in top] == (["where can … a … for …"] if enabled else [])
