"""Startup stays light; the progress bar shows only on a terminal, on stderr."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pexpect

from tests.cli.conftest import FORCE_RM, dockfix_argv, run_proc, subprocess_env, write


def test_importing_the_cli_loads_neither_rich_nor_libcst() -> None:
    code = (
        "import sys; from dockfix.cli import app; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'rich', 'libcst'}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    for n in range(60):
        write(tmp_path, f"m{n:02}.py", FORCE_RM.format(n=n))
    result = run_proc("check", str(tmp_path))
    assert result.code == 1
    assert result.stderr.strip() == "Found 60 findings in 60 files (60 fixable with `dockfix fix`)."


def test_progress_bar_on_a_terminal_keeps_all_findings(tmp_path: Path) -> None:
    for n in range(60):
        write(tmp_path, f"m{n:02}.py", FORCE_RM.format(n=n))
    argv = dockfix_argv("check", str(tmp_path))
    env = subprocess_env(TERM="xterm-256color")
    child = pexpect.spawn(argv[0], argv[1:], env=env, encoding="utf-8", timeout=60)
    log = io.StringIO()
    child.logfile_read = log
    child.expect(pexpect.EOF)
    child.close()
    screen = log.getvalue()
    assert child.exitstatus == 1
    assert screen.count("DF001") == 60
    assert "Found 60 findings" in screen
    assert "/60" in screen  # the bar (transient, but it was drawn)


def test_files_without_docker_never_load_libcst(tmp_path: Path) -> None:
    write(tmp_path, "plain.py", "import os\n\nprint(os.getcwd())\n")
    code = (
        "import sys; from dockfix.cli import main\n"
        "try:\n    main()\nexcept SystemExit as exc:\n"
        "    print(exc.code, 'libcst' in sys.modules, file=sys.stderr)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, "check", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.stderr.strip().splitlines()[-1] == "0 False"
