"""Other things that happen to the bot: votes, channel posts, inline queries, groups."""

from __future__ import annotations

import time
from typing import Any

from simulator.actions import UserActions, auto_entities
from simulator.registry import register_update
from simulator.state import SimChat, SimMessage, SimUser

__all__ = ["UserEvents"]

Json = dict[str, Any]


class UserEvents(UserActions):
    """Events beyond writing and tapping, each producing the update Telegram would send."""

    def vote(self, user: SimUser, message: SimMessage, option_ids: list[int]) -> Json:
        """Answer a poll or quiz; returns the poll_answer (or poll) update."""
        poll = message.content.get("poll")
        if poll is None or poll["is_closed"]:
            raise ValueError("no open poll in this message")
        for index in option_ids:
            poll["options"][index]["voter_count"] += 1
        poll["total_voter_count"] += 1
        self.touch(message, notify=False)  # a vote is not a new bot message
        update = self.queue.push("poll", dict(poll))
        if not poll["is_anonymous"]:
            update = self.queue.push("poll_answer", {
                "poll_id": poll["id"], "user": user.to_api(), "option_ids": option_ids,
                "option_persistent_ids": [str(i) for i in option_ids]})
        return update

    def channel_post(self, text: str, chat: SimChat | None = None) -> Json:
        """Post in a channel where the bot is an administrator."""
        if chat is None:
            chat = next((c for c in self.chats.values() if c.type == "channel"), None)
            chat = chat or self.add_chat(SimChat(self.new_group_id("channel"), "channel",
                                                 title="Sokh news",
                                                 bot_status="administrator"))
        msg = self.new_message(chat, None, text=text, entities=auto_entities(text),
                               content={"sender_chat": chat.to_api()})
        return self.queue.push("channel_post", msg.to_api())

    def inline_query(self, user: SimUser, query: str) -> Json:
        """Type @sokh_bot <query> in any chat."""
        query_id = self.unique("")
        self.callbacks["inline:" + query_id] = {"answered": False, "at": time.monotonic(),
                                                "answer": None}
        return self.queue.push("inline_query", {"id": query_id, "from": user.to_api(),
                                                "query": query, "offset": "",
                                                "chat_type": "sender"})

    def add_bot_to_group(self, chat: SimChat, by: SimUser, as_admin: bool = False) -> Json:
        """Add the bot to a group: my_chat_member plus the new_chat_members message."""
        old = chat.bot_status if chat.bot_status in ("left", "kicked") else "left"
        chat.members.setdefault(by.id, by)
        update = self._membership(chat, by, old, "administrator" if as_admin else "member")
        msg = self.new_message(chat, by, kind="new_chat_members",
                               content={"new_chat_members": [self.bot.to_api()]})
        self.queue.push("message", msg.to_api())
        return update

    def remove_bot_from_group(self, chat: SimChat, by: SimUser) -> Json:
        """Remove the bot from a group."""
        return self._membership(chat, by, chat.bot_status, "left")

    def push_update(self, raw: Json) -> Json:
        """Queue a raw update (its update_id is replaced); its users and chats get known."""
        body = {k: v for k, v in raw.items() if k != "update_id"}
        if len(body) != 1:
            raise ValueError("an update has exactly one field besides update_id")
        kind, payload = next(iter(body.items()))
        register_update(self, kind, payload)
        return self.queue.push(kind, payload)
