"""What simulated people do: write, tap buttons, vote, block the bot, add it to groups."""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from typing import Any

from simulator.api_chats import member_object
from simulator.core import EmulatorState
from simulator.html_check import utf16_len
from simulator.markup import button_labels, find_inline_button
from simulator.state import SimChat, SimMessage, SimUser, StoredFile

__all__ = ["UserActions"]

Json = dict[str, Any]
_AUTO_ENTITIES = re.compile(
    r"(?P<bot_command>(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?)"
    r"|(?P<mention>(?<!\w)@[A-Za-z0-9_]{5,32})"
    r"|(?P<url>https?://[^\s]+)"
)


def auto_entities(text: str) -> list[Json]:
    """Detect commands, mentions and links, as Telegram does for incoming text."""
    found: list[Json] = []
    for match in _AUTO_ENTITIES.finditer(text):
        kind = match.lastgroup or "url"
        found.append({"type": kind, "offset": utf16_len(text[: match.start()]),
                      "length": utf16_len(match.group(0))})
    return found


class UserActions(EmulatorState):
    """Actions of simulated users, each producing the update Telegram would send."""

    privacy_mode = True

    def add_user(self, first_name: str = "Dara", username: str | None = "dara",
                 language_code: str | None = "km", last_name: str | None = None) -> SimUser:
        """Create a person with a unique id (and a unique username)."""
        user_id = self.new_user_id()
        if username and username.lower() in self.taken_usernames:
            username = f"{username}{user_id % 100000}"
        if username:
            self.taken_usernames.add(username.lower())
        user = SimUser(user_id, first_name, username, language_code, last_name)
        self.users[user.id] = user
        return user

    def add_group(self, title: str, kind: str = "group", is_forum: bool = False,
                  members: Iterable[SimUser] = (), admins: Iterable[SimUser] = (),
                  bot_admin: bool = True, chat_id: int | None = None) -> SimChat:
        """Create a group the bot is already in; the first admin is the creator."""
        kind = "supergroup" if is_forum else kind
        admin_list = list(admins)
        chat = SimChat(chat_id or self.new_group_id(kind), kind, title=title, is_forum=is_forum,
                       bot_status="administrator" if bot_admin else "member")
        for user in [*admin_list, *members]:
            chat.members[user.id] = user
        chat.admins = {u.id for u in admin_list}
        chat.owner_id = admin_list[0].id if admin_list else None
        return self.add_chat(chat)

    def _bot_sees(self, chat: SimChat, msg: SimMessage) -> bool:
        """Apply privacy mode: in groups a non-admin bot sees commands, mentions, replies."""
        if chat.type in ("private", "channel"):
            return True
        if chat.bot_status in ("left", "kicked"):
            return False
        if chat.bot_status == "administrator" or not self.privacy_mode:
            return True
        text = msg.text or ""
        mine = f"@{self.bot.username}".lower()
        commands = [m.group(0) for m in _AUTO_ENTITIES.finditer(text)
                    if m.lastgroup == "bot_command"]
        return (any("@" not in c or c.lower().endswith(mine) for c in commands)
                or mine in text.lower()
                or (msg.reply_to is not None and msg.reply_to.from_bot))

    def user_message(self, user: SimUser, chat: SimChat | None, kind: str,
                     **fields: Any) -> Json:
        """Store a user's message and push it to the bot if the bot can see it."""
        chat = chat or self.private_chat(user)
        if chat.type == "private":
            if chat.blocked:
                self.unblock(user)
            chat.started = True
        elif user.id not in chat.members:
            chat.members[user.id] = user
        msg = self.new_message(chat, user, kind=kind, **fields)
        if not self._bot_sees(chat, msg):
            return {"message": msg.to_api()}
        return self.queue.push("message", msg.to_api())

    def send_text(self, user: SimUser, text: str, chat: SimChat | None = None, *,
                  thread_id: int | None = None, reply_to: SimMessage | None = None) -> Json:
        """Write a text message (commands get a bot_command entity)."""
        return self.user_message(user, chat, "text", text=text, entities=auto_entities(text),
                                 thread_id=thread_id, reply_to=reply_to)

    def _file(self, kind: str, name: str | None = None, mime: str | None = None,
              data: bytes | None = None) -> StoredFile:
        stored = StoredFile(self.unique("AgAD"), self.unique("u"), kind, data, name, mime)
        self.files[stored.file_id] = stored
        return stored

    def send_sticker(self, user: SimUser, chat: SimChat | None = None,
                     emoji: str = "👍") -> Json:
        """Send a sticker."""
        f = self._file("sticker")
        body = {"file_id": f.file_id, "file_unique_id": f.file_unique_id, "type": "regular",
                "width": 512, "height": 512, "is_animated": False, "is_video": False,
                "emoji": emoji}
        return self.user_message(user, chat, "sticker", content={"sticker": body})

    def send_photo(self, user: SimUser, chat: SimChat | None = None,
                   caption: str | None = None, media_group_id: str | None = None) -> Json:
        """Send a photo, optionally with a caption, or as one of an album (media group)."""
        f = self._file("photo", "photo.jpg", "image/jpeg")
        sizes = [{"file_id": f.file_id, "file_unique_id": f.file_unique_id, "width": w,
                  "height": w * 3 // 4} for w in (90, 320, 800)]
        content: Json = {"photo": sizes}
        if media_group_id is not None:
            content["media_group_id"] = media_group_id
        return self.user_message(user, chat, "photo", content=content, text=caption)

    def send_voice(self, user: SimUser, chat: SimChat | None = None, duration: int = 3) -> Json:
        """Send a voice note."""
        f = self._file("voice", None, "audio/ogg")
        body = {"file_id": f.file_id, "file_unique_id": f.file_unique_id,
                "duration": duration, "mime_type": "audio/ogg"}
        return self.user_message(user, chat, "voice", content={"voice": body})

    def send_document(self, user: SimUser, chat: SimChat | None = None,
                      file_name: str = "notes.pdf") -> Json:
        """Send a document."""
        # Real bytes, so a bot can download it (getFile) and upload it again.
        f = self._file("document", file_name, "application/pdf", b"%PDF-1.4 simulated\n")
        body = {"file_id": f.file_id, "file_unique_id": f.file_unique_id,
                "file_name": file_name, "mime_type": "application/pdf"}
        return self.user_message(user, chat, "document", content={"document": body})

    def send_location(self, user: SimUser, chat: SimChat | None = None,
                      latitude: float = 11.5564, longitude: float = 104.9282) -> Json:
        """Share a location (Phnom Penh by default)."""
        point = {"latitude": latitude, "longitude": longitude}
        return self.user_message(user, chat, "location", content={"location": point})

    def send_contact(self, user: SimUser, chat: SimChat | None = None,
                     phone_number: str = "+85512345678") -> Json:
        """Share one's own contact, as a request_contact button does."""
        contact = {"phone_number": phone_number, "first_name": user.first_name,
                   "user_id": user.id}
        return self.user_message(user, chat, "contact", content={"contact": contact})

    def edit_text(self, user: SimUser, message: SimMessage, new_text: str) -> Json:
        """Edit one's own text message."""
        if message.sender is not user or message.kind != "text":
            raise ValueError("only the author can edit a text message")
        message.text, message.entities = new_text, auto_entities(new_text)
        message.edits += 1
        message.edit_date = int(self.clock())
        self.touch(message)
        return self.queue.push("edited_message", message.to_api())

    def click(self, user: SimUser, message: SimMessage, text_or_data: str) -> str:
        """Tap an inline button by label or callback_data; return the callback query id."""
        button = find_inline_button(message.reply_markup, text_or_data)
        if button is None:
            raise ValueError(f"no button {text_or_data!r}; buttons: "
                             f"{button_labels(message.reply_markup)}")
        if "callback_data" not in button:
            raise ValueError(f"button {text_or_data!r} has no callback_data")
        return self._callback(user, message.chat, message.message_id, button["callback_data"])

    def click_raw(self, user: SimUser, message_id: int, data: str,
                  chat: SimChat | None = None) -> str:
        """Send a callback query with any data (forged, stale, or for a deleted message)."""
        return self._callback(user, chat or self.private_chat(user), message_id, data)

    def _callback(self, user: SimUser, chat: SimChat, message_id: int, data: str) -> str:
        query_id = str(4_000_000_000_000_000 + len(self.callbacks))
        msg = chat.messages.get(message_id)
        message = (msg.to_api() if msg is not None and not msg.deleted
                   else {"chat": chat.to_api(), "message_id": message_id, "date": 0})
        self.callbacks[query_id] = {"answered": False, "at": time.monotonic(), "answer": None,
                                    "chat_id": chat.id, "message_id": message_id}
        self.queue.push("callback_query", {
            "id": query_id, "from": user.to_api(), "message": message, "data": data,
            "chat_instance": str(abs(chat.id) * 7919 % 10**18)})
        return query_id

    def reply_button(self, user: SimUser, label: str, chat: SimChat | None = None) -> Json:
        """Press a reply-keyboard button: it sends text, a contact or a location."""
        chat = chat or self.private_chat(user)
        rows = (chat.reply_keyboard or {}).get("keyboard") or []
        buttons = [{"text": b} if isinstance(b, str) else b for row in rows for b in row]
        button = next((b for b in buttons if b.get("text") == label), None)
        if button is None:
            raise ValueError(f"no reply button {label!r}; buttons: "
                             f"{button_labels(chat.reply_keyboard)}")
        if button.get("request_contact"):
            return self.send_contact(user, chat)
        if button.get("request_location"):
            return self.send_location(user, chat)
        return self.send_text(user, label, chat)

    def _membership(self, chat: SimChat, by: SimUser, old: str, new: str) -> Json:
        chat.bot_status = new
        self.poke()
        return self.queue.push("my_chat_member", {
            "chat": chat.to_api(), "from": by.to_api(), "date": int(self.clock()),
            "old_chat_member": member_object(self.bot, old),
            "new_chat_member": member_object(self.bot, new)})

    def block(self, user: SimUser) -> Json:
        """Block the bot: later sends get 403 and the bot learns it at once."""
        chat = self.private_chat(user)
        return self._membership(chat, user, "member", "kicked")

    def unblock(self, user: SimUser) -> Json:
        """Unblock the bot (Telegram does this when a blocked user writes again)."""
        chat = self.private_chat(user)
        chat.started = True
        return self._membership(chat, user, "kicked", "member")
