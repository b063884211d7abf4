"""Crisis-triage figures over tests/eval/crisis.yaml: recall and false alarms on the held-aside
fifth, per language and script, and the detector's latency.

`make bench` calls crisis_metrics(); `python -m bench.crisis` prints the same figures as JSON,
and `python -m bench.crisis --misses dev` lists the dev items it gets wrong (never run it on
`held` while tuning: that is what keeps the held figures honest).
"""

from __future__ import annotations

import gc
import json
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.language.risk import RiskDetector

ROOT = Path(__file__).resolve().parents[1]
TERMS = ROOT / "content" / "risk_terms.yaml"
EVAL_SET = ROOT / "tests" / "eval" / "crisis.yaml"
OLD_SET = ROOT / "tests" / "data" / "crisis_eval.yaml"  # the first author's set: dev only
ROUNDS = 10  # timing passes over the whole set
LANGS = {"km": "km", "en": "en", "rom": "romanised"}


@dataclass(frozen=True)
class Case:
    """One labelled message: risk or not, its language or script, its split."""

    text: str
    lang: str
    risk: bool
    split: str
    category: str = ""


def load_cases(path: Path = EVAL_SET, old: Path | None = OLD_SET) -> list[Case]:
    """Return every labelled message; the older set's items count as dev."""
    cases = _read(path, default_split=None)
    return cases + (_read(old, default_split="dev") if old else [])


def _read(path: Path, default_split: str | None) -> list[Case]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Case(item["text"], item["lang"], kind.startswith("risk"), item.get("split", default_split),
             item.get("category", ""))
        for kind in data if kind.startswith(("risk", "ordinary"))
        for item in data[kind]
    ]


def crisis_metrics(split: str = "held") -> dict[str, float]:
    """Return recall per language and script, false alarms and p99 detect() time."""
    detector = RiskDetector.from_file(TERMS)
    cases = [c for c in load_cases() if c.split == split]
    prefix = "crisis." if split == "held" else f"crisis.{split}_"
    results: dict[str, float] = {}
    for lang, name in LANGS.items():
        results[f"{prefix}recall_{name}"] = _recall(detector, [c for c in cases if c.lang == lang])
    results[f"{prefix}recall"] = _recall(detector, cases)
    ordinary = [c for c in cases if not c.risk]
    alarms = sum(detector.detect(c.text) is not None for c in ordinary)
    results[f"{prefix}false_alarm_rate"] = round(alarms / len(ordinary), 4)
    results[f"{prefix}category_match"] = _category_match(detector, cases)
    timing = _timing(detector, [c.text for c in cases])
    results.update({f"{prefix}{key}": value for key, value in timing.items()})
    results[f"{prefix}detect_10k_chars_us"] = _long_message_us(detector, cases)
    return results


def _long_message_us(detector: RiskDetector, cases: list[Case]) -> float:
    """Median detect() time for a 10,000-character message ending in a risk phrase."""
    filler = ". ".join(c.text for c in cases if not c.risk) + ". "
    risky = next(c.text for c in cases if c.risk)
    text = (filler * (10_000 // len(filler) + 1))[: 10_000 - len(risky)] + risky
    return round(statistics.median(_time(detector, text) for _ in range(ROUNDS)), 1)


def _recall(detector: RiskDetector, cases: list[Case]) -> float:
    risk = [c for c in cases if c.risk]
    return round(sum(detector.detect(c.text) is not None for c in risk) / len(risk), 4)


def _category_match(detector: RiskDetector, cases: list[Case]) -> float:
    """Share of caught risk messages whose category is the labelled one (the reply fits it)."""
    found = [(c, detector.detect(c.text)) for c in cases if c.risk]
    caught = [(c, m) for c, m in found if m is not None]
    return round(sum(m.category == c.category for c, m in caught) / max(len(caught), 1), 4)


def misses(split: str) -> list[str]:
    """Describe each item of a split that triage gets wrong (for tuning on dev only)."""
    detector = RiskDetector.from_file(TERMS)
    out = []
    for case in (c for c in load_cases() if c.split == split):
        match = detector.detect(case.text)
        if (match is not None) != case.risk:
            out.append(f"{'MISS' if case.risk else 'ALARM'} {case.lang}: {case.text} {match}")
        elif match is not None and match.category != case.category:
            out.append(f"CATEGORY {case.category} got {match}: {case.text}")
    return out


def _timing(detector: RiskDetector, texts: list[str]) -> dict[str, float]:
    """detect() time in microseconds: p50 and p99 over messages of each one's median of
    ROUNDS runs (a two-core machine stalls a run in a hundred, whatever the message), and
    the raw p99 over every run."""
    gc.freeze()  # as run_bot.py does after start-up (bot/runtime/app.py)
    rounds = [[_time(detector, text) for text in texts] for _ in range(ROUNDS)]
    gc.unfreeze()
    medians = sorted(statistics.median(run[i] for run in rounds) for i in range(len(texts)))
    raw = sorted(t for run in rounds for t in run)
    return {"detect_us_p50": round(medians[len(medians) // 2], 1),
            "detect_us_p99": round(medians[int(len(medians) * 0.99)], 1),
            "detect_us_raw_p99": round(raw[int(len(raw) * 0.99)], 1)}


def _time(detector: RiskDetector, text: str) -> float:
    start = time.perf_counter_ns()
    detector.detect(text)
    return (time.perf_counter_ns() - start) / 1000


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--misses":
        print("\n".join(misses(sys.argv[2])))
    else:
        print(json.dumps({**crisis_metrics("dev"), **crisis_metrics()}, indent=2))
