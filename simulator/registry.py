"""Learn users, chats and messages from raw updates pushed by tests or benchmarks."""

from __future__ import annotations

from typing import Any

from simulator.core import EmulatorState
from simulator.state import SimChat, SimMessage, SimUser

__all__ = ["register_update"]

Json = dict[str, Any]
_MESSAGE_KINDS = ("message", "edited_message", "channel_post", "edited_channel_post")


def _user(st: EmulatorState, data: Any) -> SimUser | None:
    if not isinstance(data, dict) or "id" not in data or data.get("is_bot"):
        return None
    user = st.users.get(int(data["id"]))
    if user is None:
        user = SimUser(int(data["id"]), str(data.get("first_name", "User")),
                       data.get("username"), data.get("language_code"), data.get("last_name"))
        st.users[user.id] = user
    return user


def _chat(st: EmulatorState, data: Any, sender: SimUser | None) -> SimChat | None:
    if not isinstance(data, dict) or "id" not in data:
        return None
    chat = st.chats.get(int(data["id"]))
    if chat is None:
        kind = str(data.get("type", "private"))
        owner = st.users.get(int(data["id"])) if kind == "private" else None
        chat = st.add_chat(SimChat(int(data["id"]), kind, title=data.get("title"), user=owner,
                                   username=data.get("username"),
                                   is_forum=bool(data.get("is_forum"))))
    if chat.type == "private":
        chat.started = True
    elif sender is not None:
        chat.members.setdefault(sender.id, sender)
    return chat


def _message(st: EmulatorState, chat: SimChat, sender: SimUser | None, data: Json) -> None:
    """Keep the message so the bot can reply to it, edit or delete it."""
    message_id = data.get("message_id")
    if not isinstance(message_id, int):
        return
    text = data.get("text", data.get("caption"))
    kind = "text" if "text" in data else next(
        (k for k in ("photo", "sticker", "voice", "document", "contact", "location", "poll")
         if k in data), "text")
    msg = SimMessage(chat, message_id, False, sender, int(data.get("date", 0)), kind=kind,
                     text=text, entities=list(data.get("entities", [])))
    chat.messages[message_id] = msg
    chat.next_message_id = max(chat.next_message_id, message_id + 1)
    st.touch(msg)


def register_update(st: EmulatorState, kind: str, payload: Json) -> None:
    """Register the people, chats and messages an update mentions."""
    sender = _user(st, payload.get("from") or payload.get("user"))
    chat_data = payload.get("chat") or (payload.get("message") or {}).get("chat")
    chat = _chat(st, chat_data, sender)
    if chat is None and sender is not None and kind != "inline_query":
        _chat(st, {"id": sender.id, "type": "private"}, sender)
    if kind in _MESSAGE_KINDS and chat is not None:
        _message(st, chat, sender, payload)
