"""Golden files: realistic test-suite modules, before and after `dockfix fix`.

``fixtures/golden/NAME.before.py`` is rewritten to ``NAME.after.py``; ``NAME.findings.txt``
lists every finding (code, line:column, fixed or the reason it was only reported).
Regenerate with ``python tests/engine/test_golden.py`` after a deliberate change, and
review the diff.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from dockfix.engine import FileResult, Settings, analyze

GOLDEN = Path(__file__).resolve().parents[2] / "fixtures" / "golden"
BEFORE = sorted(GOLDEN.glob("*.before.py"))


def _findings(result: FileResult) -> str:
    lines = []
    for f in result.findings:
        state = "fixed" if f.key in result.applied else f"reported: {f.fix_reason}"
        lines.append(f"{f.code} {f.line}:{f.column} {state}")
    return "\n".join(lines) + "\n"


def _sibling(before: Path, suffix: str) -> Path:
    return before.with_name(before.name.replace(".before.py", suffix))


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


if __name__ == "__main__":  # regenerate
    for before in BEFORE:
        result = analyze(before.read_bytes(), Settings(), path=str(before))
        _sibling(before, ".after.py").write_bytes(result.fixed)
        _sibling(before, ".findings.txt").write_text(_findings(result))
        sys.stdout.write(f"wrote {before.name}\n")
