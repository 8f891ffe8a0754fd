"""The numbers of an audit log: what ran, what failed, how crowded and how slow it was."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Optional

from dockfix.audit._records import AuditRecord

# A process that logged a zero duration still occupied the daemon for an instant.
_MIN_DURATION = 1e-6


@dataclass(frozen=True)
class FailureGroup:
    op: str
    error: str
    count: int
    returncodes: tuple[int, ...]
    example: tuple[str, ...]  # argv of the first one


@dataclass(frozen=True)
class AuditSummary:
    operations: int  # processes run (refusals excluded)
    by_op: tuple[tuple[str, int], ...]  # most frequent first
    failed: int
    failures: tuple[FailureGroup, ...]
    retried: int  # records of a second or later attempt
    refused: tuple[tuple[str, ...], ...]  # argv of each refused force/kill
    peak_concurrency: int
    peak_at: Optional[float]
    wait_total: float
    wait_max: float
    duration_p50: float
    duration_p95: float
    duration_max: float
    start: Optional[float]
    end: Optional[float]
    processes: int  # distinct (host, pid) that logged

    def as_dict(self) -> dict[str, Any]:
        return {
            "operations": self.operations,
            "by_command": dict(self.by_op),
            "failed": self.failed,
            "failures": [
                {
                    "op": g.op,
                    "error": g.error,
                    "count": g.count,
                    "returncodes": list(g.returncodes),
                    "example": list(g.example),
                }
                for g in self.failures
            ],
            "retried": self.retried,
            "refused": [list(argv) for argv in self.refused],
            "peak_concurrency": self.peak_concurrency,
            "peak_at": self.peak_at,
            "slot_wait": {"total": self.wait_total, "max": self.wait_max},
            "duration": {
                "p50": self.duration_p50,
                "p95": self.duration_p95,
                "max": self.duration_max,
            },
            "start": self.start,
            "end": self.end,
            "processes": self.processes,
        }


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (0.0 for no values): a value that was actually seen."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def concurrency_steps(records: Sequence[AuditRecord]) -> list[tuple[float, int]]:
    """(time, number of docker processes running from then on), in time order."""
    events: list[tuple[float, int]] = []
    for record in records:
        if record.refused:
            continue
        events.append((record.ts, 1))
        events.append((record.ts + max(record.duration, _MIN_DURATION), -1))
    # At equal times an end comes before a start: back-to-back processes did not overlap.
    events.sort(key=lambda e: (e[0], e[1]))
    steps: list[tuple[float, int]] = []
    level = 0
    for at, delta in events:
        level += delta
        if steps and steps[-1][0] == at:
            steps[-1] = (at, level)
        else:
            steps.append((at, level))
    return steps


def error_line(error: Optional[str], returncode: Optional[int]) -> str:
    """The telling line of an error text: docker's own ``Error ...`` line, not a usage hint."""
    lines = [line.strip() for line in (error or "").splitlines() if line.strip()]
    for line in lines:
        if "error" in line.lower() or "cannot" in line.lower():
            return line
    if lines:
        return lines[0]
    return f"exit status {returncode}" if returncode is not None else "failed"


def _failure_groups(records: Sequence[AuditRecord]) -> tuple[FailureGroup, ...]:
    groups: dict[tuple[str, str], list[AuditRecord]] = {}
    for record in records:
        if record.failed:
            key = (record.op, error_line(record.error, record.returncode))
            groups.setdefault(key, []).append(record)
    ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
    return tuple(
        FailureGroup(
            op=op,
            error=error,
            count=len(group),
            returncodes=tuple(sorted({r.returncode for r in group if r.returncode is not None})),
            example=group[0].argv,
        )
        for (op, error), group in ordered
    )


def summarize(records: Sequence[AuditRecord]) -> AuditSummary:
    ran = [r for r in records if not r.refused]
    steps = concurrency_steps(ran)
    peak, peak_at = 0, None
    for at, level in steps:
        if level > peak:
            peak, peak_at = level, at
    durations = [r.duration for r in ran]
    waits = [r.wait for r in records]
    return AuditSummary(
        operations=len(ran),
        by_op=tuple(sorted(Counter(r.op for r in ran).items(), key=lambda kv: (-kv[1], kv[0]))),
        failed=sum(1 for r in ran if r.failed),
        failures=_failure_groups(ran),
        retried=sum(1 for r in ran if r.attempt > 1),
        refused=tuple(r.argv for r in records if r.refused),
        peak_concurrency=peak,
        peak_at=peak_at,
        wait_total=sum(waits),
        wait_max=max(waits, default=0.0),
        duration_p50=percentile(durations, 50),
        duration_p95=percentile(durations, 95),
        duration_max=max(durations, default=0.0),
        start=min((r.ts for r in records), default=None),
        end=max((r.end for r in records), default=None),
        processes=len({(r.host, r.pid) for r in records}),
    )
