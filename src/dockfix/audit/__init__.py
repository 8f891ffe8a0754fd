"""Summaries of the runtime's audit log: counts, failures, concurrency, timing.

Standard library only at import; ``render_text`` imports rich when it draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dockfix.audit._records import AuditLog, AuditRecord, parse_lines, read_audit_log
from dockfix.audit._summary import AuditSummary, FailureGroup, percentile, summarize
from dockfix.audit._timeline import Timeline, build_timeline

__all__ = [
    "AuditLog",
    "AuditRecord",
    "AuditSummary",
    "FailureGroup",
    "Timeline",
    "as_json",
    "build_timeline",
    "parse_lines",
    "percentile",
    "read_audit_log",
    "render_text",
    "summarize",
]


def as_json(log: AuditLog, buckets: int = 60) -> dict[str, Any]:
    """The summary and the timeline as plain data (``--format json``)."""
    summary = summarize(log.records)
    timeline = build_timeline(log.records, buckets)
    data = summary.as_dict()
    data["timeline"] = {
        "start": timeline.start,
        "end": timeline.end,
        "bucket_seconds": timeline.bucket_seconds,
        "peaks": list(timeline.peaks),
    }
    data["bad_lines"] = list(log.bad_lines)
    return data


def render_text(
    summary: AuditSummary,
    records: Sequence[AuditRecord],
    *,
    width: int = 80,
    color: bool = False,
    marks: Sequence[tuple[float, str]] = (),
) -> str:
    """The terminal report (rich), as a string; ``marks``: (epoch time, label) under the chart."""
    from dockfix.audit._render import render_text as _render

    return _render(summary, records, width=width, color=color, marks=marks)
