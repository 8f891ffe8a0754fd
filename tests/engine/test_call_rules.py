"""The CallRule hook the Docker SDK rules build on, shown with a rule made up for the test."""

from __future__ import annotations

from typing import Optional

import libcst as cst

from dockfix.engine import Settings, analyze
from dockfix.rules import ALL_RULES, CallRule, CallSite, ReplaceStatements, ReplaceWith, Verdict


class SdkForceRemove(CallRule):
    """A made-up SDK rule: ``c.remove(force=True)`` -> ``c.stop()`` then ``c.remove()``."""

    CODE = "DF999"
    NAME = "sdk-force-remove"
    TRIGGERS = (b"remove(", b"kill(")
    METHODS = frozenset({"remove", "kill"})

    def check_call(self, site: CallSite, settings: Settings) -> Optional[Verdict]:
        if site.name == "kill" and site.receiver and not site.arguments:
            return Verdict("kill", fix=ReplaceWith(f"{site.receiver}.stop(timeout=10)"))
        force = site.keyword("force")
        if site.name != "remove" or force is None or force.value is not True:
            return None
        stop = f"{site.receiver}.stop(timeout={settings.stop_timeout})"
        fix = ReplaceStatements(
            (stop, f"{site.receiver}.remove()"), imports=(("dockfix.runtime", "docker_executor"),)
        )
        return Verdict("force", fix=fix)


RULES = (*ALL_RULES, SdkForceRemove)


def test_statement_replacement_and_import() -> None:
    src = b"def down(c):\n    c.remove(force=True)  # bye\n    c.remove()\n"
    result = analyze(src, Settings(), rules=RULES)
    assert [f.code for f in result.findings] == ["DF999"]
    assert result.fixed == (
        b"from dockfix.runtime import docker_executor\n\n"
        b"def down(c):\n    c.stop(timeout=10)\n    c.remove()  # bye\n    c.remove()\n"
    )
    cst.parse_module(result.fixed)


def test_expression_replacement_in_any_context() -> None:
    src = b"stop_all = lambda cs: [c.kill() for c in cs]\n"
    result = analyze(src, Settings(), rules=RULES)
    assert result.fixed == b"stop_all = lambda cs: [c.stop(timeout=10) for c in cs]\n"


def test_statement_fix_needs_a_statement() -> None:
    src = b"ok = c.remove(force=True)\n"
    (finding,) = analyze(src, Settings(), rules=RULES).findings
    assert not finding.fixable
    assert "statement" in (finding.fix_reason or "")


def test_awaited_statement_replacement() -> None:
    src = b"async def down(c):\n    await c.remove(force=True)\n"
    result = analyze(src, Settings(), rules=(AsyncRemove,))
    assert result.applied
    assert result.fixed == b"async def down(c):\n    await c.stop()\n    await c.remove()\n"


class AsyncRemove(CallRule):
    """Made up: ``await c.remove(force=True)`` -> two awaited statements."""

    CODE = "DF998"
    NAME = "async-remove"
    TRIGGERS = (b"remove(",)
    METHODS = frozenset({"remove"})

    def check_call(self, site: CallSite, settings: Settings) -> Optional[Verdict]:
        if not site.awaited or site.keyword("force") is None:
            return None
        stmts = (f"await {site.receiver}.stop()", f"await {site.receiver}.remove()")
        return Verdict("force", fix=ReplaceStatements(stmts))


def test_registry_rules_ignore_sdk_calls() -> None:
    src = b"import docker\nc = docker.from_env().containers.get('x')\nc.remove(force=True)\n"
    # only the SDK rules (DF1xx, branch sdk) report it; no command rule does
    assert [f.code for f in analyze(src, Settings()).findings] == ["DF101"]
