"""Paths: symlink loops, unreadable folders, spaces and non-ASCII in names, ``--``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability import _figures
from tests.reliability._cli import FIXABLE, fixed_bytes, leftovers, run_cli

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def test_symlink_loops_end_and_are_reported(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    good = FIXABLE.format(n=1).encode()
    (tmp_path / "pkg" / "good.py").write_bytes(good)
    (tmp_path / "pkg" / "loop").symlink_to("..")  # a folder loop
    (tmp_path / "pkg" / "self").symlink_to("self")  # a link to itself
    (tmp_path / "a.py").symlink_to("b.py")  # a file loop
    (tmp_path / "b.py").symlink_to("a.py")
    done = run_cli("fix", ".", cwd=tmp_path, timeout=60)
    _figures.count("paths", symlink_loops=3)
    assert done.returncode in (0, 1), done.stderr
    assert "a.py" in done.stderr
    assert "b.py" in done.stderr
    assert (tmp_path / "pkg" / "good.py").read_bytes() == fixed_bytes(good)
    named = run_cli("check", "a.py", cwd=tmp_path, timeout=60)
    assert named.returncode == 2
    assert "a.py: error" in named.stderr


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A folder an unprivileged user can reach (pytest's tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="dfx-rel-", dir="/tmp"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        for path in folder.rglob("*"):
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o755)
        shutil.rmtree(folder, ignore_errors=True)


def _unprivileged() -> list[str]:
    if not IS_ROOT:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("as root, an unreadable folder needs setpriv(1) to drop privileges")
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


def test_unreadable_folder_is_reported_not_silently_skipped(shared_tmp: Path) -> None:
    prefix = _unprivileged()
    data = FIXABLE.format(n=1).encode()
    for name in ("ok", "secret"):
        (shared_tmp / name).mkdir()
        (shared_tmp / name / "m.py").write_bytes(data)
        (shared_tmp / name / "m.py").chmod(0o644)
    (shared_tmp / "secret").chmod(0o000)
    probe = subprocess.run([*prefix, "ls", str(shared_tmp / "secret")], capture_output=True)
    if probe.returncode == 0:
        pytest.skip("this user can read a mode-000 folder")
    runs = subprocess.run([*prefix, sys.executable, "-c", "import dockfix"], capture_output=True)
    if runs.returncode != 0:
        pytest.skip(f"this interpreter cannot run as nobody: {runs.stderr.decode()[-200:]}")
    done = run_cli("check", ".", cwd=shared_tmp, prefix=prefix)
    _figures.count("paths", unreadable_folder=1)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "secret" in done.stderr
    assert "ok/m.py" in done.stdout


def test_names_with_spaces_and_non_ascii(tmp_path: Path) -> None:
    data = FIXABLE.format(n=1).encode()
    names = ["with space.py", "été 日本.py", "dossier été/a b.py", "tab\there.py", "new\nline.py"]
    for name in names:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(data)
    checked = run_cli("check", "--format", "json", ".", cwd=tmp_path)
    assert checked.returncode == 1, checked.stderr
    for name in names[:3]:
        assert name in checked.stdout.encode().decode("unicode_escape", "ignore") or (
            name in checked.stdout
        )
    done = run_cli("fix", ".", cwd=tmp_path)
    _figures.count("paths", odd_names=len(names))
    assert done.returncode == 0, done.stderr
    for name in names:
        assert (tmp_path / name).read_bytes() == fixed_bytes(data), name
    assert leftovers(tmp_path) == []


def test_double_dash_and_option_like_file_names(tmp_path: Path) -> None:
    data = FIXABLE.format(n=1).encode()
    for name in ("-x.py", "--help.py", "-"):
        (tmp_path / name).write_bytes(data)
    refused = run_cli("fix", "-x.py", cwd=tmp_path)
    assert refused.returncode == 2
    assert (tmp_path / "-x.py").read_bytes() == data
    done = run_cli("fix", "--", "-x.py", "--help.py", cwd=tmp_path)
    _figures.count("paths", double_dash=2)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "-x.py").read_bytes() == fixed_bytes(data)
    assert (tmp_path / "--help.py").read_bytes() == fixed_bytes(data)
    assert (tmp_path / "-").read_bytes() == data  # not a .py file, and not named


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_and_device_named_py_never_hang(tmp_path: Path) -> None:
    """A FIFO blocks a reader for ever and /dev/zero never ends: both are refused, per file."""
    os.mkfifo(tmp_path / "pipe.py")
    (tmp_path / "zero.py").symlink_to("/dev/zero")
    good = FIXABLE.format(n=1).encode()
    (tmp_path / "good.py").write_bytes(good)
    for command in ("check", "fix"):
        done = run_cli(command, ".", "zero.py", "--follow-symlinks", cwd=tmp_path, timeout=60)
        assert done.returncode == 2, done.stderr
        assert "pipe.py: error" in done.stderr
        assert "zero.py: error" in done.stderr
    _figures.count("paths", fifo_and_device=2)
    assert (tmp_path / "good.py").read_bytes() == fixed_bytes(good)
