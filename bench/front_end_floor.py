"""Floor: what an exact syntax check of every file costs a Python tool, and nothing else.

Usage: ``python bench/front_end_floor.py [--jobs N] PATH...``. Prints one line:
``parsed N files (M errors) in S s``.

Each file is read and given to CPython's compiler front end (``_symtable.symtable``: the
tokenizer, the parser and the scope pass, without building ``ast`` objects), the cheapest
way Python offers to tell whether a file is valid Python. ``dockfix check`` must know that
of every file that mentions docker (a file that does not parse is reported, not analysed,
as the full libcst analysis does), so on the dense corpus no exact Python checker can be
faster than this: the interpreter's start, the reading and this pass, in ``--jobs``
processes (2 by default, as ``dockfix check`` uses on 2 cores). ``dockfix check`` /
this, and this / ast-grep, show how much of a run is the analysis and how much the parse
alone leaves for it.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections.abc import Sequence

from libcst_parse_all import parse_all, python_files

try:
    from _symtable import symtable as _front_end
except ImportError:  # pragma: no cover - another implementation
    from symtable import symtable as _front_end


def check_one(path: str) -> bool:
    """True when the compiler front end accepts the file's bytes."""
    with open(path, "rb") as handle:
        data = handle.read()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            _front_end(data, path, "exec")
        except (SyntaxError, ValueError, UnicodeError, RecursionError, MemoryError):
            return False
    return True


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (1: serial)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    ok, errors = parse_all(python_files(args.paths), args.jobs, check_one)
    print(f"parsed {ok} files ({errors} errors) in {time.perf_counter() - start:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
