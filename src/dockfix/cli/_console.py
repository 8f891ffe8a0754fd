"""Where output goes: data on stdout, messages on stderr, colour only on terminals.

rich honours ``NO_COLOR`` (and ``FORCE_COLOR``) itself. Diffs that are not shown on a
terminal are written as raw bytes, exactly as ``patch`` wants them.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text


def stdout() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True, emoji=False)


def stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)


def print_line(console: Console, text: Text) -> None:
    """``console.print(text)``, written directly when that is what rich would write: no
    colour (not a terminal, no ``FORCE_COLOR``), not the legacy Windows console, and no tab
    (rich expands tabs). ``Text`` strips control codes as it is built, and soft wrap (set
    on our consoles) keeps long lines whole. Rich renders a line in about 0.25 ms: the
    findings of a large check cost the printing process a quarter of a second a thousand."""
    plain = text.plain
    if console.color_system is None and not console.legacy_windows and "\t" not in plain:
        console.file.write(plain + "\n")
    else:
        console.print(text)


def write_bytes(data: bytes) -> None:
    """Raw bytes to stdout, after whatever text is already buffered there."""
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def show_diff(console: Console, diff: bytes, encoding: str) -> None:
    """A diff: coloured on a terminal, raw bytes otherwise."""
    if not diff:
        return
    if console.is_terminal:
        from dockfix.report._diff import colour_diff

        console.print(colour_diff(diff, encoding), end="")
    else:
        write_bytes(diff)
