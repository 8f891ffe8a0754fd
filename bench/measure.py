"""Run one command and measure its wall time and peak memory, children included.

Two memory figures, both in MiB:

``maxrss``: ``ru_maxrss`` from ``os.wait4`` on the command's process. On Linux that is the
largest resident set reached by ANY single process of the tree that was waited for (the process
itself, its children, pool workers and their children: the kernel folds each reaped child's
high-water mark into its parent's). It is exact but it is a maximum, not a sum: a pool of two
100 MiB workers reports about 100 MiB.

``tree_peak``: the largest SUM of the resident sets of all live processes of the tree, sampled
every ``interval`` seconds by walking ``/proc/<pid>/task/<tid>/children``. It is what the machine
had to hold at once, but a spike shorter than the interval can be missed.

``peak`` (the figure the targets use) is the larger of the two.
"""

from __future__ import annotations

import os
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
    tree_peak: float  # MiB, largest sampled sum over the live tree
    returncode: int

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
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss(root: int) -> int:
    """Sum of the resident sets of ``root`` and all its descendants, in bytes."""
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
) -> Sample:
    """Run ``argv`` to completion and measure it (see the module docstring)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        list(argv), cwd=cwd, stdout=stdout, stderr=stderr, env=env, stdin=subprocess.DEVNULL
    )
    sampler = _Sampler(proc.pid, interval)
    sampler.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        wall = time.perf_counter() - start
        sampler.done.set()
        sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)  # already reaped: tell Popen
    return Sample(
        wall=wall,
        maxrss=usage.ru_maxrss * 1024 / _MIB,  # ru_maxrss is in KiB on Linux
        tree_peak=sampler.peak / _MIB,
        returncode=proc.returncode,
    )
