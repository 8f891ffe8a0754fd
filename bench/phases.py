"""Where a file's time goes in ``dockfix check``: each step of ``analyze``, timed alone.

Usage: ``python bench/phases.py [PATH ...]`` (default: the dense corpus). In one process,
with the engine imported and the collector frozen as the CLI does, each file is read, then
each step is timed on its own: the byte prefilter; the statement groups of ``_split`` (the
compiler's front end on each group) and the reduction built from them (groups included),
which check mode uses; ``ast.parse`` of the file and the reduction built from its tree
(what fix mode, and check mode when the split answers nothing, use); ``ast.parse`` of the
reduced module; the ``ast`` prescan (which ``analyze`` runs only when the ``ast`` reading
declines); the ``ast`` reading (``_fast``); and, for comparison, the whole ``analyze`` in
check mode. Prints the total per step and the
average per file. Single runs: for ratios, use ``bench/run.py``.
"""

from __future__ import annotations

import ast
import contextlib
import gc
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Callable

from dockfix.engine import Settings, analyze, report_only
from dockfix.engine._analyze import _call_names, _candidates, _triggers
from dockfix.engine._fast import fast_findings
from dockfix.engine._prefilter import prefilter
from dockfix.engine._reduce import Unsplit, reduce, reduce_split
from dockfix.engine._split import groups
from dockfix.rules import ALL_RULES

DENSE = Path(__file__).resolve().parent / "corpus" / "dense"
STEPS = (
    "prefilter",
    "split groups",
    "reduce_split",
    "ast.parse",
    "reduce",
    "ast.parse reduced",
    "prescan",
    "fast",
    "analyze",
)


def python_files(paths: Sequence[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        found.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return found


def main(argv: Sequence[str]) -> int:
    files = python_files([Path(a) for a in argv] or [DENSE])
    if not files:
        print("no files: build the corpus with `python bench/corpus.py`", file=sys.stderr)
        return 2
    settings = Settings()
    triggers, calls = _triggers(ALL_RULES, settings), _call_names(ALL_RULES, settings)
    totals = dict.fromkeys(STEPS, 0.0)

    def timed(step: str, work: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        result = work(*args, **kwargs)
        totals[step] += time.perf_counter() - start
        return result

    analyze(b"import subprocess\n", settings, accept=report_only)  # imports, caches
    gc.freeze()
    for path in files:
        source = path.read_bytes()
        timed("prefilter", prefilter, source, settings)
        timed("split groups", groups, source)
        with contextlib.suppress(Unsplit):
            timed("reduce_split", reduce_split, source, triggers, calls, fixes=False)
        try:
            tree = timed("ast.parse", ast.parse, source)
        except (SyntaxError, ValueError):
            continue
        reduction = timed("reduce", reduce, source, tree, triggers, calls, fixes=False)
        reduced = source if reduction is None else reduction.source
        reduced_tree = timed("ast.parse reduced", ast.parse, reduced)
        timed("prescan", _candidates, reduced, ALL_RULES, settings, reduced_tree)
        screened = reduction is not None  # as ``analyze`` calls it on a reduction
        timed("fast", fast_findings, reduced, reduced_tree, settings, screened=screened)
        timed("analyze", analyze, source, settings, accept=report_only)
    print(f"{len(files)} files")
    for step in STEPS:
        total = totals[step]
        print(f"{step:18} {total:7.2f} s  {total / len(files) * 1000:6.2f} ms a file")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
