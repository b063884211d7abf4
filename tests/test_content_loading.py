"""Loading, reloading, drafts and the stats of content, on real files in tmp_path."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.content.model import ContentError
from bot.content.store import ContentStore, load_content
from bot.content.tool.source import read_content
from bot.content.tool.stats import format_stats, pack_stats
from bot.content.tool.yamlsrc import FolderFiles, line_of, parse_yaml
from tests.helpers.content_files import BASE, copy_of, edit


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return copy_of(BASE, tmp_path)


def test_load_refuses_bad_content_naming_file_line_and_item(folder: Path) -> None:
    edit(folder, "parenting.yaml", "km: និយាយអំពីអ្វីដែលកូនជំទង់ចូលចិត្ត។", "km: later")
    with pytest.raises(ContentError) as caught:
        load_content(folder)
    message = str(caught.value)
    assert "parenting.yaml:35: 'parenting.one-on-one.ideas': text.km:" in message
    assert "no Khmer script" in message


def test_a_stale_number_only_warns_when_the_bot_loads(folder: Path,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    edit(folder, "services.yaml", "last_verified: 2026-11-21\n- id: kc-police",
         "last_verified: 2020-01-01\n- id: kc-police")
    with caplog.at_level(logging.WARNING):
        content = load_content(folder)
    assert content.service("thai-1300") is not None
    assert "check the number again" in caplog.text


def test_reload_swaps_whole_or_keeps_the_old_content(folder: Path) -> None:
    store = ContentStore(folder)
    edit(folder, "manifest.yaml", 'version: "test-1"\nchangelog', 'version: "test-2"\nchangelog')
    assert store.reload().version == "test-2"
    edit(folder, "services.yaml", "phone: '1280'", "phone: '12'")
    with pytest.raises(ContentError):
        store.reload()
    assert store.current.version == "test-2" and store.current.service("chc-1280") is not None


def test_drafts_can_be_hidden(folder: Path) -> None:
    content = load_content(folder, include_drafts=False)
    parenting = content.packs["parenting"]
    assert [t.id for t in parenting.topics] == ["calm"]
    assert [s.id for s in content.services()] == ["chc-1280"]
    assert content.quizzes() == () and content.course() == ()
    assert load_content(folder).topic("parenting", "one-on-one") is not None


def test_content_lookups(folder: Path) -> None:
    content = load_content(folder)
    assert content.item("parenting.calm.pause") is not None
    assert content.quiz("quiz-calm") is not None and content.quizzes("calm")
    assert [s.id for s in content.referral("violence", "kh-3")] == ["kc-police", "chc-1280"]
    assert [s.id for s in content.referral("violence", country="th")] == ["thai-1300"]
    assert content.topic("parenting", "gone") is None and content.service("gone") is None


def test_stats_count_per_pack_language_and_review(folder: Path) -> None:
    loaded = read_content(FolderFiles(folder))
    every = [pack_stats(s.pack) for s in loaded.packs if s.pack is not None]
    parenting = every[0]
    assert parenting.counts["items"] == 3 and parenting.counts["quizzes"] == 1
    assert dict(parenting.review) == {"draft": 4, "reviewed": 3}
    assert parenting.languages["texts"] == parenting.languages["km"] == 11
    assert parenting.ages["0-2"] == 2 and parenting.ages["12-17"] == 2
    services = every[2]
    assert services.counts["services"] == 3 and services.counts["provinces"] == 1
    table = format_stats("test-1", every)
    assert "parenting: 3 items, 2 topics, 1 quizzes, 1 course" in table
    assert "total review: 16 draft, 4 reviewed" in table


def test_yaml_lines_are_tracked() -> None:
    raw, duplicates = parse_yaml("a:\n  b:\n  - x\n  - y: 1\n    y: 2\nc: 3\n")
    assert duplicates == [(5, "y")]
    assert line_of(raw, ("a", "b", 1, "y")) == 5
    assert line_of(raw, ("a", "b", 0)) == 3
    assert line_of(raw, ("a", "missing")) == 1
