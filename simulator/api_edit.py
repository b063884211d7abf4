"""Bot API methods that change existing things: edits, deletions, callbacks, pins."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from simulator.api_send import caption_of, media_content
from simulator.core import EmulatorState
from simulator.formatting import format_text
from simulator.html_check import utf16_len
from simulator.markup import check_markup
from simulator.spec import ApiError, bad_request
from simulator.state import SimChat, SimMessage

__all__ = ["EDIT_HANDLERS", "QUERY_TOO_OLD", "bot_chat"]

Json = dict[str, Any]
Handler = Callable[[EmulatorState, Json], Any]

QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
_NOT_MODIFIED = ("message is not modified: specified new message content and reply markup are "
                 "exactly the same as a current content and reply markup of the message")


def _inline(msg: SimMessage) -> Json | None:
    markup = msg.reply_markup
    return markup if markup and "inline_keyboard" in markup else None


def bot_chat(st: EmulatorState, p: Json) -> SimChat:
    chat = st.find_chat(p.get("chat_id"))
    if chat.blocked:
        raise ApiError(403, "Forbidden: bot was blocked by the user")
    return chat


def _target(st: EmulatorState, p: Json) -> SimMessage | None:
    """Return the bot message to edit; None for inline messages (not stored)."""
    if p.get("inline_message_id"):
        return None
    if p.get("chat_id") is None or p.get("message_id") is None:
        raise bad_request("message identifier is not specified")
    msg = st.message(bot_chat(st, p), p["message_id"], "message to edit not found")
    if not msg.from_bot:
        raise bad_request("message can't be edited")
    return msg


def _commit(st: EmulatorState, msg: SimMessage, **changes: Any) -> Json:
    """Apply an edit unless nothing changes, which Telegram refuses."""
    if all(getattr(msg, k) == v for k, v in changes.items()):
        raise bad_request(_NOT_MODIFIED)
    for key, value in changes.items():
        setattr(msg, key, value)
    msg.edits += 1
    msg.edit_date = int(st.clock())
    st.touch(msg)
    return msg.to_api()


def edit_text(st: EmulatorState, p: Json) -> Json | bool:
    """Replace the text (and the inline keyboard, which goes if not resent)."""
    text, entities = format_text(str(p["text"]), p.get("parse_mode"), p.get("entities"))
    if not text:
        raise bad_request("message text is empty")
    if utf16_len(text) > 4096:
        raise bad_request("message is too long")
    markup = check_markup(p.get("reply_markup"), inline_only=True)
    msg = _target(st, p)
    if msg is None:
        return True
    if msg.kind != "text":
        raise bad_request("there is no text in the message to edit")
    if _inline(msg) != msg.reply_markup:
        msg.reply_markup = _inline(msg)
    return _commit(st, msg, text=text, entities=entities, reply_markup=markup)


def edit_caption(st: EmulatorState, p: Json) -> Json | bool:
    """Replace a media message's caption."""
    text, entities = caption_of(p)
    markup = check_markup(p.get("reply_markup"), inline_only=True)
    msg = _target(st, p)
    if msg is None:
        return True
    if msg.kind in ("text", "contact", "poll", "location", "venue", "sticker"):
        raise bad_request("there is no caption in the message to edit")
    return _commit(st, msg, text=text, entities=entities, reply_markup=markup)


def edit_markup(st: EmulatorState, p: Json) -> Json | bool:
    """Replace or remove the inline keyboard."""
    markup = check_markup(p.get("reply_markup"), inline_only=True)
    msg = _target(st, p)
    if msg is None:
        return True
    msg.reply_markup = _inline(msg)
    return _commit(st, msg, reply_markup=markup)


def edit_media(st: EmulatorState, p: Json) -> Json | bool:
    """Replace the file of a media message."""
    media = p["media"]
    if not isinstance(media, dict) or "type" not in media:
        raise bad_request("can't parse InputMedia JSON object")
    kind = str(media["type"])
    content = media_content(kind, st.store_file(kind, media.get("media")), media)
    text, entities = caption_of(media)
    markup = check_markup(p.get("reply_markup"), inline_only=True)
    msg = _target(st, p)
    if msg is None:
        return True
    return _commit(st, msg, kind=kind, content=content, text=text, entities=entities,
                   reply_markup=markup)


# Telegram: "A message can only be deleted if it was sent less than 48 hours ago."
DELETE_WINDOW_S = 48 * 3600
_TOO_OLD = "message can't be deleted for everyone"


