"""Finishing the imports after a fix, with libcst's helpers, cheaply.

``AddImportsVisitor`` and ``RemoveImportsVisitor`` each analyse the whole module (imports,
scopes, qualified names): seconds on a large file. Both only need the top-level imports,
so they run on a module made of just those statements, spliced back afterwards. An
import is removed only when its name occurs nowhere outside the top-level imports (a textual check,
conservative: a mention in a string or comment keeps the import).
"""

from __future__ import annotations

import re

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor

_IMPORTS = (cst.Import, cst.ImportFrom)


def finish_imports(tree: cst.Module, context: CodemodContext, elsewhere: str = "") -> cst.Module:
    """Apply the scheduled additions, then the scheduled removals of unused imports.

    ``elsewhere`` is more text of the module outside its top-level imports (the statements a
    reduced module stubbed): a name it mentions keeps its import, as in the full module.
    """
    if context.scratch.get(AddImportsVisitor.CONTEXT_KEY):
        tree = _add(tree, context)
    scheduled = context.scratch.get(RemoveImportsVisitor.CONTEXT_KEY) or []
    removals = _unused(tree, scheduled, elsewhere)
    if removals:
        context.scratch[RemoveImportsVisitor.CONTEXT_KEY] = removals
        tree = _remove(tree, context, {module.split(".")[0] for module, _, _ in removals})
    return tree


def _is_import(stmt: cst.CSTNode) -> bool:
    return isinstance(stmt, cst.SimpleStatementLine) and any(
        isinstance(small, _IMPORTS) for small in stmt.body
    )


def _add(tree: cst.Module, context: CodemodContext) -> cst.Module:
    last = max((i for i, stmt in enumerate(tree.body) if _is_import(stmt)), default=-1)
    end = last + 2  # and the next statement, which may get a blank line before it
    head = tree.with_changes(body=tree.body[:end], default_indent=_parsable_indent(tree))
    done = AddImportsVisitor(context).transform_module(head)
    return tree.with_changes(body=[*done.body, *tree.body[end:]])


def _parsable_indent(tree: cst.Module) -> str:
    """The module's indent as libcst's helpers may parse new code with: a file whose first
    indented block starts with a form feed gives an indent libcst's own parser config
    rejects. Only the import statements go through the helpers (no block, so the indent
    shows nowhere), and the module keeps its own indent when they are spliced back."""
    return "".join(c for c in tree.default_indent if c in " \t") or "    "


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
            alone = tree.with_changes(body=[stmt], default_indent=_parsable_indent(tree))
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
