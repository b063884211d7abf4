"""The remaining Bot API methods: bot profile, inline answers, links, and the fallback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from simulator.api_bot import BOT_HANDLERS
from simulator.api_chats import CHAT_HANDLERS
from simulator.api_edit import EDIT_HANDLERS, QUERY_TOO_OLD
from simulator.api_polls import POLL_HANDLERS
from simulator.api_send import SEND_HANDLERS, deliver
from simulator.core import EmulatorState
from simulator.spec import MethodSpec, bad_request

__all__ = ["HANDLERS", "fallback"]

Json = dict[str, Any]
Handler = Callable[[EmulatorState, Json], Any]

_PROFILE = {"name": "Sokh", "description": "", "short_description": ""}


def _profile_setter(key: str) -> Handler:
    def handler(st: EmulatorState, p: Json) -> bool:
        language = str(p.get("language_code") or "")
        st.bot_info.setdefault(language, {})[key] = str(p.get(key) or "")
        return True

    return handler


def _profile_getter(key: str) -> Handler:
    def handler(st: EmulatorState, p: Json) -> Json:
        language = str(p.get("language_code") or "")
        stored = st.bot_info.get(language, {}).get(key)
        if stored is None:
            stored = st.bot_info.get("", {}).get(key, _PROFILE[key])
        return {key: stored}

    return handler


def answer_inline(st: EmulatorState, p: Json) -> bool:
    """Answer an inline query with at most 50 results."""
    query = st.callbacks.get("inline:" + str(p["inline_query_id"]))
    if query is None or query["answered"]:
        raise bad_request(QUERY_TOO_OLD)
    if len(p["results"]) > 50:
        raise bad_request("RESULTS_TOO_MUCH")
    query["answered"] = True
    query["answer"] = {"results": p["results"]}
    return True


def invite_link(st: EmulatorState, p: Json) -> Json:
    """Create a ChatInviteLink."""
    st.find_chat(p["chat_id"])
    return {"invite_link": "https://t.me/+" + st.unique(""), "creator": st.bot.to_api(),
            "creates_join_request": bool(p.get("creates_join_request")),
            "is_primary": False, "is_revoked": False}


def export_link(st: EmulatorState, p: Json) -> str:
    """Return a new primary invite link."""
    st.find_chat(p["chat_id"])
    return "https://t.me/+" + st.unique("")


def fallback(st: EmulatorState, method: MethodSpec, p: Json) -> Any:
    """Answer a valid call that has no emulation with a result of the right shape."""
    returns = method.returns
    if returns == ("Message",) and "chat_id" in p:
        kind = method.name.removeprefix("send").lower() or "message"
        # Only the dice has a body simple enough to fake; others stay bare, still valid.
        content = ({"dice": {"emoji": p.get("emoji") or "🎲", "value": 3}}
                   if kind == "dice" else {})
        return deliver(st, p, kind, content=content).to_api()
    if returns == ("Integer",):
        return 0
    if returns == ("String",):
        return ""
    if returns and returns[0].startswith("Array of"):
        return []
    return True


HANDLERS: dict[str, Handler] = {
    **SEND_HANDLERS,
    **EDIT_HANDLERS,
    **CHAT_HANDLERS,
    **BOT_HANDLERS,
    **POLL_HANDLERS,
    "setmyname": _profile_setter("name"),
    "getmyname": _profile_getter("name"),
    "setmydescription": _profile_setter("description"),
    "getmydescription": _profile_getter("description"),
    "setmyshortdescription": _profile_setter("short_description"),
    "getmyshortdescription": _profile_getter("short_description"),
    "getchatmenubutton": lambda st, p: {"type": "default"},
    "getuserprofilephotos": lambda st, p: {"total_count": 0, "photos": []},
    "answerinlinequery": answer_inline,
    "createchatinvitelink": invite_link,
    "exportchatinvitelink": export_link,
    "logout": lambda st, p: True,
    "close": lambda st, p: True,
}
