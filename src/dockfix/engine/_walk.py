"""Walking ``ast`` trees faster than ``ast.walk``, for the engine's hot loops.

``ast.walk`` and ``ast.iter_child_nodes`` go through two generators per node and visit the
``ctx`` marker (``Load``, ``Store``, ``Del``) of every name, attribute and subscript. The
reductions and the ``ast`` reading look for statements, names and calls only: these give
the same nodes, in the same order, without the markers, as lists.
"""

from __future__ import annotations

import ast

_FIELDS: dict[type, tuple[str, ...]] = {}  # a node class's fields, less ``ctx``


def children(node: ast.AST) -> list[ast.AST]:
    """``ast.iter_child_nodes(node)``, less the ``ctx`` markers (``Load``, ``Store``,
    ``Del``: no caller looks for them), as a list."""
    kind = type(node)
    fields = _FIELDS.get(kind)
    if fields is None:
        fields = _FIELDS[kind] = tuple(name for name in kind._fields if name != "ctx")
    found: list[ast.AST] = []
    for name in fields:
        value = getattr(node, name, None)
        if isinstance(value, ast.AST):
            found.append(value)
        elif isinstance(value, list):
            found.extend(item for item in value if isinstance(item, ast.AST))
    return found


def walk(node: ast.AST) -> list[ast.AST]:
    """``ast.walk(node)`` (``node`` and all below it, breadth first), less the ``ctx``
    markers, as a list: about twice as fast."""
    found = [node]
    index = 0
    while index < len(found):
        found.extend(children(found[index]))
        index += 1
    return found
