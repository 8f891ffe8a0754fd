"""Options shared by ``check`` and ``fix``, declared once with ``Annotated``."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated, List, Optional  # noqa: UP035

import typer

# typer < 0.24 on Python 3.9 does not see ``list[str]`` (outside an annotation) as a list
# and rejects a second path: these module-level aliases must spell it ``List[str]``.
StrList = Optional[List[str]]  # noqa: UP006


class Format(str, enum.Enum):
    """Output formats of ``check``."""

    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"


Paths = Annotated[
    StrList,
    typer.Argument(
        help="Files or folders to process (default: .). '-' reads stdin.", show_default=False
    ),
]
Select = Annotated[
    StrList,
    typer.Option("--select", help="Only these rule codes or prefixes (comma-separated)."),
]
Ignore = Annotated[
    StrList,
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
NoCache = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help="Neither read nor write the findings cache (.dockfix_cache/; "
        "also DOCKFIX_NO_CACHE=1).",
    ),
]
