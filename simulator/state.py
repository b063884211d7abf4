"""Users, chats, messages and recorded requests of the emulated Telegram."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

__all__ = ["RecordedRequest", "SimChat", "SimMessage", "SimUser", "StoredFile", "Topic"]

Json = dict[str, Any]


@dataclass(eq=False)
class SimUser:
    """A Telegram account: a simulated person or the bot itself."""

    id: int
    first_name: str
    username: str | None = None
    language_code: str | None = None
    last_name: str | None = None
    is_bot: bool = False

    @property
    def full_name(self) -> str:
        """Return first and last name as clients show them."""
        return f"{self.first_name} {self.last_name}" if self.last_name else self.first_name

    def to_api(self) -> Json:
        """Return the User object."""
        data: Json = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        return data


@dataclass(eq=False)
class Topic:
    """A forum topic; its id is the id of the service message that created it."""

    thread_id: int
    name: str
    icon_color: int = 7322096
    icon_custom_emoji_id: str | None = None
    closed: bool = False

    def to_api(self) -> Json:
        """Return the ForumTopic object."""
        data: Json = {"message_thread_id": self.thread_id, "name": self.name,
                      "icon_color": self.icon_color}
        if self.icon_custom_emoji_id:
            data["icon_custom_emoji_id"] = self.icon_custom_emoji_id
        return data


@dataclass(eq=False)
class SimChat:
    """A private chat, group, supergroup (maybe a forum) or channel."""

    id: int
    type: str
    title: str | None = None
    user: SimUser | None = None
    username: str | None = None
    is_forum: bool = False
    members: dict[int, SimUser] = field(default_factory=dict)
    admins: set[int] = field(default_factory=set)
    owner_id: int | None = None
    bot_status: str = "member"
    started: bool = False
    messages: dict[int, SimMessage] = field(default_factory=dict)
    next_message_id: int = 1
    topics: dict[int, Topic] = field(default_factory=dict)
    reply_keyboard: Json | None = None
    pinned: list[int] = field(default_factory=list)
    changes: list[tuple[int, int]] = field(default_factory=list)
    last_action: tuple[str, float] | None = None

    @property
    def blocked(self) -> bool:
        """Tell whether the user of a private chat has blocked the bot."""
        return self.type == "private" and self.bot_status == "kicked"

    @property
    def display_title(self) -> str:
        """Return the title clients show in the chat header."""
        if self.title:
            return self.title
        return self.user.full_name if self.user else str(self.id)

    def to_api(self) -> Json:
        """Return the Chat object."""
        data: Json = {"id": self.id, "type": self.type}
        if self.type == "private" and self.user:
            data.update({k: v for k, v in self.user.to_api().items()
                         if k in ("first_name", "last_name", "username")})
        else:
            data["title"] = self.title or ""
            if self.username:
                data["username"] = self.username
            if self.is_forum:
                data["is_forum"] = True
        return data

    def visible_messages(self) -> list[SimMessage]:
        """Return messages not deleted, oldest first."""
        return [m for m in self.messages.values() if not m.deleted]


@dataclass(eq=False)
class SimMessage:
    """A message as stored by the emulator; `text` holds the text or the caption."""

    chat: SimChat
    message_id: int
    from_bot: bool
    sender: SimUser | None
    date: int
    kind: str = "text"
    text: str | None = None
    entities: list[Json] = field(default_factory=list)
    reply_markup: Json | None = None
    thread_id: int | None = None
    content: Json = field(default_factory=dict)
    reply_to: SimMessage | None = None
    edits: int = 0
    edit_date: int | None = None
    deleted: bool = False
    reactions: list[Json] = field(default_factory=list)
    seq: int = 0

    @property
    def caption(self) -> str | None:
        """Return the caption of a media message."""
        return None if self.kind == "text" else self.text

    def to_api(self, with_reply: bool = True) -> Json:
        """Return the Message object as the Bot API shows it."""
        data: Json = {"message_id": self.message_id, "date": self.date,
                      "chat": self.chat.to_api()}
        if self.sender is not None:
            data["from"] = self.sender.to_api()
        if self.thread_id is not None:
            data["message_thread_id"] = self.thread_id
            data["is_topic_message"] = True
        if self.edit_date:
            data["edit_date"] = self.edit_date
        if self.reply_to is not None and with_reply:
            data["reply_to_message"] = self.reply_to.to_api(with_reply=False)
        data.update(self.content)
        if self.text is not None:
            key = "text" if self.kind == "text" else "caption"
            data[key] = self.text
            if self.entities:
                data["entities" if key == "text" else "caption_entities"] = self.entities
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            data["reply_markup"] = self.reply_markup
        return data


@dataclass
class RecordedRequest:
    """One Bot API call as received and answered."""

    method: str
    params: Json
    ok: bool = True
    error_code: int | None = None
    description: str | None = None
    result: Any = None
    at: float = field(default_factory=time.time)
    injected: bool = False  # failed by a test's fault (simulator/faults.py), not refused


@dataclass
class StoredFile:
    """A file the emulator knows by file_id."""

    file_id: str
    file_unique_id: str
    kind: str
    data: bytes | None = None
    filename: str | None = None
    mime_type: str | None = None
    url: str | None = None
