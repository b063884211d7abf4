"""Polls and quizzes: sendPoll and stopPoll."""

from __future__ import annotations

from typing import Any

from simulator.api_edit import bot_chat
from simulator.api_send import deliver
from simulator.core import EmulatorState
from simulator.formatting import format_text
from simulator.html_check import utf16_len
from simulator.markup import check_markup
from simulator.spec import bad_request

__all__ = ["POLL_HANDLERS"]

Json = dict[str, Any]


def _as_index(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise bad_request("wrong correct option id") from None


def send_poll(st: EmulatorState, p: Json) -> Json:
    """Send a poll or a quiz."""
    chat = st.sendable_chat(p)
    question, q_entities = format_text(str(p["question"]), p.get("question_parse_mode"),
                                       p.get("question_entities"))
    if not question or utf16_len(question) > 300:
        raise bad_request("poll question length must be 1-300")
    texts = [o if isinstance(o, str) else str((o or {}).get("text", "")) for o in p["options"]]
    if not 2 <= len(texts) <= 12:
        raise bad_request("poll must have 2-12 options")
    if any(not t.strip() or utf16_len(t) > 100 for t in texts):
        raise bad_request("poll options length must be 1-100")
    kind = p.get("type") or "regular"
    correct = [_as_index(c) for c in p.get("correct_option_ids") or (
        [p["correct_option_id"]] if p.get("correct_option_id") is not None else [])]
    if kind not in ("regular", "quiz"):
        raise bad_request("poll type is invalid")
    if kind == "quiz" and (not correct or any(not 0 <= c < len(texts) for c in correct)):
        raise bad_request("wrong correct option id")
    poll: Json = {
        "id": st.unique(""), "question": question, "total_voter_count": 0,
        "options": [{"persistent_id": str(i), "text": t, "voter_count": 0}
                    for i, t in enumerate(texts)],
        "is_closed": bool(p.get("is_closed")), "is_anonymous": p.get("is_anonymous", True),
        "type": kind, "allows_multiple_answers": bool(p.get("allows_multiple_answers")),
        "allows_revoting": kind != "quiz", "members_only": False,
    }
    if q_entities:
        poll["question_entities"] = q_entities
    if kind == "quiz":
        poll.update(correct_option_id=int(correct[0]), correct_option_ids=correct)
    if p.get("explanation"):
        poll["explanation"], _ = format_text(str(p["explanation"]),
                                             p.get("explanation_parse_mode"))
    msg = deliver(st, p, "poll", chat, content={"poll": poll})
    st.polls[poll["id"]] = msg
    return msg.to_api()


def stop_poll(st: EmulatorState, p: Json) -> Json:
    """Close a poll the bot sent."""
    msg = st.message(bot_chat(st, p), p["message_id"], "message with poll to stop not found")
    poll = msg.content.get("poll")
    if poll is None or not msg.from_bot:
        raise bad_request("poll can't be stopped")
    if poll["is_closed"]:
        raise bad_request("poll has already been closed")
    poll["is_closed"] = True
    msg.reply_markup = check_markup(p.get("reply_markup"), inline_only=True)
    st.touch(msg)
    return dict(poll)


POLL_HANDLERS = {"sendpoll": send_poll, "stoppoll": stop_poll}
