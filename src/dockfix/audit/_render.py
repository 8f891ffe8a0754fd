"""Drawing an audit summary on a terminal with rich (imported only when drawing)."""

from __future__ import annotations

import io
import shlex
from collections.abc import Sequence

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from dockfix.audit._records import AuditRecord
from dockfix.audit._summary import AuditSummary
from dockfix.audit._timeline import Timeline, build_timeline

_BLOCKS = " ▁▂▃▄▅▆▇█"
_MAX_ROWS = 8
_GUTTER = 5  # "  12┤"
_MAX_FAILURE_ROWS = 10


def _seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def _argv(argv: Sequence[str], limit: int = 90) -> str:
    text = shlex.join(argv)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def headline(summary: AuditSummary) -> Text:
    span = (summary.end or 0) - (summary.start or 0)
    text = Text()
    text.append(f"{summary.operations} Docker operations", style="bold")
    processes = f"{summary.processes} process" + ("es" if summary.processes != 1 else "")
    text.append(f" in {span:.1f} s ({processes}): ")
    text.append(f"{summary.failed} failed", style="bold red" if summary.failed else "green")
    text.append(", ")
    refused = len(summary.refused)
    text.append(f"{refused} refused", style="bold red" if refused else "green")
    text.append(f", peak {summary.peak_concurrency} at once")
    return text


def _commands_table(summary: AuditSummary) -> Table:
    failed: dict[str, int] = {}
    for group in summary.failures:
        failed[group.op] = failed.get(group.op, 0) + group.count
    table = Table(title="by command", title_justify="left", box=None, pad_edge=False)
    table.add_column("command")
    table.add_column("count", justify="right")
    table.add_column("failed", justify="right")
    for op, count in summary.by_op:
        bad = failed.get(op, 0)
        table.add_row(op, str(count), Text(str(bad), style="red" if bad else "dim"))
    return table


def _timing(summary: AuditSummary) -> Text:
    text = Text("duration ")
    text.append(f"p50 {_seconds(summary.duration_p50)}", style="cyan")
    text.append(f" · p95 {_seconds(summary.duration_p95)}", style="cyan")
    text.append(f" · max {_seconds(summary.duration_max)}", style="cyan")
    text.append("\nslot wait ")
    text.append(f"total {_seconds(summary.wait_total)} · max {_seconds(summary.wait_max)}", "cyan")
    if summary.retried:
        text.append(f"   retries {summary.retried}", style="yellow")
    return text


def _failures_table(summary: AuditSummary) -> Table:
    table = Table(title="failures", title_justify="left", box=None, pad_edge=False)
    table.add_column("count", justify="right")
    table.add_column("command")
    table.add_column("error", style="red", overflow="fold")
    for group in summary.failures[:_MAX_FAILURE_ROWS]:
        table.add_row(str(group.count), group.op, group.error)
    hidden = summary.failures[_MAX_FAILURE_ROWS:]
    if hidden:
        count = sum(group.count for group in hidden)
        table.add_row(str(count), "…", f"{len(hidden)} other errors (see --format json)")
    return table


def _refused(summary: AuditSummary) -> Text:
    text = Text("refused force/kill attempts:\n", style="bold red")
    for argv in summary.refused[:20]:
        text.append(f"  {_argv(argv)}\n")
    if len(summary.refused) > 20:
        text.append(f"  … and {len(summary.refused) - 20} more\n")
    return text


def _marks_row(timeline: Timeline, marks: Sequence[tuple[float, str]]) -> Text:
    """``▲`` under the buckets where something happened (a daemon restart, an outage)."""
    width = len(timeline.peaks)
    span = timeline.end - timeline.start
    cells = [" "] * width
    labels: list[str] = []
    for at, label in marks:
        if span <= 0 or not timeline.start <= at <= timeline.end:
            continue
        cells[min(width - 1, int((at - timeline.start) / span * width))] = "▲"
        labels.append(f"▲ +{at - timeline.start:.1f}s {label}")
    text = Text()
    if labels:
        text.append("\n" + " " * _GUTTER + "".join(cells), style="bold red")
        for label in labels:
            text.append("\n" + " " * _GUTTER + label, style="red")
    return text


def chart(timeline: Timeline, marks: Sequence[tuple[float, str]] = ()) -> Text:
    """A bar per bucket, as tall as the most docker processes running at once in it."""
    peak = max(timeline.peaks, default=0)
    text = Text()
    if peak == 0:
        return text
    rows = min(peak, _MAX_ROWS)
    text.append(f"docker processes running at once (peak {peak}):\n", style="bold")
    for row in range(rows - 1, -1, -1):
        label = str(peak) if row == rows - 1 else ("1" if rows == peak and row == 0 else "")
        text.append(f"{label:>{_GUTTER - 1}}┤", style="dim")
        for value in timeline.peaks:
            fill = max(0, min(8, round(value / peak * rows * 8) - row * 8))
            ratio = value / peak
            style = "red" if ratio >= 0.8 else "yellow" if ratio >= 0.5 else "green"
            text.append(_BLOCKS[fill], style=style)
        text.append("\n")
    width = len(timeline.peaks)
    text.append(" " * (_GUTTER - 1) + "└" + "─" * width + "\n", style="dim")
    left, right = "+0s", f"+{timeline.end - timeline.start:.1f}s"
    text.append(" " * _GUTTER + left + right.rjust(max(1, width - len(left))), style="dim")
    text.append_text(_marks_row(timeline, marks))
    return text


def renderables(
    summary: AuditSummary,
    records: Sequence[AuditRecord],
    *,
    width: int,
    marks: Sequence[tuple[float, str]] = (),
) -> list[RenderableType]:
    parts: list[RenderableType] = [headline(summary)]
    if summary.operations == 0 and not summary.refused:
        return parts
    parts += [_commands_table(summary), _timing(summary)]
    if summary.failures:
        parts.append(_failures_table(summary))
    if summary.refused:
        parts.append(_refused(summary))
    buckets = max(10, min(100, width - _GUTTER - 2))
    parts.append(chart(build_timeline(records, buckets), marks))
    return parts


def render_text(
    summary: AuditSummary,
    records: Sequence[AuditRecord],
    *,
    width: int = 80,
    color: bool = False,
    marks: Sequence[tuple[float, str]] = (),
) -> str:
    """The report as a string (ANSI colours when ``color``) for a host that prints itself.

    ``marks`` are (epoch time, label) pairs shown under the timeline.
    """
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        force_terminal=color,
        color_system="standard" if color else None,
        no_color=not color,
        highlight=False,
        soft_wrap=False,
    )
    console.print(Group(*renderables(summary, records, width=width, marks=marks)))
    return buffer.getvalue()
