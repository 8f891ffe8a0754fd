"""Watching the daemon over a run: a background thread compares each look with the last.

Two kinds of event are kept, each with the tests that ran while it happened:

- a *restart*: the daemon process changed (between the last look that saw the old one and
  the first look that saw the new one);
- an *outage*: the daemon stopped answering (from the last look that got an answer to the
  first that got one again, or to the end of the run).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Optional

from dockfix.watch._probe import DaemonState


@dataclass(frozen=True)
class DaemonEvent:
    kind: str  # "restart" | "outage" | "interruption"
    start: float  # last look before it that saw the daemon as it was
    end: Optional[float]  # first look that saw it settled again; None: not by the end
    before: str
    after: str
    tests: tuple[str, ...]

    def describe(self) -> str:
        if self.kind == "restart":
            return f"daemon restarted: {self.before} -> {self.after}"
        if self.kind == "interruption":
            return "daemon restarted or dropped its clients (its event stream ended)"
        if self.end is None:
            return f"daemon stopped answering and did not answer again by the end ({self.after})"
        return f"daemon did not answer for up to {self.end - self.start:.1f} s ({self.after})"


@dataclass
class _Span:
    nodeid: str
    start: float
    end: Optional[float] = None


@dataclass
class _Outage:
    start: float
    detail: str


@dataclass
class RunLog:
    """When each test ran (thread-safe): which tests overlap a window of time."""

    spans: list[_Span] = field(default_factory=list)
    running: dict[str, _Span] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def started(self, nodeid: str, at: Optional[float] = None) -> None:
        span = _Span(nodeid, time.time() if at is None else at)
        with self.lock:
            self.spans.append(span)
            self.running[nodeid] = span

    def finished(self, nodeid: str, at: Optional[float] = None) -> None:
        with self.lock:
            span = self.running.pop(nodeid, None)
            if span is not None:
                span.end = time.time() if at is None else at

    def during(self, start: float, end: Optional[float]) -> tuple[str, ...]:
        with self.lock:
            return tuple(
                dict.fromkeys(
                    span.nodeid
                    for span in self.spans
                    if (end is None or span.start <= end)
                    and (span.end is None or span.end >= start)
                )
            )


class DaemonWatch:
    """Looks at the daemon at the start, every ``interval`` seconds, and at the end."""

    def __init__(self, look: Callable[[], DaemonState], interval: float, tests: RunLog) -> None:
        self._look = look
        self.interval = interval
        self.tests = tests
        self.events: list[DaemonEvent] = []
        self.first: Optional[DaemonState] = None
        self.looks = 0
        self._last: Optional[DaemonState] = None
        self._identity_seen: Optional[tuple[str, float]] = None  # identity, last look with it
        self._outage: Optional[_Outage] = None
        self._last_answer: float = 0.0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None

    def start(self) -> DaemonState:
        state = self.check()
        if self.interval > 0:
            self._thread = threading.Thread(
                target=self._run, name="dockfix-daemon-watch", daemon=True
            )
            self._thread.start()
        return state

    def stop(self) -> None:
        """Stop the thread, take a last look, close an outage still open."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.interval + 10)
            self._thread = None
        if self.first is not None:
            self.check()
        with self._lock:
            if self._outage is not None:
                self._add("outage", self._outage.start, None, "", self._outage.detail)
                self._outage = None

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.check()

    def check(self) -> DaemonState:
        try:
            state = self._look()
        except Exception as exc:  # a broken probe must not end the watch silently
            state = DaemonState(time.time(), None, False, f"probe failed: {exc!r}")
        with self._lock:
            self.looks += 1
            if self.first is None:
                self.first = state
                self._last_answer = state.at
            self._compare(state)
            self._last = state
        return state

    def _compare(self, state: DaemonState) -> None:
        if state.interrupted:
            since = self._last.at if self._last is not None else state.at
            self._add("interruption", since, state.at, "", "")
        if state.answering:
            if self._outage is not None:
                self._add("outage", self._outage.start, state.at, "", self._outage.detail)
                self._outage = None
            self._last_answer = state.at
        elif self._outage is None:
            self._outage = _Outage(self._last_answer, state.detail or "no answer")
        if state.identity is None:
            return
        seen = self._identity_seen
        if seen is not None and seen[0] != state.identity:
            self._add("restart", seen[1], state.at, seen[0], state.identity)
        self._identity_seen = (state.identity, state.at)

    def _add(self, kind: str, start: float, end: Optional[float], before: str, after: str) -> None:
        tests = self.tests.during(start, end)
        self.events.append(DaemonEvent(kind, start, end, before, after, tests))
