"""Check mode without the libcst pass: the findings of the common shape, read from ``ast``.

``dockfix check`` only reports, and most docker calls in real code look alike: a
``subprocess`` function reached through a plain import, called with a literal list or
tuple whose first item is ``"docker"``. For a file whose every candidate call is of that
shape, this module computes exactly what the libcst pass (``_transformer``) would find,
from the ``ast`` the engine already has: the same ``DockerCall``, read by the same rules,
at the same positions, with the same fixability (``_buildable`` tells it for the usual
fix without libcst; else the fix is built with libcst from the call's own text:
``_rewrite.fixability``).

It answers only when it is sure; anything else declines (``None``) and the file goes to
the libcst pass: another argv shape (a name, a string, a ``+``), a program that is not a
literal ``docker``, a name the call depends on that is bound in a way the rules below do
not model, suppression comments, a Docker SDK import, a parenthesised value, an encoding
other than UTF-8 without BOM... ``tests/engine/test_fast.py`` checks it against the full
libcst pass on every rule case, every fixture, the dense corpus and generated modules.

What the libcst pass does, and how it is mirrored here:

- A call is looked at when its name (``run`` in ``sp.run(...)`` or ``run(...)``) is a
  subprocess/os/asyncio API name, or the alias of a ``from ... import ... as`` visited
  before the call (the pass learns aliases as it walks).
- Its API is the qualified name of the function through an import (libcst's
  ``QualifiedNameProvider``). Here the name before the dot (or the called name) must be
  bound only by imports, all giving the same qualified name, and never by anything else
  in the file (an assignment, a parameter, a ``def``, ``global``, ``del``...). An import
  at module level is seen from everywhere; an import in a function only inside its body.
- A list item that is a name is read as a string when the name is bound once to one;
  here the name must be a parameter of the function the call is in (never a string), or
  never the single target of an assignment anywhere.
- The result is unused only for a call that is a whole statement line of its own.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional, Union

from dockfix.engine._apis import ALL_APIS, API_NAMES, ARGV_APIS, is_docker_path
from dockfix.engine._argv import Token, read_command
from dockfix.engine._buildable import buildable
from dockfix.engine._prescan import FLOW_KINDS, Mentions
from dockfix.engine._reduce import _imports_sdk, _plain, parse, utf8_twin
from dockfix.engine._suppress import Suppressions
from dockfix.engine._types import Finding, Settings
from dockfix.engine._walk import children
from dockfix.rules import ALL_RULES
from dockfix.rules._base import (
    DOCKER_TRIGGER_TEXTS,
    CallRule,
    DockerCall,
    Keyword,
    ReplaceStatements,
    Rule,
    RunnerCalls,
    Verdict,
    first_verdict,
)
from dockfix.rules._sdk import SdkRule

_BOM = b"\xef\xbb\xbf"
_SCOPES = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.Lambda,
    ast.ClassDef,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
# the statement and expression kinds of Python 3.11's grammar; a newer one (``type X = ...``,
# type parameters) declines: libcst might not parse what the running ``ast`` does
_KNOWN_STATEMENTS = frozenset(
    {ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Return, ast.Delete, ast.Assign}
    | {ast.AugAssign, ast.AnnAssign, ast.For, ast.AsyncFor, ast.While, ast.If, ast.With}
    | {ast.AsyncWith, ast.Raise, ast.Try, ast.Assert, ast.Import, ast.ImportFrom}
    | {ast.Global, ast.Nonlocal, ast.Expr, ast.Pass, ast.Break, ast.Continue}
    | ({ast.Match} if hasattr(ast, "Match") else set())
    | ({ast.TryStar} if hasattr(ast, "TryStar") else set())
)


class _Decline(Exception):
    """The file is not of the shape this module is sure about."""


@dataclass
class _Names:
    """How one name is bound across the file."""

    imports: list[tuple[ast.AST, Optional[str]]] = field(default_factory=list)  # (owner, qn)
    nodes: list[ast.AST] = field(default_factory=list)  # the import statements, in step
    other: bool = False  # bound by anything but an import (or declared global/nonlocal)
    single_assign: bool = False  # ``NAME = value`` somewhere (what libcst's pass records)


@dataclass
class _Scan:
    names: dict[str, _Names] = field(default_factory=dict)
    aliases: dict[str, tuple[int, int]] = field(default_factory=dict)  # first position
    calls: list[ast.Call] = field(default_factory=list)
    flows: list[ast.AST] = field(default_factory=list)  # the nodes ``Mentions`` reads

    def name(self, key: str) -> _Names:
        found = self.names.get(key)
        if found is None:
            found = self.names[key] = _Names()
        return found


@dataclass(frozen=True)
class Found:
    """A finding and what the libcst pass would fix it from (for ``_fastfix``)."""

    finding: Finding
    call: ast.Call
    docker: DockerCall
    verdict: Verdict


def fast_findings(
    source: bytes, tree: ast.Module, settings: Settings, *, screened: bool = False
) -> Optional[tuple[Finding, ...]]:
    """The findings of check mode (no fix applied) for ``source``, or None when this module
    cannot be sure of them (the libcst pass must then run). ``tree`` is ``ast.parse(source)``.

    ``screened``: ``source`` is a reduction (``_reduce``), so it is already known to be
    UTF-8 without a lone ``\\r`` and to import no Docker SDK.
    """
    found = fast_found(source, tree, settings, screened=screened)
    return None if found is None else tuple(item.finding for item in found)


def fast_found(
    source: bytes, tree: ast.Module, settings: Settings, *, screened: bool = False
) -> Optional[tuple[Found, ...]]:
    """``fast_findings`` with what each finding was read from, in the same order."""
    command_rules = _command_rules(settings)
    if command_rules is None or source.startswith(_BOM):
        return None
    if not screened and not _plain(source):
        twin = utf8_twin(source)
        twin_tree = parse(twin) if twin is not None else None
        if twin is None or twin_tree is None:
            return None
        source, tree = twin, twin_tree
    if b"dockfix" in source and Suppressions(source.decode("utf-8")):
        return None
    if not screened and _imports_sdk(source, tree):
        return None
    try:
        return _Analysis(source, tree, settings, [r() for r in command_rules]).findings()
    except (_Decline, RecursionError):
        return None


@lru_cache(maxsize=32)
def _command_rules(settings: Settings) -> Optional[tuple[type[Rule], ...]]:
    """The enabled command rules, in dispatch order; None when a call rule other than the
    SDK rules is enabled (it reads any call: only the libcst pass feeds it)."""
    rules = [r for r in ALL_RULES if settings.enabled(r.CODE)]
    if any(issubclass(r, CallRule) and not issubclass(r, SdkRule) for r in rules):
        return None
    return tuple(r for r in rules if not issubclass(r, CallRule))


class _Analysis:
    def __init__(
        self, source: bytes, tree: ast.Module, settings: Settings, command_rules: list[Rule]
    ) -> None:
        self.source = source
        self.tree = tree
        self.settings = settings
        self.rules = command_rules
        self.lines = source.splitlines(keepends=True)
        self.scan = _scan(tree)
        self._mention: Optional[Mentions] = None

    def _mentions(self) -> Mentions:
        if self._mention is None:
            triggers = {t.decode("latin-1") for r in self.rules for t in r.TRIGGERS}
            self._mention = Mentions(self.source, self.tree, triggers, self.scan.flows)
        return self._mention

    def findings(self) -> tuple[Found, ...]:
        if not self.rules:
            return ()
        found: list[tuple[tuple[int, int], Found]] = []
        for call in self.scan.calls:
            item = self._finding(call)
            if item is not None:
                found.append(((call.end_lineno or 0, call.end_col_offset or 0), item))
        found.sort(key=lambda item: item[0])  # the libcst pass reports calls as it leaves them
        return tuple(item for _, item in found)

    # -- one call ----------------------------------------------------------------------
    def _finding(self, call: ast.Call) -> Optional[Found]:
        func = call.func
        if isinstance(func, ast.Attribute):
            if func.attr not in API_NAMES:
                return None
            if not isinstance(func.value, ast.Name):
                return self._not_imported(func.value)
            base, suffix = func.value.id, "." + func.attr
        elif isinstance(func, ast.Name):
            alias = self.scan.aliases.get(func.id)
            if func.id not in API_NAMES and (alias is None or alias >= _start(call)):
                return None  # not an alias the pass has seen yet when it leaves this call
            base, suffix = func.id, ""
        else:
            return None
        path = _path_to(self.tree, call)
        qualified = self._qualified(base, path, call if isinstance(func, ast.Name) else None)
        if qualified is None:
            return None
        api = qualified + suffix
        if api not in ALL_APIS or not self._mentions().call(call):
            return None  # no trigger reaches the call: the pass finds no docker there
        if api not in ARGV_APIS:
            raise _Decline  # shell strings, exec arguments: the libcst pass reads them
        used = self._result_used(call, path)
        docker = self._docker_call(call, api, path, used)
        if docker is None:
            return None
        verdict = first_verdict(self.rules, docker, self.settings)
        if verdict is None:
            return None
        rule, answer = verdict
        return Found(self._report(call, rule, answer, used), call, docker, answer)

    def _not_imported(self, node: ast.expr) -> Optional[Found]:
        """``a.b.run(...)``: an API only if the chain starts at an import (declined)."""
        while isinstance(node, ast.Attribute):
            node = node.value
        if isinstance(node, ast.Name) and self.scan.names.get(node.id, _Names()).imports:
            raise _Decline
        return None

    def _qualified(
        self, base: str, path: Sequence[ast.AST], access: Optional[ast.Call]
    ) -> Optional[str]:
        """The qualified name ``base`` has through its imports where the call is; None when
        it has none there.

        ``access`` is the call when ``base`` is its name (``run(...)``): libcst then reads
        only the imports before the call in the call's own scope (``sp.run(...)`` reads
        them all)."""
        names = self.scan.names.get(base)
        if names is None or not names.imports:
            return None
        if names.other:
            raise _Decline  # an import and another binding: libcst's scopes decide
        qualified = {qn for _, qn in names.imports}
        if len(qualified) != 1 or None in qualified:
            raise _Decline
        owners = [owner for owner, _ in names.imports]
        if access is not None:
            scope = next(n for n in reversed(path[:-1]) if isinstance(n, (*_SCOPES, ast.Module)))
            if any(owner is scope for owner in owners):
                before = [
                    n
                    for o, n in zip(owners, names.nodes)
                    if o is scope and _start(n) < _start(access)
                ]
                if not before:
                    raise _Decline  # libcst looks in the enclosing scopes then
                return qualified.pop()
        if any(isinstance(owner, ast.Module) for owner in owners):
            return qualified.pop()
        for owner in owners:
            if not isinstance(owner, _FUNCTIONS):
                raise _Decline  # an import in a class body
            if owner in path:
                child = path[path.index(owner) + 1]
                if not any(child is stmt for stmt in owner.body):
                    raise _Decline  # in the decorators, defaults or annotations
                return qualified.pop()
        return None

    def _result_used(self, call: ast.Call, path: Sequence[ast.AST]) -> bool:
        """False only for a call that is a statement line of its own (``await`` allowed)."""
        parent = path[-2]
        if isinstance(parent, ast.Await):
            if self._between((parent.lineno, parent.col_offset + 5), _start(call)).strip():
                raise _Decline  # ``await (call)``: libcst puts the parentheses on the call
            parent = path[-3]
        if not isinstance(parent, ast.Expr):
            return True
        stmt = parent
        if _start(stmt) != _start(stmt.value) or _end(stmt) != _end(stmt.value):
            raise _Decline  # parenthesised
        line = self.lines[stmt.lineno - 1]
        if line[: stmt.col_offset].strip(b" \t\f"):
            return True  # after ``;`` or ``if x:``: not a line of its own
        if stmt.lineno > 1 and self.lines[stmt.lineno - 2].rstrip(b"\r\n").endswith(b"\\"):
            raise _Decline  # continues the line above
        rest = self.lines[(stmt.end_lineno or 0) - 1][stmt.end_col_offset :].lstrip(b" \t\f")
        if rest[:1] == b";":
            rest = rest[1:].lstrip(b" \t\f")
        if rest[:1] not in (b"", b"#", b"\r", b"\n"):
            if rest[:1] == b"\\":
                raise _Decline
            return True  # another statement follows on the line
        return False

    def _docker_call(
        self, call: ast.Call, api: str, path: Sequence[ast.AST], used: bool
    ) -> Optional[DockerCall]:
        """``_extract.extract`` for a literal list or tuple argv."""
        if any(isinstance(arg, ast.Starred) for arg in call.args):
            raise _Decline
        keywords: dict[str, Keyword] = {}
        star_kwargs = False
        for index, kw in enumerate(call.keywords):
            following = call.keywords[index + 1] if index + 1 < len(call.keywords) else None
            if kw.arg is None:
                star_kwargs = True
            elif kw.arg == "args":
                raise _Decline
            else:
                keywords[kw.arg] = self._keyword(kw, call, following)
        if not call.args:
            return None
        argv = call.args[0]
        if not isinstance(argv, (ast.List, ast.Tuple)):
            raise _Decline
        self._tight(argv, call, call.args[1] if len(call.args) > 1 else _first(call.keywords))
        tokens = tuple(self._tokens(argv, path))
        if not tokens or tokens[0].starred:
            return None
        kind = self._program_kind(tokens, argv.elts[0], path)
        if kind is None:
            return None
        return DockerCall(
            api=api,
            program_kind=kind,
            command=read_command(tokens),
            argv_shape="list" if isinstance(argv, ast.List) else "tuple",
            keywords=keywords,
            star_kwargs=star_kwargs,
            result_used=used,
        )

    def _program_kind(
        self, tokens: tuple[Token, ...], node: ast.expr, path: Sequence[ast.AST]
    ) -> Optional[str]:
        """``_extract._program_kind`` (and ``sh -c``, which declines)."""
        program = tokens[0]
        if program.literal and program.value is not None:
            if is_docker_path(program.value):
                return "literal"
            flag = tokens[1] if len(tokens) > 1 else None
            if len(tokens) == 3 and flag is not None and flag.literal and flag.value == "-c":
                raise _Decline  # ``["sh", "-c", "docker ..."]``: the pass reads the string
            return None
        if isinstance(node, ast.Call):
            raise _Decline  # ``shutil.which("docker")``
        if isinstance(node, ast.Name) and not self._never_a_string(node.id, path):
            raise _Decline
        return "dynamic" if any(t in program.text for t in DOCKER_TRIGGER_TEXTS) else None

    def _tokens(self, argv: Union[ast.List, ast.Tuple], path: Sequence[ast.AST]) -> Iterator[Token]:
        elements = argv.elts
        for j, element in enumerate(elements):
            following = elements[j + 1] if j + 1 < len(elements) else None
            starred = isinstance(element, ast.Starred)
            node = element.value if isinstance(element, ast.Starred) else element
            self._tight(node, argv, following)
            text = self._text(node)
            ref = ("path", 0, j)
            if starred:
                yield Token(None, text, True, ref)
                continue
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                yield Token(node.value, text, False, ref)
                continue
            if isinstance(node, ast.Name) and not self._never_a_string(node.id, path):
                raise _Decline
            yield Token(None, text, False, ref)

    def _never_a_string(self, name: str, path: Sequence[ast.AST]) -> bool:
        """Whether the libcst pass cannot read ``name`` as a string constant at the call."""
        names = self.scan.names.get(name)
        if names is None or not names.single_assign:
            return True  # never recorded as ``NAME = value``
        scope = next((n for n in reversed(path[:-1]) if isinstance(n, _SCOPES)), None)
        if isinstance(scope, _FUNCTIONS):
            return name in _parameters(scope)  # bound by the parameter, never a string
        return False

    def _keyword(self, kw: ast.keyword, call: ast.Call, following: Optional[ast.AST]) -> Keyword:
        assert kw.arg is not None
        value = kw.value
        head = self._between(_start(kw), _start(value))
        if head.decode("utf-8").replace(kw.arg, "", 1).strip(" \t\f\r\n\\") != "=":
            raise _Decline  # a comment or a parenthesis before the value
        self._tight(value, call, following)
        text = self._text(value)
        if isinstance(value, ast.Constant):
            if value.value is None or isinstance(value.value, bool):
                return Keyword(kw.arg, text, value.value, True)
            if isinstance(value.value, int):
                return Keyword(kw.arg, text, value.value, True)
        return Keyword(kw.arg, text)

    # -- the finding -------------------------------------------------------------------
    def _report(self, call: ast.Call, rule: Rule, verdict: Verdict, used: bool) -> Finding:
        fixable: bool = False
        reason: Optional[str] = verdict.reason or "no safe fix"
        if verdict.fix is not None:
            fixable, reason = _fixability(call, self._text(call), verdict, used, self.settings)
        line, column = call.lineno, self._column(call.lineno, call.col_offset)
        end_line = call.end_lineno or line
        end_column = self._column(end_line, call.end_col_offset or 0)
        return Finding(
            code=rule.CODE,
            name=rule.NAME,
            message=verdict.message,
            line=line,
            column=column + 1,
            end_line=end_line,
            end_column=end_column + 1,
            fixable=fixable,
            fix_reason=reason,
        )

    # -- source text -------------------------------------------------------------------
    def _column(self, line: int, offset: int) -> int:
        """The character column of a UTF-8 byte offset (libcst counts characters). A form
        feed before it declines: libcst does not count one that starts a top-level line."""
        text = self.lines[line - 1][:offset]
        if b"\f" in text:
            raise _Decline
        return offset if text.isascii() else len(text.decode("utf-8"))

    def _between(self, start: tuple[int, int], end: tuple[int, int]) -> bytes:
        (l1, c1), (l2, c2) = start, end
        if l1 == l2:
            return self.lines[l1 - 1][c1:c2]
        return b"".join(
            [self.lines[l1 - 1][c1:], *self.lines[l1 : l2 - 1], self.lines[l2 - 1][:c2]]
        )

    def _text(self, node: ast.AST) -> str:
        return self._between(_start(node), _end(node)).decode("utf-8")

    def _tight(self, node: ast.AST, container: ast.AST, following: Optional[ast.AST]) -> None:
        """Decline unless ``node`` is not parenthesised: what follows it, up to the next
        item or the container's closing bracket, is a comma, blanks and comments."""
        limit = _start(following) if following is not None else _end(container)
        gap = self._between(_end(node), limit)
        if following is None:
            gap = gap[:-1]  # the container's closing bracket
        code = b"".join(part.split(b"#", 1)[0] for part in gap.splitlines())
        if code.replace(b",", b"", 1).strip(b" \t\f\r\n\\"):
            raise _Decline


