"""Run one command and measure its wall time and peak memory, children included.

Two memory figures, both in MiB:

``maxrss``: ``ru_maxrss`` from ``os.wait4`` on the command's process. On Linux that is the
largest resident set reached by ANY single process of the tree that was waited for (the process
itself, its children, pool workers and their children: the kernel folds each reaped child's
high-water mark into its parent's). It is exact but it is a maximum, not a sum: a pool of two
100 MiB workers reports about 100 MiB.

``tree_peak``: the largest SUM of the proportional set sizes (PSS, from
``/proc/<pid>/smaps_rollup``; RSS where that is missing) of all live processes of the tree,
sampled every ``interval`` seconds by walking ``/proc/<pid>/task/<tid>/children``. PSS splits
pages shared between forked workers among them, so the sum is what the machine had to hold at
once without counting copy-on-write pages twice. A spike shorter than the interval can be missed.

``peak`` (the figure the targets use) is the larger of the two.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

_PAGE = os.sysconf("SC_PAGE_SIZE")
_MIB = 1024 * 1024


@dataclass(frozen=True)
class Sample:
    wall: float  # seconds, from spawn to reaping
    maxrss: float  # MiB, largest single process of the tree (exact)
    tree_peak: float  # MiB, largest sampled PSS sum over the live tree
    returncode: int
    timed_out: bool = False  # killed after the time limit: ``wall`` is a lower bound

    @property
    def peak(self) -> float:
        return max(self.maxrss, self.tree_peak)


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return kids
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                kids.extend(int(k) for k in f.read().split())
        except OSError:
            continue
    return kids


def _rss(pid: int) -> int:
    """PSS of ``pid`` in bytes (RSS when smaps_rollup is unavailable); 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss(root: int) -> int:
    """Sum of the PSS of ``root`` and all its descendants, in bytes."""
    total, stack, seen = 0, [root], set()
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        total += _rss(pid)
        stack.extend(_children(pid))
    return total


class _Sampler(threading.Thread):
    def __init__(self, pid: int, interval: float) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            self.done.wait(self.interval)


def run_measured(
    argv: Sequence[str],
    *,
    cwd: str | Path | None = None,
    stdout: IO[bytes] | int | None = subprocess.DEVNULL,
    stderr: IO[bytes] | int | None = subprocess.DEVNULL,
    env: Mapping[str, str] | None = None,
    interval: float = 0.02,
    timeout: float | None = None,
) -> Sample:
    """Run ``argv`` to completion and measure it (see the module docstring).

    After ``timeout`` seconds the command's process group (it gets its own session) is killed
    and the sample is marked ``timed_out``.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(
        list(argv),
        cwd=cwd,
        stdout=stdout,
        stderr=stderr,
        env=env,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    sampler = _Sampler(proc.pid, interval)
    sampler.start()
    expired = threading.Event()

    def kill() -> None:
        expired.set()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)

    timer = threading.Timer(timeout, kill) if timeout else None
    if timer:
        timer.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        if timer:
            timer.cancel()
        wall = time.perf_counter() - start
        sampler.done.set()
        sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)  # already reaped: tell Popen
    return Sample(
        wall=wall,
        maxrss=usage.ru_maxrss * 1024 / _MIB,  # ru_maxrss is in KiB on Linux
        tree_peak=sampler.peak / _MIB,
        returncode=proc.returncode,
        timed_out=expired.is_set(),
    )
