"""A cheap look with the stdlib ``ast`` before the libcst pass: is any call worth a look?

libcst's metadata (scopes, qualified names, positions) costs several full passes over a
module. Most files that mention docker make no call a rule could match; ``ast`` finds
that out many times faster. A file ``ast`` cannot parse goes on to libcst, which then
decides (and reports the error).

For the command rules a call is a candidate when it is named like a subprocess/os/asyncio
API (or a ``from``-import alias of one) and its arguments mention a trigger: in a string,
in an identifier, or through a name bound to something that does (``DOCKER = "docker"``,
``CMD = [DOCKER, "ps"]``). That is exactly what the engine needs to call a program docker
(literal, constant, ``shutil.which("docker")``, or a dynamic name spelled with a trigger).
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Collection
from typing import Optional

_ALIASED_MODULES = frozenset({"subprocess", "os", "asyncio"})


def parse(source: bytes) -> Optional[ast.Module]:
    """The ``ast`` of ``source``, or None when ``ast`` cannot parse it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(source)
    except (SyntaxError, ValueError, UnicodeError, RecursionError, MemoryError):
        return None


def has_candidate_call(
    source: bytes,
    methods: Collection[str],
    apis: Collection[str],
    triggers: Collection[str],
    tree: Optional[ast.Module] = None,
) -> bool:
    """True when a call named in ``methods`` exists, or a call of an API in ``apis`` through
    an import of subprocess/os/asyncio with a trigger in its arguments; also when ``ast``
    cannot parse ``source``. ``tree``, when given, is ``parse(source)``."""
    if tree is None:
        tree = parse(source)
    if tree is None:
        return True
    modules, imported = _imports(tree, apis)
    marked: Optional[set[str]] = None
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name: Optional[str]
        if isinstance(func, ast.Attribute):
            name = func.attr
            owner = func.value
            api = isinstance(owner, ast.Name) and owner.id in modules and name in apis
        else:
            name = getattr(func, "id", None)
            api = name in imported
        if name in methods:
            return True
        if api:
            if marked is None:
                marked = _marked_names(tree, triggers)
            if any(_mentions(arg, triggers, marked) for arg in (*node.args, *node.keywords)):
                return True
    return False


def _imports(tree: ast.Module, apis: Collection[str]) -> tuple[set[str], set[str]]:
    """Local names of the subprocess/os/asyncio modules, and of API functions imported
    from them (``from subprocess import run as r`` gives ``r``)."""
    modules: set[str] = set()
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                if top in _ALIASED_MODULES:
                    modules.add(alias.asname or top)
        elif isinstance(node, ast.ImportFrom) and node.module in _ALIASED_MODULES:
            for alias in node.names:
                if alias.name in apis:
                    imported.add(alias.asname or alias.name)
    return modules, imported


def _mentions(node: ast.AST, triggers: Collection[str], marked: set[str]) -> bool:
    for sub in ast.walk(node):
        text: Optional[str] = None
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            text = sub.value
        elif isinstance(sub, ast.Name):
            if sub.id in marked:
                return True
            text = sub.id
        elif isinstance(sub, ast.Attribute):
            text = sub.attr
        if text is not None and any(t in text for t in triggers):
            return True
    return False


def _marked_names(tree: ast.Module, triggers: Collection[str]) -> set[str]:
    """Names assigned something that mentions a trigger, to a fixpoint."""
    assigns = [n for n in ast.walk(tree) if isinstance(n, (ast.Assign, ast.AnnAssign))]
    marked: set[str] = set()
    changed = True
    while changed:
        changed = False
        for node in assigns:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id for t in targets if isinstance(t, ast.Name) and t.id not in marked]
            if names and node.value is not None and _mentions(node.value, triggers, marked):
                marked.update(names)
                changed = True
    return marked