def _fixability(
    call: ast.Call, text: str, verdict: Verdict, used: bool, settings: Settings
) -> tuple[bool, Optional[str]]:
    """``_rewrite.fixability`` on the call parsed from its own text: told without libcst
    where ``_buildable`` can, else with libcst (imported on demand)."""
    fix = verdict.fix
    if isinstance(fix, (ReplaceStatements, RunnerCalls)) and used:
        return False, "the fix needs the call to be a statement of its own"
    spec = settings.runner or settings.executor
    if fix is not None and buildable(call, text, fix, spec):
        return True, None
    from dockfix.engine._rewrite import fixability, parse_call, parse_target

    node = parse_call(text)
    if node is None:
        raise _Decline
    return fixability(node, verdict, used, parse_target(spec), text)


def _first(items: Sequence[ast.AST]) -> Optional[ast.AST]:
    return items[0] if items else None


def _start(node: ast.AST) -> tuple[int, int]:
    return (node.lineno, node.col_offset)  # type: ignore[attr-defined]


def _end(node: ast.AST) -> tuple[int, int]:
    return (node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]


def _parameters(node: Union[ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda]) -> set[str]:
    args = node.args
    found = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    found += [a for a in (args.vararg, args.kwarg) if a is not None]
    return {a.arg for a in found}


