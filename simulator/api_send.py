"""Bot API methods that create messages: send*, copy*, forward*."""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from typing import Any

from simulator.core import EmulatorState
from simulator.formatting import format_text
from simulator.html_check import utf16_len
from simulator.markup import check_markup
from simulator.spec import bad_request
from simulator.state import SimChat, SimMessage, StoredFile

__all__ = ["SEND_HANDLERS", "caption_of", "deliver"]

Json = dict[str, Any]
Handler = Callable[[EmulatorState, Json], Any]

_MEDIA = {
    "sendphoto": "photo", "sendvoice": "voice", "senddocument": "document",
    "sendsticker": "sticker", "sendvideo": "video", "sendaudio": "audio",
    "sendanimation": "animation", "sendvideonote": "video_note",
}
_ACTIONS = {
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note",
    "upload_video_note",
}


def caption_of(p: Json, key: str = "caption", mode: str = "parse_mode",
               entities: str = "caption_entities") -> tuple[str | None, list[Json]]:
    """Parse a caption; None when absent or blank."""
    if p.get(key) is None:
        return None, []
    text, found = format_text(str(p[key]), p.get(mode), p.get(entities))
    if utf16_len(text) > 1024:
        raise bad_request("message caption is too long")
    return (text, found) if text else (None, [])


def apply_keyboard(chat: SimChat, markup: Json | None) -> None:
    """Remember the reply keyboard shown above the chat's input field."""
    if markup and "keyboard" in markup:
        chat.reply_keyboard = markup
    elif markup and markup.get("remove_keyboard"):
        chat.reply_keyboard = None


def deliver(st: EmulatorState, p: Json, kind: str, chat: SimChat | None = None,
            **fields: Any) -> SimMessage:
    """Store a bot message in the target chat after the common checks."""
    chat = chat or st.sendable_chat(p)
    thread = st.thread_of(chat, p)
    markup = check_markup(p.get("reply_markup"))
    reply = st.reply_target(chat, p)
    msg = st.new_message(chat, st.bot, kind=kind, reply_markup=markup, thread_id=thread,
                         reply_to=reply, **fields)
    apply_keyboard(chat, markup)
    return msg


def send_message(st: EmulatorState, p: Json) -> Json:
    """Send a text message."""
    chat = st.sendable_chat(p)
    text, entities = format_text(str(p["text"]), p.get("parse_mode"), p.get("entities"))
    if not text:
        raise bad_request("message text is empty")
    if utf16_len(text) > 4096:
        raise bad_request("message is too long")
    return deliver(st, p, "text", chat, text=text, entities=entities).to_api()


