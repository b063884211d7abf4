"""The command menu Telegram shows, in both languages."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats

from bot.content.i18n import LANGUAGES, Locales

COMMANDS = ("start", "menu", "help", "counsellor", "hide", "language", "forget",
            # The parenting course (docs/nudges.md).
            "pause", "resume", "stop")
# In groups (docs/groups.md): scheduling sessions and setting the group up.
GROUP_COMMANDS = ("session", "sessions", "setup", "trainer")


def commands_for(locales: Locales, language: str,
                 names: tuple[str, ...] = COMMANDS) -> list[BotCommand]:
    """The private-chat (or given) commands described in `language`."""
    t = locales.get(language)
    return [BotCommand(command=name, description=t(f"command-{name}")) for name in names]


async def register_commands(bot: Bot, locales: Locales) -> None:
    """setMyCommands per language, with Khmer as the default for everyone else."""
    scope = BotCommandScopeAllPrivateChats()
    for language in LANGUAGES:
        commands = commands_for(locales, language)
        await bot.set_my_commands(commands, scope=scope, language_code=language)
    await bot.set_my_commands(commands_for(locales, "km"), scope=scope)
    groups = BotCommandScopeAllGroupChats()
    for language in LANGUAGES:
        commands = commands_for(locales, language, GROUP_COMMANDS)
        await bot.set_my_commands(commands, scope=groups, language_code=language)
    await bot.set_my_commands(commands_for(locales, "km", GROUP_COMMANDS), scope=groups)
