"""Running the real ``dockfix`` command line as a subprocess, and sample files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Optional

from dockfix.engine import Settings, analyze

REPO = Path(__file__).resolve().parents[2]

FIXABLE = """\
import subprocess


def cleanup_{n}(name):
    # keep this comment {n}
    subprocess.run(["docker", "rm", "-f", "c{n}"], check=False)
"""

CLEAN = "import os\n\nprint(os.getcwd())  # {n}\n"


def env(**extra: str) -> dict[str, str]:
    out = dict(os.environ)
    out.update({"NO_COLOR": "1", "PYTHONPATH": str(REPO), "COLUMNS": "200"})
    out.pop("DOCKFIX_AUDIT_LOG", None)
    out.update(extra)
    return out


def run_cli(
    *args: str,
    cwd: Path,
    timeout: float = 120,
    extra_env: Optional[dict[str, str]] = None,
    prefix: Optional[list[str]] = None,
) -> subprocess.CompletedProcess[str]:
    """``python -m dockfix ARGS`` in ``cwd``; never the shell."""
    argv = [*(prefix or []), sys.executable, "-m", "dockfix", *args]
    return subprocess.run(  # dockfix: ignore
        argv,
        cwd=cwd,
        env=env(**(extra_env or {})),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def fixed_bytes(data: bytes) -> bytes:
    """What ``dockfix fix`` must write for ``data`` (the engine's own answer)."""
    result = analyze(data, Settings())
    assert result.error is None, result.error
    return result.fixed


def leftovers(folder: Path) -> list[str]:
    """Temporary files of the writer anywhere under ``folder``."""
    return sorted(str(p) for p in folder.rglob("*") if "dockfix-tmp" in p.name)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }
