"""Helpers for the runtime tests: fake and tracing ``docker`` programs, peak concurrency."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path
from typing import Any

# Every traced process appends "S <time> <pid>" when it starts and "E <time> <pid>" at exit.
_TRACE_HEAD = """#!/bin/bash
echo "S $EPOCHREALTIME $$" >> {trace}
"""
_TRACE_TAIL = """rc=$?
echo "E $EPOCHREALTIME $$" >> {trace}
exit $rc
"""


def write_program(path: Path, body: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return str(path)


def tracing_docker(bin_dir: Path, trace: Path) -> str:
    """A ``docker`` wrapper that traces every run of the real CLI."""
    real = shutil.which("docker")
    assert real is not None
    body = _TRACE_HEAD.format(trace=trace) + f'"{real}" "$@"\n' + _TRACE_TAIL.format(trace=trace)
    return write_program(bin_dir / "docker", body)


def fake_docker(bin_dir: Path, trace: Path, script: str = "sleep 0.1") -> str:
    """A traced fake ``docker`` running ``script`` (bash) instead of the CLI."""
    body = _TRACE_HEAD.format(trace=trace) + script + "\n" + _TRACE_TAIL.format(trace=trace)
    return write_program(bin_dir / "docker", body)


def trace_events(trace: Path) -> list[tuple[float, int]]:
    events = []
    for line in trace.read_text().splitlines():
        kind, ts, _pid = line.split()
        events.append((float(ts), 1 if kind == "S" else -1))
    return events


def peak(events: list[tuple[float, int]]) -> int:
    """Most intervals open at once (an end at the same instant as a start closes first)."""
    level = top = 0
    for _ts, delta in sorted(events):
        level += delta
        top = max(top, level)
    return top


def trace_peak(trace: Path) -> int:
    events = trace_events(trace)
    starts = sum(1 for _, d in events if d == 1)
    assert starts == len(events) - starts, "a traced process did not finish"
    return peak(events)


def audit_records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def audit_peak(records: list[dict[str, Any]]) -> int:
    events: list[tuple[float, int]] = []
    for rec in records:
        if rec["refused"] or rec["op"] == "callable":
            continue
        events += [(rec["ts"], 1), (rec["ts"] + rec["duration"], -1)]
    return peak(events)


REPO = Path(__file__).resolve().parents[2]


def child_env(**extra: str) -> dict[str, str]:
    """The environment for a child Python: no DOCKFIX_* settings, this checkout importable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCKFIX_")}
    paths = [str(REPO / "src"), str(REPO), env.get("PYTHONPATH", "")]
    env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    env.update(extra)
    return env
