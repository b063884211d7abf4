"""The web chat page: static files and the JSON routes under /sim/api/."""

from __future__ import annotations

import asyncio
import bisect
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiohttp import web

from simulator.demo import Tab
from simulator.state import SimChat, SimMessage, SimUser

if TYPE_CHECKING:
    from simulator.emulator import BotApiEmulator

__all__ = ["STATIC_DIR", "add_web_routes", "page_message"]

Json = dict[str, Any]
STATIC_DIR = Path(__file__).parent / "static"
_HISTORY = 300
_TYPING_SECONDS = 5.0


def page_message(msg: SimMessage) -> Json:
    """Serialize a message for the page: the Bot API Message plus display hints."""
    if msg.deleted:
        return {"message_id": msg.message_id, "deleted": True, "seq": msg.seq}
    data = msg.to_api()
    data.update(seq=msg.seq, from_bot=msg.from_bot, kind=msg.kind, edited=msg.edits > 0,
                sender_name=msg.sender.full_name if msg.sender else msg.chat.display_title)
    if "photo" in msg.content:
        file_id = msg.content["photo"][-1]["file_id"]
        data["photo_url"] = f"/sim/api/files/{file_id}"
    if msg.reply_markup and msg.reply_markup.get("force_reply"):
        # The Bot API Message omits it, but clients open the reply box for it.
        data["force_reply"] = {"selective": bool(msg.reply_markup.get("selective"))}
    return data


def _user_json(user: SimUser, chat: SimChat | None = None) -> Json:
    admin = chat is not None and (user.id in chat.admins or user.id == chat.owner_id)
    return {"id": user.id, "name": user.full_name, "username": user.username,
            "language_code": user.language_code, "admin": admin}


def _signature(chat: SimChat) -> tuple[Any, ...]:
    """What the header shows besides messages; a change ends the long poll early."""
    topics = tuple((t.name, t.closed) for t in chat.topics.values())
    return chat.last_action, chat.blocked, topics, len(chat.members)


def _replied(chat: SimChat, body: Json) -> SimMessage | None:
    """The message a page action replies to, if it names one still in the chat."""
    message_id = body.get("reply_to")
    found = chat.messages.get(int(message_id)) if message_id else None
    return found if found is not None and not found.deleted else None


async def _json_body(request: web.Request) -> Json:
    """Read a JSON object; requiring the JSON type keeps other sites' forms out (CORS)."""
    if request.content_type != "application/json":
        raise web.HTTPUnsupportedMediaType(text="send application/json")
    body = await request.json()
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text="expected a JSON object")
    return body


