"""From a libcst string expression to a ``Built`` command string (see ``_shell``).

Reads string literals, f-strings, ``"... %s" % x`` / ``% (a, b)`` and ``+`` chains.
Anything else (``.format``, other ``%`` formats, escapes inside an f-string) gives the
reason it cannot be read, so the call is reported rather than guessed.
"""

from __future__ import annotations

import re
from typing import Callable, Optional, Union

import libcst as cst

from dockfix.engine._argv import Token
from dockfix.engine._shell import Built, Hole, hole_char, words_of

CodeFor = Callable[[cst.CSTNode], str]


def built_of(node: cst.BaseExpression, code_for: CodeFor) -> Union[Built, str, None]:
    """The command string ``node`` builds; a reason when it cannot be read; None when
    ``node`` is not a string expression at all."""
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        literal = _literal(node)
        if literal is not None:
            return Built(literal, quote=_quote(node))
        if isinstance(node, cst.ConcatenatedString):
            return _concatenated(node, code_for)
        return None
    if isinstance(node, cst.FormattedString):
        return _fstring(node, code_for)
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Modulo):
        return _percent(node, code_for)
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
        return _plus(node, code_for)
    if (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value == "format"
        and _literal(node.func.value) is not None
    ):
        return "the string is built with str.format; rewrite it as an argv list by hand"
    return None


def _literal(node: cst.BaseExpression) -> Optional[str]:
    if not isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        return None
    try:
        value = node.evaluated_value
    except Exception:
        return None
    return value if isinstance(value, str) else None


def _concatenated(node: cst.ConcatenatedString, code_for: CodeFor) -> Union[Built, str, None]:
    left = built_of(node.left, code_for)
    right = built_of(node.right, code_for)
    if not isinstance(left, Built) or not isinstance(right, Built):
        return left if isinstance(left, str) else right if isinstance(right, str) else None
    if left.holes and right.holes:
        return "implicitly joined f-strings; rewrite it as an argv list by hand"
    return _join(left, right)


def _join(left: Built, right: Built) -> Built:
    """``left`` then ``right``; at most one of them has holes."""
    if right.holes:
        return Built(left.text + right.text, right.holes, right.start, right.end, left.quote)
    return Built(left.text + right.text, left.holes, left.start, left.end, left.quote)


def _quote(node: cst.BaseExpression) -> str:
    """The quote character a string literal (or its first part) is written with."""
    while isinstance(node, cst.ConcatenatedString):
        node = node.left
    if isinstance(node, cst.SimpleString):
        return "'" if node.quote.startswith("'") else '"'
    if isinstance(node, cst.FormattedString):
        return "'" if node.start.lstrip("rRfFbBuU").startswith("'") else '"'
    return '"'


def _fstring(node: cst.FormattedString, code_for: CodeFor) -> Union[Built, str]:
    raw = "r" in node.start.lower()
    text: list[str] = []
    holes: list[Hole] = []
    for part in node.parts:
        if isinstance(part, cst.FormattedStringText):
            if "\\" in part.value and not raw:
                return "an escape sequence in the f-string; rewrite it as an argv list by hand"
            text.append(part.value.replace("{{", "{").replace("}}", "}"))
            continue
        assert isinstance(part, cst.FormattedStringExpression)
        if part.equal is not None:
            return "a self-documenting `{x=}` field; rewrite it as an argv list by hand"
        plain = part.conversion in (None, "s") and part.format_spec is None
        text.append(hole_char(len(holes)))
        holes.append(_hole(part.expression, code_for, "f", code_for(part), plain))
    return Built("".join(text), tuple(holes), node.start, node.end, _quote(node))


_PERCENT = re.compile(r"%(?:(%)|(s)|.)", re.DOTALL)


def _percent(node: cst.BinaryOperation, code_for: CodeFor) -> Union[Built, str, None]:
    fmt = _literal(node.left)
    if fmt is None:
        return None
    right = node.right
    values: list[cst.BaseExpression]
    if isinstance(right, cst.Tuple):
        if any(isinstance(el, cst.StarredElement) for el in right.elements):
            return "a starred `%` operand; rewrite it as an argv list by hand"
        values = [el.value for el in right.elements]
    else:
        values = [right]
    text: list[str] = []
    holes: list[Hole] = []
    pos = 0
    for match in _PERCENT.finditer(fmt):
        text.append(fmt[pos : match.start()])
        pos = match.end()
        if match.group(1):
            text.append("%")
        elif match.group(2):
            if len(holes) >= len(values):
                return "the `%` operands do not match the format"
            text.append(hole_char(len(holes)))
            holes.append(_hole(values[len(holes)], code_for, "percent"))
        else:
            return "a `%` format other than `%s`; rewrite it as an argv list by hand"
    text.append(fmt[pos:])
    if len(holes) != len(values):
        return "the `%` operands do not match the format"
    return Built("".join(text), tuple(holes), quote=_quote(node.left))


