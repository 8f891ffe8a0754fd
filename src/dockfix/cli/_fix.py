"""``dockfix fix``: apply every safe fix in place, show the diffs, or review one by one."""

# No ``from __future__ import annotations`` here: typer reads these annotations at run
# time, and on Python 3.9 it only sees ``Annotated`` options when they are real objects.
from typing import Annotated

import typer

from dockfix.cli import _options as opt
from dockfix.cli._app import app
from dockfix.cli._run import Request, execute
from dockfix.report import Mode


def _mode(diff: bool, interactive: bool) -> Mode:
    if diff and interactive:
        raise typer.BadParameter("choose one of --diff and --interactive", param_hint="--diff")
    if diff:
        return Mode.DIFF
    return Mode.INTERACTIVE if interactive else Mode.WRITE


@app.command()
def fix(
    paths: opt.Paths = None,
    diff: Annotated[
        bool,
        typer.Option("--diff", "--dry-run", help="Print the diffs; write nothing."),
    ] = False,
    interactive: Annotated[
        bool,
        typer.Option(
            "--interactive", "-i", help="Review each change as a diff; write only accepted ones."
        ),
    ] = False,
    select: opt.Select = None,
    ignore: opt.Ignore = None,
    config: opt.ConfigFile = None,
    force_exclude: opt.ForceExclude = False,
    follow_symlinks: opt.FollowSymlinks = False,
    stdin_filename: opt.StdinFilename = None,
    jobs: opt.Jobs = None,
    no_cache: opt.NoCache = False,
) -> None:
    """Apply every safe fix in place and summarise what is left for a human.

    Exit 0: nothing left. 1: findings remain (or, with --diff, fixes are pending).
    2: usage, configuration, parse or write error.
    """
    request = Request(
        paths=paths or ["."],
        mode=_mode(diff, interactive),
        command="fix",
        select=select,
        ignore=ignore,
        config=config,
        force_exclude=force_exclude,
        follow_symlinks=follow_symlinks,
        stdin_filename=stdin_filename,
        jobs=jobs,
        no_cache=no_cache,
    )
    if request.mode is Mode.INTERACTIVE:
        from dockfix.cli._interactive import review

        raise typer.Exit(review(request))
    raise typer.Exit(execute(request))
