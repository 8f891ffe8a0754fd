"""Reading a docker argv: global options, then the subcommand, then its flags.

Pure Python, no libcst: the rules and the prefilter can import it cheaply. A token is
either a literal string (``value`` set) or something only known at run time (a name,
an attribute, an f-string, a starred expression); ``ref`` is an opaque handle the
engine uses to find the token's node again when it rewrites the call.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Optional, Union

# Docker global options (before the subcommand) that take a value.
GLOBAL_WITH_VALUE = frozenset(
    {"-H", "--host", "-c", "--context", "--config", "-l", "--log-level"}
    | {"--tlscacert", "--tlscert", "--tlskey"}
)
GLOBAL_BOOLEAN = frozenset({"-D", "--debug", "--tls", "--tlsverify"})

# Management commands whose verb names the operation: ("container", "rm") -> ("rm",).
_ALIASES: Mapping[tuple[str, str], tuple[str, ...]] = {
    ("container", "rm"): ("rm",),
    ("container", "remove"): ("rm",),
    ("container", "kill"): ("kill",),
    ("container", "stop"): ("stop",),
    ("container", "restart"): ("restart",),
    ("image", "rm"): ("rmi",),
    ("image", "remove"): ("rmi",),
    ("volume", "rm"): ("volume", "rm"),
    ("volume", "remove"): ("volume", "rm"),
    ("network", "rm"): ("network", "rm"),
    ("network", "remove"): ("network", "rm"),
}
MANAGEMENT = frozenset(
    {"container", "image", "volume", "network", "system", "builder", "buildx", "compose"}
    | {"context", "plugin", "node", "service", "stack", "secret", "config", "swarm"}
    | {"trust", "manifest", "checkpoint"}
)

_TRUE = frozenset({"1", "t", "T", "true", "TRUE", "True"})
_FALSE = frozenset({"0", "f", "F", "false", "FALSE", "False"})


@dataclass(frozen=True)
class Token:
    """One argv element: a literal string, or an expression known only at run time."""

    value: Optional[str]
    text: str
    starred: bool = False
    ref: object = None

    @property
    def literal(self) -> bool:
        return self.value is not None and not self.starred


def lit(value: str) -> Token:
    """A literal token (used by tests and by rules that build new argv)."""
    return Token(value=value, text=repr(value))


@dataclass(frozen=True)
class DockerCommand:
    """A docker argv read in order: program, global options, subcommand, rest."""

    program: Token
    global_args: tuple[Token, ...]
    subcommand: tuple[str, ...]  # normalised: ("rm",), ("volume", "rm"), ("ps",) ...
    command_tokens: tuple[Token, ...]  # the tokens that spelled the subcommand
    args: tuple[Token, ...]  # everything after the subcommand
    problem: Optional[str] = None  # why the subcommand could not be read


def read_command(tokens: tuple[Token, ...]) -> DockerCommand:
    """Split ``tokens`` (program first) into global options, subcommand and arguments."""
    program, rest = tokens[0], list(tokens[1:])
    global_args: list[Token] = []
    i = 0
    while i < len(rest):
        tok = rest[i]
        if tok.starred:
            why = f"`{tok.text}` may hold options or the subcommand"
            return _unread(program, global_args, rest[i:], why)
        if not tok.literal:
            return _unread(
                program, global_args, rest[i:], f"the subcommand comes from `{tok.text}`"
            )
        value = tok.value or ""
        if not value.startswith("-"):
            break
        name = value.split("=", 1)[0]
        if name in GLOBAL_WITH_VALUE and "=" not in value:
            if i + 1 >= len(rest):
                return _unread(program, global_args, rest[i:], f"{value} without a value")
            global_args += rest[i : i + 2]
            i += 2
        elif name in GLOBAL_WITH_VALUE or name in GLOBAL_BOOLEAN:
            global_args.append(tok)
            i += 1
        else:
            return _unread(program, global_args, rest[i:], f"unknown global option {value}")
    if i >= len(rest):
        return _unread(program, global_args, [], "no subcommand")
    first = rest[i]
    assert first.value is not None
    if first.value in MANAGEMENT and i + 1 < len(rest):
        verb = rest[i + 1]
        if not verb.literal:
            return _unread(program, global_args, rest[i:], f"the verb comes from `{verb.text}`")
        assert verb.value is not None
        sub = _ALIASES.get((first.value, verb.value), (first.value, verb.value))
        return DockerCommand(program, tuple(global_args), sub, (first, verb), tuple(rest[i + 2 :]))
    return DockerCommand(
        program, tuple(global_args), (first.value,), (first,), tuple(rest[i + 1 :])
    )


def _unread(program: Token, glob: list[Token], rest: list[Token], why: str) -> DockerCommand:
    return DockerCommand(program, tuple(glob), (), (), tuple(rest), problem=why)


FlagValue = Union[bool, str, Token]


@dataclass(frozen=True)
class Flags:
    """A subcommand's flags (canonical long name -> value) and its positional operands."""

    values: Mapping[str, FlagValue] = field(default_factory=dict)
    operands: tuple[Token, ...] = ()
    seen: tuple[Token, ...] = ()  # the tokens that were flags or flag values
    problem: Optional[str] = None

    def on(self, name: str) -> bool:
        return self.values.get(name) is True