def _refusal(chat: SimChat, msg: SimMessage, now: float) -> str | None:
    """Why Telegram would refuse to delete this message, or None when it may go."""
    admin = chat.bot_status == "administrator"
    if now - msg.date >= DELETE_WINDOW_S and not (admin and chat.type != "private"):
        return _TOO_OLD  # only admins of supergroups and channels may delete older ones
    if chat.type == "private" or msg.from_bot or admin:
        return None
    return "message can't be deleted"


def _delete(st: EmulatorState, msg: SimMessage) -> None:
    msg.deleted = True
    st.touch(msg)


def delete_message(st: EmulatorState, p: Json) -> bool:
    """Delete one message of this chat, within Telegram's 48-hour window."""
    chat = st.find_chat(p["chat_id"])
    msg = st.message(chat, p["message_id"], "message to delete not found")
    refusal = _refusal(chat, msg, st.clock())
    if refusal is not None:
        raise bad_request(refusal)
    _delete(st, msg)
    return True


def delete_messages(st: EmulatorState, p: Json) -> bool:
    """Delete 1-100 messages of this chat, skipping ones not found, as Telegram does.

    When any found message may not be deleted (too old, someone else's in a group), the
    whole call is refused and nothing is deleted; callers then go one by one.
    """
    chat = st.find_chat(p["chat_id"])
    ids = p["message_ids"]
    if not 1 <= len(ids) <= 100:
        raise bad_request("too many messages to delete" if ids else "message_ids is empty")
    found = [m for m in (chat.messages.get(i) for i in ids) if m is not None and not m.deleted]
    refusals = [r for r in (_refusal(chat, m, st.clock()) for m in found) if r is not None]
    if refusals:
        raise bad_request(refusals[0].replace(" for everyone", ""))
    for msg in found:
        _delete(st, msg)
    return True


def answer_callback(st: EmulatorState, p: Json) -> bool:
    """Answer a button tap once, within Telegram's time window."""
    query = st.callbacks.get(str(p["callback_query_id"]))
    expired = query is not None and st.callback_timeout is not None and (
        time.monotonic() - query["at"] > st.callback_timeout)
    if query is None or query["answered"] or expired:
        raise bad_request(QUERY_TOO_OLD)
    if utf16_len(str(p.get("text") or "")) > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    query["answered"] = True
    query["answer"] = {k: p[k] for k in ("text", "show_alert", "url") if k in p}
    return True


def pin_message(st: EmulatorState, p: Json) -> bool:
    """Pin a message (groups need admin rights)."""
    chat = bot_chat(st, p)
    msg = st.message(chat, p["message_id"], "message to pin not found")
    if chat.type != "private" and chat.bot_status != "administrator":
        raise bad_request("not enough rights to manage pinned messages in the chat")
    chat.pinned = [m for m in chat.pinned if m != msg.message_id] + [msg.message_id]
    return True


def unpin_message(st: EmulatorState, p: Json) -> bool:
    """Unpin one message, or the latest pinned one."""
    chat = bot_chat(st, p)
    target = p.get("message_id") or (chat.pinned[-1] if chat.pinned else None)
    if target not in chat.pinned:
        raise bad_request("message to unpin not found")
    chat.pinned.remove(target)
    return True


def unpin_all(st: EmulatorState, p: Json) -> bool:
    """Unpin everything."""
    bot_chat(st, p).pinned.clear()
    return True


def set_reaction(st: EmulatorState, p: Json) -> bool:
    """Set the bot's reaction on a message."""
    msg = st.message(bot_chat(st, p), p["message_id"], "message to react not found")
    reactions = p.get("reaction") or []
    if not isinstance(reactions, list) or len(reactions) > 1:
        raise bad_request("REACTIONS_TOO_MANY")
    msg.reactions = reactions
    st.touch(msg, notify=False)
    return True


EDIT_HANDLERS: dict[str, Handler] = {
    "editmessagetext": edit_text,
    "editmessagecaption": edit_caption,
    "editmessagereplymarkup": edit_markup,
    "editmessagemedia": edit_media,
    "deletemessage": delete_message,
    "deletemessages": delete_messages,
    "answercallbackquery": answer_callback,
    "pinchatmessage": pin_message,
    "unpinchatmessage": unpin_message,
    "unpinallchatmessages": unpin_all,
    "setmessagereaction": set_reaction,
}
