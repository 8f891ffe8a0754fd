"""Where a fixed file's time goes in ``dockfix fix``: the steps of ``analyze`` in fix mode.

Usage: ``python bench/fix_phases.py [PATH ...]`` (default: the dense corpus). In one
process, with the engine imported and the collector frozen as the CLI does, each file is
read and analysed in fix mode (every fix applied), and the time spent in each step of the
fix without the libcst pass (``engine/_fastfix.py``) is added up: the statement groups and
the reduction (``reduce_split``), ``ast.parse`` of the reduced module, the ``ast`` reading
(``fast_found``, which tells whether each call can be fixed: ``_buildable``, or libcst),
the replacements (as text where the call is plain, else built by libcst), the imports removed
below the first lines, the first lines' edit (imports added as text where the layout is
plain, else added and removed through libcst), and the fixed file's check by the compiler
front end. Then the whole ``analyze`` in fix mode, and, for comparison, with
``DOCKFIX_NO_FAST=1`` (the libcst pass over the reduced module). Steps are timed through
wrappers, which add a little to each; single runs: for ratios, use ``bench/run.py``.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Callable

from dockfix.engine import Settings, analyze
from dockfix.engine import _fastfix as fastfix

DENSE = Path(__file__).resolve().parent / "corpus" / "dense"
STEPS = {  # the step's name: the function of ``_fastfix`` it is
    "groups and reduction": "reduce_split",
    "ast.parse reduced": "parse",
    "ast reading": "fast_found",
    "replacements": "_replacement",
    "imports removed": "_removals",
    "first lines as text": "added",
    "first lines through libcst": "_first_lines",
    "fixed file checked": "_compiles",
}


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
    totals = dict.fromkeys([*STEPS, "analyze (fix)", "analyze (fix), libcst pass"], 0.0)

    def timed(step: str, work: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return work(*args, **kwargs)
            finally:
                totals[step] += time.perf_counter() - start

        return run

    analyze(b"import subprocess\nsubprocess.run(['docker', 'kill', 'c'])\n", settings)
    gc.freeze()
    sources = [path.read_bytes() for path in files]
    for step, name in STEPS.items():
        setattr(fastfix, name, timed(step, getattr(fastfix, name)))
    for source in sources:
        start = time.perf_counter()
        analyze(source, settings)
        totals["analyze (fix)"] += time.perf_counter() - start
    os.environ["DOCKFIX_NO_FAST"] = "1"
    for source in sources:
        start = time.perf_counter()
        analyze(source, settings)
        totals["analyze (fix), libcst pass"] += time.perf_counter() - start
    print(f"{len(files)} files")
    for step, total in totals.items():
        print(f"{step:28} {total:7.2f} s  {total / len(files) * 1000:6.2f} ms a file")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
