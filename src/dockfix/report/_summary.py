"""Human summaries on stderr: the one-line check summary and the fix table."""

from __future__ import annotations

from collections import Counter

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from dockfix.report._report import Mode, Report


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def check_summary(report: Report) -> Text:
    """``Found 3 findings in 2 files (2 fixable with `dockfix fix`).``"""
    findings = report.findings
    if not findings:
        text = Text("No findings.", style="green")
    else:
        files = len({path for path, _ in findings})
        fixable = sum(1 for _, f in findings if f.fixable)
        text = Text(f"Found {_plural(len(findings), 'finding')} in {_plural(files, 'file')}")
        text.append(f" ({fixable} fixable with `dockfix fix`).")
    if report.problems:
        text.append(f" {_plural(len(report.problems), 'error')}.", style="red")
    return text


def fix_summary(report: Report) -> RenderableType:
    """Files changed, fixes per rule, and the findings left for a human with their reasons."""
    verb = "Would fix" if report.mode is Mode.DIFF else "Fixed"
    changed = "would change" if report.mode is Mode.DIFF else "changed"
    parts: list[RenderableType] = []
    if not report.findings and not report.problems:
        return Text("No findings: nothing to fix.", style="green")
    per_rule = report.fixes_per_rule()
    left = report.remaining
    if per_rule or left:
        table = Table(box=box.SIMPLE, show_edge=False, pad_edge=False)
        table.add_column("rule")
        table.add_column(verb.lower(), justify="right")
        table.add_column("left", justify="right")
        left_per_rule = Counter(f.code for _, f in left)
        for code in sorted(set(per_rule) | set(left_per_rule)):
            table.add_row(code, str(per_rule.get(code, 0)), str(left_per_rule.get(code, 0)))
        parts.append(table)
    headline = Text(
        f"{verb} {_plural(report.fixed_count, 'finding')};"
        f" {_plural(report.files_changed, 'file')} {changed};"
        f" {_plural(len(left), 'finding')} left for a human."
    )
    parts.append(headline)
    if left:
        parts.append(Text("Left for a human:", style="bold"))
        for path, finding in left:
            line = Text(f"  {path}:{finding.line}:{finding.column}: ")
            line.append(finding.code, style="bold")
            reason = finding.fix_reason or ("skipped" if finding.fixable else "no safe fix")
            line.append(f" {reason}")
            parts.append(line)
    if report.problems:
        parts.append(Text(f"{_plural(len(report.problems), 'error')}.", style="red"))
    return Group(*parts)
