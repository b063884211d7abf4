"""What a dialog shows (text and buttons), and how it reaches the chat."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from aiogram.exceptions import TelegramBadRequest
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

Row = Sequence[tuple[str, CallbackData]]
Button = tuple[str, CallbackData]


def in_rows(buttons: Sequence[Button], per_row: int) -> list[Row]:
    """`buttons`, `per_row` to a row."""
    return [buttons[i:i + per_row] for i in range(0, len(buttons), per_row)]



@dataclass(frozen=True)
class View:
    """One message: HTML text and rows of (label, callback data) buttons."""

    text: str
    rows: tuple[Row, ...] = ()

    def markup(self) -> InlineKeyboardMarkup | None:
        """The inline keyboard, or None when the view has no buttons."""
        return _keyboard(self._packed) if self.rows else None

    @cached_property
    def _packed(self) -> tuple[tuple[tuple[str, str], ...], ...]:
        # Cached views (menus, help) then pack their callback data once, not per reply.
        return tuple(tuple((label, data.pack()) for label, data in row) for row in self.rows)


@lru_cache(maxsize=1024)
def _keyboard(rows: tuple[tuple[tuple[str, str], ...], ...]) -> InlineKeyboardMarkup:
    # Validating the pydantic button models cost more than the rest of a menu reply, and
    # most keyboards (menus, topic pages) repeat; nothing mutates a markup once built.
    return InlineKeyboardMarkup(inline_keyboard=[
        [InlineKeyboardButton(text=label, callback_data=data) for label, data in row]
        for row in rows
    ])


async def reply(message: Message, view: View) -> None:
    """Send the view as a new message."""
    await message.answer(view.text, reply_markup=view.markup())


async def show(callback: CallbackQuery, view: View) -> None:
    """Replace the tapped message with the view, so browsing edits one message in place."""
    message = callback.message
    if not isinstance(message, Message):
        # Older than 48 hours: Telegram no longer lets us edit it, so send anew.
        if callback.bot is not None:
            await callback.bot.send_message(callback.from_user.id, view.text,
                                            reply_markup=view.markup())
        return
    if _shows(message, view):
        return
    try:
        await message.edit_text(view.text, reply_markup=view.markup())
    except TelegramBadRequest as error:
        # Two quick taps can race to the same edit; the screen is right either way.
        if "message is not modified" not in error.message:
            raise


def _shows(message: Message, view: View) -> bool:
    """True when the message already shows the view: Telegram refuses an identical edit."""
    if message.text is None or message.html_text != view.text:
        return False
    markup = view.markup()
    current = message.reply_markup
    if markup is None or current is None:
        return markup is current
    return current.model_dump(exclude_none=True) == markup.model_dump(exclude_none=True)
