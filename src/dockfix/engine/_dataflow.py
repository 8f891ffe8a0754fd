"""An argv held in a variable: follow it from its assignment to the call, in one block.

``cmd = ["docker", "rm"]`` then ``cmd.append(x)``, ``cmd.extend([...])``, ``cmd += [...]``,
``cmd = cmd + [...]`` (also under ``if cond:``) then ``subprocess.run(cmd)``. The argv is
known exactly when the assignment is the nearest one before the call in the same block,
and every statement between either changes ``cmd`` in one of those ways without a
condition or does not mention it. Anything else is reported, pointing at the statements.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Callable, Optional

import libcst as cst
from libcst.metadata import GlobalScope, PositionProvider, ScopeProvider

from dockfix.engine._argv import Token
from dockfix.engine._status import zero_tested_calls

Position = tuple[int, int]
# the argv as extraction reads it: tokens, shape, shell text, the node naming the program
FlowArgv = tuple[tuple[Token, ...], str, Optional[str], Optional[cst.BaseExpression]]


@dataclass(frozen=True)
class Flow:
    """What is known of the argv a name holds at a call."""

    argv: Optional[FlowArgv]  # None: unknown (the reason says why)
    reason: Optional[str]  # why the call cannot be rewritten (None: it can)
    related: tuple[Position, ...]  # the assignment and each change
    string: Optional[cst.BaseExpression] = None  # a command string held in the name instead


@dataclass
class FlowContext:
    """What following a name needs from the engine."""

    code_for: Callable[[cst.CSTNode], str]
    position: Callable[[cst.CSTNode], Position]
    scope_node: Callable[[cst.Name], Optional[cst.CSTNode]]  # the function (or module)
    assignments: Callable[[cst.Name], int]  # how many times the name is bound in its scope
    zero_tested: Callable[[cst.Call], bool] = lambda call: False  # see _status


_Block = Sequence[cst.BaseStatement]


def follow(name: cst.Name, call: cst.Call, ctx: FlowContext) -> Optional[Flow]:
    """The argv ``name`` holds when ``call`` runs, or None when no list is assigned to it
    before the call in the same block (then the engine's own reading applies)."""
    owner = ctx.scope_node(name)
    if owner is None:
        return None
    path = _find_path(owner, call)
    if not path:
        return None
    innermost = path[-1][0][path[-1][1]]
    own = _count(innermost, name.value)
    for block, at in reversed(path):  # from the call's own block outwards
        if _count(block[at], name.value) != own:
            return None  # the block around the call touches the name too
        start = _assignment_before(block, at, name.value)
        if start is not None:
            break
        nested = _nested_assignment(block, at, name.value)
        if nested is not None:  # `if x: cmd = [...] else: cmd = [...]`: report it
            line = ctx.position(nested[0])[0]
            why = f"`{name.value}` is assigned inside the compound statement on line {line}"
            return _unknown(nested[1], name, ctx, why, [ctx.position(nested[0])])
    else:
        return None
    assign = block[start]
    related = [ctx.position(assign)]
    value = _assigned_value(assign, name.value)
    assert value is not None
    elements = _elements(value, name.value)
    if elements is None:
        return _string_flow(value, block[start + 1 : at], innermost, call, name, related)
    items = list(elements)
    program = elements[0][0] if elements and not elements[0][1] else None
    reason: Optional[str] = None
    conditional = False
    between = False
    for stmt in block[start + 1 : at]:
        if not _mentions(stmt, name.value):
            between = True
            continue
        related.append(ctx.position(stmt))
        change, under_if = _change(stmt, name.value)
        if change is None:
            line = ctx.position(stmt)[0]
            why = f"`{name.value}` is used or changed on line {line} in a way dockfix cannot follow"
            return _unknown(elements, name, ctx, why, related)
        items += change
        if under_if and reason is None:
            conditional = True
            reason = (
                f"`{name.value}` is changed under a condition on line {ctx.position(stmt)[0]}; "
                "the call would need one rewrite per branch: rewrite it by hand"
            )
    if not _call_reads_first(innermost, call, name.value):
        why = f"`{name.value}` is used around the call"
        return _unknown(elements, name, ctx, why, related)
    tokens = tuple(_token(item, ctx) for item in items)
    if conditional:
        return Flow((tokens, "variable-conditional", None, program), reason, tuple(related))
    reason = _unstable(items, between, ctx)
    shape = "variable" if reason is not None else "variable-flow"
    return Flow((tokens, shape, None, program), reason, tuple(related))


_STRINGS = (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString, cst.BinaryOperation)


def _string_flow(
    value: cst.BaseExpression,
    between: _Block,
    innermost: cst.BaseStatement,
    call: cst.Call,
    name: cst.Name,
    related: list[Position],
) -> Optional[Flow]:
    """``cmd = f"docker rm -f {c}"`` right before ``os.system(cmd)``: read as that string."""
    if not isinstance(value, _STRINGS):
        return None
    reason = None
    if between or not _call_reads_first(innermost, call, name.value):
        reason = (
            f"the command string in `{name.value}` is not assigned right before the call; "
            "rewrite it by hand"
        )
    return Flow(None, reason, tuple(related), value)


def _unknown(
    elements: list[Element], name: cst.Name, ctx: FlowContext, why: str, related: list[Position]
) -> Flow:
    """The argv as assigned, then anything (a starred stand-in): enough to see the danger."""
    tokens = (*(_token(el, ctx) for el in elements), Token(None, name.value, starred=True))
    program = elements[0][0] if elements and not elements[0][1] else None
    argv = (tokens, "variable", None, program)
    return Flow(argv, why + "; rewrite it by hand", tuple(related))


def flow_context(
    node: cst.MetadataDependent,
    code_for: Callable[[cst.CSTNode], str],
    module: Callable[[], cst.Module],
) -> FlowContext:
    """A ``FlowContext`` over a metadata-backed visitor (the engine's transformer)."""

    def position(target: cst.CSTNode) -> Position:
        pos = node.get_metadata(PositionProvider, target)
        return (pos.start.line, pos.start.column + 1)

    def scope_node(name: cst.Name) -> Optional[cst.CSTNode]:
        scope = node.get_metadata(ScopeProvider, name, None)
        return module() if isinstance(scope, GlobalScope) else getattr(scope, "node", None)

    def assignments(name: cst.Name) -> int:
        scope = node.get_metadata(ScopeProvider, name, None)
        return len(scope[name.value]) if scope is not None else 0

    tested: list[frozenset[int]] = []

    def zero_tested(call: cst.Call) -> bool:
        if not tested:
            tested.append(zero_tested_calls(module()))
        return id(call) in tested[0]

    return FlowContext(code_for, position, scope_node, assignments, zero_tested)


def _find_path(owner: cst.CSTNode, call: cst.Call) -> list[tuple[_Block, int]]:
    """The statement lists in ``owner`` (not in nested functions) around ``call``, outermost
    first, each with the index of the statement holding it."""
    body: Optional[_Block] = None
    if isinstance(owner, cst.Module):
        body = owner.body
    elif isinstance(owner, cst.FunctionDef) and isinstance(owner.body, cst.IndentedBlock):
        body = owner.body.body
    return _search(body, call) if body is not None else []


def _search(body: _Block, call: cst.Call) -> list[tuple[_Block, int]]:
    for index, stmt in enumerate(body):
        if not _contains(stmt, call):
            continue
        if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            return []
        if not isinstance(stmt, cst.SimpleStatementLine):
            for inner in _blocks(stmt):
                found = _search(inner, call)
                if found:
                    return [(body, index), *found]
        return [(body, index)]  # or in a compound statement's header (an if test)
    return []


def _blocks(stmt: cst.BaseStatement) -> list[_Block]:
    blocks: list[_Block] = []
    for child in stmt.children:
        if isinstance(child, cst.IndentedBlock):
            blocks.append(child.body)
        elif isinstance(child, (cst.BaseStatement, cst.Else, cst.ExceptHandler, cst.Finally)):
            blocks += _blocks(child)  # type: ignore[arg-type]
    return blocks


class _Finder(cst.CSTVisitor):
    def __init__(self, target: Optional[cst.CSTNode], name: Optional[str]) -> None:
        self.target, self.name, self.found = target, name, False

    def on_visit(self, node: cst.CSTNode) -> bool:
        if self.found:
            return False
        if node is self.target or (isinstance(node, cst.Name) and node.value == self.name):
            self.found = True
        return not self.found


def _contains(node: cst.CSTNode, target: cst.CSTNode) -> bool:
    finder = _Finder(target, None)
    node.visit(finder)
    return finder.found


class _Counter(cst.CSTVisitor):
    def __init__(self, name: str) -> None:
        self.name, self.count = name, 0

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == self.name:
            self.count += 1


def _count(node: cst.CSTNode, name: str) -> int:
    counter = _Counter(name)
    node.visit(counter)
    return counter.count


def _mentions(node: cst.CSTNode, name: str) -> bool:
    finder = _Finder(None, name)
    node.visit(finder)
    return finder.found


def _assignment_before(block: _Block, at: int, name: str) -> Optional[int]:
    """The nearest statement before ``at`` assigning an argv display to ``name``."""
    for index in range(at - 1, -1, -1):
        value = _assigned_value(block[index], name)
        if value is None:
            continue
        if isinstance(value, cst.BinaryOperation) and _refers(value, name):
            continue  # `cmd = cmd + [...]`: a change, keep looking
        found = _elements(value, name) is not None or isinstance(value, _STRINGS)
        return index if found else None
    return None


class _ListAssignment(cst.CSTVisitor):
    def __init__(self, name: str) -> None:
        self.name = name
        self.found: Optional[list[Element]] = None

    def visit_Assign(self, node: cst.Assign) -> None:
        target = node.targets[0].target if len(node.targets) == 1 else None
        if self.found is None and isinstance(target, cst.Name) and target.value == self.name:
            self.found = _elements(node.value, self.name)


def _nested_assignment(
    block: _Block, at: int, name: str
) -> Optional[tuple[cst.BaseStatement, list[Element]]]:
    """The nearest statement before ``at`` mentioning ``name``, when it is a compound
    statement assigning an argv display to it somewhere inside."""
    for index in range(at - 1, -1, -1):
        stmt = block[index]
        if not _mentions(stmt, name):
            continue
        if isinstance(stmt, cst.SimpleStatementLine):
            return None
        visitor = _ListAssignment(name)
        stmt.visit(visitor)
        return (stmt, visitor.found) if visitor.found else None
    return None


def _assigned_value(stmt: cst.BaseStatement, name: str) -> Optional[cst.BaseExpression]:
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return None
    small = stmt.body[0]
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        target = small.targets[0].target
        if isinstance(target, cst.Name) and target.value == name:
            return small.value
    if (
        isinstance(small, cst.AnnAssign)
        and isinstance(small.target, cst.Name)
        and small.target.value == name
        and small.value is not None
    ):
        return small.value
    return None


def _refers(value: cst.BaseExpression, name: str) -> bool:
    while isinstance(value, cst.BinaryOperation):
        value = value.left
    return isinstance(value, cst.Name) and value.value == name


Element = tuple[cst.BaseExpression, bool]  # (expression, starred)


def _elements(value: cst.BaseExpression, name: str) -> Optional[list[Element]]:
    """The items of a list/tuple display, also joined with ``+`` (a non-display part is one
    starred item); None when ``value`` is not such an argv."""
    if isinstance(value, (cst.List, cst.Tuple)):
        return [(el.value, isinstance(el, cst.StarredElement)) for el in value.elements]
    if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Add):
        if isinstance(value.left, cst.Name) and value.left.value == name:
            left: Optional[list[Element]] = []
        else:
            left = _elements(value.left, name)
        if left is None:
            return None
        right = _elements(value.right, name)
        return left + (right if right is not None else [(value.right, True)])
    return None


