"""Bot API methods about chats, members and forum topics."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from simulator.core import EmulatorState
from simulator.spec import bad_request
from simulator.state import SimChat, SimUser, Topic

__all__ = ["CHAT_HANDLERS", "member_object", "member_status"]

Json = dict[str, Any]
Handler = Callable[[EmulatorState, Json], Any]

_ICON_COLORS = {7322096, 16766590, 13338331, 9367192, 16749490, 16478047}
_ADMIN_RIGHTS = (
    "can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members",
    "can_change_info", "can_invite_users", "can_pin_messages", "can_manage_topics",
)
_NO_RIGHTS = ("can_be_edited", "is_anonymous", "can_promote_members", "can_post_stories",
              "can_edit_stories", "can_delete_stories", "can_send_welcome_messages")


def member_status(st: EmulatorState, chat: SimChat, user_id: int) -> str:
    """Return creator/administrator/member/left/kicked for a user in a chat."""
    if user_id == st.bot.id:
        return chat.bot_status
    if chat.type == "private":
        return "member" if chat.user and chat.user.id == user_id else "left"
    if chat.owner_id == user_id:
        return "creator"
    if user_id in chat.admins:
        return "administrator"
    return "member" if user_id in chat.members else "left"


def member_object(user: SimUser, status: str) -> Json:
    """Build the ChatMember variant for a status."""
    data: Json = {"status": status, "user": user.to_api()}
    if status == "creator":
        data["is_anonymous"] = False
    elif status == "administrator":
        data.update(dict.fromkeys(_ADMIN_RIGHTS, True), **dict.fromkeys(_NO_RIGHTS, False))
    elif status == "kicked":
        data["until_date"] = 0
    return data


def get_chat(st: EmulatorState, p: Json) -> Json:
    """Return ChatFullInfo."""
    chat = st.find_chat(p["chat_id"])
    info = {**chat.to_api(), "accent_color_id": 0, "max_reaction_count": 11,
            "accepted_gift_types": dict.fromkeys(
                ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription",
                 "gifts_from_channels"), False)}
    if chat.pinned:
        info["pinned_message"] = chat.messages[chat.pinned[-1]].to_api()
    return info


def get_chat_member(st: EmulatorState, p: Json) -> Json:
    """Return one member's status."""
    chat = st.find_chat(p["chat_id"])
    user_id = int(p["user_id"])
    user = st.bot if user_id == st.bot.id else st.users.get(user_id)
    if user is None:
        raise bad_request("user not found")
    return member_object(user, member_status(st, chat, user_id))


def get_admins(st: EmulatorState, p: Json) -> list[Json]:
    """List the creator and administrators (the bot too when it is one)."""
    chat = st.find_chat(p["chat_id"])
    if chat.type == "private":
        raise bad_request("there are no administrators in the private chat")
    ids = [i for i in chat.members if i == chat.owner_id or i in chat.admins]
    found = [member_object(chat.members[i], member_status(st, chat, i)) for i in ids]
    if chat.bot_status == "administrator":
        found.append(member_object(st.bot, "administrator"))
    return found


def get_member_count(st: EmulatorState, p: Json) -> int:
    """Count members, the bot included when it is in the chat."""
    chat = st.find_chat(p["chat_id"])
    present = chat.bot_status in ("member", "administrator")
    return len(chat.members) + (1 if present else 0) if chat.type != "private" else 2


def leave_chat(st: EmulatorState, p: Json) -> bool:
    """Leave a group or channel."""
    st.find_chat(p["chat_id"]).bot_status = "left"
    return True


def _forum(st: EmulatorState, p: Json) -> SimChat:
    chat = st.sendable_chat(p)
    if not chat.is_forum:
        raise bad_request("the chat is not a forum")
    if chat.bot_status != "administrator":
        raise bad_request("not enough rights to manage topics")
    return chat


def _topic(chat: SimChat, p: Json) -> Topic:
    topic = chat.topics.get(p["message_thread_id"])
    if topic is None:
        raise bad_request("message thread not found")
    return topic


def create_topic(st: EmulatorState, p: Json) -> Json:
    """Create a forum topic; its id is that of the service message opening it."""
    chat = _forum(st, p)
    name = str(p["name"]).strip()
    if not 1 <= len(name) <= 128:
        raise bad_request("TOPIC_TITLE_EMPTY" if not name else "topic name is too long")
    color = int(p.get("icon_color") or 7322096)
    if color not in _ICON_COLORS:
        raise bad_request("TOPIC_ICON_COLOR_INVALID")
    topic = Topic(chat.next_message_id, name, color, p.get("icon_custom_emoji_id"))
    chat.topics[topic.thread_id] = topic
    st.service_message(chat, topic.thread_id, "forum_topic_created",
                    {"name": name, "icon_color": color})
    return topic.to_api()


def edit_topic(st: EmulatorState, p: Json) -> bool:
    """Rename a topic or change its icon."""
    chat = _forum(st, p)
    topic = _topic(chat, p)
    name = p.get("name") or topic.name
    emoji = p.get("icon_custom_emoji_id", topic.icon_custom_emoji_id)
    if (name, emoji) == (topic.name, topic.icon_custom_emoji_id):
        raise bad_request("TOPIC_NOT_MODIFIED")
    topic.name, topic.icon_custom_emoji_id = name, emoji
    st.service_message(chat, topic.thread_id, "forum_topic_edited", {"name": name})
    return True


def _close(closed: bool) -> Handler:
    def handler(st: EmulatorState, p: Json) -> bool:
        chat = _forum(st, p)
        topic = _topic(chat, p)
        if topic.closed == closed:
            raise bad_request("TOPIC_NOT_MODIFIED")
        topic.closed = closed
        kind = "forum_topic_closed" if closed else "forum_topic_reopened"
        st.service_message(chat, topic.thread_id, kind, {})
        return True

    return handler


def delete_topic(st: EmulatorState, p: Json) -> bool:
    """Delete a topic with all its messages."""
    chat = _forum(st, p)
    topic = chat.topics.pop(_topic(chat, p).thread_id)
    for msg in list(chat.messages.values()):
        if msg.thread_id == topic.thread_id and not msg.deleted:
            msg.deleted = True
            st.touch(msg)
    return True


CHAT_HANDLERS: dict[str, Handler] = {
    "getchat": get_chat, "getchatmember": get_chat_member,
    "getchatadministrators": get_admins, "getchatmembercount": get_member_count,
    "leavechat": leave_chat, "createforumtopic": create_topic, "editforumtopic": edit_topic,
    "closeforumtopic": _close(True), "reopenforumtopic": _close(False),
    "deleteforumtopic": delete_topic,
}
