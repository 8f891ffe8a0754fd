"""Every rule's VALID and INVALID cases, as pyupgrade-style tables.

The no-op table: the source is left byte-identical and the rule reports nothing.
The rewrite table: the rule reports the call; the output is ``expected`` (or unchanged
when ``expected`` is None), parses, and a second run changes nothing.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import libcst as cst
import pytest

from dockfix.engine import Settings, analyze
from dockfix.rules import ALL_RULES


def _settings(code: str, overrides: Any) -> Settings:
    """Only the rule under test, so its table shows its own effect."""
    return dataclasses.replace(Settings(select=frozenset({code})), **dict(overrides))


NOOP = [
    pytest.param(rule.CODE, case.code, case.settings, id=f"{rule.CODE}-{case.id}")
    for rule in ALL_RULES
    for case in rule.VALID
]
REWRITE = [
    pytest.param(rule.CODE, case.code, case.fixed, case.settings, id=f"{rule.CODE}-{case.id}")
    for rule in ALL_RULES
    for case in rule.INVALID
]


@pytest.mark.parametrize(("code", "src", "overrides"), NOOP)
def test_noop(code: str, src: str, overrides: Any) -> None:
    result = analyze(src.encode(), _settings(code, overrides))
    assert result.error is None
    assert [f for f in result.findings if f.code == code] == []
    assert result.fixed == src.encode()


@pytest.mark.parametrize(("code", "src", "expected", "overrides"), REWRITE)
def test_rewrite(code: str, src: str, expected: str | None, overrides: Any) -> None:
    settings = _settings(code, overrides)
    result = analyze(src.encode(), settings)
    assert result.error is None
    mine = [f for f in result.findings if f.code == code]
    assert mine, f"{code} did not report: {result.findings}"
    if expected is None:
        assert not any(f.fixable for f in mine)
        assert all(f.fix_reason for f in mine)
        assert result.fixed == src.encode()
        return
    assert result.fixed.decode() == expected
    cst.parse_module(result.fixed)
    again = analyze(result.fixed, settings)
    assert again.fixed == result.fixed
    assert not [f for f in again.findings if f.fixable]


@pytest.mark.parametrize(("code", "src", "expected", "overrides"), REWRITE)
def test_check_mode_changes_nothing(
    code: str, src: str, expected: str | None, overrides: Any
) -> None:
    result = analyze(src.encode(), _settings(code, overrides), accept=lambda f: False)
    assert result.fixed == src.encode()
    assert any(f.code == code for f in result.findings)


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.CODE)
def test_doc_page(rule: Any) -> None:
    doc = rule.__doc__ or ""
    for heading in ("What it does", "Why is this bad?", "Example", "Use instead", "Fix safety"):
        assert f"## {heading}" in doc, heading
    assert rule.TRIGGERS
    assert rule.VALID
    assert rule.INVALID
