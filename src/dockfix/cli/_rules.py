"""``dockfix rules`` and ``dockfix explain CODE``: the rule catalog, from the rules."""

# No ``from __future__ import annotations`` here: typer reads these annotations at run
# time, and on Python 3.9 it only sees ``Annotated`` options when they are real objects.
import importlib
import inspect
from collections.abc import Sequence
from typing import Annotated, Any

import typer

from dockfix.cli import _console
from dockfix.cli._app import app
from dockfix.report import EXIT_ERROR


def _all_rules() -> Sequence[Any]:
    return tuple(importlib.import_module("dockfix.rules").ALL_RULES)


def _fixable(rule: Any) -> bool:
    return bool(getattr(rule, "fixable", False))


@app.command()
def rules() -> None:
    """List the rules: code, name, and whether dockfix can fix it."""
    catalog = sorted(_all_rules(), key=lambda rule: str(rule.CODE))
    width = max((len(str(rule.NAME)) for rule in catalog), default=4)
    lines = [f"{'code':<7} {'name':<{width}}  fixable"]
    for rule in catalog:
        lines.append(
            f"{rule.CODE!s:<7} {rule.NAME!s:<{width}}  {'yes' if _fixable(rule) else 'no'}"
        )
    _console.write_bytes(("\n".join(lines) + "\n").encode())


@app.command()
def explain(
    code: Annotated[str, typer.Argument(help="A rule code (DF001) or name.")],
) -> None:
    """Print a rule's documentation."""
    wanted = code.strip().upper()
    for rule in _all_rules():
        if wanted in (str(rule.CODE).upper(), str(rule.NAME).upper()):
            doc = inspect.cleandoc(rule.__doc__ or "(no documentation)")
            fixable = "yes" if _fixable(rule) else "no"
            header = f"{rule.CODE} ({rule.NAME})\nFixable: {fixable}\n\n"
            _console.write_bytes((header + doc + "\n").encode())
            return
    known = ", ".join(sorted(str(rule.CODE) for rule in _all_rules()))
    _console.stderr().print(f"dockfix: unknown rule {code!r} (known: {known})", markup=False)
    raise typer.Exit(EXIT_ERROR)
