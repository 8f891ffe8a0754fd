"""The entry points exist and answer."""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

from dockfix import __version__
from dockfix.cli import app


def test_version_through_typer_runner() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"dockfix {__version__}"


def test_python_dash_m_help() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "dockfix", "--help"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert "Usage" in proc.stdout
