"""Golden files: realistic test-suite modules, before and after `dockfix fix`.

``fixtures/golden/NAME.before.py`` is rewritten to ``NAME.after.py``; ``NAME.findings.txt``
lists every finding (code, line:column, fixed or the reason it was only reported).
Regenerate with ``python -m tests.engine.test_golden`` after a deliberate change, and
review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dockfix.engine import Settings, analyze
from tests.golden import before_files, regenerate
from tests.golden import findings_text as _findings
from tests.golden import sibling as _sibling

BEFORE = before_files("golden")


@pytest.mark.parametrize("before", BEFORE, ids=lambda p: p.name.split(".")[0])
def test_golden(before: Path) -> None:
    result = analyze(before.read_bytes(), Settings(), path=str(before))
    assert result.error is None
    assert result.fixed == _sibling(before, ".after.py").read_bytes()
    assert _findings(result) == _sibling(before, ".findings.txt").read_text()
    again = analyze(result.fixed, Settings())
    assert again.fixed == result.fixed
    assert not any(f.fixable for f in again.findings)


def test_golden_files_exist() -> None:
    assert len(BEFORE) >= 3


if __name__ == "__main__":
    regenerate(BEFORE)
