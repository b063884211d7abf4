"""Admin broadcast: count a segment, queue once per person, deliver through the sender."""

from __future__ import annotations

import argparse
from typing import Any

import pytest

from bot.content.i18n import Locales
from bot.proactive.broadcast import broadcast, follow
from bot.runtime.settings import REPO_ROOT, Settings
from bot.storage.vault import Vault
from bot.wiring import renderers
from tests.test_outbox import CONTENT
from tests.test_sender import ZONE, rig_on, sent_to

ITEM = CONTENT.current.course()[0].items[0]


def _args(**options: Any) -> argparse.Namespace:
    values = {"item": ITEM, "language": None, "course": False, "age": None,
              "dry_run": False, "no_wait": True, **options}
    return argparse.Namespace(**values)


async def test_dry_run_counts_the_segment(db_url: str, vault: Vault,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    async with rig_on(db_url, vault) as rig:
        for language in ("en", "km", "km"):
            await rig.person(language)
        config = Settings(database_url=db_url)
        assert await broadcast(_args(dry_run=True, language="km"), config, rig.time) == 0
        assert f"{ITEM} reaches 2 people" in capsys.readouterr().out
        await broadcast(_args(dry_run=True, course=True), config, rig.time)
        assert "reaches 0 people" in capsys.readouterr().out
        assert await rig.outbox.counts() == {}
        assert await broadcast(_args(item="no.such.item"), config, rig.time) == 2


async def test_broadcast_goes_out_once_in_each_language(db_url: str, vault: Vault) -> None:
    async with rig_on(db_url, vault) as rig:
        dara, _ = await rig.person("en")
        sophea, _ = await rig.person("km")
        config = Settings(database_url=db_url)
        await broadcast(_args(), config, rig.time)
        await broadcast(_args(), config, rig.time)
        assert await rig.outbox.counts() == {"pending": 2}, "a repeat queues nothing twice"
        sender = rig.sender()
        sender.render = renderers(CONTENT, Locales(REPO_ROOT / "locales"), ZONE).render
        assert await sender.run_once() == 2
        item = CONTENT.current.item(ITEM)
        assert item is not None
        assert sent_to(rig, dara) == [item.text.en] and sent_to(rig, sophea) == [item.text.km]
        await follow(rig.engine, f"b:{ITEM}", 2, poll_s=0)
