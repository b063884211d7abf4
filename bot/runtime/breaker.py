"""Remember for a few seconds that a dependency failed, so the next update does not wait on it.

A Redis or PostgreSQL that hangs costs each caller its full timeout. After one failure the
callers that have a memory fallback go straight to it for `cool_s`, then try again: at most
one update per cool-down pays the wait, and service resumes by itself (docs/deploy.md).
"""

from __future__ import annotations

import time
from collections.abc import Callable

COOL_S = 5.0
# The budgets of a Redis call, in one place. Any call: also the client's socket timeouts, so a
# hanging Redis costs an update at most this, once per cool-down (the crisis reply is due
# within a second: docs/deploy.md, "Degraded, not down").
REDIS_TIMEOUT_S = 0.5
# A look every message waits for (its flood count, a risk-word reply's conversation state, a
# chat's shared send slot): past this, the process's own memory answers.
IN_LINE_TIMEOUT_S = 0.3


class Breaker:
    """Open (skip the dependency) for `cool_s` after a failure; closed otherwise."""

    def __init__(self, cool_s: float = COOL_S,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._cool, self._monotonic = cool_s, monotonic
        self._until = float("-inf")
        self.trips = 0  # how many failures opened it (for metrics and tests)

    @property
    def open(self) -> bool:
        """True while the dependency is being skipped."""
        return self._monotonic() < self._until

    def trip(self) -> None:
        """A call failed or hung: skip the dependency for the cool-down."""
        self.trips += 1
        self._until = self._monotonic() + self._cool
