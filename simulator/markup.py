"""Checks of reply_markup: inline keyboards, reply keyboards, remove and force-reply."""

from __future__ import annotations

import re
from typing import Any

from simulator.spec import bad_request

__all__ = ["button_labels", "check_markup", "find_inline_button"]

Markup = dict[str, Any]

_ACTIONS = (
    "url", "callback_data", "web_app", "login_url", "switch_inline_query",
    "switch_inline_query_current_chat", "switch_inline_query_chosen_chat",
    "copy_text", "callback_game", "pay",
)
_URL_RE = re.compile(r"^(https?://|tg://)[^\s]+$|^[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}(/[^\s]*)?$")
_MAX_BUTTONS = 100


def _check_inline_button(button: Any) -> None:
    if not isinstance(button, dict):
        raise bad_request("can't parse inline keyboard button: Object expected")
    text = button.get("text")
    if not isinstance(text, str) or not text.strip():
        raise bad_request("BUTTON_TEXT_INVALID" if isinstance(text, str)
                          else "can't parse inline keyboard button: Field \"text\" must be "
                          "of type String")
    actions = [key for key in _ACTIONS if key in button]
    if not actions:
        raise bad_request("can't parse inline keyboard button: Text buttons are unallowed "
                          "in the inline keyboard")
    if len(actions) > 1:
        raise bad_request("can't parse inline keyboard button: only one of the optional "
                          "fields must be used")
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= 64:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button:
        url = str(button["url"])
        if not _URL_RE.match(url):
            raise bad_request(f"inline keyboard button URL '{url}' is invalid: "
                              "Unsupported URL protocol")


def _rows(markup: Markup, key: str) -> list[list[Any]]:
    rows = markup.get(key)
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(f"can't parse reply markup: field \"{key}\" must be an Array of "
                          "Arrays")
    if sum(len(row) for row in rows) > _MAX_BUTTONS:
        raise bad_request("REPLY_MARKUP_TOO_LONG")
    return rows


def _check_reply_button(button: Any) -> None:
    text = button if isinstance(button, str) else (
        button.get("text") if isinstance(button, dict) else None)
    if not isinstance(text, str) or not text.strip():
        raise bad_request("can't parse keyboard button: Field \"text\" must be of type String")


def check_markup(markup: Any, inline_only: bool = False) -> Markup | None:
    """Validate reply_markup as Telegram does; return it unchanged or None."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        for row in _rows(markup, "inline_keyboard"):
            for button in row:
                _check_inline_button(button)
        return markup
    if inline_only:
        raise bad_request("inline keyboard expected")
    if "keyboard" in markup:
        for row in _rows(markup, "keyboard"):
            for button in row:
                _check_reply_button(button)
        return markup
    if markup.get("remove_keyboard") or markup.get("force_reply"):
        return markup
    raise bad_request("can't parse reply keyboard markup JSON object")


def button_labels(markup: Markup | None) -> list[str]:
    """Return the labels of an inline or reply keyboard, row by row."""
    if not markup:
        return []
    rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
    return [b if isinstance(b, str) else str(b.get("text", "")) for row in rows for b in row]


def find_inline_button(markup: Markup | None, text_or_data: str) -> dict[str, Any] | None:
    """Find the inline button whose label or callback_data matches."""
    rows = (markup or {}).get("inline_keyboard") or []
    buttons = [b for row in rows for b in row if isinstance(b, dict)]
    for button in buttons:
        if button.get("text") == text_or_data:
            return button
    for button in buttons:
        if button.get("callback_data") == text_or_data:
            return button
    return None
