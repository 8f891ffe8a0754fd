"""Options shared by ``check`` and ``fix``, declared once with ``Annotated``."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated, Optional

import typer


class Format(str, enum.Enum):
    """Output formats of ``check``."""

    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"


Paths = Annotated[
    Optional[list[str]],
    typer.Argument(
        help="Files or folders to process (default: .). '-' reads stdin.", show_default=False
    ),
]
Select = Annotated[
    Optional[list[str]],
    typer.Option("--select", help="Only these rule codes or prefixes (comma-separated)."),
]
Ignore = Annotated[
    Optional[list[str]],
    typer.Option("--ignore", help="Skip these rule codes or prefixes (comma-separated)."),
]
ConfigFile = Annotated[
    Optional[Path],
    typer.Option(
        "--config",
        help="Read [tool.dockfix] from this pyproject.toml instead of searching for one.",
        dir_okay=False,
    ),
]
ForceExclude = Annotated[
    bool,
    typer.Option(
        "--force-exclude",
        help="Apply exclude globs and .gitignore to paths named on the command line too.",
    ),
]
FollowSymlinks = Annotated[
    bool,
    typer.Option("--follow-symlinks", help="Process symlinked files that point outside the tree."),
]
StdinFilename = Annotated[
    Optional[str],
    typer.Option("--stdin-filename", help="The name to report for code read from '-'."),
]
Jobs = Annotated[
    Optional[int],
    typer.Option(
        "--jobs", "-j", min=1, help="Worker processes (default: one per CPU; 1 = serial)."
    ),
]
