"""Local Telegram: a Bot API emulator plus a web chat page (used by `make run` and tests)."""

from bot.simulator.demo import DEMO_COUNSELLOR_CHAT_ID, DEMO_GROUP_CHAT_ID, DemoScenario
from bot.simulator.emulator import BotApiEmulator, run_simulator_server
from bot.simulator.spec import ApiError
from bot.simulator.state import RecordedRequest, SimChat, SimMessage, SimUser

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
