"""Finishing the imports after a fix, with libcst's helpers, cheaply.

``AddImportsVisitor`` and ``RemoveImportsVisitor`` each analyse the whole module (imports,
scopes, qualified names): seconds on a large file. Both only need the top-level imports,
so they run on a module made of just those statements, spliced back afterwards. An
import is removed only when its name occurs nowhere outside the top-level imports (a textual check,
conservative: a mention in a string or comment keeps the import).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Optional, Union

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor
from libcst.helpers import get_full_name_for_node

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


def _import_line(stmt: cst.BaseStatement) -> Optional[Union[cst.Import, cst.ImportFrom]]:
    """The import of a line that is one import statement (what AddImportsVisitor takes for
    an import line), else None."""
    if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1:
        small = stmt.body[0]
        if isinstance(small, _IMPORTS):
            return small
    return None


def _add(tree: cst.Module, context: CodemodContext) -> cst.Module:
    # AddImportsVisitor adds after the first block of import lines (after a docstring), and
    # reads or changes nothing after the statement that ends that block (it may give that
    # one a blank line before it)
    ends = (i for i, stmt in enumerate(tree.body) if i and _import_line(stmt) is None)
    end = next(ends, len(tree.body)) + 1
    items = context.scratch.get(AddImportsVisitor.CONTEXT_KEY) or []
    packages = {str(item.module_name).split(".")[0] for item in items}
    head = [_placeholder(i, stmt, packages) for i, stmt in enumerate(tree.body[:end])]
    module = tree.with_changes(body=head, default_indent=_parsable_indent(tree))
    done = AddImportsVisitor(context).transform_module(module)
    body = [_restore(stmt, tree.body) for stmt in done.body]
    return tree.with_changes(body=[*body, *tree.body[end:]])


_MARK = "__dockfix_placeholder_"


def _placeholder(index: int, stmt: cst.BaseStatement, packages: set[str]) -> cst.BaseStatement:
    """A one-line stand-in for ``stmt``, with its leading lines, unless it may matter.

    ``AddImportsVisitor`` walks and copies every node it is given. What it reads: whether
    the first statement is a docstring or ``__strict__`` (a first simple statement stays);
    which lines are one import each, and of those, the ones that import the packages being
    added (they stay; any other import line becomes ``import <mark>``, still an import
    line). It may add a blank line before a statement: the placeholder's leading lines go
    back to the statement (``_restore``)."""
    if index == 0 and isinstance(stmt, cst.SimpleStatementLine):
        return stmt
    assert isinstance(stmt, (cst.SimpleStatementLine, cst.BaseCompoundStatement))
    mark = cst.Name(f"{_MARK}{index}")
    found = _import_line(stmt)
    if found is not None and _imports_from(found, packages):
        return stmt
    if found is not None:
        small: cst.BaseSmallStatement = cst.Import(names=[cst.ImportAlias(name=mark)])
    else:
        small = cst.Expr(mark)
    return cst.SimpleStatementLine(body=[small], leading_lines=stmt.leading_lines)


def _imports_from(node: Union[cst.Import, cst.ImportFrom], packages: set[str]) -> bool:
    """Whether ``node`` may import one of ``packages`` (a relative import may)."""
    if isinstance(node, cst.Import):
        names = [get_full_name_for_node(alias.name) for alias in node.names]
    elif node.relative or node.module is None:
        return True
    else:
        names = [get_full_name_for_node(node.module)]
    return any(name is None or name.split(".")[0] in packages for name in names)


def _restore(stmt: cst.BaseStatement, body: Sequence[cst.BaseStatement]) -> cst.BaseStatement:
    """The statement a placeholder stood in for, with the placeholder's leading lines."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return stmt
    small = stmt.body[0]
    if isinstance(small, cst.Expr):
        mark = small.value
    elif isinstance(small, cst.Import) and len(small.names) == 1:
        mark = small.names[0].name
    else:
        return stmt
    if not isinstance(mark, cst.Name) or not mark.value.startswith(_MARK):
        return stmt
    original = body[int(mark.value[len(_MARK) :])]
    assert isinstance(original, (cst.SimpleStatementLine, cst.BaseCompoundStatement))
    if _lines(stmt.leading_lines) == _lines(original.leading_lines):
        return original
    return original.with_changes(leading_lines=stmt.leading_lines)


def _lines(lines: Sequence[cst.EmptyLine]) -> list[tuple[bool, str, str, Optional[str]]]:
    return [
        (
            line.indent,
            line.whitespace.value,
            line.comment.value if line.comment else "",
            line.newline.value,
        )
        for line in lines
    ]


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
