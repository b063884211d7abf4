"""The outbox: every proactive message is a row, claimed, sent once and confirmed."""

from bot.outbox.store import Claimed, NewMessage, Outbox

__all__ = ["Claimed", "NewMessage", "Outbox"]
