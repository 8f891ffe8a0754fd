"""Processing files: read, prefilter, analyse, and (in write mode) write back.

Files are processed across processes in chunks, or serially for a few files. Every
failure (unreadable, undecodable, unparsable, unwritable, an engine bug) becomes a
:class:`FileOutcome` with an ``error``; nothing here raises for a bad file.
"""

from __future__ import annotations

import dataclasses
import importlib
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Optional, Protocol, cast

from dockfix.engine._types import FileResult, Finding, Settings, report_only
from dockfix.files._write import WriteError, read_snapshot, write_atomic
from dockfix.report._report import FileOutcome, Fixes, Mode, Replacement

if TYPE_CHECKING:
    import multiprocessing.context

SERIAL_BELOW = 16  # fewer files than this: a process pool costs more than it saves
MAX_CHUNK = 32


class Engine(Protocol):
    """The part of ``dockfix.engine`` the CLI uses (see docs/dev/contracts.md)."""

    def analyze(
        self,
        source: bytes,
        settings: Settings,
        *,
        path: str = "<stdin>",
        accept: Optional[Callable[[Finding], bool]] = None,
    ) -> FileResult: ...

    def prefilter(self, source: bytes, settings: Settings) -> bool: ...


def engine() -> Engine:
    """The engine, imported on first use (it brings libcst with it)."""
    return cast(Engine, importlib.import_module("dockfix.engine"))


_none = report_only  # check mode: no fix, and the engine may skip what serves fixes only


def _only(key: tuple[str, int, int]) -> Callable[[Finding], bool]:
    return lambda finding: finding.key == key


@dataclass(frozen=True)
class Task:
    """One file to process; picklable, sent to worker processes."""

    path: str
    mode: Mode
    settings: Settings
    keep_source: bool = False  # diffs need the bytes back
    sarif_fixes: bool = False  # compute each fixable finding's own replacement
    include_non_python: bool = False  # shell, Makefile, YAML, Dockerfile: report only
    cache_dir: Optional[str] = None  # the content cache (``_cache``); None: no cache
    cache_salt: str = ""  # ``_cache.salt(settings)``, computed once per run

    def cacheable(self) -> bool:
        """Whether this file's findings may come from / go to the cache."""
        if self.cache_dir is None:
            return False
        return not (self.include_non_python and not self.path.endswith(".py"))


def _scan_text(data: bytes, task: Task) -> FileOutcome:
    """A non-Python file: findings from ``dockfix.textscan``, never a change."""
    from dockfix.textscan import scan

    try:
        findings = tuple(scan(task.path, data, task.settings))
    except Exception as exc:  # a scanner bug must not stop the run
        return FileOutcome(path=task.path, error=f"internal error: {type(exc).__name__}: {exc}")
    return FileOutcome(path=task.path, findings=findings, source=data, result=data)


def analyze_bytes(data: bytes, task: Task) -> FileOutcome:
    """Analyse bytes in the task's mode; never raises."""
    if task.include_non_python and not task.path.endswith(".py"):
        from dockfix.textscan import is_candidate

        if is_candidate(task.path, data[:256]):
            return _scan_text(data, task)
    eng = engine()
    try:
        if not eng.prefilter(data, task.settings):
            return FileOutcome(path=task.path, source=data, result=data)
        accept = _none if task.mode is Mode.CHECK else None
        result = eng.analyze(data, task.settings, path=task.path, accept=accept)
        if result.error is not None:
            return FileOutcome(path=task.path, error=result.error)
        fixes = _sarif_fixes(data, result, task) if task.sarif_fixes else ()
    except Exception as exc:  # an engine bug must not stop the run
        return FileOutcome(path=task.path, error=f"internal error: {type(exc).__name__}: {exc}")
    fixed = frozenset() if accept is _none else _fixed_keys(result)
    keep = task.keep_source or task.mode is Mode.WRITE
    return FileOutcome(
        path=task.path,
        findings=result.findings,
        fixed=fixed,
        source=data if keep else b"",
        result=result.fixed if keep else b"",
        fixes=fixes,
        edits=result.edits if task.keep_source else (),
    )


def _fixed_keys(result: FileResult) -> frozenset[tuple[str, int, int]]:
    """The findings whose fix is in ``result.fixed`` (the engine says which)."""
    return frozenset(result.applied)


def _sarif_fixes(data: bytes, result: FileResult, task: Task) -> Fixes:
    """Each fixable finding's own fix, as line replacements. With one fixable finding in
    the file, its fix alone is every fix, which fix mode makes without the libcst pass
    where it can (``accept`` None); with more, each is made alone (an ``accept`` that
    takes one finding: the libcst pass)."""
    from dockfix.report._diff import line_replacements

    fixes: list[tuple[tuple[str, int, int], tuple[Replacement, ...]]] = []
    eng = engine()
    fixable = [finding for finding in result.findings if finding.fixable]
    for finding in fixable:
        accept = None if len(fixable) == 1 else _only(finding.key)
        alone = eng.analyze(data, task.settings, path=task.path, accept=accept)
        if alone.error is None and alone.changed and finding.key in alone.applied:
            fixes.append((finding.key, line_replacements(data, alone.fixed)))
    return tuple(fixes)


