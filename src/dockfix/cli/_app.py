"""The typer application object and the global options."""

# No ``from __future__ import annotations``: typer reads the annotations at run time.
from typing import Annotated, Optional

import typer

from dockfix import __version__

app = typer.Typer(
    name="dockfix",
    help="Find and fix dangerous Docker calls in Python code.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"dockfix {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        Optional[bool],
        typer.Option(
            "--version",
            help="Print the version and exit.",
            callback=_print_version,
            is_eager=True,
        ),
    ] = None,
) -> None:
    """Find and fix dangerous Docker calls in Python code."""


def main() -> None:
    """Console-script entry point."""
    app()
