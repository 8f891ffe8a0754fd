"""The rule base class, what a rule sees (a ``DockerCall``) and what it answers (a ``Verdict``).

Nothing here imports libcst: the registry and the byte prefilter stay cheap to import.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Optional, Union

from dockfix.engine._argv import DockerCommand, Token
from dockfix.engine._types import Settings

# The byte strings without which no docker call can be recognised (see DockerCall.program).
DOCKER_TRIGGERS: tuple[bytes, ...] = (b"docker", b"Docker", b"DOCKER")
DOCKER_TRIGGER_TEXTS = tuple(t.decode() for t in DOCKER_TRIGGERS)

# Keywords whose effect is kept as is when a call moves to a safe executor method.
PASS_THROUGH = frozenset(
    {"check", "capture_output", "text", "stdout", "stderr", "env", "cwd", "input", "stdin"}
    | {"encoding", "errors", "universal_newlines"}
)


@dataclass(frozen=True)
class Keyword:
    """A keyword argument of the original call; ``value`` is set for literal constants."""

    name: str
    text: str
    value: Any = None
    literal: bool = False


@dataclass(frozen=True)
class DockerCall:
    """A call that runs a program through ``subprocess``/``os``/``asyncio``, as a rule sees it.

    ``api`` is the qualified name (``subprocess.run``, ``os.system``,
    ``asyncio.create_subprocess_exec``). ``program_kind`` says how dockfix knows it is
    docker: ``"literal"``, ``"constant"`` (a module constant bound once), ``"which"``
    (``shutil.which("docker")``) or ``"dynamic"`` (an attribute, a parameter... whose
    spelling contains one of ``DOCKER_TRIGGERS``: reported, never fixed).
    """

    api: str
    program_kind: str
    command: Optional[DockerCommand]  # None for shell strings that could not be split
    # "list", "tuple", "split", "shlex-split", "exec-args", "variable" (a name bound once to
    # a list), "variable-once" (that name read only by this call), "shell" (a string
    # for a shell) or "shell-plain" (with shell=True but no shell syntax: same as its words);
    # "variable-flow" (a list followed from its assignment through its changes to the call:
    # exact) or "variable-conditional" (changed under an `if`: the argv with every change)
    argv_shape: str
    keywords: Mapping[str, Keyword] = field(default_factory=dict)
    star_kwargs: bool = False
    result_used: bool = True
    shell_text: Optional[str] = None
    # why the words of a command string (shell, split) cannot be written as argv items
    words_problem: Optional[str] = None
    related: tuple[tuple[int, int], ...] = ()  # (line, column) of the statements building argv

    @property
    def short_api(self) -> str:
        return self.api.rsplit(".", 1)[-1]

    def keyword_true(self, name: str) -> bool:
        kw = self.keywords.get(name)
        return kw is not None and kw.literal and kw.value is True


@dataclass(frozen=True)
class Argument:
    """One argument of a call as a ``CallRule`` sees it."""

    keyword: Optional[str]
    text: str  # the value's source text
    star: str = ""  # "", "*" or "**"
    value: Any = None  # the value, for literal constants (True, None, 3, "x")
    literal: bool = False


@dataclass(frozen=True)
class CallSite:
    """Any call whose function or method name is in a ``CallRule``'s ``METHODS``.

    ``qualified_names`` resolves the function through imports (``docker.from_env``,
    ``docker.models.containers.Container.remove`` only when imported that way);
    ``receiver_names`` does the same for the object before ``.attr`` (e.g. ``docker``
    for ``docker.kill(...)`` when ``from python_on_whales import docker``).
    """

    name: str  # the called attribute or function name: "remove" in c.remove(...)
    receiver: Optional[str]  # source text of the object: "c", "self.client.containers"
    receiver_names: frozenset[str]
    qualified_names: frozenset[str]
    arguments: tuple[Argument, ...]
    text: str  # the whole call's source
    result_used: bool
    awaited: bool = False

    def keyword(self, name: str) -> Optional[Argument]:
        return next((a for a in self.arguments if a.keyword == name), None)

    @property
    def positional(self) -> tuple[Argument, ...]:
        return tuple(a for a in self.arguments if a.keyword is None and a.star == "")


@dataclass(frozen=True)
class Reroute:
    """Call the executor's method ``method`` with the original arguments unchanged."""

    method: str


@dataclass(frozen=True)
class CallExecutor:
    """Call ``executor.method(*positional, **kept keywords, **extra)`` then read ``suffix``."""

    method: str
    positional: tuple[Token, ...]
    keep: tuple[str, ...] = ()
    extra: tuple[tuple[str, str], ...] = ()  # keyword -> Python source, before the kept ones
    after: tuple[tuple[str, str], ...] = ()  # keyword -> Python source, after the kept ones
    suffix: Optional[str] = None  # ".returncode", ".stdout"
    needs_pipe: bool = False  # extra mentions subprocess.PIPE


