"""Helpers for the CLI tests: run the real entry point in-process and as a subprocess,
on the real engine. The sample files are shapes every engine version must handle."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import pytest
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parents[2]

FORCE_RM = """\
import subprocess


def cleanup_{n}(name):
    subprocess.run(["docker", "rm", "-f", "c{n}"], check=False)
"""

THREE_RMS = """\
import subprocess


def first():
    subprocess.run(["docker", "rm", "-f", "c1"], check=False)


def second():
    subprocess.run(["docker", "rm", "-f", "c2"], check=False)


def third():
    subprocess.run(["docker", "rm", "-f", "c3"], check=False)
"""

SHELL_ONLY = """\
import subprocess


def cleanup_all():
    subprocess.run("docker rm -f $(docker ps -aq)", shell=True)
"""

CLEAN = """\
import subprocess


def ps():
    return subprocess.check_output(["git", "status"])
"""

BROKEN = """\
import subprocess
def broken(:
    subprocess.run(["docker", "rm", "-f", "x"])
"""


def dockfix_argv(*args: str) -> list[str]:
    """``python -m dockfix ARGS``."""
    return [sys.executable, "-m", "dockfix", *args]


def subprocess_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("FORCE_COLOR", None)
    env.update(extra)
    return env


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def run_proc(
    *args: str, cwd: Optional[Path] = None, stdin: Optional[bytes] = None, **env: str
) -> Run:
    proc = subprocess.run(
        dockfix_argv(*args),
        cwd=cwd,
        input=stdin if stdin is not None else b"",
        capture_output=True,
        env=subprocess_env(**env),
        timeout=120,
        check=False,
    )
    return Run(proc.returncode, proc.stdout.decode(), proc.stderr.decode())


def run_app(*args: str, stdin: Optional[bytes] = None) -> Run:
    from dockfix.cli import app

    try:
        runner = CliRunner(mix_stderr=False)  # type: ignore[call-arg]  # click < 8.2
    except TypeError:
        runner = CliRunner()  # click >= 8.2 always captures stderr apart
    result = runner.invoke(app, list(args), input=stdin, catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)


@pytest.fixture(params=["app", "subprocess"])
def run(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """Runs the CLI both through typer's runner and as ``python -m dockfix``."""
    return run_app if request.param == "app" else run_proc


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path