def _plus(node: cst.BinaryOperation, code_for: CodeFor) -> Union[Built, str, None]:
    operands: list[cst.BaseExpression] = []
    current: cst.BaseExpression = node
    while (
        isinstance(current, cst.BinaryOperation)
        and isinstance(current.operator, cst.Add)
        and not current.lpar
    ):
        operands.insert(0, current.right)
        current = current.left
    operands.insert(0, current)
    text: list[str] = []
    holes: list[Hole] = []
    for operand in operands:
        literal = _literal(operand)
        if literal is not None:
            text.append(literal)
        elif isinstance(operand, (cst.FormattedString, cst.BinaryOperation)):
            return "a string joined with `+` from built parts; rewrite it as an argv list by hand"
        else:
            text.append(hole_char(len(holes)))
            holes.append(_hole(operand, code_for, "plus"))
    if len(holes) == len(operands):
        return None  # no literal part: not known to be a string
    return Built("".join(text), tuple(holes), quote=_quote(operands[0]))


def _hole(
    expr: cst.BaseExpression, code_for: CodeFor, style: str, field: str = "", plain: bool = True
) -> Hole:
    spread: Optional[str] = None
    is_str = isinstance(expr, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString))
    if isinstance(expr, cst.Call):
        func = expr.func
        if isinstance(func, cst.Name) and func.value == "str":
            is_str = True
        quoted = _quoted_arg(expr, code_for)
        if quoted is not None and style != "plus":
            return Hole(quoted, style, field, plain, True, None, True)
        if isinstance(func, cst.Attribute) and func.attr.value == "join":
            is_str = True
            if _literal(func.value) == " " and len(expr.args) == 1 and not expr.args[0].star:
                joined = expr.args[0].value
                spread = code_for(joined)
                if isinstance(joined, cst.GeneratorExp) and not joined.lpar:
                    spread = f"({spread})"
    return Hole(code_for(expr), style, field, plain, is_str, spread)


def refine_words(
    node: cst.BaseExpression,
    shape: str,
    code_for: CodeFor,
    tokens: tuple[Token, ...],
) -> tuple[tuple[Token, ...], Optional[str]]:
    """The argv of a command string (``shape``: "shell", "split" or "shlex-split"), with
    run-time parts written as argv items; ``tokens`` (a first reading) and the reason when
    they cannot be written out."""
    built = built_of(string_of(node, shape), code_for)
    if built is None:
        return tokens, None
    if isinstance(built, str):
        return tokens, built
    mode = {"shell": "shell", "split": "split"}.get(shape, "shlex")
    words = words_of(built, mode)
    if isinstance(words, str):
        return tokens, words
    return (words or tokens), None


def is_string_sum(node: cst.BaseExpression) -> bool:
    """A ``+`` chain whose first operand is a string (not an argv list joined with ``+``)."""
    while isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
        node = node.left
    return isinstance(node, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString))


def _quoted_arg(call: cst.Call, code_for: CodeFor) -> Optional[str]:
    """``x`` in ``shlex.quote(x)``: the shell (or shlex.split) removes the quotes again."""
    func = call.func
    name = code_for(func)
    if name not in ("shlex.quote", "pipes.quote") or len(call.args) != 1:
        return None
    arg = call.args[0]
    return code_for(arg.value) if not arg.star and arg.keyword is None else None


_SHELLS = frozenset({"sh", "bash", "dash", "zsh", "ash"})


def sh_c_payload(
    value: cst.BaseExpression, tokens: tuple[Token, ...]
) -> Optional[cst.BaseExpression]:
    """The command string of ``["sh", "-c", "..."]`` (a shell string in an argv list)."""
    if not isinstance(value, (cst.List, cst.Tuple)) or len(value.elements) != 3 or len(tokens) != 3:
        return None
    program, flag = tokens[0], tokens[1]
    if not program.literal or program.value is None or flag.value != "-c" or not flag.literal:
        return None
    if program.value.rsplit("/", 1)[-1] not in _SHELLS:
        return None
    last = value.elements[2]
    return None if isinstance(last, cst.StarredElement) else last.value


def tokens_text(tokens: tuple[Token, ...]) -> str:
    return " ".join(t.value if t.value is not None else t.text for t in tokens)


def string_of(node: cst.BaseExpression, shape: str) -> cst.BaseExpression:
    """The command string of a shell string or of a ``.split()``/``shlex.split()`` call."""
    if shape != "shell" and isinstance(node, cst.Call):
        if isinstance(node.func, cst.Attribute) and not node.args:
            return node.func.value
        if node.args:
            return node.args[0].value
    return node


def leading_name(node: cst.BaseExpression) -> Optional[cst.Name]:
    """``DOCKER`` in ``f"{DOCKER} rm -f {c}"`` or ``"%s rm" % (DOCKER, ...)``: a name that is
    the whole first word (the program)."""
    if isinstance(node, cst.FormattedString) and node.parts:
        first, rest = node.parts[0], node.parts[1:]
        if (
            isinstance(first, cst.FormattedStringExpression)
            and isinstance(first.expression, cst.Name)
            and first.conversion is None
            and first.format_spec is None
            and (
                not rest
                or (
                    isinstance(rest[0], cst.FormattedStringText)
                    and rest[0].value[:1] in (" ", "\t")
                )
            )
        ):
            return first.expression
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Modulo):
        fmt = _literal(node.left)
        right = node.right
        value = (
            right.elements[0].value if isinstance(right, cst.Tuple) and right.elements else right
        )
        if (
            fmt is not None
            and (fmt == "%s" or fmt.startswith("%s "))
            and isinstance(value, cst.Name)
        ):
            return value
    return None
