"""``print_line`` writes what rich would, with or without taking the direct way."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from rich.text import Text

from dockfix.cli._console import print_line

TEXTS = [
    "plain ascii",
    "a" * 500,  # longer than any width: soft wrap keeps it whole
    "unicode: é ü 中文 🐳",
    "control codes \x07\x08\x0b\x0c\r dropped",
    "a\ttab",
    "two\nlines",
    "[bold]not markup[/bold] :whale: not an emoji",
    "",
]


def _console(**kwargs: object) -> Console:
    return Console(
        file=io.StringIO(), highlight=False, soft_wrap=True, emoji=False, width=40, **kwargs
    )  # type: ignore[arg-type]


@pytest.mark.parametrize("raw", TEXTS)
@pytest.mark.parametrize("force", [False, True])
def test_print_line_writes_what_rich_writes(raw: str, force: bool) -> None:
    text = Text()
    text.append("path.py", style="bold")
    text.append(":1:2: ")
    text.append(raw, style="red")
    ours, theirs = _console(force_terminal=force), _console(force_terminal=force)
    print_line(ours, text)
    theirs.print(text)
    assert ours.file.getvalue() == theirs.file.getvalue()  # type: ignore[attr-defined]
    assert ("\x1b[" in ours.file.getvalue()) is force  # type: ignore[attr-defined]
