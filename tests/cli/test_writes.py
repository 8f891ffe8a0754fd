"""Atomic writes: mode, symlinks, line endings and BOM kept; changed files and
read-only files refused and reported; no temporary file ever left behind."""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

import pytest

from dockfix.files import WriteError, read_snapshot, write_atomic
from tests.cli.conftest import THREE_RMS, run_proc, write


def _leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".dockfix-tmp")]


def test_write_replaces_content_and_keeps_mode(tmp_path: Path) -> None:
    path = write(tmp_path, "a.py", "old\n")
    path.chmod(0o640)
    write_atomic(str(path), b"new\n", read_snapshot(str(path)))
    assert path.read_bytes() == b"new\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert _leftovers(tmp_path) == []


def test_write_through_symlink_keeps_the_link(tmp_path: Path) -> None:
    target = write(tmp_path, "real/a.py", "old\n")
    link = tmp_path / "link.py"
    link.symlink_to(target)
    write_atomic(str(link), b"new\n", read_snapshot(str(link)))
    assert link.is_symlink()
    assert target.read_bytes() == b"new\n"
    assert _leftovers(tmp_path / "real") == []
    assert _leftovers(tmp_path) == []


def test_changed_since_read_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "a.py", "old\n")
    snapshot = read_snapshot(str(path))
    path.write_text("someone else's edit\n")
    with pytest.raises(WriteError, match="changed on disk"):
        write_atomic(str(path), b"new\n", snapshot)
    assert path.read_text() == "someone else's edit\n"
    assert _leftovers(tmp_path) == []


def test_same_size_edit_with_restored_mtime_is_still_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "a.py", "aaaa\n")
    snapshot = read_snapshot(str(path))
    path.write_text("bbbb\n")
    os.utime(path, ns=(snapshot.mtime_ns, snapshot.mtime_ns))
    with pytest.raises(WriteError):
        write_atomic(str(path), b"new\n", snapshot)


def test_read_only_file_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "a.py", "old\n")
    path.chmod(0o444)
    with pytest.raises(WriteError, match="read-only"):
        write_atomic(str(path), b"new\n", read_snapshot(str(path)))
    assert path.read_text() == "old\n"


def test_failure_mid_write_leaves_no_temp_file(tmp_path: Path, monkeypatch) -> None:
    path = write(tmp_path, "a.py", "old\n")
    snapshot = read_snapshot(str(path))

    def boom(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(WriteError, match="No space left"):
        write_atomic(str(path), b"new\n", snapshot)
    assert path.read_text() == "old\n"
    assert _leftovers(tmp_path) == []


def test_fix_keeps_mode_crlf_and_bom(tmp_path: Path) -> None:
    crlf = write(tmp_path, "crlf.py", "")
    crlf.write_bytes(THREE_RMS.replace("\n", "\r\n").encode())
    crlf.chmod(0o750)
    bom = tmp_path / "bom.py"
    bom.write_bytes(codecs.BOM_UTF8 + THREE_RMS.encode())
    result = run_proc("fix", str(tmp_path))
    assert result.code == 0, result.stderr
    fixed = crlf.read_bytes()
    assert fixed != THREE_RMS.replace("\n", "\r\n").encode()
    assert fixed.count(b"\n") == fixed.count(b"\r\n")
    assert stat.S_IMODE(crlf.stat().st_mode) == 0o750
    fixed_bom = bom.read_bytes()
    assert fixed_bom.startswith(codecs.BOM_UTF8)
    assert fixed_bom.count(codecs.BOM_UTF8) == 1
    assert run_proc("check", str(tmp_path)).code == 0


def test_unwritable_file_is_reported_and_others_are_still_fixed(tmp_path: Path) -> None:
    locked = write(tmp_path, "a_locked.py", THREE_RMS)
    locked.chmod(0o444)
    other = write(tmp_path, "b_other.py", THREE_RMS)
    result = run_proc("fix", str(tmp_path))
    assert result.code == 2
    assert "a_locked.py: error: cannot write" in result.stderr
    assert locked.read_text() == THREE_RMS
    assert other.read_text() != THREE_RMS
    assert _leftovers(tmp_path) == []


def test_symlink_pointing_outside_the_tree_is_reported_not_followed(tmp_path: Path) -> None:
    outside = write(tmp_path, "outside/ext.py", THREE_RMS)
    tree = tmp_path / "tree"
    write(tree, "inside.py", THREE_RMS)
    (tree / "link.py").symlink_to(outside)
    result = run_proc("fix", str(tree))
    assert "link.py: warning: symlink" in result.stderr
    assert outside.read_text() == THREE_RMS
    assert result.code == 0
    followed = run_proc("fix", "--follow-symlinks", str(tree))
    assert followed.code == 0
    assert outside.read_text() != THREE_RMS
    assert (tree / "link.py").is_symlink()


def test_symlink_inside_the_tree_is_processed_once(tmp_path: Path) -> None:
    real = write(tmp_path, "real.py", THREE_RMS)
    (tmp_path / "zlink.py").symlink_to(real)
    result = run_proc("fix", str(tmp_path))
    assert result.code == 0, result.stderr
    assert "1 file changed" in result.stderr
    assert (tmp_path / "zlink.py").is_symlink()
