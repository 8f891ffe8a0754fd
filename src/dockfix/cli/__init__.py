"""The ``dockfix`` command line (typer). Commands live in their own modules."""

from __future__ import annotations

from dockfix.cli import _audit  # noqa: F401  (registers `dockfix audit`)
from dockfix.cli._app import app, main

__all__ = ["app", "main"]
