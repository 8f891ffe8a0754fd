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
from collections.abc import Collection, Iterator, Sequence
from typing import Optional

from dockfix.engine._reduce import _BOM, parse, utf8_text, utf8_twin
from dockfix.engine._walk import walk

_ALIASED_MODULES = frozenset({"subprocess", "os", "asyncio"})


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
    mentions: Optional[Mentions] = None
    for node in walk(tree):
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
            if mentions is None:
                mentions = Mentions(source, tree, triggers)
            if mentions.call(node):
                return True
    return False


def _imports(tree: ast.Module, apis: Collection[str]) -> tuple[set[str], set[str]]:
    """Local names of the subprocess/os/asyncio modules, and of API functions imported
    from them (``from subprocess import run as r`` gives ``r``)."""
    modules: set[str] = set()
    imported: set[str] = set()
    for node in walk(tree):
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


class Mentions:
    """Which expressions could bring a trigger into a call, as the engine would see it.

    An expression mentions a trigger when its source text holds one (a string, bytes, an
    identifier, an attribute, ``shutil.which("docker")``...), or when it reads a marked
    name: one that something mentioning a trigger (or a marked name) flows into. Flows
    are the engine's ways of learning what a name holds: assignments of any kind,
    ``for`` and ``with`` targets, and method calls on the name (``cmd.append("docker")``,
    which ``_dataflow`` follows). Over-marking only makes more calls candidates.
    """

    def __init__(
        self,
        source: bytes,
        tree: ast.Module,
        triggers: Collection[str],
        nodes: Optional[Sequence[ast.AST]] = None,
    ) -> None:
        """``nodes``, when given, holds at least every node of ``tree`` ``_flows`` reads
        (a walk the caller made already), in any order."""
        self._everything = False
        if source.startswith(_BOM):
            source = source[len(_BOM) :]  # ast's columns on line 1 do not count it
        if not utf8_text(source):  # ast's columns are offsets into the UTF-8 form of the text
            twin = utf8_twin(source)
            self._everything = twin is None
            source = twin or source
        self._lines = source.splitlines(keepends=True)
        self._triggers = tuple(t.encode("utf-8") for t in triggers)
        self.marked: set[str] = set()
        if any(t in source for t in self._triggers):
            self._mark(walk(tree) if nodes is None else nodes)

    def call(self, node: ast.Call) -> bool:
        """Whether an argument of ``node`` mentions a trigger."""
        return any(self.mentions(arg) for arg in (*node.args, *node.keywords))

    def mentions(self, node: ast.AST) -> bool:
        if self._text_mentions(node):
            return True
        if not self.marked:
            return False
        return any(isinstance(sub, ast.Name) and sub.id in self.marked for sub in walk(node))

    def _text_mentions(self, node: ast.AST) -> bool:
        if self._everything:
            return True
        first, last = getattr(node, "lineno", None), getattr(node, "end_lineno", None)
        if first is None or last is None:
            return True  # no position (never for expressions): assume it does
        start, end = node.col_offset, node.end_col_offset  # type: ignore[attr-defined]
        if first == last:
            text = self._lines[first - 1][start:end]
        else:
            text = b"".join([self._lines[first - 1][start:], *self._lines[first : last - 1]])
            text += self._lines[last - 1][:end]
        return any(t in text for t in self._triggers)

    def _mark(self, nodes: Sequence[ast.AST]) -> None:
        flows = []
        for values, targets in _flows(nodes):
            if any(self._text_mentions(v) for v in values):
                self.marked.update(targets)
            else:
                reads = {n.id for v in values for n in walk(v) if isinstance(n, ast.Name)}
                if reads:
                    flows.append((reads, targets))
        changed = bool(self.marked)
        while changed:
            changed = False
            for reads, targets in flows:
                if not reads.isdisjoint(self.marked) and not self.marked.issuperset(targets):
                    self.marked.update(targets)
                    changed = True


# The kinds of node ``_flows`` reads.
FLOW_KINDS = frozenset(
    {
        ast.Assign,
        ast.AnnAssign,
        ast.AugAssign,
        ast.NamedExpr,
        ast.For,
        ast.AsyncFor,
        ast.comprehension,
        ast.With,
        ast.AsyncWith,
        ast.Call,
    }
)


def _flows(nodes: Sequence[ast.AST]) -> Iterator[tuple[list[ast.AST], list[str]]]:
    """(values, the names they flow into) for every way a name learns a value (the order
    does not matter: ``_mark`` closes over them)."""
    for node in nodes:
        if isinstance(node, ast.Assign):
            yield [node.value], _names(node.targets)
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            if node.value is not None:
                yield [node.value], _names([node.target])
        elif isinstance(node, ast.NamedExpr):
            yield [node.value], _names([node.target])
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
            yield [node.iter], _names([node.target])
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if item.optional_vars is not None:
                    yield [item.context_expr], _names([item.optional_vars])
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            receiver = node.func.value
            if isinstance(receiver, ast.Name):
                yield [*node.args, *node.keywords], [receiver.id]


def _names(targets: list[ast.expr]) -> list[str]:
    return [sub.id for target in targets for sub in walk(target) if isinstance(sub, ast.Name)]
