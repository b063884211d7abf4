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


def test_ctrl_c_while_starting_stops_quietly(monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    def interrupted(_: object) -> int:
        raise KeyboardInterrupt  # what Ctrl-C raises mid-start, before signals are handled

    monkeypatch.setattr(cli, "_run", interrupted)
    assert cli.main([]) == 130
    assert capsys.readouterr().err == "Stopped.\n", "no traceback"


# Ctrl-C lands while Python loads the bot's modules: the process signals itself at the
# moment run_bot.py imports the command line, as a person's Ctrl-C would.
_INTERRUPTED_IMPORT = """
import builtins, os, runpy, signal, sys
load = builtins.__import__
def interrupting(name, *args, **kwargs):
    if name == "bot.runtime.cli":
        os.kill(os.getpid(), signal.SIGINT)
    return load(name, *args, **kwargs)
builtins.__import__ = interrupting
sys.argv = ["run_bot.py"]
runpy.run_path("run_bot.py", run_name="__main__")
"""


def test_ctrl_c_while_loading_modules_stops_quietly(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-c", _INTERRUPTED_IMPORT], cwd=ROOT,
                            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 130
    assert result.stderr == "Stopped.\n", "no traceback"
