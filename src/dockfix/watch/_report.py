"""The end-of-run report of the pytest plugin: the daemon's story, then the audit summary."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from dockfix.audit import read_audit_log, render_text, summarize

if TYPE_CHECKING:
    from dockfix.watch._plugin import WatchPlugin

_MAX_TESTS = 10


def _clock(at: float) -> str:
    return time.strftime("%H:%M:%S", time.localtime(at)) + f".{int(at * 10) % 10}"


def daemon_lines(plugin: WatchPlugin) -> list[tuple[str, dict[str, bool]]]:
    """(line, markup) pairs describing what the watch saw."""
    watch = plugin.watch
    first = watch.first
    lines: list[tuple[str, dict[str, bool]]] = []
    if first is None:
        return [("daemon not watched", {"yellow": True})]
    seen = first.identity or ("answering" if first.answering else "not answering")
    lines.append(
        (
            f"daemon at start: {seen}; {watch.looks} looks ({plugin.probe.describe_method()})",
            {},
        )
    )
    if not first.answering:
        lines.append((f"the daemon did not answer at the start: {first.detail}", {"red": True}))
    if not watch.events:
        lines.append(("no restart, no outage", {"green": True}))
    for event in watch.events:
        until = _clock(event.end) if event.end is not None else "the end"
        lines.append(
            (f"{event.describe()} between {_clock(event.start)} and {until}", {"red": True})
        )
        names = event.tests[:_MAX_TESTS]
        more = len(event.tests) - len(names)
        if not names:
            lines.append(("    no test was running", {}))
        for name in names:
            lines.append((f"    during {name}", {}))
        if more > 0:
            lines.append((f"    ... and {more} more tests", {}))
    return lines


def write_report(terminalreporter: Any, plugin: WatchPlugin) -> None:
    tr = terminalreporter
    tr.write_sep("=", "dockfix: Docker daemon")
    for line, markup in daemon_lines(plugin):
        tr.write_line(line, **markup)
    tr.write_sep("-", "dockfix: Docker operations")
    if plugin.executor_note:
        tr.write_line(plugin.executor_note, yellow=True)
    try:
        log = read_audit_log(plugin.audit_log, plugin.audit_offset)
    except OSError:
        tr.write_line(f"no audit log at {plugin.audit_log}: no Docker operation was recorded")
        return
    summary = summarize(log.records)
    writer = getattr(tr, "_tw", None)
    width = int(getattr(writer, "fullwidth", 80) or 80)
    color = bool(getattr(writer, "hasmarkup", False))
    marks = [
        (event.start, "daemon restarted" if event.kind != "outage" else "daemon stopped answering")
        for event in plugin.watch.events
    ]
    tr.write(render_text(summary, log.records, width=width, color=color, marks=marks))
    if log.bad_lines:
        tr.write_line(
            f"{len(log.bad_lines)} line(s) of the audit log were not records", yellow=True
        )
    tr.write_line(f"audit log: {plugin.audit_log}  (dockfix audit {plugin.audit_log})")
