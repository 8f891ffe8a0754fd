"""Concurrent docker processes over time, in equal buckets (the data behind the chart)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dockfix.audit._records import AuditRecord
from dockfix.audit._summary import concurrency_steps


@dataclass(frozen=True)
class Timeline:
    start: float
    end: float
    peaks: tuple[int, ...]  # most processes running at once within each bucket

    @property
    def bucket_seconds(self) -> float:
        return (self.end - self.start) / len(self.peaks) if self.peaks else 0.0


def build_timeline(records: Sequence[AuditRecord], buckets: int = 60) -> Timeline:
    """The highest concurrency seen in each of ``buckets`` equal slices of the run."""
    steps = concurrency_steps(records)
    if not steps or buckets < 1:
        return Timeline(0.0, 0.0, ())
    start, end = steps[0][0], steps[-1][0]
    width = (end - start) / buckets
    if width <= 0:
        return Timeline(start, end, (max(level for _, level in steps),))
    peaks = [0] * buckets
    # The level of step k holds from its time up to the next step's time.
    for (at, level), (until, _) in zip(steps, steps[1:]):
        first = min(buckets - 1, int((at - start) / width))
        last = min(buckets - 1, int((until - start) / width))
        if until > at and (until - start) / width == last and last > first:
            last -= 1  # a level ending exactly on a bucket edge does not reach into the next
        for index in range(first, last + 1):
            peaks[index] = max(peaks[index], level)
    return Timeline(start, end, tuple(peaks))