def _change(stmt: cst.BaseStatement, name: str) -> tuple[Optional[list[Element]], bool]:
    """The items ``stmt`` appends to ``name`` (and whether under an ``if``), or None."""
    if isinstance(stmt, cst.If):
        if stmt.orelse is not None or _mentions(stmt.test, name):
            return None, True
        if not isinstance(stmt.body, cst.IndentedBlock):
            return None, True
        items: list[Element] = []
        for inner in stmt.body.body:
            found, nested = _change(inner, name)
            if found is None or nested:
                return None, True
            items += found
        return items, True
    if not isinstance(stmt, cst.SimpleStatementLine):
        return None, False
    items = []
    for small in stmt.body:
        found = _small_change(small, name)
        if found is None:
            return None, False
        items += found
    return items, False


def _small_change(small: cst.BaseSmallStatement, name: str) -> Optional[list[Element]]:
    if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
        call = small.value
        func = call.func
        if (
            isinstance(func, cst.Attribute)
            and isinstance(func.value, cst.Name)
            and func.value.value == name
            and len(call.args) == 1
            and not call.args[0].star
            and call.args[0].keyword is None
            and not _mentions(call.args[0].value, name)
        ):
            arg = call.args[0].value
            if func.attr.value == "append":
                return [(arg, False)]
            if func.attr.value == "extend":
                return _elements(arg, name) or [(arg, True)]
        return None
    if isinstance(small, cst.AugAssign) and isinstance(small.operator, cst.AddAssign):
        target = small.target
        named = isinstance(target, cst.Name) and target.value == name
        if named and not _mentions(small.value, name):
            return _elements(small.value, name) or [(small.value, True)]
        return None
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        target = small.targets[0].target
        value = small.value
        named = isinstance(target, cst.Name) and target.value == name
        if named and isinstance(value, cst.BinaryOperation) and _refers(value, name):
            return None if _mentions(value.right, name) else _elements(value, name)
    return None


