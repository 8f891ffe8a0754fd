"""Fault injection through the real command line (``python -m dockfix fix`` as a subprocess).

Each fault must leave every file either untouched or completely fixed, be reported, and
leave no temporary file behind.
"""

from __future__ import annotations

import functools
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability import _figures
from tests.reliability._cli import (
    CLEAN,
    FIXABLE,
    env,
    fixed_bytes,
    leftovers,
    run_cli,
)

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _tree(root: Path, count: int, clean_every: int = 3) -> dict[str, tuple[bytes, bytes]]:
    """``count`` files (some clean); name -> (original, expected after fix)."""
    files = {}
    for n in range(count):
        folder = root / f"pkg{n % 7}"
        folder.mkdir(parents=True, exist_ok=True)
        text = CLEAN if n % clean_every == 0 else FIXABLE
        data = text.format(n=n).encode()
        path = folder / f"mod_{n}.py"
        path.write_bytes(data)
        files[str(path.relative_to(root))] = (
            data,
            _fixed_template(text).replace(b"987654321", b"%d" % n),
        )
    return files


@functools.cache
def _fixed_template(text: str) -> bytes:
    """The fixed bytes of ``text`` with 987654321 where the file number goes (one engine run)."""
    return fixed_bytes(text.format(n="987654321").encode())


def _all_fixed(files: dict[str, tuple[bytes, bytes]]) -> tuple[int, int]:
    """What ``_states`` gives once every file was fixed."""
    changing = sum(1 for before, after in files.values() if before != after)
    return len(files) - changing, changing


def _states(root: Path, files: dict[str, tuple[bytes, bytes]]) -> tuple[int, int]:
    """(originals, fixed); fails on any other content."""
    originals = fixed = 0
    for name, (before, after) in files.items():
        now = (root / name).read_bytes()
        if now == before:
            originals += 1
        elif now == after:
            fixed += 1
        else:
            raise AssertionError(f"{name} is neither the original nor the fixed version:\n{now!r}")
    return originals, fixed


# ---- a write that fails -----------------------------------------------------------------


@pytest.fixture
def tiny_tmpfs(tmp_path: Path) -> Iterator[Path]:
    if not IS_ROOT or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root and mount(8)")
    point = tmp_path / "tiny"
    point.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k,mode=0755", "tmpfs", str(point)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)


def _fill(folder: Path) -> Path:
    """Fill the file system holding ``folder``; the filler file, to delete to free space."""
    filler = folder / "filler.bin"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        while True:
            os.write(fd, b"\0" * 512)
    except OSError:
        pass
    finally:
        os.close(fd)
    return filler


def test_disk_full_leaves_every_file_intact_and_reports(tiny_tmpfs: Path) -> None:
    files = _tree(tiny_tmpfs, 6, clean_every=100)
    filler = _fill(tiny_tmpfs)
    done = run_cli("fix", "-j", "1", ".", cwd=tiny_tmpfs)
    _figures.count("faults", disk_full=len(files))
    assert done.returncode == 2, done.stderr
    assert "No space left on device" in done.stderr
    assert _states(tiny_tmpfs, files) == (len(files), 0)
    assert leftovers(tiny_tmpfs) == []
    filler.unlink()
    again = run_cli("fix", ".", cwd=tiny_tmpfs)
    assert again.returncode == 0, again.stderr
    assert _states(tiny_tmpfs, files) == _all_fixed(files)
    assert leftovers(tiny_tmpfs) == []


def test_read_only_file_system_is_reported_and_untouched(tiny_tmpfs: Path) -> None:
    files = _tree(tiny_tmpfs, 4, clean_every=100)
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_tmpfs)], check=True)
    try:
        done = run_cli("fix", ".", cwd=tiny_tmpfs)
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(tiny_tmpfs)], check=True)
    _figures.count("faults", read_only_fs=len(files))
    assert done.returncode == 2
    assert "Read-only file system" in done.stderr
    assert _states(tiny_tmpfs, files) == (len(files), 0)
    assert leftovers(tiny_tmpfs) == []


def test_read_only_file_is_reported_others_fixed(tmp_path: Path) -> None:
    files = _tree(tmp_path, 4, clean_every=100)
    locked = tmp_path / next(name for name, (a, b) in files.items() if a != b)
    locked.chmod(0o444)
    done = run_cli("fix", ".", cwd=tmp_path)
    _figures.count("faults", read_only_file=1)
    assert done.returncode == 2
    assert "read-only" in done.stderr
    assert locked.read_bytes() == files[str(locked.relative_to(tmp_path))][0]
    assert _states(tmp_path, files) == (_all_fixed(files)[0] + 1, _all_fixed(files)[1] - 1)
    assert stat.S_IMODE(locked.stat().st_mode) == 0o444


# ---- killed at random moments -----------------------------------------------------------


