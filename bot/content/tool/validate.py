"""Run every content rule over one content version and report what is wrong, and where."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.content.tool.render import RENDER_RULES
from bot.content.tool.rules_language import KEYWORD_RULES, language_problems
from bot.content.tool.rules_quotes import QUOTE_RULES
from bot.content.tool.rules_refs import REF_RULES
from bot.content.tool.rules_services import SERVICE_RULES
from bot.content.tool.rules_sources import SOURCE_LINK_RULES, SOURCE_RULES
from bot.content.tool.rules_text import TEXT_RULES
from bot.content.tool.source import Context, Loaded, Problem, Severity, read_content
from bot.content.tool.yamlsrc import Files, FolderFiles

__all__ = ["DEFAULT_MAX_AGE_DAYS", "Report", "validate", "validate_folder"]

DEFAULT_MAX_AGE_DAYS = 365
# Rules over single objects still run when some file broke the schema; cross-references
# would only repeat that breakage as a flood of dangling ids.
LOCAL_RULES = (*TEXT_RULES, *SERVICE_RULES, *RENDER_RULES, *KEYWORD_RULES, *SOURCE_RULES,
               *QUOTE_RULES)


@dataclass(frozen=True)
class Report:
    """The outcome of one validation run."""

    loaded: Loaded
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        """Problems that stop the content from being served."""
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """Problems to fix soon that do not stop the content."""
        return tuple(p for p in self.problems if p.severity == "warning")


def validate(files: Files, *, today: date | None = None,
             max_age_days: int = DEFAULT_MAX_AGE_DAYS,
             stale_severity: Severity = "error") -> Report:
    """Check schema, texts, references, services and Telegram limits of one version."""
    loaded = read_content(files)
    problems = [*loaded.problems, *_pack_names(loaded)]
    ctx = Context(tuple((s, s.pack) for s in loaded.packs if s.pack is not None),
                  today or date.today(), max_age_days, stale_severity)
    for rule in LOCAL_RULES if problems else (*LOCAL_RULES, *REF_RULES, *SOURCE_LINK_RULES):
        problems.extend(rule(ctx))
    return Report(loaded, tuple(problems))


def validate_folder(folder: Path, *, today: date | None = None,
                    max_age_days: int = DEFAULT_MAX_AGE_DAYS,
                    stale_severity: Severity = "error") -> Report:
    """Validate the content folder on disk (see `validate`), and its language files."""
    report = validate(FolderFiles(folder), today=today, max_age_days=max_age_days,
                      stale_severity=stale_severity)
    return Report(report.loaded, (*report.problems, *language_problems(folder)))


def _pack_names(loaded: Loaded) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for source in loaded.packs:
        if source.pack is not None and source.pack.pack in seen:
            problems.append(source.problem(("pack",), f"pack name {source.pack.pack!r} is "
                                           "used twice"))
        seen.add(source.pack.pack if source.pack else "")
    return problems
