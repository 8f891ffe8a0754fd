"""The pure codemod engine: bytes in, a result out. No IO, no printing."""

from __future__ import annotations

from dockfix.engine._types import DEFAULT_EXECUTOR, FileResult, Finding, Settings

__all__ = ["DEFAULT_EXECUTOR", "FileResult", "Finding", "Settings"]
