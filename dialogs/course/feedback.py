"""'Useful' / 'not useful' under a course tip ('I tried it' / 'not yet' under a home-practice
check-in): counted once per person, thanked in place."""

from __future__ import annotations

from typing import NamedTuple

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.content.course import is_check_in, item_for_ref
from bot.content.i18n import Translator
from bot.content.store import Content
from bot.storage.feedback import Feedback
from bot.storage.people import Profile
from dialogs.callbacks import CourseAction, CourseCb

__all__ = ["RATINGS", "feedback", "labels_for", "rated_markup"]

RATINGS = (CourseAction.USEFUL, CourseAction.USELESS)


async def feedback(callback: CallbackQuery, callback_data: CourseCb, t: Translator,
                   profile: Profile | None, content: Content, tip_feedback: Feedback,
                   callback_answer: CallbackAnswer) -> None:
    """Count the tap (a second one replaces the first) and thank in the buttons themselves."""
    item = item_for_ref(content, callback_data.value)
    if profile is not None and item is not None:
        await tip_feedback.rate(profile.key, item.id, callback_data.action == "useful",
                                current_version=content.version)
    labels = labels_for(item.id if item else "")
    callback_answer.text = t(f"{labels.thanks}{callback_data.action}")
    message = callback.message
    if isinstance(message, Message) and message.reply_markup is not None:
        await _edit(message, rated_markup(message.reply_markup, callback_data.action, t, labels))


class Labels(NamedTuple):
    """The stems of a tip's rating texts: its two buttons, the thanks, the thanked button."""

    button: str
    thanks: str
    rated: str


RATING = Labels("course-button-", "course-thanks-", "course-rated-")
TRIED = Labels("course-checkin-button-", "course-checkin-thanks-", "course-checkin-rated-")


def labels_for(item_id: str) -> Labels:
    """A check-in asks 'did you try it?' with the same two buttons: tried counts as useful."""
    return TRIED if is_check_in(item_id) else RATING


def rated_markup(markup: InlineKeyboardMarkup, chosen: str, t: Translator,
                 labels: Labels = RATING) -> InlineKeyboardMarkup:
    """The tip's buttons with the chosen rating thanked; the other stays, to change one's mind."""
    rows = [[_marked(button, chosen, t, labels) for button in row]
            for row in markup.inline_keyboard]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def _marked(button: InlineKeyboardButton, chosen: str, t: Translator,
            labels: Labels) -> InlineKeyboardButton:
    rating = _rating(button.callback_data)
    if rating is None:
        return button
    label = t(f"{labels.rated}{rating}" if rating == chosen else f"{labels.button}{rating}")
    return button.model_copy(update={"text": label})


def _rating(data: str | None) -> str | None:
    if data is None or not data.startswith(f"{CourseCb.__prefix__}:"):
        return None
    action = CourseCb.unpack(data).action
    return action if action in RATINGS else None


async def _edit(message: Message, markup: InlineKeyboardMarkup) -> None:
    current = message.reply_markup
    # Telegram refuses an edit that changes nothing: a second tap on the same rating.
    if current is not None and _same(current, markup):
        return
    try:
        await message.edit_reply_markup(reply_markup=markup)
    except TelegramBadRequest as error:
        if "message is not modified" not in error.message:  # two quick taps raced
            raise


def _same(one: InlineKeyboardMarkup, other: InlineKeyboardMarkup) -> bool:
    return one.model_dump(exclude_none=True) == other.model_dump(exclude_none=True)