def read_flags(
    args: tuple[Token, ...],
    booleans: Mapping[str, str],
    with_value: Mapping[str, str] = {},
) -> Flags:
    """Read cobra-style flags anywhere before ``--``.

    ``booleans``/``with_value`` map every spelling (``-f``, ``--force``) to a canonical
    name. Handles ``--force=false``, clusters (``-fv``), ``-sKILL`` and ``-s KILL``.
    """
    values: dict[str, FlagValue] = {}
    operands: list[Token] = []
    seen: list[Token] = []
    i = 0
    while i < len(args):
        tok = args[i]
        value = tok.value if tok.literal else None
        if value is None or not value.startswith("-") or value == "-":
            operands.append(tok)
            i += 1
            continue
        if value == "--":
            operands += args[i + 1 :]
            seen.append(tok)
            break
        seen.append(tok)
        if value.startswith("--"):
            name, eq, given = value.partition("=")
            if name in booleans:
                if eq and given not in _TRUE | _FALSE:
                    return Flags(values, tuple(operands), tuple(seen), f"bad value in {value}")
                values[booleans[name]] = not eq or given in _TRUE
            elif name in with_value:
                if eq:
                    values[with_value[name]] = given
                elif i + 1 < len(args):
                    values[with_value[name]] = _value_of(args[i + 1])
                    seen.append(args[i + 1])
                    i += 1
                else:
                    return Flags(values, tuple(operands), tuple(seen), f"{name} without value")
            else:
                return Flags(values, tuple(operands), tuple(seen), f"unknown flag {value}")
            i += 1
            continue
        # A short flag or a cluster of them: -f, -fv, -sKILL, -s KILL.
        for pos in range(1, len(value)):
            short = "-" + value[pos]
            if short in booleans:
                values[booleans[short]] = True
                continue
            if short in with_value:
                tail = value[pos + 1 :].lstrip("=")
                if tail:
                    values[with_value[short]] = tail
                elif i + 1 < len(args):
                    values[with_value[short]] = _value_of(args[i + 1])
                    seen.append(args[i + 1])
                    i += 1
                else:
                    return Flags(values, tuple(operands), tuple(seen), f"{short} without value")
                break
            return Flags(values, tuple(operands), tuple(seen), f"unknown flag {value}")
        i += 1
    return Flags(values, tuple(operands), tuple(seen))


def _value_of(tok: Token) -> FlagValue:
    return tok.value if tok.literal and tok.value is not None else tok
