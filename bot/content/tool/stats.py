"""Counts per pack, language and review status, for editors and M&E reports."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from bot.content.model import AGES, KHMER, Pack, Text
from bot.content.tool.source import walk
from bot.storage.feedback import FeedbackCount

__all__ = ["PackStats", "format_feedback", "format_stats", "pack_stats"]

KINDS = ("topics", "quizzes", "course", "services", "categories", "provinces")


@dataclass
class PackStats:
    """What one pack holds."""

    name: str
    counts: Counter[str] = field(default_factory=Counter)
    review: Counter[str] = field(default_factory=Counter)
    reviewed: Counter[str] = field(default_factory=Counter)  # things reviewed, per language
    languages: Counter[str] = field(default_factory=Counter)
    ages: Counter[str] = field(default_factory=Counter)


def pack_stats(pack: Pack) -> PackStats:
    """Count items, reviewable things by status, texts per language and tips per age."""
    stats = PackStats(pack.pack)
    for kind in KINDS:
        stats.counts[kind] = len(getattr(pack, kind))
    items = [item for topic in pack.topics for item in topic.items]
    stats.counts["items"] = len(items)
    stats.ages.update(age for item in items for age in item.ages)
    for _, node in walk(pack):
        if isinstance(node, Text):
            stats.languages["texts"] += 1
            stats.languages["en"] += bool(node.en.strip())
            stats.languages["km"] += bool(KHMER.search(node.km))
        status = getattr(node, "review", None)
        stats.reviewed.update(getattr(node, "reviewed", {}).keys())
        if isinstance(status, str):
            stats.review[status] += 1
    return stats


def format_stats(version: str, every: list[PackStats]) -> str:
    """A plain-text table, one block per pack and a total line."""
    lines = [f"content {version}"]
    for stats in every:
        counts = ", ".join(f"{stats.counts[k]} {k}" for k in ("items", *KINDS) if stats.counts[k])
        texts = stats.languages["texts"]
        lines.append(f"{stats.name}: {counts}")
        lines.append(f"  texts: {texts}; en {stats.languages['en']}/{texts}, "
                     f"km in Khmer script {stats.languages['km']}/{texts}")
        lines.append("  review: " + ", ".join(f"{n} {s}" for s, n in sorted(stats.review.items())))
        lines.append("  " + _reviewed_share(stats.reviewed, stats.review.total()))
        if stats.ages:
            lines.append("  tips per age: " + ", ".join(f"{a}: {stats.ages[a]}" for a in AGES))
    total = sum((s.review for s in every), Counter[str]())
    lines.append("total review: " + ", ".join(f"{n} {s}" for s, n in sorted(total.items())))
    reviewed = sum((s.reviewed for s in every), Counter[str]())
    lines.append("total " + _reviewed_share(reviewed, total.total()))
    return "\n".join(lines)


def _reviewed_share(reviewed: Counter[str], things: int) -> str:
    """'reviewed by a native speaker: km 3/187 (2%), en 0/187 (0%)'."""
    shares = [f"{lang} {reviewed[lang]}/{things} ({reviewed[lang] / max(things, 1):.0%})"
              for lang in ("km", "en")]
    return "reviewed by a native speaker: " + ", ".join(shares)


def format_feedback(counts: list[FeedbackCount] | None) -> str:
    """'Useful' / 'not useful' taps on course tips, one line per item and content version."""
    if counts is None:
        return "feedback: no database to read (DATABASE_URL or --database; run `db upgrade`)"
    if not counts:
        return "feedback: no taps on tips yet"
    lines = ["feedback per item (content version): useful / not useful"]
    lines += [f"  {c.item_id} ({c.content_version}): {c.useful} / {c.useless}" for c in counts]
    return "\n".join(lines)