def process_file(task: Task) -> FileOutcome:
    """Read, analyse and (in write mode) write one file; never raises."""
    try:
        snapshot = read_snapshot(task.path)
    except OSError as exc:
        return FileOutcome(path=task.path, error=f"cannot read: {exc.strerror or exc}")
    outcome = analyze_bytes(snapshot.data, task)
    if task.cacheable() and outcome.error is None:
        _remember(snapshot.data, task, outcome)
    if task.mode is not Mode.WRITE or outcome.error or not outcome.diff_pending:
        return _slim(outcome, task)
    try:
        write_atomic(task.path, outcome.result, snapshot)
    except WriteError as exc:
        return FileOutcome(path=task.path, findings=outcome.findings, error=str(exc))
    return _slim(dataclasses.replace(outcome, written=True), task)


def _remember(data: bytes, task: Task, outcome: FileOutcome) -> None:
    """Cache the findings of check mode (with each fix's replacements when SARIF needs
    them); other modes only record files without findings (their findings are the same,
    but a fix run needs the analysis anyway)."""
    if task.mode is not Mode.CHECK and outcome.findings:
        return
    from dockfix.cli import _cache

    assert task.cache_dir is not None
    fixes = outcome.fixes if task.sarif_fixes else None
    _cache.store(task.cache_dir, _cache.key(data, task.cache_salt), outcome.findings, fixes)


def _cached(data: bytes, task: Task) -> Optional[FileOutcome]:
    """The outcome the cache knows for ``data``: in check mode any entry (for SARIF, one
    that holds the fixes, or one without a fixable finding), in other modes only an entry
    without findings (nothing to fix)."""
    from dockfix.cli import _cache

    assert task.cache_dir is not None
    entry = _cache.load(task.cache_dir, _cache.key(data, task.cache_salt))
    if entry is None or (entry.findings and task.mode is not Mode.CHECK):
        return None
    fixes = entry.fixes
    if task.sarif_fixes and fixes is None:
        if any(f.fixable for f in entry.findings):
            return None  # recorded by a run without SARIF: the fixes are not known
        fixes = ()
    return FileOutcome(path=task.path, findings=entry.findings, fixes=fixes or ())


def _slim(outcome: FileOutcome, task: Task) -> FileOutcome:
    """Drop the bytes before sending an outcome back. A diff is made here (in the worker
    process, not in the one that prints) and sent instead of them."""
    if task.keep_source and task.mode is Mode.DIFF and outcome.error is None:
        from dockfix.report._diff import source_encoding, unified_diff

        diff = unified_diff(outcome.source, outcome.result, task.path, outcome.edits)
        return dataclasses.replace(
            outcome,
            source=b"",
            result=b"",
            edits=(),
            diff=diff,
            encoding=source_encoding(outcome.source),
            changed=bool(diff),
        )
    if task.keep_source or not outcome.source:
        return outcome
    return dataclasses.replace(outcome, source=b"", result=b"")


def _preload() -> None:
    """Import the engine once here, so forked workers inherit it; then move every object
    alive to the collector's permanent generation (``gc.freeze``): each file's parse makes
    many short-lived objects, and the collections they trigger would otherwise walk all
    the modules' objects again and again (a quarter of ``ast.parse``'s time on the dense
    benchmark corpus)."""
    import gc

    engine().analyze  # noqa: B018  (the attribute access is the lazy import)
    gc.freeze()


def _pool_context() -> multiprocessing.context.BaseContext:
    import multiprocessing

    # fork is much cheaper to start than spawn, and nothing in the parent holds threads.
    if sys.platform == "linux":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _screen(task: Task) -> Optional[FileOutcome]:
    """The outcome of a file the byte prefilter rules out, that the cache knows, or that
    cannot be read; None for a candidate, which needs the full analysis."""
    try:
        data = read_snapshot(task.path).data  # regular files only: a FIFO would block
    except OSError as exc:
        return FileOutcome(path=task.path, error=f"cannot read: {exc.strerror or exc}")
    if not engine().prefilter(data, task.settings):
        return FileOutcome(path=task.path)
    return _cached(data, task) if task.cacheable() else None


def run_tasks(
    tasks: Sequence[Task],
    *,
    jobs: Optional[int] = None,
    advance: Optional[Callable[[], None]] = None,
) -> Iterator[FileOutcome]:
    """Outcomes in the order of ``tasks``.

    Files are screened here with the byte prefilter first (cheap, no libcst); only the
    candidates are analysed, across processes when there are enough of them.
    """
    screened = [_screen(task) for task in tasks]
    candidates = [task for task, outcome in zip(tasks, screened) if outcome is None]
    analysed = _analyse_all(candidates, jobs)
    for outcome in screened:
        if advance:
            advance()
        yield outcome if outcome is not None else next(analysed)


def _analyse_all(tasks: Sequence[Task], jobs: Optional[int]) -> Iterator[FileOutcome]:
    """``process_file`` over ``tasks``, in order; parallel across processes when worth it."""
    workers = jobs or os.cpu_count() or 1
    done = 0
    if tasks:
        _preload()
    if workers > 1 and len(tasks) >= SERIAL_BELOW:
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        chunk = max(1, min(MAX_CHUNK, len(tasks) // (workers * 4)))
        try:
            with ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context()) as pool:
                for outcome in pool.map(process_file, tasks, chunksize=chunk):
                    done += 1
                    yield outcome
        except (BrokenProcessPool, OSError):
            pass  # a worker died (or no processes can start): finish serially
    for task in tasks[done:]:
        yield process_file(task)
