"""The command line: refusing bad content at start, applying migrations, validating content."""

# Only start-up runs `run_bot.py` as a process; the other commands call its `main` in-process.

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.runtime import cli

ROOT = Path(__file__).resolve().parent.parent


def _run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "SOKH_SECRET_KEY": "x" * 32,
            "SOKH_KEY_SALT": "s" * 16,
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"}
    return subprocess.run([sys.executable, "run_bot.py", *args], cwd=ROOT, env={**base, **env},
                          capture_output=True, text=True, timeout=120, check=False)


def test_invalid_content_stops_start_up_naming_file_item_and_problem(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    pack = content / "parenting.yaml"
    text = pack.read_text(encoding="utf-8")
    broken = text.replace("\n  review: draft", "\n  review: approved-by-nobody", 1)
    pack.write_text(broken, encoding="utf-8")
    result = _run([], tmp_path, BOT_TOKEN="123456:TOKEN", CONTENT_DIR=str(content),
                  TELEGRAM_API_URL="http://127.0.0.1:9")
    assert result.returncode == 2
    assert "parenting.yaml" in result.stderr and "review" in result.stderr
    assert "Content is invalid, not starting" in result.stderr


def test_db_upgrade_creates_the_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    assert cli.main(["db", "upgrade"]) == 0
    with sqlite3.connect(tmp_path / "cli.db") as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert {"people", "deliveries", "alembic_version"} <= tables


def test_content_validate_passes_on_shipped_content(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["content", "validate"]) == 0
    assert "OK" in capsys.readouterr().out


# Ctrl-C lands while Python loads the bot's modules, or while it starts (without BOT_TOKEN the
# simulator's modules load then): the process signals itself at that import, as a person's
# Ctrl-C would. It runs in an empty folder, so a developer's .env (a real BOT_TOKEN) is not read.
_INTERRUPTED_IMPORT = """
import builtins, os, runpy, signal, sys
load, (target, script), sys.argv = builtins.__import__, sys.argv[1:3], ["run_bot.py"]
def interrupting(name, *args, **kwargs):
    if name == target:
        os.kill(os.getpid(), signal.SIGINT)
    return load(name, *args, **kwargs)
builtins.__import__ = interrupting
runpy.run_path(script, run_name="__main__")
"""


@pytest.mark.parametrize("module", ["bot.runtime.cli", "simulator.run"])
def test_ctrl_c_while_loading_or_starting_stops_quietly(tmp_path: Path, module: str) -> None:
    script = str(ROOT / "run_bot.py")
    result = subprocess.run([sys.executable, "-c", _INTERRUPTED_IMPORT, module, script],
                            cwd=tmp_path, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
                                               "PYTHONPATH": str(ROOT)},
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 130
    assert result.stderr == "Stopped.\n", "no traceback"