def test_sigkill_at_random_moments_never_leaves_a_half_file(tmp_path: Path) -> None:
    """Kill the whole run (main process and workers) at random moments, again and again.

    After each kill every file is the original or the fixed version. A kill between the
    temporary file and the rename leaves that temporary file (the original is intact); the
    next run that writes the file removes it, so none is left at the end."""
    files = _tree(tmp_path, 200)
    rng = random.Random(int(os.environ.get("DOCKFIX_KILL_SEED", "8")))
    argv = [sys.executable, "-m", "dockfix", "fix", "-j", "2", "."]
    start = time.monotonic()
    kills = 0
    progress: list[int] = []  # files fixed after each round
    orphans: set[str] = set()  # temporary files seen after a kill
    for round_ in range(5):
        proc = subprocess.Popen(  # dockfix: ignore
            argv,
            cwd=tmp_path,
            env=env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        if round_ == 0:
            time.sleep(rng.uniform(0.05, 0.5))  # during start-up
        else:  # while writing: after a random number of further files, plus a random instant
            _wait_for_fixed(tmp_path, files, progress[-1] + rng.randint(1, 40), proc)
            time.sleep(rng.uniform(0, 0.03))
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            kills += 1
        proc.wait(timeout=60)
        _wait_for_group(proc.pid)
        state = _states(tmp_path, files)
        progress.append(state[1])
        for temp in leftovers(tmp_path):  # killed between temporary file and rename
            orphans.add(temp)
            folder, name = os.path.split(temp)
            target = name[1:].split(".py.", 1)[0] + ".py"
            original = files[os.path.relpath(os.path.join(folder, target), tmp_path)][0]
            assert Path(folder, target).read_bytes() == original  # harmless: never renamed
        if state == _all_fixed(files):
            break
    final = run_cli("fix", "-j", "2", ".", cwd=tmp_path)
    assert final.returncode == 0, final.stderr
    assert _states(tmp_path, files) == _all_fixed(files)
    assert leftovers(tmp_path) == []
    _figures.count(
        "faults", sigkill=kills, sigkill_files=len(files), sigkill_orphan_temps=len(orphans)
    )
    assert kills >= 1, f"the run always finished before the kill ({time.monotonic() - start:.1f}s)"
    assert any(0 < fixed < _all_fixed(files)[1] for fixed in progress), progress  # killed mid-run


KILLED_AT_REPLACE = """
import os, signal, sys

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

os.replace = die  # the worst moment: the temporary file is complete, the rename not done
from dockfix.cli import main
sys.argv = ["dockfix", "fix", "-j", "1", "."]
main()
"""


def test_temp_file_of_a_run_killed_mid_write_is_harmless_and_cleaned(tmp_path: Path) -> None:
    """Killed between the temporary file and the rename: the original is intact, and the
    temporary file (named with the dead writer's pid) is removed by the next run."""
    files = _tree(tmp_path, 2, clean_every=100)
    done = subprocess.run(  # dockfix: ignore
        [sys.executable, "-c", KILLED_AT_REPLACE],
        cwd=tmp_path,
        env=env(),
        capture_output=True,
        timeout=120,
        check=False,
    )
    _figures.count("faults", sigkill_at_rename=1)
    assert done.returncode == -signal.SIGKILL
    assert _states(tmp_path, files) == (len(files), 0)
    left = leftovers(tmp_path)
    assert len(left) == 1, left
    again = run_cli("fix", ".", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert _states(tmp_path, files) == _all_fixed(files)
    assert leftovers(tmp_path) == []


def _wait_for_fixed(
    root: Path, files: dict[str, tuple[bytes, bytes]], count: int, proc: subprocess.Popen[bytes]
) -> None:
    """Wait until ``count`` files were rewritten (or the run ended)."""
    changing = [(root / name, after) for name, (before, after) in files.items() if before != after]
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        if sum(1 for path, after in changing if path.read_bytes() == after) >= count:
            return
        time.sleep(0.01)


def _wait_for_group(pgid: int, timeout: float = 20.0) -> None:
    """Orphaned workers of a killed run must end too (killpg reached them)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    raise AssertionError("processes of the killed run are still alive")


# ---- changed under our feet, links, mode, odd content -------------------------------------

RACE = """
import sys
from pathlib import Path
import dockfix.cli._process as process

original = process.analyze_bytes

def analyze_then_edit(data, task):
    outcome = original(data, task)
    if task.path.endswith("victim.py"):
        Path(task.path).write_bytes(data + b"# edited meanwhile\\n")
    return outcome

process.analyze_bytes = analyze_then_edit
from dockfix.cli import main
sys.argv = ["dockfix", "fix", "-j", "1", "."]
main()
"""


def test_file_changed_between_read_and_write_is_refused(tmp_path: Path) -> None:
    files = _tree(tmp_path, 3, clean_every=100)
    victim = tmp_path / "victim.py"
    victim.write_bytes(FIXABLE.format(n=99).encode())
    done = subprocess.run(  # dockfix: ignore
        [sys.executable, "-c", RACE],
        cwd=tmp_path,
        env=env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    _figures.count("faults", changed_between_read_and_write=1)
    assert done.returncode == 2, done.stderr
    assert "victim.py" in done.stderr
    assert "changed on disk" in done.stderr
    assert victim.read_bytes().endswith(b"# edited meanwhile\n")
    assert b'"-f"' in victim.read_bytes()
    assert _states(tmp_path, files) == _all_fixed(files)
    assert leftovers(tmp_path) == []


def test_symlink_target_written_link_kept(tmp_path: Path) -> None:
    real = tmp_path / "real" / "a.py"
    real.parent.mkdir()
    data = FIXABLE.format(n=1).encode()
    real.write_bytes(data)
    link = tmp_path / "link.py"
    link.symlink_to(Path("real") / "a.py")
    done = run_cli("fix", "link.py", cwd=tmp_path)
    _figures.count("faults", symlink=1)
    assert done.returncode == 0, done.stderr
    assert link.is_symlink()
    assert os.readlink(link) == os.path.join("real", "a.py")
    assert real.read_bytes() == fixed_bytes(data)
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(not IS_ROOT, reason="changing a file's owner needs root")
def test_mode_and_ownership_kept(tmp_path: Path) -> None:
    path = tmp_path / "owned.py"
    data = FIXABLE.format(n=1).encode()
    path.write_bytes(data)
    os.chown(path, 4321, 8765)
    path.chmod(0o6751)
    done = run_cli("fix", "owned.py", cwd=tmp_path)
    _figures.count("faults", mode_and_owner=1)
    assert done.returncode == 0, done.stderr
    info = path.stat()
    assert (info.st_uid, info.st_gid) == (4321, 8765)
    assert stat.S_IMODE(info.st_mode) == 0o6751
    assert path.read_bytes() == fixed_bytes(data)


def test_odd_files_among_good_ones(tmp_path: Path) -> None:
    """Undeclared non-UTF-8, empty, syntax error: reported or skipped; the others fixed."""
    good = FIXABLE.format(n=1).encode()
    rm = b'subprocess.run(["docker", "rm", "-f", c])'
    odd = {
        "latin.py": b'import subprocess\nx = "\xe9t\xe9"\n' + rm + b"\n",
        "empty.py": b"",
        "only_bom.py": b"\xef\xbb\xbf",
        "only_crlf.py": b"\r\n",
        "broken.py": b"import subprocess\ndef broken(:\n    " + rm + b"\n",
        "nul.py": b'import subprocess\nsubprocess.run(["docker", "rm", "-f", c])\x00\n',
    }
    for name, data in odd.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "good.py").write_bytes(good)
    done = run_cli("fix", ".", cwd=tmp_path)
    _figures.count("faults", odd_files=len(odd))
    assert done.returncode == 2, done.stderr
    for name, data in odd.items():
        assert (tmp_path / name).read_bytes() == data, name
    for name in ("latin.py", "broken.py", "nul.py"):
        assert f"{name}: error" in done.stderr, name
    assert (tmp_path / "good.py").read_bytes() == fixed_bytes(good)


def test_ten_megabyte_file(tmp_path: Path) -> None:
    """A 10 MB module (mostly one big literal) is fixed, in bounded time."""
    body = 'DATA = """\n' + ("x" * 99 + "\n") * 100_000 + '"""\n'
    data = ("import subprocess\n\n" + body + 'subprocess.run(["docker", "rm", "-f", c])\n').encode()
    assert len(data) >= 10_000_000
    path = tmp_path / "big.py"
    path.write_bytes(data)
    started = time.monotonic()
    done = run_cli("fix", "big.py", cwd=tmp_path, timeout=180)
    elapsed = time.monotonic() - started
    _figures.count("faults", ten_mb_file=1)
    assert done.returncode == 0, done.stderr
    out = path.read_bytes()
    assert out.endswith(b"docker_executor.stop_and_remove(c)\n")
    assert out[len(b"from dockfix.runtime import docker_executor\n\n") :].startswith(b'DATA = """')
    assert body.encode() in out
    assert elapsed < 120


def test_python_312_syntax_on_an_older_interpreter(tmp_path: Path) -> None:
    """PEP 695 syntax: libcst parses it on any interpreter; fixed, the rest untouched."""
    src = (
        b"import subprocess\n\ntype Names = list[str]\n\n\n"
        b'def f[T](x: T) -> T:\n    subprocess.run(["docker", "rm", "-f", "c"])\n    return x\n'
    )
    path = tmp_path / "modern.py"
    path.write_bytes(src)
    done = run_cli("fix", "modern.py", cwd=tmp_path)
    _figures.count("faults", pep695=1)
    assert done.returncode == 0, done.stderr
    out = path.read_bytes()
    assert b"type Names = list[str]\n" in out
    assert b"def f[T](x: T) -> T:\n" in out
    assert b'    docker_executor.stop_and_remove("c")\n    return x\n' in out
    if sys.version_info >= (3, 12):
        compile(out, "modern.py", "exec")
