"""Golden fixture folders: ``NAME.before.py`` is rewritten to ``NAME.after.py``, and
``NAME.findings.txt`` lists every finding (code, line:column, fixed or the reason it was
only reported). Shared by the golden, shapes and SDK fixture tests, which regenerate their
folder with ``regenerate`` when run as a script."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from dockfix.engine import FileResult, Settings, analyze

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def before_files(folder: str) -> list[Path]:
    """The ``*.before.py`` files of ``fixtures/<folder>``, sorted."""
    return sorted((FIXTURES / folder).glob("*.before.py"))


def sibling(before: Path, suffix: str) -> Path:
    """``NAME.before.py`` -> ``NAME<suffix>``."""
    return before.with_name(before.name.replace(".before.py", suffix))


def findings_text(result: FileResult, *, related: bool = False) -> str:
    """The findings as the ``.findings.txt`` files hold them; with ``related``, the other
    positions a finding involves (``related 3:1,4:1``) after its own."""
    lines = []
    for f in result.findings:
        state = "fixed" if f.key in result.applied else f"reported: {f.fix_reason}"
        extra = ""
        if related and f.related:
            extra = " related " + ",".join(f"{ln}:{col}" for ln, col in f.related)
        lines.append(f"{f.code} {f.line}:{f.column}{extra} {state}")
    return "\n".join(lines) + "\n"


def regenerate(befores: Iterable[Path], *, related: bool = False) -> None:
    """Rewrite the ``.after.py`` and ``.findings.txt`` of every file (review the diff)."""
    for before in befores:
        result = analyze(before.read_bytes(), Settings(), path=str(before))
        sibling(before, ".after.py").write_bytes(result.fixed)
        sibling(before, ".findings.txt").write_text(findings_text(result, related=related))
        sys.stdout.write(f"wrote {before.name}\n")
