"""One run of ``check`` or ``fix``: configuration, discovery, processing, output.

The command decides the :class:`Mode` once; from then on everything reads the mode
(and the output format); the :class:`Report` decides the exit code.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from dockfix.cli import _console
from dockfix.cli._options import Format
from dockfix.cli._process import Task, analyze_bytes, run_tasks
from dockfix.config import Config, ConfigError, load_config, with_overrides
from dockfix.report import EXIT_ERROR, EXIT_INTERRUPTED, FileOutcome, Mode, Report

PROGRESS_FROM = 50  # files: below this a progress bar is only noise


@dataclass(frozen=True)
class Request:
    """Everything a run needs, from the command line."""

    paths: Sequence[str]
    mode: Mode
    command: str  # "check" or "fix": what to print
    fmt: Format = Format.text
    exit_zero: bool = False
    select: Optional[list[str]] = None
    ignore: Optional[list[str]] = None
    config: Optional[Path] = None
    force_exclude: bool = False
    follow_symlinks: bool = False
    stdin_filename: Optional[str] = None
    jobs: Optional[int] = None
    include_non_python: Optional[bool] = None  # None: the configuration decides
    no_cache: bool = False


def load(request: Request) -> Config:
    """The configuration for this run; raises ``ConfigError``."""
    first = request.paths[0] if request.paths and request.paths[0] != "-" else "."
    start = (
        Path(request.stdin_filename)
        if request.paths == ["-"] and request.stdin_filename
        else Path(first)
    )
    config = load_config(start, request.config)
    return with_overrides(config, select=request.select, ignore=request.ignore)


def config_error(exc: ConfigError) -> int:
    _console.stderr().print(f"dockfix: configuration error: {exc}", markup=False)
    return EXIT_ERROR


def execute(request: Request) -> int:
    """Run ``check``/``fix`` (not interactive) and return the exit code."""
    if "-" in request.paths and len(request.paths) > 1:
        _console.stderr().print("dockfix: '-' (stdin) cannot be mixed with paths", markup=False)
        return EXIT_ERROR
    try:
        config = load(request)
    except ConfigError as exc:
        return config_error(exc)
    report = Report(mode=request.mode, exit_zero=request.exit_zero)
    printer = _Printer(request)
    try:
        if list(request.paths) == ["-"]:
            _run_stdin(request, config, report, printer)
        else:
            _run_files(request, config, report, printer)
    except KeyboardInterrupt:
        printer.err.print("\ndockfix: interrupted", markup=False)
        return EXIT_INTERRUPTED
    printer.finish(report)
    return report.exit_code


def _include_non_python(request: Request, config: Config) -> bool:
    if request.include_non_python is not None:
        return request.include_non_python
    return config.include_non_python


def _task(request: Request, config: Config, path: str) -> Task:
    return Task(
        path=path,
        mode=request.mode,
        settings=config.settings,
        keep_source=request.mode is Mode.DIFF,
        sarif_fixes=request.fmt is Format.sarif,
        include_non_python=_include_non_python(request, config),
    )


def _with_cache(request: Request, config: Config, task: Task) -> Task:
    """``task`` with the content cache, unless it is turned off (``_cache``)."""
    from dockfix.cli import _cache

    if _cache.disabled(request.no_cache):
        return task
    return dataclasses.replace(
        task,
        cache_dir=str(_cache.directory(config.root)),
        cache_salt=_cache.salt(config.settings),
    )


def _run_stdin(request: Request, config: Config, report: Report, printer: _Printer) -> None:
    data = sys.stdin.buffer.read()
    name = request.stdin_filename or "-"
    task = _task(request, config, name)
    outcome = analyze_bytes(data, dataclasses.replace(task, keep_source=True))
    if request.mode is Mode.WRITE and outcome.diff_pending:
        outcome = dataclasses.replace(outcome, written=True)
    report.add(outcome)
    if request.mode is Mode.WRITE:
        # The fixed code (or, on error, the input unchanged) so a pipe never loses code.
        _console.write_bytes(outcome.result if outcome.error is None else data)
        printer.problems(outcome)
        return
    printer.outcome(outcome)


def _run_files(request: Request, config: Config, report: Report, printer: _Printer) -> None:
    from dockfix.files import discover

    found = discover(
        request.paths or ["."],
        exclude=config.exclude,
        root=config.root,
        force_exclude=request.force_exclude,
        follow_symlinks=request.follow_symlinks,
        include_non_python=_include_non_python(request, config),
    )
    for problem in found.problems:
        if problem.fatal:
            report.problem(problem.path, problem.message)
        else:
            report.warnings.append((problem.path, problem.message))
        printer.message(problem.path, problem.message, fatal=problem.fatal)
    template = _with_cache(request, config, _task(request, config, ""))
    tasks = [dataclasses.replace(template, path=path) for path in found.files]
    with _progress(len(tasks)) as (advance, deferred):
        held: list[FileOutcome] = []
        for outcome in run_tasks(tasks, jobs=request.jobs, advance=advance):
            # The report keeps no file contents: memory stays flat on big trees.
            report.add(dataclasses.replace(outcome, source=b"", result=b""))
            if deferred:
                held.append(outcome)
            else:
                printer.outcome(outcome)
    for outcome in held:
        printer.outcome(outcome)


@contextmanager
def _progress(total: int) -> Iterator[tuple[Optional[Callable[[], None]], bool]]:
    """A progress bar on stderr for long runs on a terminal; output is held meanwhile."""
    if total < PROGRESS_FROM or not sys.stderr.isatty():
        yield None, False
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    progress = Progress(
        TextColumn("dockfix"),
        BarColumn(),
        MofNCompleteColumn(),
        console=_console.stderr(),
        transient=True,
    )
    task = progress.add_task("files", total=total)
    with progress:
        yield (lambda: progress.advance(task)), True


class _Printer:
    """Prints outcomes as they come, in the request's format, and the final summary."""

    def __init__(self, request: Request) -> None:
        self.request = request
        self.out = _console.stdout()
        self.err = _console.stderr()

    def message(self, path: str, message: str, *, fatal: bool = True) -> None:
        from rich.text import Text

        line = Text(f"{path}: ")
        if fatal:
            line.append("error: ", style="bold red")
        else:
            line.append("warning: ", style="bold yellow")
        line.append(message)
        self.err.print(line)

    def problems(self, outcome: FileOutcome) -> None:
        if outcome.error is not None:
            self.message(outcome.path, outcome.error)

    def outcome(self, outcome: FileOutcome) -> None:
        self.problems(outcome)
        if self.request.fmt is not Format.text:
            return  # machine formats are printed whole at the end
        if self.request.command == "check":
            from dockfix.report._formats import text_line

            for finding in outcome.findings:
                _console.print_line(self.out, text_line(outcome.path, finding))
        if self.request.mode is Mode.DIFF and outcome.diff_pending:
            from dockfix.report._diff import source_encoding, unified_diff

            if outcome.changed is not None:  # made where the file was analysed
                _console.show_diff(self.out, outcome.diff, outcome.encoding)
                return
            diff = unified_diff(outcome.source, outcome.result, outcome.path)
            _console.show_diff(self.out, diff, source_encoding(outcome.source))

    def finish(self, report: Report) -> None:
        if self.request.fmt is not Format.text:
            from dockfix.report._formats import render

            self.out.file.write(render(report, self.request.fmt.value))
            self.out.file.flush()
            return
        from dockfix.report._summary import check_summary, fix_summary

        if self.request.command == "check":
            self.err.print(check_summary(report))
        else:
            self.err.print(fix_summary(report))
