"""The emulator's state: identities, chats, messages, files, and change notification."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from simulator.spec import ApiError, FileUpload, Spec, bad_request
from simulator.state import RecordedRequest, SimChat, SimMessage, SimUser, StoredFile
from simulator.updates import UpdateQueue

__all__ = ["EmulatorState", "resolve"]

Json = dict[str, Any]
T = TypeVar("T")
_FILE_ID_RE = re.compile(r"^[A-Za-z0-9_-]{24,}$")
MessageWaiter = tuple[Callable[[SimMessage], bool] | None, "asyncio.Future[SimMessage]"]


def resolve(future: asyncio.Future[T], predicate: Callable[[T], bool] | None, value: T) -> bool:
    """Give value to a waiting test if its predicate accepts it; a failing predicate fails it."""
    try:
        matched = predicate is None or predicate(value)
    except Exception as err:  # the test's own bug: report it to the test, not the bot
        future.set_exception(err)
        return True
    if matched:
        future.set_result(value)
    return matched


class EmulatorState:
    """Everything the emulated Telegram remembers, shared by the API methods."""

    def __init__(self, token: str, spec_path: Path | None) -> None:
        self.token = token
        self.spec = Spec(spec_path)
        digits = token.split(":", 1)[0]
        bot_id = int(digits) if digits.isdigit() else 123456
        self.bot = SimUser(bot_id, "Sokh", username="sokh_bot", is_bot=True)
        self.users: dict[int, SimUser] = {}
        self.taken_usernames: set[str] = set()
        self.chats: dict[int, SimChat] = {}
        self.usernames: dict[str, SimChat] = {}
        self.queue = UpdateQueue(self._run_webhook_reply)
        self.files: dict[str, StoredFile] = {}
        self.callbacks: dict[str, Json] = {}
        self.polls: dict[str, SimMessage] = {}
        self.commands: dict[tuple[str, str], list[Json]] = {}
        self.requests: list[RecordedRequest] = []
        self._errors: list[RecordedRequest] = []
        self.seq = 0
        self.callback_timeout: float | None = None
        self.bot_info: dict[str, Json] = {}
        self._next_user_id = 700_000_001
        self._next_group_id = 1
        self._counter = 0
        self._message_waiters: dict[int, list[MessageWaiter]] = {}
        self._changed = asyncio.Event()
        # Telegram's clock for message dates; `python -m simulator.screenshots` sets a fixed
        # one so the times shown under messages are the same on every run.
        self.clock: Callable[[], float] = time.time

    async def _run_webhook_reply(self, data: Json, uploads: dict[str, FileUpload]) -> None:
        raise NotImplementedError

    # -- identities -------------------------------------------------------------------

    def new_user_id(self) -> int:
        """Allocate a unique user id."""
        self._next_user_id += 1
        return self._next_user_id

    def new_group_id(self, kind: str) -> int:
        """Allocate a group id: -N for groups, -100N for supergroups and channels."""
        self._next_group_id += 1
        base = 4_000_000_000 + self._next_group_id
        return -base if kind == "group" else -(1_000_000_000_000 + base)

    def unique(self, prefix: str) -> str:
        """Return a fresh opaque identifier (file ids, query ids)."""
        self._counter += 1
        digest = hashlib.sha1(f"{self.token}:{self._counter}".encode()).hexdigest()[:20]
        return f"{prefix}{digest}"

    def add_chat(self, chat: SimChat) -> SimChat:
        """Register a chat by id and username."""
        self.chats[chat.id] = chat
        # Bots cannot address people by @username, only groups and channels.
        if chat.username and chat.type != "private":
            self.usernames[chat.username.lower()] = chat
        return chat

    def private_chat(self, user: SimUser) -> SimChat:
        """Return the private chat between a user and the bot."""
        chat = self.chats.get(user.id)
        if chat is None:
            chat = self.add_chat(SimChat(user.id, "private", user=user, username=user.username))
        return chat

    # -- lookups used by the API methods -----------------------------------------------

    def find_chat(self, chat_id: Any, key: str = "chat_id") -> SimChat:
        """Resolve an integer id or @username, or refuse like Telegram."""
        chat: SimChat | None = None
        if isinstance(chat_id, int):
            chat = self.chats.get(chat_id)
            if chat is None and chat_id in self.users:
                chat = self.private_chat(self.users[chat_id])
        elif isinstance(chat_id, str) and chat_id.startswith("@"):
            chat = self.usernames.get(chat_id[1:].lower())
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def sendable_chat(self, params: Json, key: str = "chat_id") -> SimChat:
        """Resolve the target chat and check that the bot may write there."""
        chat = self.find_chat(params.get(key), key)
        kind = "supergroup chat" if chat.type == "supergroup" else f"{chat.type} chat"
        if chat.type == "private":
            if chat.blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            if not chat.started:
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        elif chat.bot_status == "kicked":
            raise ApiError(403, f"Forbidden: bot was kicked from the {kind}")
        elif chat.bot_status == "left":
            raise ApiError(403, f"Forbidden: bot is not a member of the {kind}")
        elif chat.type == "channel" and chat.bot_status != "administrator":
            raise ApiError(403, "Forbidden: need administrator rights in the channel chat")
        return chat

    def thread_of(self, chat: SimChat, params: Json) -> int | None:
        """Check message_thread_id against the forum's topics."""
        thread = params.get("message_thread_id")
        if thread is None or not chat.is_forum:
            return None
        if thread not in chat.topics:
            raise bad_request("message thread not found")
        return int(thread)

    def message(self, chat: SimChat, message_id: Any, error: str) -> SimMessage:
        """Return a live message or refuse with Telegram's wording."""
        msg = chat.messages.get(message_id) if isinstance(message_id, int) else None
        if msg is None or msg.deleted:
            raise bad_request(error)
        return msg

    def reply_target(self, chat: SimChat, params: Json) -> SimMessage | None:
        """Resolve reply_parameters (or the legacy reply_to_message_id)."""
        reply = params.get("reply_parameters") or {}
        if isinstance(reply, dict) and "message_id" in reply:
            message_id = reply["message_id"]
            lenient = bool(reply.get("allow_sending_without_reply"))
        elif "reply_to_message_id" in params:
            message_id = params["reply_to_message_id"]
            lenient = bool(params.get("allow_sending_without_reply"))
        else:
            return None
        found = chat.messages.get(message_id)
        if (found is None or found.deleted) and not lenient:
            raise bad_request("message to be replied not found")
        return found if found is not None and not found.deleted else None

    # -- files ------------------------------------------------------------------------

    def store_file(self, kind: str, value: Any) -> StoredFile:
        """Accept an upload, an HTTP URL or a known file_id, as Telegram does."""
        if isinstance(value, FileUpload):
            stored = StoredFile(self.unique("AgAD"), self.unique("u"), kind, value.data,
                                value.filename, value.content_type)
        elif isinstance(value, str) and value.startswith(("http://", "https://")):
            stored = StoredFile(self.unique("AgAD"), self.unique("u"), kind, url=value)
        elif isinstance(value, str) and value in self.files:
            return self.files[value]
        elif isinstance(value, str) and _FILE_ID_RE.match(value):
            # Looks like a real Telegram file_id (say, a sticker in content): accept it.
            stored = StoredFile(value, self.unique("u"), kind)
        else:
            raise bad_request("wrong file identifier/HTTP URL specified")
        self.files[stored.file_id] = stored
        return stored

    # -- messages and change notification ----------------------------------------------

    def new_message(self, chat: SimChat, sender: SimUser | None, **fields: Any) -> SimMessage:
        """Store a new message with the chat's next message_id."""
        msg = SimMessage(chat=chat, message_id=chat.next_message_id,
                         from_bot=sender is self.bot, sender=sender,
                         date=int(self.clock()), **fields)
        chat.next_message_id += 1
        chat.messages[msg.message_id] = msg
        self.touch(msg)
        return msg

    def service_message(self, chat: SimChat, thread_id: int | None, kind: str,
                        body: Json) -> SimMessage:
        """Store a service message such as forum_topic_created."""
        return self.new_message(chat, self.bot, kind=kind, thread_id=thread_id,
                                content={kind: body})

    def touch(self, msg: SimMessage, notify: bool = True) -> None:
        """Mark a message changed: page cursors advance; waiters get new or edited ones."""
        self.seq += 1
        msg.seq = self.seq
        msg.chat.changes.append((self.seq, msg.message_id))
        self.poke()
        if notify and msg.from_bot and not msg.deleted:
            self._notify_waiters(msg)

    def _notify_waiters(self, msg: SimMessage) -> None:
        waiters = self._message_waiters.get(msg.chat.id)
        if not waiters:
            return
        keep: list[MessageWaiter] = []
        for predicate, future in waiters:
            if not future.done() and not resolve(future, predicate, msg):
                keep.append((predicate, future))
        self._message_waiters[msg.chat.id] = keep

    def add_message_waiter(self, chat: SimChat, waiter: MessageWaiter) -> None:
        """Register a future resolved by the next matching bot message in chat."""
        self._message_waiters.setdefault(chat.id, []).append(waiter)

    def poke(self) -> None:
        """Wake page long-polls for a change that is not a message (typing, topics)."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_changed(self, timeout: float) -> None:
        """Wait until any message changes, or timeout."""
        event = self._changed
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), timeout)

    def record(self, request: RecordedRequest) -> None:
        """Append a request to the log (and to the errors when refused, not injected)."""
        self.requests.append(request)
        if not request.ok and not request.injected:
            self._errors.append(request)
