"""``dockfix audit LOGFILE``: summarise the runtime's JSON-lines audit log.

No ``from __future__ import annotations`` here: on Python 3.9 typer reads the parameters'
annotations unevaluated, and string annotations would lose their ``Annotated`` options.
"""

import enum
import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from dockfix.audit import as_json, parse_lines, read_audit_log, render_text, summarize
from dockfix.cli._app import app


class AuditFormat(str, enum.Enum):
    text = "text"
    json = "json"


@app.command("audit")
def audit_command(
    logfile: Annotated[
        str,
        typer.Argument(
            help="The audit log (JSON lines, as written by dockfix.runtime); - reads stdin.",
        ),
    ],
    output_format: Annotated[
        AuditFormat,
        typer.Option("--format", help="text: a terminal report; json: for machines."),
    ] = AuditFormat.text,
    width: Annotated[
        Optional[int],
        typer.Option(help="Width of the text report (default: the terminal's).", min=40),
    ] = None,
) -> None:
    """Summarise Docker operations: counts, failures, concurrency, slot waits, durations."""
    run_audit(logfile=logfile, output_format=output_format, width=width)


def run_audit(*, logfile: str, output_format: AuditFormat, width: Optional[int]) -> None:
    try:
        log = parse_lines(sys.stdin.buffer) if logfile == "-" else read_audit_log(Path(logfile))
    except OSError as exc:
        typer.echo(f"dockfix audit: cannot read {logfile}: {exc.strerror or exc}", err=True)
        raise typer.Exit(2) from None
    if log.bad_lines:
        typer.echo(
            f"dockfix audit: {len(log.bad_lines)} line(s) are not audit records "
            f"(first: line {log.bad_lines[0]})",
            err=True,
        )
    if output_format is AuditFormat.json:
        typer.echo(json.dumps(as_json(log), indent=2))
        return
    import shutil

    columns = width or shutil.get_terminal_size((100, 24)).columns
    color = sys.stdout.isatty()
    typer.echo(
        render_text(summarize(log.records), log.records, width=columns, color=color), nl=False
    )
