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
from typing import Optional

import libcst as cst
from libcst.helpers import get_full_name_for_node

from dockfix.engine._addimports import add_imports, parsable_indent
from dockfix.engine._schedule import ADDITIONS, REMOVALS, Context

_IMPORTS = (cst.Import, cst.ImportFrom)
Removal = tuple[str, object, object]  # (module, obj, asname), as RemoveImportsVisitor reads it


def finish_imports(tree: cst.Module, context: Context, elsewhere: str = "") -> cst.Module:
    """Apply the scheduled additions, then the scheduled removals of unused imports.

    ``elsewhere`` is more text of the module outside its top-level imports (the statements a
    reduced module stubbed): a name it mentions keeps its import, as in the full module.
    """
    if context.scratch.get(ADDITIONS):
        tree = _add(tree, context)
    scheduled = context.scratch.get(REMOVALS) or []
    return remove_unused(tree, _unused(tree, scheduled, elsewhere))


def remove_unused(tree: cst.Module, removals: Sequence[Removal]) -> cst.Module:
    """``tree`` with ``removals`` (known unused, in the order scheduled, repeats kept)
    removed from its top-level import lines."""
    if not removals:
        return tree
    return _remove(tree, removals, {module.split(".")[0] for module, _, _ in removals})


def _is_import(stmt: cst.CSTNode) -> bool:
    return isinstance(stmt, cst.SimpleStatementLine) and any(
        isinstance(small, _IMPORTS) for small in stmt.body
    )


def _add(tree: cst.Module, context: Context) -> cst.Module:
    items = context.scratch.get(ADDITIONS) or []
    return add_imports(tree, items, context.full_package_name, tree.default_newline)


def _unused(tree: cst.Module, scheduled: list[Removal], elsewhere: str = "") -> list[Removal]:
    """The scheduled removals whose name occurs nowhere outside the top-level imports."""
    rest = "\n".join(tree.code_for_node(s) for s in tree.body if not _is_import(s))
    rest += "\n" + elsewhere
    return [removal for removal in scheduled if not mentions_name(rest, removal_name(removal))]


def removal_name(removal: Removal) -> str:
    """The name a scheduled removal's import binds (what must go unused for it to go)."""
    module, obj, asname = removal
    return str(asname or obj or module.split(".")[0])


def mentions_name(text: str, name: str) -> bool:
    """Whether ``text`` holds ``name`` where it could be a use (not after a dot)."""
    if name not in text:  # the common answer, without the pattern
        return False
    return re.search(rf"(?<![\w.]){re.escape(name)}\b", text) is not None


def _remove(tree: cst.Module, removals: Sequence[Removal], modules: set[str]) -> cst.Module:
    body: list[cst.BaseStatement] = list(tree.body)
    out: list[cst.BaseStatement] = []
    carry: tuple[cst.EmptyLine, ...] = ()
    for stmt in body:
        if _is_import(stmt) and _mentions(tree, stmt, modules):
            kept = without_unused(stmt, tree, removals)
            if kept is None:
                assert isinstance(stmt, cst.SimpleStatementLine)
                carry = carry or tuple(stmt.leading_lines)
                continue
            stmt = kept
        statement = isinstance(stmt, (cst.SimpleStatementLine, cst.BaseCompoundStatement))
        if carry and out and statement:
            own: Sequence[cst.EmptyLine] = getattr(stmt, "leading_lines", ())
            if not own:
                stmt = stmt.with_changes(leading_lines=carry)
            elif _commented(carry):  # the comments stay, above the next statement's lines
                stmt = stmt.with_changes(leading_lines=(*carry, *own))
        carry = ()
        out.append(stmt)
    if _commented(carry):  # the last statements went: their comments end the module
        return tree.with_changes(body=out, footer=(*carry, *tree.footer))
    return tree.with_changes(body=out)


def _commented(lines: Sequence[cst.EmptyLine]) -> bool:
    return any(line.comment is not None for line in lines)


def without_unused(
    stmt: cst.BaseStatement, tree: cst.Module, removals: Sequence[Removal]
) -> Optional[cst.BaseStatement]:
    """The import line ``stmt`` of ``tree`` less ``removals``, as ``RemoveImportsVisitor``
    gives it on a module of ``stmt`` alone; None when it goes."""
    removed = _removed_alone(stmt, removals)
    if removed is not None:
        return None if removed else stmt
    from libcst.codemod import CodemodContext
    from libcst.codemod.visitors import RemoveImportsVisitor

    from dockfix.engine._cstfast import install_matchers

    install_matchers()

    context = CodemodContext()  # the visitor reads only the removals from it
    context.scratch[RemoveImportsVisitor.CONTEXT_KEY] = list(removals)
    alone = tree.with_changes(body=[stmt], default_indent=parsable_indent(tree))
    done = RemoveImportsVisitor(context).transform_module(alone)
    return done.body[0] if done.body else None


def _removed_alone(stmt: cst.BaseStatement, removals: Sequence[Removal]) -> Optional[bool]:
    """What ``RemoveImportsVisitor`` does to a line of one import statement, alone in a
    module (where nothing uses it): True when it removes the line, False when it leaves it
    as it is, None when it changes it (some names go) or for other lines. Building the
    visitor costs more than a fix (its matchers are gathered per instance).

    As the visitor reads the removals: for ``import m``, the last one of ``m`` without
    an object decides the alias that goes; for ``from m import o``, any of ``(m, o,
    alias)``; a star import stays."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return None
    node = stmt.body[0]
    if isinstance(node, cst.Import):
        modules = {module: asname for module, obj, asname in removals if obj is None}
        going = [
            alias.evaluated_name in modules
            and alias.evaluated_alias == modules[alias.evaluated_name]
            for alias in node.names
        ]
    elif isinstance(node, cst.ImportFrom):
        names = node.names
        if isinstance(names, cst.ImportStar):
            return False
        if node.relative or node.module is None:
            return None
        module = get_full_name_for_node(node.module)
        if module is None or module == "__future__":
            return None
        wanted = {(o, a) for m, o, a in removals if o is not None and m == module}
        going = [(alias.evaluated_name, alias.evaluated_alias) in wanted for alias in names]
    else:
        return None
    if not any(going):
        return False
    return True if all(going) else None


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
