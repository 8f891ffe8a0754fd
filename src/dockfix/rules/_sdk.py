"""The second rule kind: Docker SDK calls (docker-py, python-on-whales, aiodocker).

A subprocess rule reads a ``DockerCall`` (an argv); an SDK rule reads an ``SdkCall``: a
method called on a receiver the engine traced back to a Docker client. It answers with an
``SdkVerdict`` whose fix is a list of ``SdkStep`` calls on the same receiver (``stop`` then
``remove``), which the engine writes as statements, routed through the executor's
limiter where the call is a statement. Nothing here imports libcst.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Optional

from dockfix.engine._types import Settings
from dockfix.rules._base import CallRule, CallSite, Verdict

DOCKER_PY = "docker-py"
WHALES = "python-on-whales"
AIODOCKER = "aiodocker"

# What the receiver is (``SdkCall.receiver``).
CONTAINER = "container"  # docker-py Container, whales Container, aiodocker DockerContainer
VOLUME = "volume"  # docker-py Volume
API = "api"  # docker-py APIClient (``client.api``)
WHALES_CLI = "whales-cli"  # python_on_whales ``docker`` / ``docker.container`` / ``docker.volume``

# Where the call sits (``SdkCall.context``).
# the whole value of a statement: ``c.remove(force=True)``, ``await c.delete(...)``,
# ``return c.remove(...)``, ``x = c.kill()``: steps can go before it, the last keeps the value
STATEMENT = "statement"
EXPRESSION = "expression"  # inside a larger expression, or on a line with other statements
LAMBDA = "lambda"  # inside a lambda body
REFERENCE = "reference"  # passed as a callable: ``run_in_executor(None, c.kill)``, ``partial``
REFERENCE_CALLS = frozenset({"partial", "run_in_executor"})

# Every receiver is traced back to an import of `docker`, `aiodocker` or `python_on_whales`
# (constructors, annotations, whales' `docker`): a file without these bytes has no SDK finding.
# Narrower than the method names (`remove` is everywhere), so the CLI prefilter stays useful.
SDK_TRIGGERS: tuple[bytes, ...] = (b"docker", b"python_on_whales")

KILL_SIGNALS = frozenset({"KILL", "SIGKILL", "9", "Signals.SIGKILL", "signal.SIGKILL"})


@dataclass(frozen=True)
class SdkArg:
    """An argument of the SDK call; ``value`` is set for literal constants (``literal``)."""

    text: str
    value: Any = None
    literal: bool = False


@dataclass(frozen=True)
class SdkCall:
    """One SDK method call as a rule sees it.

    ``receiver`` is what the call is made on (``CONTAINER``, ``VOLUME``, ``API``,
    ``WHALES_CLI``), ``path`` the attribute path after the receiver (``("remove",)``,
    ``("container", "remove")`` for whales' ``docker.container.remove``).
    ``repeatable`` is False when the receiver or a positional argument is computed by
    a call that must not run twice (a split into two statements would repeat it).
    """

    library: str
    receiver: str
    path: tuple[str, ...]
    positional: tuple[SdkArg, ...] = ()
    keywords: Mapping[str, SdkArg] = field(default_factory=dict)
    star_args: bool = False
    star_kwargs: bool = False
    context: str = STATEMENT
    awaited: bool = False
    repeatable: bool = True
    receiver_text: str = ""
    auto_removed: bool = False  # started with `remove=True`: the daemon removes it on exit

    @property
    def method(self) -> str:
        return self.path[-1]

    def keyword_true(self, name: str) -> bool:
        arg = self.keywords.get(name)
        return arg is not None and arg.literal and arg.value is True

    def keyword_false(self, name: str) -> bool:
        arg = self.keywords.get(name)
        return arg is None or (arg.literal and arg.value in (False, None, 0))

    def signal(self, index: int = 0, name: str = "signal") -> Optional[SdkArg]:
        """The signal argument, positional at ``index`` or by keyword."""
        if name in self.keywords:
            return self.keywords[name]
        return self.positional[index] if len(self.positional) > index else None


@dataclass(frozen=True)
class SdkStep:
    """``receiver.<path>(*positional[i] for i in positional, **extra, **kept keywords)``."""

    path: tuple[str, ...]
    positional: tuple[int, ...] = ()
    keep: tuple[str, ...] = ()
    extra: tuple[tuple[str, str], ...] = ()  # keyword -> Python source, before the kept ones


@dataclass(frozen=True)
class SdkSteps:
    """The calls replacing the original one, in order (two steps need a statement)."""

    steps: tuple[SdkStep, ...]


@dataclass(frozen=True)
class SdkVerdict:
    """A rule's answer for one SDK call: the message, and a fix or the reason there is none."""

    message: str
    fix: Optional[SdkSteps] = None
    reason: Optional[str] = None


class SdkRule(CallRule):
    """Base class of the Docker SDK rules: they read ``SdkCall``s, never ``DockerCall``s.

    A ``CallRule`` for the engine's dispatch and ``ast`` prescan (``METHODS``: the called
    names, including ``partial``/``run_in_executor`` for methods passed as callables), but
    the engine's ``SdkMatcher`` answers for it: ``check_call`` on a bare ``CallSite``
    (no receiver tracing) finds nothing.
    """

    KIND: ClassVar[str] = "sdk"
    TRIGGERS: ClassVar[tuple[bytes, ...]] = SDK_TRIGGERS

    def check_call(self, site: CallSite, settings: Settings) -> Optional[Verdict]:
        return None

    def check_sdk(self, call: SdkCall, settings: Settings) -> Optional[SdkVerdict]:
        """The verdict for one SDK call, or None when this rule does not apply."""
        raise NotImplementedError


def stop_step(call: SdkCall, settings: Settings, positional: tuple[int, ...] = ()) -> SdkStep:
    """The graceful stop, in the library's own spelling, on the same receiver."""
    timeout = str(settings.stop_timeout)
    if call.library == WHALES:
        path = (*call.path[:-1], "stop")
        return SdkStep(path, positional, extra=(("time", timeout),))
    if call.library == AIODOCKER:
        return SdkStep(("stop",), extra=(("t", timeout),))
    if call.receiver == API:
        return SdkStep(("stop",), positional, extra=(("timeout", timeout),))
    return SdkStep(("stop",), extra=(("timeout", timeout),))


def why_not_fixable(call: SdkCall, *, steps: int) -> Optional[str]:
    """Reasons that apply to every SDK rewrite."""
    if call.context == REFERENCE and steps > 1:
        return (
            f"`{call.method}` is passed as a callable (`functools.partial`, "
            "`run_in_executor`), and a stop then a removal is not one callable; "
            "pass a function that does both"
        )
    if call.star_args:
        return "`*args` may carry arguments dockfix cannot see"
    if call.star_kwargs:
        return "`**kwargs` may carry `force=True` or a signal dockfix cannot see"
    if steps > 1:
        if call.context == LAMBDA:
            return (
                "inside a lambda the stop and the removal cannot become two statements; "
                "use a named function"
            )
        if call.context != STATEMENT:
            return (
                "the call is inside a larger expression (or shares its line), so the stop "
                "and the removal cannot become two statements"
            )
        if not call.repeatable:
            return (
                "the receiver or an argument is computed by a call that would run twice "
                "once split into a stop and a removal; bind it to a name first"
            )
    return None