def media_content(kind: str, stored: StoredFile, p: Json) -> Json:
    """Build the Message field for a file of this kind."""
    ids = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id}
    size = {"file_size": len(stored.data)} if stored.data is not None else {}
    if kind == "photo":
        return {"photo": [{**ids, "width": w, "height": w * 3 // 4, **size}
                          for w in (90, 320, 800)]}
    if kind == "sticker":
        return {"sticker": {**ids, "type": "regular", "width": 512, "height": 512,
                            "is_animated": False, "is_video": False,
                            "emoji": p.get("emoji") or "👍"}}
    body: Json = {**ids, **size}
    if kind in ("voice", "audio", "video", "animation", "video_note"):
        body["duration"] = int(p.get("duration") or 3)
    if kind in ("video", "animation"):
        body.update(width=int(p.get("width") or 640), height=int(p.get("height") or 360))
    if kind == "video_note":
        body["length"] = int(p.get("length") or 240)
    if stored.filename and kind in ("document", "audio", "video", "animation"):
        body["file_name"] = stored.filename
    if stored.mime_type:
        body["mime_type"] = stored.mime_type
    return {kind: body}


def _media_handler(kind: str) -> Handler:
    def handler(st: EmulatorState, p: Json) -> Json:
        chat = st.sendable_chat(p)
        content = media_content(kind, st.store_file(kind, p[kind]), p)
        text, entities = (None, []) if kind in ("sticker", "video_note") else caption_of(p)
        return deliver(st, p, kind, chat, text=text, entities=entities,
                       content=content).to_api()

    return handler


def send_contact(st: EmulatorState, p: Json) -> Json:
    """Send a contact card (tap-to-call in clients)."""
    chat = st.sendable_chat(p)
    if not str(p["phone_number"]).strip():
        raise bad_request("phone number is empty")
    contact = {k: p[k] for k in ("phone_number", "first_name", "last_name", "vcard") if p.get(k)}
    return deliver(st, p, "contact", chat, content={"contact": contact}).to_api()


def send_location(st: EmulatorState, p: Json) -> Json:
    """Send a map point."""
    chat = st.sendable_chat(p)
    lat, lon = float(p["latitude"]), float(p["longitude"])
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise bad_request("wrong latitude/longitude")
    content: Json = {"location": {"latitude": lat, "longitude": lon}}
    if "title" in p and "address" in p:
        content["venue"] = {"location": content["location"], "title": p["title"],
                            "address": p["address"]}
    return deliver(st, p, "venue" if "venue" in content else "location", chat,
                   content=content).to_api()


def send_chat_action(st: EmulatorState, p: Json) -> bool:
    """Show "typing…" and the like for a few seconds."""
    chat = st.sendable_chat(p)
    if p["action"] not in _ACTIONS:
        raise bad_request("wrong parameter action in request")
    st.thread_of(chat, p)
    chat.last_action = (str(p["action"]), time.monotonic())
    st.poke()
    return True


def send_media_group(st: EmulatorState, p: Json) -> list[Json]:
    """Send an album of 2-10 photos, videos, documents or audios."""
    chat = st.sendable_chat(p)
    media = p["media"]
    if not 2 <= len(media) <= 10:
        raise bad_request("wrong number of media in the album")
    sent: list[Json] = []
    for item in media:
        if not isinstance(item, dict) or item.get("type") not in ("photo", "video", "document",
                                                                  "audio"):
            raise bad_request("can't parse InputMedia JSON object")
        kind = str(item["type"])
        text, entities = caption_of(item)
        content = media_content(kind, st.store_file(kind, item.get("media")), item)
        sent.append(deliver(st, p, kind, chat, text=text, entities=entities,
                            content=content).to_api())
    return sent


def _source(st: EmulatorState, p: Json, message_id: Any, verb: str) -> SimMessage:
    source_chat = st.find_chat(p.get("from_chat_id"), "from_chat_id")
    msg = st.message(source_chat, message_id, f"message to {verb} not found")
    if msg.kind.startswith(("forum_topic", "new_chat", "pinned")):
        raise bad_request(f"message can't be {'copied' if verb == 'copy' else 'forwarded'}")
    return msg


def _clone(st: EmulatorState, src: SimMessage, p: Json, chat: SimChat,
           forward: bool) -> SimMessage:
    content = copy.deepcopy(src.content)
    if "poll" in content:
        content["poll"]["id"] = st.unique("")
    text, entities = src.text, list(src.entities)
    if forward:
        origin_user = src.sender.to_api() if src.sender else {}
        content["forward_origin"] = {"type": "user", "sender_user": origin_user,
                                     "date": src.date}
    elif p.get("remove_caption") and src.kind != "text":
        text, entities = None, []
    elif p.get("caption") is not None and src.kind != "text":
        text, entities = caption_of(p)
    msg = deliver(st, {**p, "reply_markup": None if forward else p.get("reply_markup")},
                  src.kind, chat, text=text, entities=entities, content=content)
    if "poll" in content:
        st.polls[content["poll"]["id"]] = msg
    return msg


def copy_message(st: EmulatorState, p: Json) -> Json:
    """Copy without a link to the original (how Sokh relays to counsellors)."""
    chat = st.sendable_chat(p)
    src = _source(st, p, p["message_id"], "copy")
    return {"message_id": _clone(st, src, p, chat, forward=False).message_id}


def forward_message(st: EmulatorState, p: Json) -> Json:
    """Forward with the origin shown (Sokh must never do this)."""
    chat = st.sendable_chat(p)
    src = _source(st, p, p["message_id"], "forward")
    return _clone(st, src, p, chat, forward=True).to_api()


def _many(forward: bool) -> Handler:
    def handler(st: EmulatorState, p: Json) -> list[Json]:
        chat = st.sendable_chat(p)
        ids = p["message_ids"]
        if not 1 <= len(ids) <= 100:
            raise bad_request("too many messages to copy" if ids else "message_ids is empty")
        verb = "forward" if forward else "copy"
        sources = [_source(st, p, i, verb) for i in sorted(ids)]
        return [{"message_id": _clone(st, s, p, chat, forward).message_id} for s in sources]

    return handler


SEND_HANDLERS: dict[str, Handler] = {
    "sendmessage": send_message,
    "sendcontact": send_contact,
    "sendlocation": send_location,
    "sendvenue": send_location,
    "sendchataction": send_chat_action,
    "sendmediagroup": send_media_group,
    "copymessage": copy_message,
    "copymessages": _many(forward=False),
    "forwardmessage": forward_message,
    "forwardmessages": _many(forward=True),
    **{name: _media_handler(kind) for name, kind in _MEDIA.items()},
}
