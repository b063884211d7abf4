"""Bot API methods about the bot itself: identity, commands, webhook, files."""

from __future__ import annotations

import json
import re
from typing import Any

from simulator.core import EmulatorState
from simulator.spec import bad_request
from simulator.webhook import Webhook

__all__ = ["BOT_HANDLERS"]

Json = dict[str, Any]

_SCOPES = {"default", "all_private_chats", "all_group_chats", "all_chat_administrators",
           "chat", "chat_administrators", "chat_member"}
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


def get_me(st: EmulatorState, p: Json) -> Json:
    """Describe the bot; privacy mode is on, as for a new bot."""
    return {**st.bot.to_api(), "can_join_groups": True, "can_read_all_group_messages": False,
            "supports_inline_queries": False, "can_connect_to_business": False,
            "has_main_web_app": False}


def _scope_key(st: EmulatorState, p: Json) -> tuple[str, str]:
    scope = p.get("scope") or {"type": "default"}
    if not isinstance(scope, dict) or scope.get("type") not in _SCOPES:
        raise bad_request("can't parse BotCommandScope JSON object")
    if scope["type"] in ("chat", "chat_administrators", "chat_member"):
        st.find_chat(scope.get("chat_id"))
    language = str(p.get("language_code") or "")
    if language and not re.fullmatch(r"[a-z]{2,3}", language):
        raise bad_request("invalid language code specified")
    return json.dumps(scope, sort_keys=True), language


def set_commands(st: EmulatorState, p: Json) -> bool:
    """Store the command list for a scope and language."""
    commands = p["commands"]
    if len(commands) > 100:
        raise bad_request("too many commands")
    for item in commands:
        if not _COMMAND_RE.match(str(item.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(item.get("description", "")).strip()) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    st.commands[_scope_key(st, p)] = [
        {"command": c["command"], "description": c["description"]} for c in commands]
    return True


def get_commands(st: EmulatorState, p: Json) -> list[Json]:
    """Return the command list for exactly this scope and language."""
    return list(st.commands.get(_scope_key(st, p), []))


def delete_commands(st: EmulatorState, p: Json) -> bool:
    """Forget the command list for a scope and language."""
    st.commands.pop(_scope_key(st, p), None)
    return True


def set_webhook(st: EmulatorState, p: Json) -> bool:
    """Start pushing updates to a URL (an empty URL removes the webhook)."""
    url = str(p["url"])
    if not url:
        st.queue.set_webhook(None, bool(p.get("drop_pending_updates")))
        return True
    if not url.startswith(("https://", "http://")):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret = p.get("secret_token")
    if secret is not None and not _SECRET_RE.match(str(secret)):
        raise bad_request("secret token contains unallowed characters")
    connections = int(p.get("max_connections") or 40)
    if not 1 <= connections <= 100:
        raise bad_request("bad max_connections")
    hook = Webhook(url, secret, connections, p.get("allowed_updates"))
    st.queue.set_webhook(hook, bool(p.get("drop_pending_updates")))
    return True


def delete_webhook(st: EmulatorState, p: Json) -> bool:
    """Go back to getUpdates."""
    st.queue.set_webhook(None, bool(p.get("drop_pending_updates")))
    return True


def webhook_info(st: EmulatorState, p: Json) -> Json:
    """Describe the webhook and the backlog."""
    pending = len(st.queue.pending)
    if st.queue.webhook is None:
        return {"url": "", "has_custom_certificate": False, "pending_update_count": pending}
    return st.queue.webhook.info(pending)


def get_file(st: EmulatorState, p: Json) -> Json:
    """Give a download path for a known file."""
    stored = st.files.get(str(p["file_id"]))
    if stored is None:
        raise bad_request("invalid file_id")
    data: Json = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
                  "file_path": f"{stored.kind}/{stored.file_id}"}
    if stored.data is not None:
        data["file_size"] = len(stored.data)
    return data


BOT_HANDLERS = {
    "getme": get_me, "setmycommands": set_commands, "getmycommands": get_commands,
    "deletemycommands": delete_commands, "setwebhook": set_webhook,
    "deletewebhook": delete_webhook, "getwebhookinfo": webhook_info, "getfile": get_file,
}
