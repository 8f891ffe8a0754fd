"""The imports a fix schedules, kept as libcst's codemod helpers keep them.

The libcst pass records the imports its fixes need (``AddImportsVisitor.add_needed_import``)
and those they may leave unused (``RemoveImportsVisitor.remove_unused_import``) in a codemod
context's ``scratch``, under the visitors' keys, in the same form; ``_imports`` then applies
them. Importing ``libcst.codemod`` for that costs ~0.25 s (its matchers) in every worker
process that analyses a file with libcst: this module does the same without it.
``tests/engine/test_fastfix.py`` checks both against libcst's helpers.
"""

from __future__ import annotations

from typing import Any, NamedTuple, Optional

ADDITIONS = "AddImportsVisitor"  # the visitors' CONTEXT_KEYs
REMOVALS = "RemoveImportsVisitor"


class ImportItem(NamedTuple):
    """An import to add, with the fields of libcst's ``ImportItem`` that ``_addimports``
    reads."""

    module_name: str
    obj_name: Optional[str] = None
    alias: Optional[str] = None
    relative: int = 0


class Context:
    """What the pass reads and writes of libcst's ``CodemodContext``."""

    def __init__(self, filename: Optional[str] = None) -> None:
        self.filename = filename
        self.full_package_name: Optional[str] = None
        self.scratch: dict[str, Any] = {}


def add_needed_import(context: Context, module: str, obj: Optional[str] = None) -> None:
    """``AddImportsVisitor.add_needed_import(context, module, obj)``."""
    if module == "__future__" and obj is None:
        raise ValueError("Cannot import __future__ directly!")
    context.scratch.setdefault(ADDITIONS, []).append(ImportItem(module, obj))


def remove_unused_import(
    context: Context, module: str, obj: Optional[str] = None, asname: Optional[str] = None
) -> None:
    """``RemoveImportsVisitor.remove_unused_import(context, module, obj, asname)``."""
    context.scratch.setdefault(REMOVALS, []).append((module, obj, asname))
