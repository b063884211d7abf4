"""Failure injection: make the next calls of a method fail the ways Telegram's servers do.

Tests arm faults per method (`emu.faults.arm("deleteMessages", Fault.server())`); each armed
fault is used once, in order. A fault answers an HTTP error (5xx, or 429 with retry_after) or
drops the connection without an answer; `executed` lets the call take effect first, as when
Telegram did the work but the answer was lost on the way back.
"""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass

from simulator.spec import ApiError

__all__ = ["ConnectionDropped", "Fault", "Faults"]


class ConnectionDropped(Exception):
    """The emulator closes the connection instead of answering."""


@dataclass(frozen=True)
class Fault:
    """One injected failure: an HTTP error (`code`) or a dropped connection (`code` 0)."""

    code: int
    description: str = ""
    retry_after: int | None = None
    executed: bool = False
    hold: asyncio.Event | None = None  # answer only once the test sets it (a hung call)

    @classmethod
    def server(cls, code: int = 502, executed: bool = False) -> Fault:
        """A 5xx from Telegram's side (Bad Gateway by default)."""
        return cls(code, "Bad Gateway" if code == 502 else "Internal Server Error",
                   executed=executed)

    @classmethod
    def flood(cls, retry_after: int) -> Fault:
        """429 Too Many Requests with the seconds to wait."""
        return cls(429, f"Too Many Requests: retry after {retry_after}", retry_after)

    @classmethod
    def drop(cls, executed: bool = False) -> Fault:
        """No answer at all: the connection is closed."""
        return cls(0, "connection dropped", executed=executed)

    @classmethod
    def slow(cls, release: asyncio.Event) -> Fault:
        """Hang until `release` is set, then do the call and answer it normally."""
        return cls(200, "slow", executed=True, hold=release)

    @classmethod
    def stall(cls, release: asyncio.Event) -> Fault:
        """Hang until `release` is set, then drop the connection (nothing was done)."""
        return cls(0, "connection dropped", hold=release)

    def fail(self) -> None:
        """Raise what the client should see (a slow call sees nothing wrong)."""
        if self.code == 200:
            return
        if self.code == 0:
            raise ConnectionDropped(self.description)
        raise ApiError(self.code, self.description, retry_after=self.retry_after)


class Faults:
    """Armed faults by method name (case-insensitive), each used once."""

    def __init__(self) -> None:
        self._armed: dict[str, deque[Fault]] = {}
        self.used = 0

    def arm(self, method: str, *faults: Fault) -> None:
        """The next len(faults) calls of `method` fail as given, in order."""
        self._armed.setdefault(method.lower(), deque()).extend(faults)

    def clear(self) -> None:
        """Disarm everything."""
        self._armed.clear()

    def take(self, method: str) -> Fault | None:
        """The fault for this call of `method`, if one is armed."""
        queue = self._armed.get(method.lower())
        if not queue:
            return None
        self.used += 1
        return queue.popleft()
