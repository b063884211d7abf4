"""Search figures over tests/eval/queries.yaml: top-1 and top-3 per language and script on the
held-aside fifth, and the time one question takes over all content.

`make bench` calls search_metrics(); `python -m bench.search` prints the dev and held figures;
`python -m bench.search --misses dev` lists dev questions whose answer is not in the top 3
(tune keywords on those only).
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

from bot.content.search import ContentSearch, build_search
from bot.content.store import load_content
from bot.language.risk import RiskDetector

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "tests" / "eval" / "queries.yaml"
LANGS = {"km": "km", "en": "en", "rom": "romanised"}
ROUNDS = 10


def load_search() -> ContentSearch:
    """The shipped content's search, read with the shipped romanised table."""
    risk = RiskDetector.from_file(ROOT / "content" / "risk_terms.yaml")
    return build_search(load_content(ROOT / "content"), risk.romaniser)


@dataclass(frozen=True)
class Query:
    """One labelled question: its text, language or script, and the ids that answer it."""

    q: str
    lang: str
    expect: frozenset[str]


def load_queries(split: str) -> list[Query]:
    """The labelled questions of one split."""
    data = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))
    return [Query(q["q"], q["lang"], frozenset(q["expect"]))
            for q in data["queries"] if q["split"] == split]


def _ranks(search: ContentSearch, query: Query) -> list[str]:
    return [hit.doc_id for hit, _ in search.search(query.q)]


def search_metrics(split: str = "held") -> dict[str, float]:
    """Return top-1 and top-3 per language and script, and p50/p99 time per question."""
    search = load_search()
    queries = load_queries(split)
    prefix = "search." if split == "held" else f"search.{split}_"
    out: dict[str, float] = {}
    for lang, name in LANGS.items():
        mine = [q for q in queries if q.lang == lang]
        ranked = [(_ranks(search, q), q.expect) for q in mine]
        out[f"{prefix}top1_{name}"] = round(sum(bool(r[:1] and r[0] in e) for r, e in ranked)
                                            / len(ranked), 4)
        out[f"{prefix}top3_{name}"] = round(sum(bool(e & set(r)) for r, e in ranked)
                                            / len(ranked), 4)
    out.update({f"{prefix}{k}": v for k, v in _timing(search).items()})
    return out


def _timing(search: ContentSearch) -> dict[str, float]:
    """Time every question of both splits: once cold, then ROUNDS times warm.

    p99_ms is the 99th percentile over questions of each question's median time: on this
    two-core machine a few runs in a hundred stall for ~4 ms whatever the question (another
    process takes the core), which raw_p99_ms shows.
    """
    questions = [q.q for split in ("dev", "held") for q in load_queries(split)]
    cold = _times(search, questions)  # first sight of every word: no cache helps yet
    gc.freeze()  # as run_bot.py does after start-up (bot/runtime/app.py)
    rounds = [_times(search, questions) for _ in range(ROUNDS)]
    gc.unfreeze()
    medians = sorted(statistics.median(run[i] for run in rounds) for i in range(len(questions)))
    raw = sorted(t for run in rounds for t in run)
    return {"p50_ms": round(medians[len(medians) // 2], 3),
            "p99_ms": round(medians[int(len(medians) * 0.99)], 3),
            "raw_p99_ms": round(raw[int(len(raw) * 0.99)], 3),
            "cold_p99_ms": round(sorted(cold)[int(len(cold) * 0.99)], 3)}


def _times(search: ContentSearch, questions: list[str]) -> list[float]:
    """Milliseconds each question takes, once each."""
    out = []
    for question in questions:
        start = time.perf_counter()
        search.search(question)
        out.append((time.perf_counter() - start) * 1000)
    return out


def misses(split: str) -> list[str]:
    """Describe each question of a split whose answer is not in the top 3."""
    search = load_search()
    out = []
    for query in load_queries(split):
        ranked = _ranks(search, query)
        if not query.expect & set(ranked):
            out.append(f"{query.lang}: {query.q} -> {ranked} want {sorted(query.expect)}")
    return out


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--misses":
        print("\n".join(misses(sys.argv[2])))
    else:
        print(json.dumps({**search_metrics("dev"), **search_metrics()}, indent=2))
