"""The deployment files (issue 17, item 6) agree with the code: roles, settings, ports, and a
production install without the test tools. No container is run: the files are read."""

from __future__ import annotations

import argparse
import configparser
import re
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path
from typing import Any

import yaml
from packaging.requirements import Requirement

from bot.runtime.cli import _parser
from bot.runtime.settings import REPO_ROOT, Settings

DEPLOY = REPO_ROOT / "deploy"
BOT_SERVICES = {"web", "scheduler", "sender"}
TEST_TOOLS = {"pytest", "pytest-asyncio", "hypothesis", "playwright", "ruff", "mypy", "moz-l10n"}


def compose() -> dict[str, Any]:
    """deploy/compose.yaml, parsed (anchors and merge keys resolved by the YAML loader)."""
    loaded: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    return loaded


def roles() -> set[str]:
    """The --role values run_bot.py accepts."""
    action = next(a for a in _parser()._actions if "--role" in a.option_strings)
    assert isinstance(action, argparse.Action) and action.choices is not None
    return set(action.choices)


def test_compose_runs_each_role_on_postgres_and_redis_behind_caddy() -> None:
    services = compose()["services"]
    assert {"postgres", "redis", "migrate", "caddy", *BOT_SERVICES} <= services.keys()
    for name in BOT_SERVICES:
        command = services[name]["command"]
        assert command[:1] == ["--role"] and command[1] == name and name in roles()
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgresql+asyncpg://") and "@postgres:" in env[
            "DATABASE_URL"]
        assert env["REDIS_URL"].startswith("redis://redis:")
        assert services[name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully")
    assert services["migrate"]["command"] == ["db", "upgrade"]
    assert "replicas" in services["web"]["deploy"]
    # Only Caddy is reachable from outside.
    assert [name for name, service in services.items() if "ports" in service] == ["caddy"]


def test_every_variable_given_to_the_bot_is_a_setting() -> None:
    known = {name.upper() for name in Settings.model_fields}
    services = compose()["services"]
    given = {key for name in BOT_SERVICES for key in services[name]["environment"]}
    example = (DEPLOY / "sokh.env.example").read_text()
    given |= set(re.findall(r"^#? ?([A-Z_]+)=", example, re.MULTILINE)) - {"POSTGRES_PASSWORD"}
    assert given <= known, given - known


def test_caddy_proxies_the_webhook_path_to_the_workers_port() -> None:
    web = compose()["services"]["web"]["environment"]
    path = re.sub(r"^https://[^/]+", "", web["WEBHOOK_URL"])
    port = web["WEBHOOK_LISTEN"].rpartition(":")[2]
    health = web["HEALTH_LISTEN"].rpartition(":")[2]
    caddy = (DEPLOY / "Caddyfile").read_text()
    assert f"handle {path} {{" in caddy
    assert f"dynamic a web {port}" in caddy and f"health_port {health}" in caddy


def _unit(path: Path) -> configparser.ConfigParser:
    # systemd allows a key several times (Environment=): the last one wins here, which is
    # enough to read ExecStart and the dependencies.
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(path.read_text())
    return parser


def test_systemd_units_start_each_role_after_the_migrations() -> None:
    units = {path.name: _unit(path) for path in (DEPLOY / "systemd").glob("*.service")}
    started = {}
    for name, unit in units.items():
        found = re.search(r"run_bot\.py --role (\w+)$", unit["Service"]["ExecStart"])
        if found:
            started[found.group(1)] = name
            assert "sokh-migrate.service" in unit["Unit"]["Requires"]
            assert unit["Service"]["EnvironmentFile"] == "/etc/sokh/sokh.env"
    assert set(started) == BOT_SERVICES and set(started) <= roles()
    assert units["sokh-migrate.service"]["Service"]["ExecStart"].endswith("run_bot.py db upgrade")
    assert "pg_dump --format=custom" in units["sokh-backup.service"]["Service"]["ExecStart"]
    assert (DEPLOY / "systemd" / "sokh-backup.timer").exists()


def _closure(requirements: list[str]) -> set[str]:
    """Every distribution a set of requirements pulls in, from the installed metadata."""
    seen: set[str] = set()
    todo = [Requirement(text) for text in requirements]
    while todo:
        requirement = todo.pop()
        name = requirement.name.lower().replace("_", "-").replace(".", "-")
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        if name in seen:
            continue
        seen.add(name)
        try:
            todo.extend(Requirement(text) for text in distribution(name).requires or [])
        except PackageNotFoundError:
            continue  # an optional dependency of a dependency that is not installed
    return seen


def test_a_production_install_pulls_no_test_tools() -> None:
    sokh = distribution("sokh")
    runtime = [text for text in sokh.requires or [] if "extra ==" not in text]
    pulled = _closure(runtime)
    assert "aiogram" in pulled and "prometheus-client" in pulled
    assert not pulled & TEST_TOOLS, pulled & TEST_TOOLS
    dev = [text for text in sokh.requires or [] if 'extra == "dev"' in text]
    assert {Requirement(text).name.lower() for text in dev} >= {"pytest", "hypothesis",
                                                                  "playwright"}
