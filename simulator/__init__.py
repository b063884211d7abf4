"""Local Telegram: a Bot API emulator plus a web chat page (used by `make run` and tests)."""

from simulator.demo import DEMO_COUNSELLOR_CHAT_ID, DEMO_GROUP_CHAT_ID, DemoScenario
from simulator.emulator import BotApiEmulator, run_simulator_server
from simulator.spec import ApiError
from simulator.state import RecordedRequest, SimChat, SimMessage, SimUser

__all__ = [
    "DEMO_COUNSELLOR_CHAT_ID",
    "DEMO_GROUP_CHAT_ID",
    "ApiError",
    "BotApiEmulator",
    "DemoScenario",
    "RecordedRequest",
    "SimChat",
    "SimMessage",
    "SimUser",
    "run_simulator_server",
]
