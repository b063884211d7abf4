"""Trainers' groups end to end over real HTTP on both databases: commands and a weekly series."""

# The group dialogs themselves are tested in-process in test_dialogs_groups.py.

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.runtime.commands import GROUP_COMMANDS
from tests.helpers.groups import GroupWorld, group_world
from tests.test_dialogs_groups import check_weekly_series


@pytest.fixture
async def world(db_url: str) -> AsyncIterator[GroupWorld]:
    """A group with an admin and two members, the bot already in it, at noon on 1 December."""
    async with group_world(db_url) as w:
        yield w


async def test_group_commands_are_registered_in_both_languages(world: GroupWorld) -> None:
    calls = world.sokh.emu.calls("setMyCommands")
    groups = [c for c in calls if (c.params.get("scope") or {}).get("type") == "all_group_chats"]
    assert {c.params.get("language_code") for c in groups} == {"km", "en", None}
    assert [c["command"] for c in groups[0].params["commands"]] == list(GROUP_COMMANDS)


async def test_an_admin_schedules_a_weekly_series(world: GroupWorld) -> None:
    await check_weekly_series(world)
