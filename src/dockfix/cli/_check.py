"""``dockfix check``: read-only; findings in text, JSON, SARIF or GitHub annotations."""

# No ``from __future__ import annotations`` here: typer reads these annotations at run
# time, and on Python 3.9 it only sees ``Annotated`` options when they are real objects.
from typing import Annotated, Optional

import typer

from dockfix.cli import _options as opt
from dockfix.cli._app import app
from dockfix.cli._run import Request, execute
from dockfix.report import Mode


@app.command()
def check(
    paths: opt.Paths = None,
    diff: Annotated[
        bool, typer.Option("--diff", help="Also show the diff each fix would make.")
    ] = False,
    output_format: Annotated[
        opt.Format, typer.Option("--format", help="How to print the findings.")
    ] = opt.Format.text,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Exit 0 even when there are findings.")
    ] = False,
    select: opt.Select = None,
    ignore: opt.Ignore = None,
    config: opt.ConfigFile = None,
    force_exclude: opt.ForceExclude = False,
    follow_symlinks: opt.FollowSymlinks = False,
    stdin_filename: opt.StdinFilename = None,
    jobs: opt.Jobs = None,
    no_cache: opt.NoCache = False,
    include_non_python: Annotated[
        Optional[bool],
        typer.Option(
            "--include-non-python/--python-only",
            help="Also report docker rm -f, docker kill and docker volume rm -f in shell "
            "scripts, Makefiles, YAML (CI) files and Dockerfiles (never fixed). "
            "Default: the include-non-python configuration key (false).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Report dangerous Docker calls; write nothing.

    Exit 0: nothing found. 1: findings (fixable or not). 2: usage, configuration or
    parse error (the other files are still checked).
    """
    if diff and output_format is not opt.Format.text:
        raise typer.BadParameter("--diff only goes with --format text", param_hint="--diff")
    request = Request(
        paths=paths or ["."],
        mode=Mode.DIFF if diff else Mode.CHECK,
        command="check",
        fmt=output_format,
        exit_zero=exit_zero,
        select=select,
        ignore=ignore,
        config=config,
        force_exclude=force_exclude,
        follow_symlinks=follow_symlinks,
        stdin_filename=stdin_filename,
        jobs=jobs,
        no_cache=no_cache,
        include_non_python=include_non_python,
    )
    raise typer.Exit(execute(request))