@dataclass(frozen=True)
class RerouteArgv:
    """Call ``executor.method([*argv], <original keywords>)``: a new argv, same keywords."""

    method: str
    argv: tuple[Token, ...]
    drop: tuple[str, ...] = ()  # keywords to leave out (``shell`` once the argv is a list)
    spread: bool = False  # the argv as positional arguments (``create_subprocess_exec``)


@dataclass(frozen=True)
class RunnerCalls:
    """For a configured runner: one statement per argv, in order (the call is a statement)."""

    argvs: tuple[tuple[Token, ...], ...]


@dataclass(frozen=True)
class ReplaceWith:
    """Replace the call by this expression (source text); ``imports``: (module, obj or None)."""

    expression: str
    imports: tuple[tuple[str, Optional[str]], ...] = ()


@dataclass(frozen=True)
class ReplaceStatements:
    """Replace the statement the call makes (its result must be unused) by these statements.

    For an awaited call (``await c.delete(force=True)``) the whole ``await`` statement is
    replaced: write the ``await`` into the new statements.
    """

    statements: tuple[str, ...]
    imports: tuple[tuple[str, Optional[str]], ...] = ()


Fix = Union[Reroute, RerouteArgv, CallExecutor, RunnerCalls, ReplaceWith, ReplaceStatements]


@dataclass(frozen=True)
class Verdict:
    """A rule's answer for one call: the message, and a fix or the reason there is none."""

    message: str
    fix: Optional[Fix] = None
    reason: Optional[str] = None


@dataclass(frozen=True)
class Valid:
    """A case that must stay untouched (``settings``: overrides of ``Settings`` fields)."""

    id: str
    source: str
    settings: Mapping[str, Any] = field(default_factory=dict)

    @property
    def code(self) -> str:
        return textwrap.dedent(self.source).lstrip("\n")


@dataclass(frozen=True)
class Invalid:
    """A case the rule reports; ``expected`` is the fixed module, or None (report only)."""

    id: str
    source: str
    expected: Optional[str] = None
    settings: Mapping[str, Any] = field(default_factory=dict)

    @property
    def code(self) -> str:
        return textwrap.dedent(self.source).lstrip("\n")

    @property
    def fixed(self) -> Optional[str]:
        if self.expected is None:
            return None
        return textwrap.dedent(self.expected).lstrip("\n")


class Rule:
    """Base class of every rule. Subclasses set the class attributes and ``check``.

    ``fixable`` is derived from the cases: a rule is fixable when one of its INVALID
    cases has an ``expected`` output.
    """

    CODE: ClassVar[str] = ""
    NAME: ClassVar[str] = ""
    TRIGGERS: ClassVar[tuple[bytes, ...]] = DOCKER_TRIGGERS
    VALID: ClassVar[tuple[Valid, ...]] = ()
    INVALID: ClassVar[tuple[Invalid, ...]] = ()
    fixable: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.fixable = any(case.expected is not None for case in cls.INVALID)

    @classmethod
    def summary(cls) -> str:
        """The first line of the doc page."""
        return (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else cls.NAME

    def check(self, call: DockerCall, settings: Settings) -> Optional[Verdict]:
        """The verdict for one docker call, or None when this rule does not apply."""
        raise NotImplementedError


def first_verdict(
    rules: Sequence[Rule], call: DockerCall, settings: Settings
) -> Optional[tuple[Rule, Verdict]]:
    """The first rule (in dispatch order) with a verdict for ``call``, and that verdict:
    one call gets at most one finding."""
    for rule in rules:
        verdict = rule.check(call, settings)
        if verdict is not None:
            return rule, verdict
    return None


class CallRule(Rule):
    """A rule over method/function calls (the Docker SDKs), not over docker argv.

    The engine calls ``check_call`` for every call whose called name is in ``METHODS``
    (a cheap filter: ``{"remove", "kill"}``); fixes are ``ReplaceWith`` (an expression)
    or ``ReplaceStatements`` (when the result is unused), given as source text.
    """

    METHODS: ClassVar[frozenset[str]] = frozenset()

    def check(self, call: DockerCall, settings: Settings) -> Optional[Verdict]:
        return None

    def check_call(self, site: CallSite, settings: Settings) -> Optional[Verdict]:
        """The verdict for one call, or None when this rule does not apply."""
        raise NotImplementedError
