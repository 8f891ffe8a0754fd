"""The benchmark's process-tree measurement sees memory held by grandchildren."""

from __future__ import annotations

import sys

from bench.measure import run_measured

CHILD = (
    "import time; b = bytearray(40 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096]);"
    " time.sleep(0.4)"
)


def test_wait4_maxrss_and_tree_sampling_include_grandchildren():
    parent = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {CHILD!r}])"
    sample = run_measured([sys.executable, "-c", parent], interval=0.02)
    assert sample.returncode == 0
    assert sample.maxrss >= 40  # the grandchild's high-water mark reached the top process
    assert sample.tree_peak >= 40 + 5  # sampled while both processes were alive
    assert sample.wall >= 0.4
