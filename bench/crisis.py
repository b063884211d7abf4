"""Crisis-triage figures over tests/data/crisis_eval.yaml: recall, false alarms, latency.

`make bench` calls crisis_metrics(); `python -m bench.crisis` prints the same figures as JSON.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import yaml

from dialogs.risk import RiskDetector

ROOT = Path(__file__).resolve().parents[1]
TERMS = ROOT / "content" / "risk_terms.yaml"
EVAL_SET = ROOT / "tests" / "data" / "crisis_eval.yaml"
ROUNDS = 20  # timing passes over the whole set, so the 99th percentile rests on ~6,000 calls


def load_eval_set(path: Path = EVAL_SET) -> tuple[list[str], list[str]]:
    """Return the texts of the risk messages and of the ordinary messages."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [item["text"] for item in data["risk"]], [item["text"] for item in data["ordinary"]]


def crisis_metrics() -> dict[str, float]:
    """Return recall, false-alarm rate and the 99th-percentile detect() time in microseconds."""
    detector = RiskDetector.from_file(TERMS)
    risk, ordinary = load_eval_set()
    caught = sum(detector.detect(text) is not None for text in risk)
    alarms = sum(detector.detect(text) is not None for text in ordinary)
    return {
        "crisis.recall": round(caught / len(risk), 4),
        "crisis.false_alarm_rate": round(alarms / len(ordinary), 4),
        "crisis.detect_us_p99": _p99_microseconds(detector, risk + ordinary),
    }


def _p99_microseconds(detector: RiskDetector, texts: list[str]) -> float:
    """Time detect() on every text ROUNDS times (after the warm-up above); return the p99."""
    timings: list[int] = []
    for _ in range(ROUNDS):
        for text in texts:
            start = time.perf_counter_ns()
            detector.detect(text)
            timings.append(time.perf_counter_ns() - start)
    timings.sort()
    return round(timings[int(len(timings) * 0.99)] / 1000, 1)


if __name__ == "__main__":
    print(json.dumps(crisis_metrics(), indent=2))
