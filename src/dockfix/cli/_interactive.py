"""``dockfix fix --interactive``: one change at a time, only accepted changes written.

Each change is shown as the diff from what is accepted so far to that plus this one
change, computed by the engine with ``accept=`` so any subset stays a valid file.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Callable

from rich.console import Console
from rich.text import Text

from dockfix.cli import _console
from dockfix.cli._process import engine
from dockfix.cli._run import Request, config_error, load
from dockfix.config import Config, ConfigError
from dockfix.engine._types import Finding
from dockfix.files import WriteError, discover, read_snapshot, write_atomic
from dockfix.report import EXIT_ERROR, EXIT_INTERRUPTED, FileOutcome, Mode, Report
from dockfix.report._diff import colour_diff, source_encoding, unified_diff
from dockfix.report._summary import fix_summary

CHOICES = "y,n,a,d,A,q,?"
HELP = """\
y - apply this change
n - skip this change (also Enter)
a - apply this change and the rest of this file
d - skip this change and the rest of this file
A - apply this change and every remaining one of this rule, in all files
q - quit; changes accepted so far are written
? - this help
"""
NOT_A_TERMINAL = (
    "dockfix: --interactive asks about each change and needs a terminal on stdin, but stdin"
    " is not a terminal. Use `dockfix fix --diff` to see the changes, or `dockfix fix` to"
    " apply them all."
)

Key = tuple[str, int, int]


@dataclass
class _Session:
    console: Console
    ask: Callable[[], str]
    rules_accepted: set[str] = field(default_factory=set)
    quit: bool = False


def review(request: Request) -> int:
    """Run the interactive review; the exit code."""
    if not sys.stdin.isatty():
        _console.stderr().print(NOT_A_TERMINAL, markup=False)
        return EXIT_ERROR
    try:
        config = load(request)
    except ConfigError as exc:
        return config_error(exc)
    if list(request.paths) == ["-"]:
        _console.stderr().print(
            "dockfix: --interactive reads the terminal; it cannot also read code from '-'",
            markup=False,
        )
        return EXIT_ERROR
    report = Report(mode=Mode.INTERACTIVE)
    err = _console.stderr()
    found = discover(
        request.paths,
        exclude=config.exclude,
        root=config.root,
        force_exclude=request.force_exclude,
        follow_symlinks=request.follow_symlinks,
    )
    for problem in found.problems:
        if problem.fatal:
            report.problem(problem.path, problem.message)
        else:
            err.print(Text(f"{problem.path}: warning: {problem.message}"))
    session = _Session(console=_console.stdout(), ask=_read_answer)
    try:
        for path in found.files:
            if session.quit:
                break
            report.add(_review_file(path, config, session))
    except KeyboardInterrupt:
        err.print("\ndockfix: interrupted; files already reviewed were written", markup=False)
        return EXIT_INTERRUPTED
    for path, message in report.problems:
        err.print(Text(f"{path}: error: {message}"))
    err.print(fix_summary(report))
    return report.exit_code


def _read_answer() -> str:
    line = sys.stdin.readline()
    if not line:
        return "q"  # end of input: stop asking, keep what was accepted
    return line.strip() or "n"


def _review_file(path: str, config: Config, session: _Session) -> FileOutcome:
    try:
        snapshot = read_snapshot(path)
    except OSError as exc:
        return FileOutcome(path=path, error=f"cannot read: {exc.strerror or exc}")
    eng = engine()
    data = snapshot.data
    if not eng.prefilter(data, config.settings):
        return FileOutcome(path=path)
    first = eng.analyze(data, config.settings, path=path, accept=lambda f: False)
    if first.error is not None:
        return FileOutcome(path=path, error=first.error)
    accepted = _ask_each(path, data, first.findings, config, session)
    if not accepted:
        return FileOutcome(path=path, findings=first.findings)
    final = eng.analyze(data, config.settings, path=path, accept=lambda f: f.key in accepted)
    if final.error is not None:
        return FileOutcome(path=path, findings=first.findings, error=final.error)
    try:
        write_atomic(path, final.fixed, snapshot)
    except WriteError as exc:
        return FileOutcome(path=path, findings=first.findings, error=str(exc))
    return FileOutcome(
        path=path, findings=first.findings, fixed=frozenset(final.applied), written=True
    )


def _ask_each(
    path: str, data: bytes, findings: tuple[Finding, ...], config: Config, session: _Session
) -> set[Key]:
    eng = engine()
    accepted: set[Key] = set()
    current = data
    rest_of_file = ""  # "a" or "d" once chosen
    encoding = source_encoding(data)
    for finding in findings:
        if not finding.fixable or session.quit or rest_of_file == "d":
            continue
        if rest_of_file == "a" or finding.code in session.rules_accepted:
            accepted.add(finding.key)
            continue
        trial = frozenset(accepted | {finding.key})
        proposal = eng.analyze(data, config.settings, path=path, accept=_within(trial))
        if proposal.error is not None or proposal.fixed == current:
            continue
        _show(session.console, path, finding, unified_diff(current, proposal.fixed, path), encoding)
        answer = _prompt(session)
        if answer in ("y", "a", "A"):
            accepted.add(finding.key)
            current = proposal.fixed
        if answer in ("a", "d"):
            rest_of_file = answer
        elif answer == "A":
            session.rules_accepted.add(finding.code)
        elif answer == "q":
            session.quit = True
    return accepted


def _within(keys: frozenset[Key]) -> Callable[[Finding], bool]:
    return lambda finding: finding.key in keys


def _show(console: Console, path: str, finding: Finding, diff: bytes, encoding: str) -> None:
    header = Text(f"{path}:{finding.line}:{finding.column}: ", style="bold")
    header.append(finding.code, style="bold red")
    header.append(f" {finding.message}")
    console.print(header)
    console.print(colour_diff(diff, encoding), end="")


def _prompt(session: _Session) -> str:
    while True:
        session.console.print(Text(f"Apply this change? [{CHOICES}] ", style="bold blue"), end="")
        session.console.file.flush()
        answer = session.ask()
        if answer in ("y", "n", "a", "d", "A", "q"):
            return answer
        session.console.print(Text(HELP))
