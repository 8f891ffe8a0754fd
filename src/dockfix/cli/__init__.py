"""The ``dockfix`` command line (typer). Commands live in their own modules."""

from __future__ import annotations

from dockfix.cli import _check, _fix, _rules  # noqa: F401  (registers the commands)
from dockfix.cli._app import app, main

__all__ = ["app", "main"]
