"""SDK fixtures: realistic modules mixing docker-py, python-on-whales and aiodocker shapes.

``fixtures/sdk/NAME.before.py`` is rewritten to ``NAME.after.py``; ``NAME.findings.txt``
lists every finding (code, line:column, fixed or the reason it was only reported).
Regenerate with ``python -m tests.rules.test_sdk_fixtures`` after a deliberate change, and
review the diff.
"""

from __future__ import annotations

import random
from pathlib import Path

import libcst as cst
import pytest

from dockfix.engine import Settings, analyze
from dockfix.rules._sdk import SDK_TRIGGERS
from tests.golden import before_files, regenerate
from tests.golden import findings_text as _findings
from tests.golden import sibling as _sibling

BEFORE = before_files("sdk")


@pytest.mark.parametrize("before", BEFORE, ids=lambda p: p.name.split(".")[0])
def test_sdk_fixture(before: Path) -> None:
    result = analyze(before.read_bytes(), Settings(), path=str(before))
    assert result.error is None
    assert result.fixed.decode() == _sibling(before, ".after.py").read_text()
    assert _findings(result) == _sibling(before, ".findings.txt").read_text()
    cst.parse_module(result.fixed)
    again = analyze(result.fixed, Settings())
    assert again.fixed == result.fixed
    assert not any(f.fixable for f in again.findings)


@pytest.mark.parametrize("before", BEFORE, ids=lambda p: p.name.split(".")[0])
def test_sdk_fixture_check_mode(before: Path) -> None:
    result = analyze(before.read_bytes(), Settings(), accept=lambda f: False)
    assert result.fixed == before.read_bytes()
    assert any(f.code.startswith("DF1") for f in result.findings)


def test_sdk_fixtures_exist() -> None:
    assert len(BEFORE) >= 3


if __name__ == "__main__":
    regenerate(BEFORE)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("before", BEFORE, ids=lambda p: p.name.split(".")[0])
def test_any_subset_of_fixes_parses_and_leaves_the_rest(before: Path, seed: int) -> None:
    """Interactive review accepts some fixes: the output parses, the others stay pending."""
    source = before.read_bytes()
    fixable = [f.key for f in analyze(source, Settings()).findings if f.fixable]
    chosen = set(random.Random(seed).sample(fixable, k=len(fixable) // 2 + seed % 2))
    result = analyze(source, Settings(), accept=lambda f: f.key in chosen)
    assert set(result.applied) == chosen
    cst.parse_module(result.fixed)
    pending = [f for f in analyze(result.fixed, Settings()).findings if f.fixable]
    assert len(pending) == len(fixable) - len(chosen)


@pytest.mark.parametrize("before", BEFORE, ids=lambda p: p.name.split(".")[0])
def test_sdk_triggers_are_exact_on_fixtures(before: Path) -> None:
    """Without its import roots (`docker`, `python_on_whales`) no SDK finding is possible."""
    text = before.read_text()
    for trigger in SDK_TRIGGERS:
        text = text.replace(trigger.decode(), "dokker")
    findings = analyze(text.encode(), Settings(select=frozenset({"DF1"}))).findings
    assert findings == ()