def _path_to(tree: ast.Module, target: ast.AST) -> list[ast.AST]:
    """The nodes from the module down to ``target`` (positions prune the search)."""
    start, end = _start(target), _end(target)

    def search(node: ast.AST) -> Optional[list[ast.AST]]:
        for child in children(node):
            if child is target:
                return [child]
            positioned = getattr(child, "end_lineno", None) is not None
            if positioned and (_start(child) > start or _end(child) < end):
                continue
            found = search(child)
            if found is not None:
                return [child, *found]
        return None

    found = search(tree)
    if found is None:
        raise _Decline
    return [tree, *found]


def _scan(tree: ast.Module) -> _Scan:
    """One walk: the bindings of every name, the ``from``-import aliases, the calls."""
    scan = _Scan()
    stack: list[tuple[ast.AST, ast.AST]] = [(tree, tree)]  # (node, its scope)
    while stack:
        node, scope = stack.pop()
        kind = type(node)
        inner = node if isinstance(node, _SCOPES) else scope
        if isinstance(node, ast.stmt):
            if kind not in _KNOWN_STATEMENTS or getattr(node, "type_params", None):
                raise _Decline
            if kind is ast.Import or kind is ast.ImportFrom:
                _imports(scan, node, scope)  # type: ignore[arg-type]
            elif kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
                scan.name(node.name).other = True  # type: ignore[attr-defined]
            elif kind is ast.Global or kind is ast.Nonlocal:
                for declared in node.names:  # type: ignore[attr-defined]
                    scan.name(declared).other = True
            elif kind is ast.Assign:
                targets = node.targets  # type: ignore[attr-defined]
                if len(targets) == 1 and isinstance(targets[0], ast.Name):
                    scan.name(targets[0].id).single_assign = True
        elif kind is ast.Name:
            if not isinstance(node.ctx, ast.Load):  # type: ignore[attr-defined]
                scan.name(node.id).other = True  # type: ignore[attr-defined]
        elif kind is ast.Call:
            scan.calls.append(node)  # type: ignore[arg-type]
        if kind in FLOW_KINDS:
            scan.flows.append(node)
        elif kind is ast.arg:
            scan.name(node.arg).other = True  # type: ignore[attr-defined]
        elif kind is ast.ExceptHandler:
            if node.name:  # type: ignore[attr-defined]
                scan.name(node.name).other = True  # type: ignore[attr-defined]
        elif kind.__name__ in ("MatchAs", "MatchStar", "MatchMapping"):
            bound = getattr(node, "rest" if kind.__name__ == "MatchMapping" else "name", None)
            if bound:
                scan.name(bound).other = True
        for child in children(node):
            stack.append((child, inner))
    return scan


def _imports(scan: _Scan, node: Union[ast.Import, ast.ImportFrom], scope: ast.AST) -> None:
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.asname is not None:
                bound, qualified = alias.asname, alias.name
            elif "." in alias.name:
                bound, qualified = alias.name.split(".")[0], None
            else:
                bound, qualified = alias.name, alias.name
            scan.name(bound).imports.append((scope, qualified))
            scan.name(bound).nodes.append(node)
        return
    for alias in node.names:
        if alias.name == "*":
            continue  # libcst's scopes bind nothing for it either
        bound = alias.asname or alias.name
        qualified = None if node.level or not node.module else f"{node.module}.{alias.name}"
        scan.name(bound).imports.append((scope, qualified))
        scan.name(bound).nodes.append(node)
        if alias.asname is not None:
            first = scan.aliases.get(alias.asname)
            position = (node.lineno, node.col_offset)
            if first is None or position < first:
                scan.aliases[alias.asname] = position
