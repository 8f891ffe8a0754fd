"""Baseline "what a naive libcst codemod pays": read and ``libcst.parse_module`` every file.

Usage: ``python bench/libcst_parse_all.py [--jobs N] PATH...``. Prints one line:
``parsed N files (M errors) in S s``. ``--jobs 1`` parses in this process; ``--jobs N`` uses a
process pool of N workers fed in chunks (as a libcst codemod runner would).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path


def python_files(paths: Iterable[str]) -> list[str]:
    found: list[str] = []
    for path in paths:
        if os.path.isfile(path):
            found.append(path)
            continue
        for dirpath, dirnames, filenames in os.walk(path):
            dirnames.sort()
            found.extend(os.path.join(dirpath, f) for f in sorted(filenames) if f.endswith(".py"))
    return found


def parse_one(path: str) -> bool:
    """True when libcst parses the file's bytes."""
    import libcst

    try:
        libcst.parse_module(Path(path).read_bytes())
    except Exception:
        return False
    return True


def parse_all(
    files: Sequence[str], jobs: int, one: Callable[[str], bool] = parse_one
) -> tuple[int, int]:
    """(parsed, errors) over ``files``, each read by ``one`` (a module-level function)."""
    if jobs <= 1:
        results = [one(f) for f in files]
    else:
        chunksize = max(1, len(files) // (jobs * 8))
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(one, files, chunksize=chunksize))
    ok = sum(results)
    return ok, len(results) - ok


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (1: serial)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    files = python_files(args.paths)
    ok, errors = parse_all(files, args.jobs)
    elapsed = time.perf_counter() - start
    print(f"parsed {ok} files ({errors} errors) in {elapsed:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
