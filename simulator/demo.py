"""The chats a person finds in the simulator: Parent, Parenting group, Counsellors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from simulator.state import SimChat, SimUser

if TYPE_CHECKING:
    from simulator.actions import UserActions

__all__ = ["DEMO_COUNSELLOR_CHAT_ID", "DEMO_GROUP_CHAT_ID", "DemoScenario", "Tab", "setup_demo"]

# Fixed ids so `make run` can pass COUNSELLOR_CHAT_ID to the bot before the emulator starts.
DEMO_COUNSELLOR_CHAT_ID = -1001000000001
DEMO_GROUP_CHAT_ID = -4000000001


@dataclass
class Tab:
    """One switchable view of the web page."""

    key: str
    label: str
    chat: SimChat | None
    user: SimUser
    private: bool = False


@dataclass
class DemoScenario:
    """The demo people and chats."""

    parent: SimUser
    trainer: SimUser
    counsellor: SimUser
    group: SimChat
    forum: SimChat
    tabs: list[Tab] = field(default_factory=list)


def setup_demo(emu: UserActions) -> DemoScenario:
    """Create the demo people and chats; the bot is an admin of both groups."""
    parent = emu.add_user("Dara", "dara", "km")
    trainer = emu.add_user("Sophea", "sophea_trainer", "km")
    counsellor = emu.add_user("Vanna", "vanna_counsellor", "en")
    group = emu.add_group("Parenting group", "group", members=[parent], admins=[trainer],
                          chat_id=DEMO_GROUP_CHAT_ID)
    forum = emu.add_group("Counsellors", "supergroup", is_forum=True, admins=[counsellor],
                          chat_id=DEMO_COUNSELLOR_CHAT_ID)
    tabs = [
        Tab("parent", "Parent", None, parent, private=True),
        Tab("group", "Parenting group", group, trainer),
        Tab("counsellors", "Counsellors", forum, counsellor),
    ]
    return DemoScenario(parent, trainer, counsellor, group, forum, tabs)
