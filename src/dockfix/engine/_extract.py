"""From a libcst ``Call`` to the ``DockerCall`` a rule reads (or None: not docker)."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from typing import Callable, Optional

import libcst as cst

from dockfix.engine._apis import ARGV_APIS, EXEC_APIS, is_docker_path
from dockfix.engine._argv import Token, read_command
from dockfix.engine._dataflow import Flow, FlowContext, follow
from dockfix.engine._shell import command_words
from dockfix.engine._strparts import (
    is_string_sum,
    leading_name,
    refine_words,
    sh_c_payload,
    string_of,
    tokens_text,
)
from dockfix.rules._base import DOCKER_TRIGGER_TEXTS, Argument, CallSite, DockerCall, Keyword
from dockfix.rules._common import dangerous_code

_PLACEHOLDER = "\x00"

# tokens, shape, the shell text, the node naming the program
Argv = tuple[tuple[Token, ...], str, Optional[str], Optional[cst.BaseExpression]]


@dataclass
class Resolver:
    """What extraction needs from the engine: source text, bindings, qualified names."""

    code_for: Callable[[cst.CSTNode], str]
    binding: Callable[[cst.Name], Optional[cst.BaseExpression]]  # the single bound value
    qualified: Callable[[cst.CSTNode], frozenset[str]]
    uses: Callable[[cst.Name], int]  # how many times the name is read in its scope
    flow: Optional[FlowContext] = None  # following an argv variable (see _dataflow)


def extract(
    node: cst.Call, api: str, resolver: Resolver, result_used: bool
) -> Optional[DockerCall]:
    """The docker call made by ``node`` (already known to call ``api``), or None."""
    keywords: dict[str, Keyword] = {}
    star_kwargs = False
    positional: list[tuple[int, cst.Arg]] = []
    argv_arg: Optional[tuple[int, cst.Arg]] = None
    words_problem: Optional[str] = None
    related: tuple[tuple[int, int], ...] = ()
    for index, arg in enumerate(node.args):
        if arg.star == "**":
            star_kwargs = True
        elif arg.keyword is not None:
            if arg.keyword.value == "args" and api in ARGV_APIS:
                argv_arg = (index, arg)
            else:
                keywords[arg.keyword.value] = _keyword(arg, resolver)
        else:
            positional.append((index, arg))
    if api in EXEC_APIS:
        tokens = tuple(
            _token(arg.value, resolver, ("path", i), arg.star == "*") for i, arg in positional
        )
        shape, shell_text = "exec-args", None
        program_node = positional[0][1].value if positional else None
        flow = _exec_flow(node, positional, resolver)  # shapes: `*cmd` from a variable
        if flow is not None and flow.argv is not None:
            tokens, shape, _, program_node = flow.argv
            words_problem, related = flow.reason, flow.related
    else:
        if argv_arg is None and positional:
            argv_arg = positional[0]
        if argv_arg is None:
            return None
        index, arg = argv_arg
        value = arg.value
        found = _argv(arg.value, index, api, resolver)
        if isinstance(arg.value, cst.Name) and resolver.flow is not None:  # shapes: data flow
            flow = follow(arg.value, node, resolver.flow)
            if flow is not None:
                found, words_problem, related = flow.argv or found, flow.reason, flow.related
            if flow is not None and flow.string is not None:  # a command string in a name
                value, found = flow.string, _argv(flow.string, index, api, resolver)
        if found is None:
            return None
        tokens, shape, shell_text, program_node = found
        if shape in ("shell", "split", "shlex-split", "list", "tuple"):  # shapes: strings
            kept = words_problem  # a data-flow reason comes first
            (tokens, shape, shell_text, program_node), problem = _command_string(
                value, (tokens, shape, shell_text, program_node), words_problem, resolver
            )
            words_problem = kept or problem
    if not tokens or tokens[0].starred:
        return None
    used = result_used
    if used and api == "os.system" and resolver.flow is not None:  # shapes: `os.system(..) == 0`
        used = not resolver.flow.zero_tested(node)
    plain = words_problem is None and _plain_shell(shell_text, api, keywords, used)
    if shape == "shell" and plain:
        shape = "shell-plain"
    kind = _program_kind(tokens[0], program_node, resolver)
    if kind is None:
        return None
    return DockerCall(
        api=api,
        program_kind=kind,
        command=read_command(tokens),
        argv_shape=shape,
        keywords=keywords,
        star_kwargs=star_kwargs,
        result_used=result_used,
        shell_text=shell_text,
        words_problem=words_problem,
        related=related,
    )


def _plain_shell(
    text: Optional[str], api: str, keywords: dict[str, Keyword], result_used: bool
) -> bool:
    """A shell string with no shell syntax: the same as its words as an argv. For
    ``subprocess`` with ``shell=True``; for ``os.system`` only as a statement (its result,
    a wait status, has no executor equivalent)."""
    if text is None or "executable" in keywords:  # shell syntax: see _strparts.refine_words
        return False
    if api == "os.system":
        return not result_used and not keywords
    if api == "asyncio.create_subprocess_shell":
        return True
    shell = keywords.get("shell")
    return api in ARGV_APIS and shell is not None and shell.value is True


def _keyword(arg: cst.Arg, resolver: Resolver) -> Keyword:
    assert arg.keyword is not None
    value = arg.value
    text = resolver.code_for(value)
    if isinstance(value, cst.Name) and value.value in ("True", "False", "None"):
        literal = {"True": True, "False": False, "None": None}[value.value]
        return Keyword(arg.keyword.value, text, literal, True)
    if isinstance(value, cst.Integer):
        return Keyword(arg.keyword.value, text, int(value.value, 0), True)
    return Keyword(arg.keyword.value, text)


def _argv(
    value: cst.BaseExpression,
    index: int,
    api: str,
    resolver: Resolver,
    steps: tuple[object, ...] = (),
) -> Optional[Argv]:
    """The argv of a call: a list/tuple (also joined with ``+``), a string, a split, a name."""
    if isinstance(value, (cst.List, cst.Tuple)):
        tokens = tuple(
            _token(
                el.value, resolver, ("path", index, *steps, j), isinstance(el, cst.StarredElement)
            )
            for j, el in enumerate(value.elements)
        )
        shape = "list" if isinstance(value, cst.List) else "tuple"
        return tokens, shape, None, _first_element(value)
    joined = isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Add)
    if joined and not steps and is_string_sum(value):
        joined = False  # shapes: a string joined with `+` (read below)
    if isinstance(value, cst.BinaryOperation) and joined:
        left = _argv(value.left, index, api, resolver, (*steps, "left"))
        if left is None or left[1] not in ("list", "tuple"):
            return None
        right = _argv(value.right, index, api, resolver, (*steps, "right"))
        if right is not None and right[1] in ("list", "tuple"):
            return left[0] + right[0], left[1], None, left[3]
        rest = Token(None, resolver.code_for(value.right), True, ("path", index, *steps, "right"))
        return (*left[0], rest), left[1], None, left[3]
    if steps:
        return None
    text = _string_text(value)
    if text is not None:
        words = _split(text, shell=True)
        return (words, "shell", text, None) if words else None
    if isinstance(value, cst.Call):
        split = _split_call(value, resolver)
        if split is not None:
            shape = "split" if not value.args else "shlex-split"
            return split, shape, None, None
    if isinstance(value, cst.Name):
        bound = resolver.binding(value)
        if isinstance(bound, (cst.List, cst.Tuple, cst.BinaryOperation)):
            found = _argv(bound, index, api, resolver)
            if found is not None:
                plain = tuple(Token(t.value, t.text, t.starred) for t in found[0])
                # read only here: the argv is exactly the literal (a route keeps the name)
                shape = "variable-once" if resolver.uses(value) == 1 else "variable"
                return plain, shape, None, found[3]
    return None


def _first_element(value: cst.List | cst.Tuple) -> Optional[cst.BaseExpression]:
    if not value.elements or isinstance(value.elements[0], cst.StarredElement):
        return None
    return value.elements[0].value


def _split_call(call: cst.Call, resolver: Resolver) -> Optional[tuple[Token, ...]]:
    """``"docker rm -f x".split()`` and ``shlex.split("docker rm -f x")``."""
    func = call.func
    if isinstance(func, cst.Attribute) and func.attr.value == "split" and not call.args:
        text = _string_text(func.value)
        return _split(text, shell=False) if text is not None else None
    if "shlex.split" in resolver.qualified(func) and len(call.args) == 1:
        text = _string_text(call.args[0].value)
        return _split(text, shell=True) if text is not None else None
    return None


def _string_text(node: cst.BaseExpression, allow_f: bool = True) -> Optional[str]:
    """The text of a string literal; with ``allow_f``, also of f-strings, ``%``, ``+`` and
    ``.format`` built from a literal, the run-time parts replaced by placeholders."""
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        try:
            value = node.evaluated_value
        except Exception:
            value = None
        if isinstance(value, str):
            return value
        if not allow_f or not isinstance(node, cst.ConcatenatedString):
            return None
        left, right = _string_text(node.left), _string_text(node.right)
        return left + right if left is not None and right is not None else None
    if not allow_f:
        return None
    if isinstance(node, cst.FormattedString):
        return "".join(
            p.value if isinstance(p, cst.FormattedStringText) else _PLACEHOLDER for p in node.parts
        )
    if isinstance(node, cst.BinaryOperation):
        left = _string_text(node.left)
        if isinstance(node.operator, cst.Modulo) and left is not None:
            return re.sub(r"%[-#0 +]*\d*(?:\.\d+)?[sdrifx]", _PLACEHOLDER, left)
        if isinstance(node.operator, cst.Add):
            right = _string_text(node.right)
            if left is not None or right is not None:
                return (left or _PLACEHOLDER) + (right or _PLACEHOLDER)
    if (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value == "format"
    ):
        base = _string_text(node.func.value, allow_f=False)
        if base is not None:
            return re.sub(r"\{[^{}]*\}", _PLACEHOLDER, base)
    return None


def _split(text: str, *, shell: bool) -> tuple[Token, ...]:
    try:
        words = shlex.split(text) if shell else text.split()
    except ValueError:
        words = text.split()
    return tuple(
        Token(None, w.replace(_PLACEHOLDER, "{...}")) if _PLACEHOLDER in w else Token(w, repr(w))
        for w in words
    )


def _token(node: cst.BaseExpression, resolver: Resolver, ref: object, starred: bool) -> Token:
    text = resolver.code_for(node)
    if not starred:
        value = _string_text(node, allow_f=False)
        if value is None and isinstance(node, cst.Name):
            # a name bound once to a string: FORCE = "-f" is read as "-f"
            bound = resolver.binding(node)
            value = _string_text(bound, allow_f=False) if bound is not None else None
        if value is not None:
            return Token(value, text, False, ref)
    return Token(None, text, starred, ref)


def _program_kind(
    token: Token, node: Optional[cst.BaseExpression], resolver: Resolver
) -> Optional[str]:
    """How dockfix knows the program is docker, or None when it is not (or cannot be)."""
    if token.literal:
        assert token.value is not None
        return "literal" if is_docker_path(token.value) else None
    if isinstance(node, cst.Call) and _which_call(node, resolver):
        return "which"
    if isinstance(node, cst.Name):
        bound = resolver.binding(node)
        if bound is not None:
            text = _string_text(bound, allow_f=False)
            if text is not None:
                return "constant" if is_docker_path(text) else None
            if isinstance(bound, cst.Call) and _which_call(bound, resolver):
                return "constant"
    if any(t in token.text for t in DOCKER_TRIGGER_TEXTS):
        return "dynamic"
    return None


def _which_call(node: cst.Call, resolver: Resolver) -> bool:
    if len(node.args) != 1 or "shutil.which" not in resolver.qualified(node.func):
        return False
    text = _string_text(node.args[0].value, allow_f=False)
    return text is not None and is_docker_path(text)


def call_site(
    node: cst.Call, name: str, resolver: Resolver, result_used: bool, awaited: bool
) -> CallSite:
    """Any call, as a ``CallRule`` sees it."""
    receiver: Optional[str] = None
    receiver_names: frozenset[str] = frozenset()
    if isinstance(node.func, cst.Attribute):
        receiver = resolver.code_for(node.func.value)
        receiver_names = resolver.qualified(node.func.value)
    arguments = []
    for arg in node.args:
        keyword = arg.keyword.value if arg.keyword is not None else None
        literal, value = _literal(arg.value)
        text = resolver.code_for(arg.value)
        arguments.append(Argument(keyword, text, arg.star, value, literal))
    return CallSite(
        name=name,
        receiver=receiver,
        receiver_names=receiver_names,
        qualified_names=resolver.qualified(node.func),
        arguments=tuple(arguments),
        text=resolver.code_for(node),
        result_used=result_used,
        awaited=awaited,
    )


def _literal(node: cst.BaseExpression) -> tuple[bool, object]:
    if isinstance(node, cst.Name) and node.value in ("True", "False", "None"):
        return True, {"True": True, "False": False, "None": None}[node.value]
    if isinstance(node, cst.Integer):
        return True, int(node.value, 0)
    text = _string_text(node, allow_f=False)
    if text is not None:
        return True, text
    return False, None


# -- shapes: command strings, `sh -c`, argv variables (see _strparts, _shell, _dataflow) --


def _command_string(
    value: cst.BaseExpression, argv: Argv, problem: Optional[str], resolver: Resolver
) -> tuple[Argv, Optional[str]]:
    """The argv of a command string with its run-time parts as argv items, and why it
    cannot be written out; also ``["sh", "-c", "..."]`` and the riskiest command of a
    shell string with syntax (``cd x && docker rm -f c``)."""
    tokens, shape, text, program_node = argv
    if shape in ("shell", "split", "shlex-split"):
        tokens, problem = refine_words(value, shape, resolver.code_for, tokens)
        lead = leading_name(string_of(value, shape))
        if lead is not None and tokens and not tokens[0].literal:
            tokens, program_node = (Token(None, lead.value), *tokens[1:]), lead
    payload = sh_c_payload(value, tokens)
    inner = _string_text(payload) if payload is not None else None
    if payload is not None and inner is not None and _split(inner, shell=True):
        runner = tokens_text(tokens[:2])
        shape, text = "shell", inner
        tokens, problem = refine_words(payload, shape, resolver.code_for, _split(inner, shell=True))
        problem = f"it runs through `{runner}`" + (f"; {problem}" if problem else "")
    if shape == "shell" and problem is not None and text is not None:
        tokens = _riskiest(text) or tokens
    return (tokens, shape, text, program_node), problem


def _riskiest(text: str) -> Optional[tuple[Token, ...]]:
    """The docker command of a shell string with syntax that a rule would claim first (a
    removal or kill), else its first docker command; None when it runs no docker."""
    first: Optional[tuple[Token, ...]] = None
    for words in command_words(text):
        if not is_docker_path(words[0]):
            continue
        tokens = tuple(
            Token(None, w.replace(_PLACEHOLDER, "{...}"))
            if _PLACEHOLDER in w
            else Token(w, repr(w))
            for w in words
        )
        if dangerous_code(read_command(tokens)) is not None:
            return tokens
        first = first or tokens
    return first


def _exec_flow(
    node: cst.Call, positional: list[tuple[int, cst.Arg]], resolver: Resolver
) -> Optional[Flow]:
    """``create_subprocess_exec(*cmd)``: the argv ``cmd`` holds (see ``_dataflow``)."""
    if len(positional) != 1 or resolver.flow is None:
        return None
    arg = positional[0][1]
    if arg.star != "*" or not isinstance(arg.value, cst.Name):
        return None
    return follow(arg.value, node, resolver.flow)
