"""Adding the imports a fix needs, as libcst's ``AddImportsVisitor`` does, without its walk.

``AddImportsVisitor`` copies the module, walks every node of it twice with matcher
bookkeeping, and in the end reads only the first block of import lines: about 2 ms of a
dense benchmark file's 12 ms fix. This module takes the same decisions from that block
alone, for the imports the engine schedules (``import m`` and ``from m import name``: no
alias, not relative, not ``__future__``), and builds the same nodes, so the module renders
to the same bytes. ``tests/engine/test_addimports.py`` compares the two on a table of
modules and on generated ones.

What the visitor does (libcst 1.9, ``libcst/codemod/visitors/_add_imports.py``):

- the *top imports* are the lines holding one import statement each, from the start of the
  module (after a first docstring or ``__strict__ = ...`` line) up to the first other
  statement;
- an import already among them is not added (``import m`` by ``import m``; ``from m import
  n`` by ``from m import n`` or ``from m import *``); aliased imports do not count;
- names to import from a module that a top ``from m import ...`` line already imports from
  are put first on that line, sorted (the first such line);
- the rest become new lines after the top imports (and never above a ``from __future__``
  line, where the visitor puts them after a docstring it does not skip: see
  ``_after_futures``): ``import m`` lines sorted by module, then
  ``from m import a, b`` lines sorted by module, with sorted names; the statement after
  them gets a blank line before it unless its leading lines start with a blank line.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Optional, Protocol, Union

import libcst as cst
from libcst.helpers import get_absolute_module_from_package_for_import

_IMPORTS = (cst.Import, cst.ImportFrom)


class ImportItem(Protocol):
    """What is read of libcst's ``ImportItem`` (``libcst.codemod`` is not imported here:
    ~0.25 s, its matchers)."""

    @property
    def module_name(self) -> str: ...
    @property
    def obj_name(self) -> Optional[str]: ...
    @property
    def alias(self) -> Optional[str]: ...
    @property
    def relative(self) -> int: ...


_STRINGS = (cst.SimpleString, cst.ConcatenatedString)


def _import_line(stmt: cst.BaseStatement) -> Optional[Union[cst.Import, cst.ImportFrom]]:
    """The import of a line that is one import statement (what the visitor takes for an
    import line), else None."""
    if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1:
        small = stmt.body[0]
        if isinstance(small, _IMPORTS):
            return small
    return None


def add_imports(
    tree: cst.Module,
    items: Sequence[ImportItem],
    package: Optional[str],
    newline: str,
) -> cst.Module:
    """``tree`` with ``items`` imported, as ``AddImportsVisitor`` would give it.

    ``package`` is the codemod context's ``full_package_name`` (relative imports resolve
    against it); ``newline`` is the module's ``default_newline``, which new lines end with.
    """
    for item in items:
        if item.alias is not None or item.relative or item.module_name == "__future__":
            raise ValueError(f"not an import the engine schedules: {item!r}")
    plain = {item.module_name for item in items if item.obj_name is None}
    wanted: dict[str, set[str]] = {}
    for item in sorted(items, key=lambda item: item.module_name):
        if item.obj_name is not None:
            wanted.setdefault(item.module_name, set()).add(item.obj_name)
    start = 1 if _skip_first(tree) else 0
    top: list[Union[cst.Import, cst.ImportFrom]] = []
    for stmt in tree.body[start:]:
        found = _import_line(stmt)
        if found is None:
            break
        top.append(found)
    _drop_present(top, plain, wanted, package)
    body = list(tree.body)
    for offset, node in enumerate(top):
        if isinstance(node, cst.ImportFrom) and not isinstance(node.names, cst.ImportStar):
            module = get_absolute_module_from_package_for_import(package, node)
            if module is not None and module in wanted:
                names = [
                    cst.ImportAlias(name=cst.Name(name)) for name in sorted(wanted.pop(module))
                ]
                line = body[start + offset]
                assert isinstance(line, cst.SimpleStatementLine)
                merged = node.with_changes(names=[*names, *node.names])
                body[start + offset] = line.with_changes(body=[merged])
    if not plain and not wanted:
        return tree.with_changes(body=body)
    end = max(start + len(top), _after_futures(tree.body))
    new = [_new_line(f"import {module}", newline) for module in sorted(plain)]
    new.extend(
        _new_line(f"from {module} import {', '.join(sorted(names))}", newline)
        for module, names in wanted.items()
    )
    return tree.with_changes(body=[*body[:end], *new, *_blank_before(body[end:])])


@lru_cache(maxsize=256)
def _new_line(code: str, newline: str) -> cst.BaseStatement:
    """A new import line, as the visitor parses it with the module's configuration: only
    its newline shows in a one-line simple statement (nodes are immutable: shared)."""
    return cst.parse_statement(code, config=cst.PartialParserConfig(default_newline=newline))


def _after_futures(body: Sequence[cst.BaseStatement]) -> int:
    """Past the module's ``from __future__`` lines, when they open it (after a docstring of
    any form, alone on its line or not); else 0. The one place this differs from the
    visitor: it skips only a plain string docstring alone on its line, so after ``"Doc"
    "string."``, ``"Doc"; from __future__ import x`` or with ``from __future__ import x;
    import y`` it put the new import above the future import, which does not compile."""
    end = 0
    for index, stmt in enumerate(body):
        if not isinstance(stmt, cst.SimpleStatementLine):
            break
        smalls = list(stmt.body)
        first = smalls[0] if index == 0 and smalls else None
        if isinstance(first, cst.Expr) and isinstance(first.value, _STRINGS):
            smalls = smalls[1:]  # the docstring (``"Doc"; from __future__ import x`` too)
            if not smalls:
                continue
        if not _future(smalls[0]):
            break
        end = index + 1  # a line that starts with a future import: after it
    return end


def _future(small: cst.BaseSmallStatement) -> bool:
    return (
        isinstance(small, cst.ImportFrom)
        and not small.relative
        and isinstance(small.module, cst.Name)
        and small.module.value == "__future__"
    )


def _skip_first(tree: cst.Module) -> bool:
    """A first line that is a docstring or ``__strict__ = ...``: imports go after it."""
    if not tree.body:
        return False
    first = tree.body[0]
    if not isinstance(first, cst.SimpleStatementLine) or len(first.body) != 1:
        return False
    small = first.body[0]
    if isinstance(small, cst.Expr):
        return isinstance(small.value, cst.SimpleString)
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        target = small.targets[0].target
        return isinstance(target, cst.Name) and target.value == "__strict__"
    return False


def _drop_present(
    top: list[Union[cst.Import, cst.ImportFrom]],
    plain: set[str],
    wanted: dict[str, set[str]],
    package: Optional[str],
) -> None:
    """Remove from ``plain`` and ``wanted`` what the top imports already import."""
    objects: dict[str, set[str]] = {}
    for node in top:
        if isinstance(node, cst.Import):
            plain.difference_update(
                alias.evaluated_name for alias in node.names if alias.asname is None
            )
            continue
        module = get_absolute_module_from_package_for_import(package, node)
        if module is None:
            continue
        if isinstance(node.names, cst.ImportStar):
            objects[module] = {"*"}
            continue
        names = {alias.evaluated_name for alias in node.names if alias.asname is None}
        if names:
            known = objects.setdefault(module, set())
            if "*" not in known:
                known.update(names)
    for module, names in objects.items():
        if module not in wanted:
            continue
        if "*" in names:
            del wanted[module]
        else:
            wanted[module] -= names
            if not wanted[module]:
                del wanted[module]


def _blank_before(statements: Sequence[cst.BaseStatement]) -> list[cst.BaseStatement]:
    """The statements after the new imports, the first with a blank line before it."""
    if not statements:
        return []
    first = statements[0]
    assert isinstance(first, (cst.SimpleStatementLine, cst.BaseCompoundStatement))
    lines = first.leading_lines
    if lines and lines[0].comment is None:
        return list(statements)
    return [first.with_changes(leading_lines=(cst.EmptyLine(), *lines)), *statements[1:]]


def parsable_indent(tree: cst.Module) -> str:
    """The module's indent as new import lines may be parsed with: a file whose first
    indented block starts with a form feed gives an indent libcst's own parser config
    rejects. An import line has no block, so the indent shows nowhere, and the module
    keeps its own."""
    return "".join(c for c in tree.default_indent if c in " \t") or "    "
