"""Where a file's time goes in ``dockfix fix``: each step of the fix path, timed alone.

Usage: ``python bench/fix_phases.py [PATH ...]`` (default: the dense corpus). In one
process, with the engine imported and the collector frozen as the CLI does, each file is
read, then the steps of ``analyze`` in fix mode on the reduced module are timed one by one:
``ast.parse`` of the file and the reduction built from its tree; ``libcst.parse_module`` of
the reduction; the position and scope metadata the transformer declares; the transformer's
traversal (rules, findings, fixes); ``finish_imports`` (imports added and removed); the
module rendered back; the whole fixed file parsed again (``_split.accepted``, as the engine
does before returning a fix); and, for comparison, the whole ``analyze`` in fix mode. A file
without a reduction is counted but takes only the first step. Prints the total per step and
the average per file. Single runs: for ratios, use ``bench/run.py``.
"""

from __future__ import annotations

import ast
import gc
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Callable

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.metadata import MetadataWrapper

from dockfix.engine import Settings, analyze
from dockfix.engine._analyze import _call_names, _triggers
from dockfix.engine._imports import finish_imports
from dockfix.engine._pass import analyze_reduced  # noqa: F401  (installs libcst's caches)
from dockfix.engine._reduce import reduce
from dockfix.engine._split import accepted
from dockfix.engine._transformer import Transformer
from dockfix.rules import ALL_RULES

DENSE = Path(__file__).resolve().parent / "corpus" / "dense"
STEPS = (
    "ast.parse",
    "reduce",
    "cst.parse_module",
    "metadata",
    "transformer",
    "finish_imports",
    "render",
    "parse the fix",
    "analyze (fix)",
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

    analyze(b"import subprocess\nsubprocess.run(['docker', 'kill', 'c'])\n", settings)
    gc.freeze()
    reduced = 0
    for path in files:
        source = path.read_bytes()
        result = timed("analyze (fix)", analyze, source, settings)
        try:
            tree = timed("ast.parse", ast.parse, source)
        except (SyntaxError, ValueError):
            continue
        reduction = timed("reduce", reduce, source, tree, triggers, calls)
        if reduction is None:
            continue
        reduced += 1
        module = timed("cst.parse_module", cst.parse_module, reduction.source)
        context = CodemodContext(filename=str(path))
        transformer = Transformer(context, settings, None, sdk_imports=False)
        wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        timed("metadata", wrapper.resolve_many, Transformer.METADATA_DEPENDENCIES)
        done = timed("transformer", wrapper.visit, transformer)
        fixed = timed("finish_imports", finish_imports, done, context)
        timed("render", cst.Module.code_for_node, fixed, fixed)
        if result.fixed != source:  # the whole fixed file, as the engine parses it
            timed("parse the fix", accepted, result.fixed)
    print(f"{len(files)} files, {reduced} with a reduction")
    for step in STEPS:
        total = totals[step]
        print(f"{step:18} {total:7.2f} s  {total / len(files) * 1000:6.2f} ms a file")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