def _call_reads_first(stmt: cst.BaseStatement, call: cst.Call, name: str) -> bool:
    """In the statement making the call, nothing else touches ``name`` before the call."""
    if isinstance(stmt, cst.SimpleStatementLine):
        others = [s for s in stmt.body if not _contains(s, call)]
        return not any(_mentions(s, name) for s in others)
    if isinstance(stmt, cst.If):
        return _contains(stmt.test, call)
    if isinstance(stmt, cst.For):
        return _contains(stmt.iter, call)
    if isinstance(stmt, cst.With):
        return any(_contains(item, call) for item in stmt.items)
    return False


def _token(element: Element, ctx: FlowContext) -> Token:
    node, starred = element
    text = ctx.code_for(node)
    if not starred and isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        try:
            value = node.evaluated_value
        except Exception:
            value = None
        if isinstance(value, str):
            return Token(value, text)
    return Token(None, text, starred)


_PURE = (cst.Name, cst.Attribute, cst.SimpleString, cst.ConcatenatedString, cst.Integer)


def _unstable(items: list[Element], between: bool, ctx: FlowContext) -> Optional[str]:
    """Why the argv items cannot move from where they are built to the call, if they can't."""
    for node, _ in items:
        if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
            continue
        text = ctx.code_for(node)
        if not _pure(node):
            return f"`{text}` would be evaluated at the call instead of where the argv is built"
        names = _names(node)
        fixed = all(ctx.assignments(n) <= 1 for n in names)
        if between and not (fixed and _only_names(node)):
            return f"`{text}` may change between the assignment and the call"
    return None


def _names(node: cst.BaseExpression) -> list[cst.Name]:
    if isinstance(node, cst.Name):
        return [node]
    found: list[cst.Name] = []
    if isinstance(node, cst.FormattedString):
        for part in node.parts:
            if isinstance(part, cst.FormattedStringExpression):
                if not isinstance(part.expression, cst.Name):
                    return []
                found.append(part.expression)
    return found


def _only_names(node: cst.BaseExpression) -> bool:
    if isinstance(node, cst.Name):
        return True
    return isinstance(node, cst.FormattedString) and all(
        not isinstance(p, cst.FormattedStringExpression) or isinstance(p.expression, cst.Name)
        for p in node.parts
    )


def _pure(node: cst.BaseExpression) -> bool:
    if isinstance(node, cst.Attribute):
        return _pure(node.value)
    if isinstance(node, cst.FormattedString):
        return all(
            not isinstance(p, cst.FormattedStringExpression) or _pure(p.expression)
            for p in node.parts
        )
    return isinstance(node, _PURE)
