"""The load generator's garbage collector, kept out of the figures it takes."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def quiet_collector() -> Iterator[None]:
    """Freeze this process's heap for the block, so full collections skip it."""
    # This process is the load generator and the emulator, not the bot under test. Its
    # heap (the Bot API spec, every recorded request, what earlier benchmarks left) made
    # full collections pause it for up to 0.3 s mid-run, stalling the bot being measured.
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
