"""A stand-in for the codemod engine, used only while the real one is not merged.

It follows the contract in docs/dev/contracts.md on a tiny scale: ``["docker", "rm",
"-f", X]`` argv lists (DF001, fixable: the ``"-f", `` goes), ``["docker", "kill", X]``
(DF002, fixable: ``kill`` becomes ``stop``), ``docker rm -f`` in a ``shell=True`` string
(DF001, not fixable). Everything the CLI tests assert holds for the real engine too.
"""

from __future__ import annotations

import re
import sys
import types
from typing import Callable, Optional

import dockfix.engine
from dockfix.engine._types import FileResult, Finding, Settings

_RM = re.compile(rb'\["docker", "rm", "-f", ')
_KILL = re.compile(rb'\["docker", "kill", ')
_SHELL = re.compile(rb'"docker rm -f [^"]*", shell=True')


def prefilter(source: bytes, settings: Settings) -> bool:
    return b"docker" in source


def _findings(source: bytes, settings: Settings) -> list[tuple[Finding, bytes, bytes]]:
    found = []
    for number, line in enumerate(source.split(b"\n"), start=1):
        for pattern, code, name, old, new in (
            (_RM, "DF001", "force-remove-container", b'"rm", "-f", ', b'"rm", '),
            (_KILL, "DF002", "kill-container", b'"kill", ', b'"stop", '),
        ):
            match = pattern.search(line)
            if match and settings.enabled(code):
                finding = Finding(
                    code,
                    name,
                    f"{name}: use a graceful stop",
                    number,
                    match.start() + 1,
                    number,
                    match.end() + 1,
                    True,
                )
                found.append((finding, old, new))
        match = _SHELL.search(line)
        if match and settings.enabled("DF001"):
            finding = Finding(
                "DF001",
                "force-remove-container",
                "docker rm -f in a shell string",
                number,
                match.start() + 1,
                number,
                match.end() + 1,
                False,
                "shell syntax",
            )
            found.append((finding, b"", b""))
    return found


def analyze(
    source: bytes,
    settings: Settings,
    *,
    path: str = "<stdin>",
    accept: Optional[Callable[[Finding], bool]] = None,
) -> FileResult:
    try:
        compile(source, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        return FileResult(source=source, fixed=source, error=f"cannot parse: {exc}")
    found = _findings(source, settings)
    lines = source.split(b"\n")
    for finding, old, new in found:
        if finding.fixable and (accept is None or accept(finding)):
            lines[finding.line - 1] = lines[finding.line - 1].replace(old, new, 1)
    return FileResult(
        source=source, fixed=b"\n".join(lines), findings=tuple(f for f, _, _ in found)
    )


class _Rule:
    CODE = ""
    NAME = ""
    fixable = True


class ForceRemoveContainer(_Rule):
    """Force removal of containers: ``docker rm -f`` kills with SIGKILL."""

    CODE = "DF001"
    NAME = "force-remove-container"


class KillContainer(_Rule):
    """``docker kill`` sends SIGKILL."""

    CODE = "DF002"
    NAME = "kill-container"


def install() -> None:
    """Put the stand-in in place, unless the real engine is there."""
    if hasattr(dockfix.engine, "analyze"):
        return
    dockfix.engine.analyze = analyze  # type: ignore[attr-defined]
    dockfix.engine.prefilter = prefilter  # type: ignore[attr-defined]
    rules = types.ModuleType("dockfix.rules")
    rules.ALL_RULES = (ForceRemoveContainer, KillContainer)  # type: ignore[attr-defined]
    sys.modules["dockfix.rules"] = rules
