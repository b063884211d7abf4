"""The flood gate on raw updates: counted per sender, dropped unparsed, noted for quick exit."""

from __future__ import annotations

from typing import Any

from bot.pipeline.flood_gate import FloodGate

Json = dict[str, Any]


def _text(update_id: int, user: int, chat_type: str = "private") -> Json:
    chat = {"id": user if chat_type == "private" else -100, "type": chat_type}
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": 0, "chat": chat, "from": {"id": user, "is_bot": False,
                                                                     "first_name": "A"},
        "text": "hi"}}


def _tap(update_id: int, user: int) -> Json:
    message = _text(update_id, user)["message"]
    return {"update_id": update_id, "callback_query": {
        "id": str(update_id), "from": message["from"], "message": message, "data": "x",
        "chat_instance": "1"}}


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_over_the_limit_is_dropped_counted_and_noted_but_one_goes_on_to_be_told() -> None:
    noted: list[tuple[int, int]] = []
    gate = FloodGate(3, 2.0, lambda chat, message: noted.append((chat, message)), Clock())
    verdicts = [gate.admit(_text(n, 7)) for n in range(10)]
    # Three within the limit, a fourth so the person is told, the rest dropped.
    assert verdicts == [True] * 4 + [False] * 6
    assert gate.dropped == 6
    assert noted == [(7, n) for n in range(4, 10)]


def test_others_taps_groups_and_a_new_window_pass() -> None:
    clock = Clock()
    gate = FloodGate(1, 2.0, monotonic=clock)
    for n in range(5):
        gate.admit(_tap(n, 7))
    assert not gate.admit(_tap(5, 7))
    assert gate.admit(_text(6, 8))  # someone else
    assert all(gate.admit(_text(7 + n, 7, "supergroup")) for n in range(5))
    assert gate.admit({"update_id": 20, "poll": {"id": "p"}})
    clock.now = 2.5
    assert gate.admit(_text(21, 7))


def test_a_batch_keeps_its_last_id_so_polling_confirms_the_dropped() -> None:
    gate = FloodGate(1, 2.0, monotonic=Clock())
    batch = [_text(n, 7) for n in range(1, 6)] + [_text(6, 8)]
    kept = gate.filter_batch(batch)
    assert [u["update_id"] for u in kept] == [1, 2, 6]
    kept = gate.filter_batch([_text(n, 7) for n in range(7, 10)])
    assert kept == [{"update_id": 9}]
