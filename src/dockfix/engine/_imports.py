"""Finishing the imports after a fix, cheaply.

Additions: ``_addimports`` decides and builds them as libcst's ``AddImportsVisitor`` does,
from the first block of import lines alone (the visitor copies and walks the whole module).
Removals: ``RemoveImportsVisitor`` analyses the whole module (imports, scopes, qualified
names): seconds on a large file. It runs on a module of just the import line concerned,
spliced back afterwards. An import is removed only when its name occurs nowhere outside
the top-level imports (a textual check, conservative: a mention in a string or comment
keeps the import).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor

from dockfix.engine._addimports import add_imports, parsable_indent

_IMPORTS = (cst.Import, cst.ImportFrom)


def finish_imports(tree: cst.Module, context: CodemodContext, elsewhere: str = "") -> cst.Module:
    """Apply the scheduled additions, then the scheduled removals of unused imports.

    ``elsewhere`` is more text of the module outside its top-level imports (the statements a
    reduced module stubbed): a name it mentions keeps its import, as in the full module.
    """
    if context.scratch.get(AddImportsVisitor.CONTEXT_KEY):
        tree = _add(tree, context)
    scheduled = context.scratch.get(RemoveImportsVisitor.CONTEXT_KEY) or []
    return remove_unused(tree, _unused(tree, scheduled, elsewhere), context)


def remove_unused(
    tree: cst.Module, removals: Sequence[tuple[str, object, object]], context: CodemodContext
) -> cst.Module:
    """``tree`` with ``removals`` (known unused) removed from its top-level import lines."""
    if not removals:
        return tree
    context.scratch[RemoveImportsVisitor.CONTEXT_KEY] = list(removals)
    return _remove(tree, context, {module.split(".")[0] for module, _, _ in removals})


def _is_import(stmt: cst.CSTNode) -> bool:
    return isinstance(stmt, cst.SimpleStatementLine) and any(
        isinstance(small, _IMPORTS) for small in stmt.body
    )


def _add(tree: cst.Module, context: CodemodContext) -> cst.Module:
    items = context.scratch.get(AddImportsVisitor.CONTEXT_KEY) or []
    config = tree.with_changes(default_indent=parsable_indent(tree)).config_for_parsing
    return add_imports(tree, items, context.full_package_name, config)


def _unused(
    tree: cst.Module, scheduled: list[tuple[str, object, object]], elsewhere: str = ""
) -> list[tuple[str, object, object]]:
    """The scheduled removals whose name occurs nowhere outside the top-level imports."""
    rest = "\n".join(tree.code_for_node(s) for s in tree.body if not _is_import(s))
    rest += "\n" + elsewhere
    found = []
    for module, obj, asname in scheduled:
        name = str(asname or obj or module.split(".")[0])
        if re.search(rf"(?<![\w.]){re.escape(name)}\b", rest) is None:
            found.append((module, obj, asname))
    return found


def _remove(tree: cst.Module, context: CodemodContext, modules: set[str]) -> cst.Module:
    body = list(tree.body)
    out: list[cst.BaseStatement] = []
    carry: tuple[cst.EmptyLine, ...] = ()
    for stmt in body:
        if _is_import(stmt) and _mentions(tree, stmt, modules):
            alone = tree.with_changes(body=[stmt], default_indent=parsable_indent(tree))
            done = RemoveImportsVisitor(context).transform_module(alone)
            if not done.body:
                assert isinstance(stmt, cst.SimpleStatementLine)
                carry = carry or tuple(stmt.leading_lines)
                continue
            stmt = done.body[0]
        statement = isinstance(stmt, (cst.SimpleStatementLine, cst.BaseCompoundStatement))
        if carry and out and statement and not stmt.leading_lines:
            stmt = stmt.with_changes(leading_lines=carry)
        carry = ()
        out.append(stmt)
    return tree.with_changes(body=out)


def _mentions(tree: cst.Module, stmt: cst.BaseStatement, modules: set[str]) -> bool:
    text = tree.code_for_node(stmt)
    return any(module in text for module in modules)


def no_new_leading_blank(before: cst.Module, after: cst.Module) -> cst.Module:
    """Removing the first import must not leave the file starting with blank lines."""
    if not after.body or not before.body or after.header:
        return after
    if after.body[0] is before.body[0] or before.body[0].leading_lines:
        return after
    lines = after.body[0].leading_lines
    if not lines or any(line.comment is not None for line in lines):
        return after
    first = after.body[0].with_changes(leading_lines=())
    return after.with_changes(body=[first, *after.body[1:]])
