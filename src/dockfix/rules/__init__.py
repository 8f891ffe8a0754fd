"""The rule registry. One module per rule; ``ALL_RULES`` lists them in dispatch order.

How to add a rule
-----------------
1. Create ``dfNNN_short_name.py`` with one class deriving from ``dockfix.rules.Rule``:
   set ``CODE`` (stable, e.g. ``"DF101"``), ``NAME`` (the bad pattern, kebab-case),
   ``TRIGGERS`` (byte strings at least one of which every matching file contains: the
   CLI skips files without them, and a test proves no trigger means no finding), and the
   doc page as the class docstring with the headings ``What it does``, ``Why is this bad?``,
   ``Example``, ``Use instead``, ``Fix safety``.
2. Put the cases on the class: ``VALID = (Valid(id, source), ...)`` must stay untouched;
   ``INVALID = (Invalid(id, source, expected), ...)`` must be reported, and rewritten to
   ``expected`` (or, with ``expected=None``, reported and left alone). ``fixable`` is
   derived from them. ``tests/rules/test_cases.py`` turns every case into a test, run
   with only this rule selected (``settings={"runner": ...}`` on a case overrides
   ``Settings`` fields); expected outputs must parse and be stable under a second run.
3. Implement ``check(call, settings) -> Verdict | None``. ``call`` is a ``DockerCall``:
   the API (``subprocess.run``...), how the program is known to be docker, the argv read
   as a ``DockerCommand`` (global options, subcommand, args; see
   ``dockfix.engine._argv.read_flags``), the keywords, whether the result is used. Return
   ``Verdict(message, fix=..., reason=...)``: a fix (``Reroute``, ``CallExecutor``,
   ``RunnerCalls``) or, when none is safe, the reason. The engine builds the new code,
   schedules the import, checks comments are kept and that the output parses.
   Rules over SDK method calls (``container.remove(force=True)``) derive from ``CallRule``
   instead: set ``METHODS`` (the called names to look at, e.g. ``{"remove", "kill"}``) and
   implement ``check_call(site, settings)``; ``site`` is a ``CallSite`` (name, receiver
   text and qualified names, arguments with literal values, whether the result is used
   or awaited). Fixes are ``ReplaceWith(expression_source, imports=...)`` or, when the
   call is a statement of its own, ``ReplaceStatements((stmt_source, ...), imports=...)``.
   ``tests/engine/test_call_rules.py`` shows one end to end. ``METHODS`` also feeds the
   ``ast`` prescan: a file with no call of those names never reaches ``check_call``.
4. Add the class to ``ALL_RULES`` below, and its code and ``TRIGGERS`` to
   ``dockfix/engine/_triggers.py`` (the byte prefilter reads that table so that it does not
   import the rules; a test checks the two agree). Rule modules must not import libcst.

One call gets at most one finding: the first rule in ``ALL_RULES`` whose ``check``
returns a verdict wins, so the specific rules come before the catch-all DF005/DF006.
"""

from __future__ import annotations

from dockfix.rules._base import (
    Argument,
    CallExecutor,
    CallRule,
    CallSite,
    DockerCall,
    Invalid,
    ReplaceStatements,
    ReplaceWith,
    Reroute,
    RerouteArgv,
    Rule,
    RunnerCalls,
    Valid,
    Verdict,
)
from dockfix.rules.df001_force_remove_container import ForceRemoveContainer
from dockfix.rules.df002_kill_container import KillContainer
from dockfix.rules.df003_force_remove_volume import ForceRemoveVolume
from dockfix.rules.df004_force_remove_other import ForceRemoveOther
from dockfix.rules.df005_docker_bypasses_limiter import DockerBypassesLimiter
from dockfix.rules.df006_docker_popen import DockerPopen
from dockfix.rules.df101_sdk_force_remove_container import SdkForceRemoveContainer
from dockfix.rules.df102_sdk_kill_container import SdkKillContainer
from dockfix.rules.df103_sdk_force_remove_volume import SdkForceRemoveVolume

ALL_RULES: tuple[type[Rule], ...] = (
    ForceRemoveContainer,
    KillContainer,
    ForceRemoveVolume,
    ForceRemoveOther,
    DockerBypassesLimiter,
    DockerPopen,
    # Docker SDK rules (a second rule kind: ``SdkRule.check_sdk`` reads an ``SdkCall``)
    SdkForceRemoveContainer,
    SdkKillContainer,
    SdkForceRemoveVolume,
)

RULES_BY_CODE = {rule.CODE: rule for rule in ALL_RULES}

__all__ = [
    "ALL_RULES",
    "RULES_BY_CODE",
    "Argument",
    "CallExecutor",
    "CallRule",
    "CallSite",
    "DockerCall",
    "Invalid",
    "ReplaceStatements",
    "ReplaceWith",
    "Reroute",
    "RerouteArgv",
    "Rule",
    "RunnerCalls",
    "Valid",
    "Verdict",
]
