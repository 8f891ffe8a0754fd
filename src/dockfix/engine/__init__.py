"""The pure codemod engine: bytes in, a result out. No IO, no printing.

Importing this package does not import libcst: ``analyze`` is loaded on first use, and
``prefilter`` (a byte test built from the rules' ``TRIGGERS``) never needs it.

How ``analyze(source, settings, *, path, accept)`` works:

1. ``prefilter`` (bytes) and ``_prescan`` (stdlib ``ast``: is there any call whose name a
   rule could match?) return early for most files without touching libcst.
2. ``_reduce``: the top-level statements that cannot change a finding are stubbed out (same
   lines, same columns), so libcst sees a much smaller module; its findings are the file's,
   and its fixes are carried back to the original lines when that is sure to be exact (else
   the full module is analysed; ``DOCKFIX_NO_REDUCE=1`` always does). With
   ``accept=report_only`` (check mode) the reduction is first built without parsing the
   whole file (``_split``: the top-level statement groups, each accepted alone by the
   compiler's front end, which also says the file parses; a group is parsed with ``ast``
   only when it decides something; ``DOCKFIX_NO_SPLIT=1`` turns this off).
   ``_fast`` then reads the reduced module with ``ast`` alone: when every candidate call has
   the common shape (a subprocess function through a plain import, a literal list/tuple argv
   naming ``docker``), it gives exactly the findings of the libcst pass
   (``tests/engine/test_fast.py``), and that is the result in check mode, or when no finding
   has a fix. Otherwise (or with ``DOCKFIX_NO_FAST=1``) the libcst pass runs (``_pass``,
   imported on first use): ``libcst.parse_module(bytes)``; one ``Transformer`` pass with
   scope, qualified-name and position metadata (``_transformer``). Every call named like a
   subprocess/os/asyncio API is resolved through imports (the qualified names of its scope, so
   aliases work and local shadowing is respected) and read into a ``DockerCall``
   (``_extract``: argv shape, program, keywords) whose argv is read as a docker command
   (``_argv``: global options, subcommand, then flags). The rules are asked in ``ALL_RULES``
   order; the first verdict wins. Calls named in a ``CallRule``'s ``METHODS`` go to
   ``CallRule.check_call``.
3. A verdict becomes a ``Finding`` unless a ``# dockfix: ignore`` comment covers it
   (``_suppress``). Its fix is built once from the original node; if the replacement
   would drop a comment, the finding is reported as not fixable.
4. Accepted fixes are applied in the same pass (``_rewrite``: only the call changes; kept
   keyword arguments are reused whole, the layout of one-argument-per-line calls is
   kept); imports are scheduled with libcst's helpers and finished on the import block
   only (``_imports``).
5. The output is re-parsed; if it does not parse, the source comes back unchanged with an
   error. Any exception becomes ``FileResult.error``: ``analyze`` never raises.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dockfix.engine._prefilter import prefilter
from dockfix.engine._types import DEFAULT_EXECUTOR, FileResult, Finding, Settings, report_only

if TYPE_CHECKING:
    from dockfix.engine._analyze import analyze

__all__ = [
    "DEFAULT_EXECUTOR",
    "FileResult",
    "Finding",
    "Settings",
    "analyze",
    "prefilter",
    "report_only",
]


def __getattr__(name: str) -> Any:
    if name == "analyze":
        from dockfix.engine._analyze import analyze

        return analyze
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
