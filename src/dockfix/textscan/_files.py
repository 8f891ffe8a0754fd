"""Which non-Python files hold shell commands, and in what dialect."""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Optional

SHELL, MAKE, YAML, DOCKERFILE = "shell", "make", "yaml", "dockerfile"

_NAMES = {
    "makefile": MAKE,
    "gnumakefile": MAKE,
    "dockerfile": DOCKERFILE,
    "containerfile": DOCKERFILE,
}
_SUFFIXES = {
    ".sh": SHELL,
    ".bash": SHELL,
    ".zsh": SHELL,
    ".ksh": SHELL,
    ".bats": SHELL,
    ".mk": MAKE,
    ".mak": MAKE,
    ".yml": YAML,
    ".yaml": YAML,
    ".dockerfile": DOCKERFILE,
    ".containerfile": DOCKERFILE,
}
_SHEBANG = re.compile(rb"#![^\n]*\b(?:ba|z|k|da|a)?sh\b")


def file_kind(path: str, head: Optional[bytes] = None) -> Optional[str]:
    """The dialect of ``path`` (shell, make, yaml, dockerfile), or None when it is none of them.

    ``head``, the first bytes of the file, lets an extensionless script with a shell
    shebang count as shell.
    """
    name = PurePath(path).name
    lower = name.lower()
    if lower in _NAMES:
        return _NAMES[lower]
    if lower.startswith(("dockerfile.", "containerfile.")):
        return DOCKERFILE
    suffix = PurePath(lower).suffix
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    if head is not None and not suffix and _SHEBANG.match(head):
        return SHELL
    return None


def is_candidate(path: str, head: Optional[bytes] = None) -> bool:
    """True for shell scripts, Makefiles, YAML (CI) files and Dockerfiles."""
    return file_kind(path, head) is not None
