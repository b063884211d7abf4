"""`make bench`: run every benchmark and write bench/results.json."""

from __future__ import annotations

import asyncio
import json
import logging
import platform
from datetime import UTC, datetime
from pathlib import Path

from bench.crisis import crisis_metrics
from bench.relay import relay_metrics
from bench.scale import scale_metrics
from bench.search import search_metrics
from bench.sender import sender_metrics
from bench.updates import updates_metrics

RESULTS = Path(__file__).parent / "results.json"


def main() -> None:
    """Run the benchmarks, print and save the figures."""
    logging.basicConfig(level=logging.WARNING)
    results: dict[str, object] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()} {platform.python_implementation()} "
                   f"{platform.python_version()}",
    }
    results.update(crisis_metrics())
    results.update(search_metrics())
    results.update(asyncio.run(updates_metrics()))
    results.update(asyncio.run(relay_metrics()))
    results.update(sender_metrics())
    results.update(asyncio.run(scale_metrics()))
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