class PageApi:
    """Handlers of the page's JSON API."""

    def __init__(self, emu: BotApiEmulator) -> None:
        self.emu = emu

    def tabs(self) -> list[Tab]:
        """Return the demo tabs, or one tab per known chat without a demo."""
        if self.emu.scenario is not None:
            return self.emu.scenario.tabs
        found: list[Tab] = []
        for chat in self.emu.chats.values():
            user = chat.user or next(iter(chat.members.values()), None)
            if user is not None and chat.type != "channel":
                found.append(Tab(str(chat.id), chat.display_title, chat, user,
                                 chat.type == "private"))
        return found

    def chat_json(self, chat: SimChat) -> Json:
        """Describe a chat for the header, the topic bar and the user switch."""
        people = ([u for u in self.emu.users.values()] if chat.type == "private"
                  else list(chat.members.values()))
        action = chat.last_action
        typing = action is not None and time.monotonic() - action[1] < _TYPING_SECONDS
        return {"id": chat.id, "type": chat.type, "title": chat.display_title,
                "is_forum": chat.is_forum, "blocked": chat.blocked,
                "typing": action[0] if typing and action else None,
                "members": [_user_json(u, chat) for u in people],
                "topics": [{**t.to_api(), "closed": t.closed} for t in chat.topics.values()],
                "reply_keyboard": chat.reply_keyboard}

    async def state(self, request: web.Request) -> web.Response:
        """Return the bot, the tabs and their chats."""
        tabs = []
        for tab in self.tabs():
            chat = tab.chat or self.emu.private_chat(tab.user)
            tabs.append({"key": tab.key, "label": tab.label, "private": tab.private,
                         "user_id": tab.user.id, "chat": self.chat_json(chat)})
        bot = {"name": self.emu.bot.first_name, "username": self.emu.bot.username}
        return web.json_response({"bot": bot, "tabs": tabs})

    def _chat(self, request: web.Request) -> SimChat:
        chat_id = int(request.match_info["chat_id"])
        chat = self.emu.chats.get(chat_id)
        if chat is None and chat_id in self.emu.users:
            chat = self.emu.private_chat(self.emu.users[chat_id])
        if chat is None:
            raise web.HTTPNotFound(text="no such chat")
        return chat

    async def messages(self, request: web.Request) -> web.Response:
        """Return messages changed after the cursor, long-polling up to `wait` seconds."""
        chat = self._chat(request)
        initial = "since" not in request.query
        since = 0 if initial else int(request.query["since"])
        deadline = time.monotonic() + min(float(request.query.get("wait", "0")), 30.0)
        before = _signature(chat)
        while not initial:
            start = bisect.bisect_right(chat.changes, (since, 1 << 62))
            if start < len(chat.changes) or _signature(chat) != before:
                break
            if time.monotonic() >= deadline or self.emu.queue.closing:
                break
            await self.emu.wait_changed(deadline - time.monotonic())
        cursor = self.emu.seq
        if not initial:
            start = bisect.bisect_right(chat.changes, (since, 1 << 62))
            ids = dict.fromkeys(mid for _, mid in chat.changes[start:])
            msgs = [chat.messages[i] for i in ids]
        else:
            msgs = chat.visible_messages()[-_HISTORY:]
        return web.json_response({"cursor": cursor, "chat": self.chat_json(chat),
                                  "messages": [page_message(m) for m in msgs]})

    async def act(self, request: web.Request) -> web.Response:
        """Do something as a simulated user: send, click, vote, share, block."""
        chat = self._chat(request)
        body = await _json_body(request)
        user = self.emu.users.get(int(body.get("user_id", 0)))
        if user is None:
            raise web.HTTPBadRequest(text="unknown user")
        action = request.match_info["action"]
        handler = self._actions().get(action)
        if handler is None:
            raise web.HTTPNotFound(text="unknown action")
        try:
            result = await handler(user, chat, body)
        except (ValueError, KeyError) as err:
            raise web.HTTPBadRequest(text=str(err)) from None
        return web.json_response({"ok": True, **result})

    def _actions(self) -> dict[str, Callable[[SimUser, SimChat, Json], Awaitable[Json]]]:
        return {"send": self._send, "click": self._click, "sample": self._sample,
                "reply_button": self._reply_button, "vote": self._vote,
                "block": self._block}

    async def _send(self, user: SimUser, chat: SimChat, body: Json) -> Json:
        text = str(body.get("text", "")).strip()
        if not text:
            raise ValueError("empty message")
        thread = body.get("thread_id")
        self.emu.send_text(user, text, chat, thread_id=int(thread) if thread else None,
                           reply_to=_replied(chat, body))
        return {}

    async def _click(self, user: SimUser, chat: SimChat, body: Json) -> Json:
        query_id = self.emu.click_raw(user, int(body["message_id"]), str(body["data"]), chat)
        for _ in range(60):  # the bot should answer within a few seconds; show it as a toast
            answer = self.emu.callback_answer(query_id)
            if answer is not None:
                return {"answer": answer}
            await asyncio.sleep(0.05)
        return {"answer": None}

    async def _sample(self, user: SimUser, chat: SimChat, body: Json) -> Json:
        kinds: dict[str, Callable[[SimUser, SimChat], Json]] = {
            "sticker": self.emu.send_sticker, "photo": self.emu.send_photo,
            "voice": self.emu.send_voice, "document": self.emu.send_document,
            "location": self.emu.send_location, "contact": self.emu.send_contact}
        replied = _replied(chat, body)
        if body["kind"] == "location" and replied is not None:
            # A pin shared in reply to the bot, as Telegram allows (and privacy mode lets in).
            point = {"latitude": 11.5564, "longitude": 104.9282}
            self.emu.user_message(user, chat, "location", content={"location": point},
                                  reply_to=replied)
            return {}
        kinds[str(body["kind"])](user, chat)
        return {}

    async def _reply_button(self, user: SimUser, chat: SimChat, body: Json) -> Json:
        self.emu.reply_button(user, str(body["label"]), chat)
        return {}

    async def _vote(self, user: SimUser, chat: SimChat, body: Json) -> Json:
        msg = chat.messages[int(body["message_id"])]
        self.emu.vote(user, msg, [int(i) for i in body["option_ids"]])
        return {}

    async def _block(self, user: SimUser, chat: SimChat, body: Json) -> Json:
        if chat.type != "private":
            raise ValueError("only private chats can be blocked")
        if chat.blocked:
            self.emu.unblock(user)
        else:
            self.emu.block(user)
        return {"blocked": chat.blocked}

    async def new_user(self, request: web.Request) -> web.Response:
        """Create a new simulated person (to try the bot as a first-time user)."""
        body = await _json_body(request)
        name = str(body.get("first_name") or "Guest").strip()[:64] or "Guest"
        language = str(body.get("language_code") or "km")[:8]
        user = self.emu.add_user(name, None, language)
        return web.json_response(_user_json(user))

    async def file(self, request: web.Request) -> web.StreamResponse:
        """Serve an uploaded file, or a local placeholder (never a remote URL)."""
        stored = self.emu.files.get(request.match_info["file_id"])
        if stored is None or stored.data is None:
            return web.FileResponse(STATIC_DIR / "sample-photo.svg")
        return web.Response(body=stored.data, content_type=stored.mime_type or "image/jpeg")

    async def index(self, request: web.Request) -> web.StreamResponse:
        """Serve the chat page."""
        return web.FileResponse(STATIC_DIR / "index.html",
                                headers={"Cache-Control": "no-cache"})


def add_web_routes(app: web.Application, emu: BotApiEmulator) -> None:
    """Mount the page, its static files and its JSON API on the emulator's app."""
    api = PageApi(emu)
    app.router.add_get("/", api.index)
    app.router.add_static("/static/", STATIC_DIR)
    app.router.add_get("/sim/api/state", api.state)
    app.router.add_get("/sim/api/chats/{chat_id}/messages", api.messages)
    app.router.add_post("/sim/api/chats/{chat_id}/{action}", api.act)
    app.router.add_post("/sim/api/users", api.new_user)
    app.router.add_get("/sim/api/files/{file_id}", api.file)
