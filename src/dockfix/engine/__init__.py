"""The pure codemod engine: bytes in, a result out. No IO, no printing.

Importing this package does not import libcst: ``analyze`` is loaded on first use, and
``prefilter`` (a byte test built from the rules' ``TRIGGERS``) never needs it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dockfix.engine._prefilter import prefilter
from dockfix.engine._types import DEFAULT_EXECUTOR, FileResult, Finding, Settings

if TYPE_CHECKING:
    from dockfix.engine._analyze import analyze

__all__ = ["DEFAULT_EXECUTOR", "FileResult", "Finding", "Settings", "analyze", "prefilter"]


def __getattr__(name: str) -> Any:
    if name == "analyze":
        from dockfix.engine._analyze import analyze

        return analyze
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
