"""Build the two benchmark corpora deterministically under ``bench/corpus/``.

``clean``: every ``.py`` file of the running interpreter's standard library (no site-packages),
copied as is: real code with no Docker calls.

``dense``: 1,000 of those files (a deterministic choice among the files that both the running
interpreter and libcst parse), each with ONE function appended that drives docker through
subprocess the way test suites do. Every appended call is one dockfix finding, so a correct
``dockfix check`` reports exactly 1,000 findings on ``dense``.

Usage: ``python bench/corpus.py [--out DIR] [--force]``. A rebuild is skipped when the manifest
says the corpus was built by the same generator version from the same standard library.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import re
import shutil
import sys
import sysconfig
import warnings
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

GENERATOR_VERSION = 6
DENSE_COUNT = 1000
DEFAULT_OUT = Path(__file__).resolve().parent / "corpus"
MANIFEST = "manifest.json"
FUNC_PREFIX = "_bench_docker_"

# lib2to3's test data holds deliberately old or broken syntax; the rest of these do not parse
# with the running interpreter either. They stay in "clean" (real trees have such files too).
SKIP_FOR_DENSE = ("lib2to3/tests/data/", "test/bad", "test/badsyntax_")
# Directory names that file discovery skips by default (ruff, dockfix: virtualenvs, builds):
# a dense file there would be checked only when named on the command line.
SKIP_DIRS_FOR_DENSE = frozenset({"venv", ".venv", "site-packages", "build", "dist", "_build"})

# One docker command per appended function. ``{name}`` / ``{vol}`` are replaced by the function's
# parameter (a variable) or by a string literal; each line is one argv token.
# The expected rule code is kept beside each command so a reader can check the corpus by eye.
COMMANDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("DF001", ('"docker"', '"rm"', '"-f"', "{name}")),
    ("DF001", ('"docker"', '"rm"', '"--force"', "{name}")),
    ("DF001", ('"docker"', '"rm"', '"-fv"', "{name}")),
    ("DF001", ('"docker"', '"container"', '"rm"', '"-f"', "{name}")),
    ("DF001", ('"docker"', '"rm"', "{name}", '"-f"')),
    ("DF001", ('"docker"', '"rm"', '"-v"', '"--force"', "{name}", "{name2}")),
    ("DF001", ('"docker"', '"container"', '"rm"', "{name}", '"--force"')),
    ("DF002", ('"docker"', '"kill"', "{name}")),
    ("DF002", ('"docker"', '"container"', '"kill"', "{name}")),
    ("DF002", ('"docker"', '"kill"', '"--signal"', '"KILL"', "{name}")),
    ("DF003", ('"docker"', '"volume"', '"rm"', '"-f"', "{vol}")),
    ("DF003", ('"docker"', '"volume"', '"rm"', '"--force"', "{vol}")),
    ("DF005", ('"docker"', '"ps"', '"-aq"', '"--filter"', '"label=bench"')),
    ("DF005", ('"docker"', '"ps"', '"-a"', '"-f"', '"status=exited"')),
    ("DF005", ('"docker"', '"run"', '"--rm"', '"alpine:3.19"', '"true"')),
    ("DF005", ('"docker"', '"run"', '"-d"', '"--name"', "{name}", '"redis:7"')),
    ("DF005", ('"docker"', '"stop"', '"-t"', '"5"', "{name}")),
    ("DF005", ('"docker"', '"logs"', '"-f"', '"--tail"', '"10"', "{name}")),
)

# How the subprocess function is reached: (import line, callee prefix).
IMPORTS: tuple[tuple[str, str], ...] = (
    ("import subprocess", "subprocess."),
    ("import subprocess as sp", "sp."),
    ("from subprocess import {func}", ""),
    ("from subprocess import {func} as _{func}", "_"),
)

FUNCS = ("run", "call", "check_call", "check_output")

# Keyword arguments per subprocess function (one set is chosen per file).
KWARGS: dict[str, tuple[str, ...]] = {
    "run": (
        "",
        "check=True",
        "check=False, capture_output=True, text=True",
        "capture_output=True, timeout=60",
        "stdout={mod}DEVNULL, stderr={mod}DEVNULL",
    ),
    "call": ("", "timeout=30", "stdout={mod}DEVNULL"),
    "check_call": ("", "timeout=120", "stderr={mod}STDOUT"),
    "check_output": ("", "text=True", "stderr={mod}STDOUT, timeout=30"),
}

LAYOUTS = ("list", "tuple", "list-multiline", "tuple-multiline", "list-split")


@dataclass(frozen=True)
class Shape:
    """The shape of one appended call, chosen from the file's index."""

    code: str
    tokens: tuple[str, ...]
    import_line: str
    callee: str
    func: str
    kwargs: str
    layout: str
    literal_names: bool
    module_level_import: bool


def stdlib_root() -> Path:
    return Path(sysconfig.get_paths()["stdlib"]).resolve()


def stdlib_files(root: Path | None = None) -> list[Path]:
    """Relative paths of the standard library's ``.py`` files, sorted, without site-packages."""
    root = root or stdlib_root()
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in ("site-packages", "__pycache__"))
        for filename in filenames:
            if filename.endswith(".py"):
                found.append(Path(dirpath, filename).relative_to(root))
    return sorted(found, key=lambda p: p.as_posix())


def choose_shape(index: int) -> Shape:
    """A deterministic, well-mixed shape for the ``index``-th dense file."""
    code, tokens = COMMANDS[index % len(COMMANDS)]
    import_line, prefix = IMPORTS[(index // 3) % len(IMPORTS)]
    func = FUNCS[(index // 5) % len(FUNCS)]
    options = KWARGS[func]
    kwargs = options[(index // 7) % len(options)]
    layout = LAYOUTS[(index // 2) % len(LAYOUTS)]
    module_mod = "subprocess." if prefix in ("", "_") else prefix
    return Shape(
        code=code,
        tokens=tokens,
        import_line=import_line.format(func=func),
        callee=f"{prefix}{func}",
        func=func,
        kwargs=kwargs.format(mod=module_mod),
        layout=layout,
        literal_names=index % 4 == 0,
        module_level_import=index % 6 == 0,
    )


def _argv_source(shape: Shape, index: int, indent: str) -> str:
    names = {
        "name": f'"bench-{index:04d}"' if shape.literal_names else "name",
        "name2": f'"bench-{index:04d}-b"',
        "vol": f'"bench-vol-{index:04d}"' if shape.literal_names else "volume",
    }
    tokens = [token.format(**names) for token in shape.tokens]
    open_, close = ("[", "]") if shape.layout.startswith("list") else ("(", ")")
    if shape.layout.endswith("multiline"):
        inner = "".join(f"{indent}    {token},\n" for token in tokens)
        return f"{open_}\n{inner}{indent}{close}"
    if shape.layout == "list-split":
        head, tail = tokens[:2], tokens[2:]
        return f"{open_}{', '.join(head)},\n{indent}     {', '.join(tail)}{close}"
    return f"{open_}{', '.join(tokens)}{close}"


def appended_function(index: int, original: bytes = b"") -> str:
    """The source appended to the ``index``-th dense file (starts with a blank line).

    A module-level import is moved into the function when ``original`` already uses one of the
    names it would bind, so the appended import never rebinds a name of the file.
    """
    shape = choose_shape(index)
    name = f"{FUNC_PREFIX}{index:04d}"
    lines = ["", ""]
    needs_subprocess_module = "subprocess." in shape.kwargs and shape.callee.startswith(
        ("run", "call", "check", "_")
    )
    imports = [shape.import_line]
    if needs_subprocess_module and shape.import_line != "import subprocess":
        imports.append("import subprocess")
    body_indent = "    "
    module_level = shape.module_level_import and not any(
        re.search(rb"\b%s\b" % re.escape(bound.encode()), original)
        for bound in _bound_names(imports)
    )
    if module_level:
        lines.extend(imports)
        lines.extend(["", ""])
    lines.append(f'def {name}(name="bench-{index:04d}", volume="bench-vol-{index:04d}"):')
    lines.append(
        f'{body_indent}"""Clean up after a docker-based test (dockfix benchmark {index})."""'
    )
    if not module_level:
        lines.extend(f"{body_indent}{line}" for line in imports)
    argv = _argv_source(shape, index, body_indent)
    args = argv if not shape.kwargs else f"{argv}, {shape.kwargs}"
    if index % 2:
        lines.append(f"{body_indent}return {shape.callee}({args})")
    else:
        lines.append(f"{body_indent}result = {shape.callee}({args})")
        lines.append(f"{body_indent}return result")
    return "\n".join(lines) + "\n"


def _bound_names(import_lines: Sequence[str]) -> list[str]:
    """The names that import lines like ``import a as b`` / ``from m import f`` bind."""
    return [line.split()[-1] for line in import_lines]


def make_dense_source(original: bytes, index: int) -> bytes:
    """``original`` with the ``index``-th appended function, keeping its newline style."""
    newline = b"\r\n" if b"\r\n" in original else b"\n"
    text = original
    if text and not text.endswith((b"\n", b"\r")):
        text += newline
    extra = appended_function(index, original).encode("ascii")
    if newline != b"\n":
        extra = extra.replace(b"\n", newline)
    return text + extra


def binds_conflicting_name(source: bytes) -> bool:
    """Whether a module-level name would clash with the appended function's name."""
    return FUNC_PREFIX.encode() in source


def is_parseable(source: bytes) -> bool:
    """Both the running interpreter and libcst parse ``source``."""
    import libcst

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(source)
        libcst.parse_module(source)
    except Exception:
        return False
    return True


def _candidate_order(files: Sequence[Path]) -> list[Path]:
    """Files in a deterministic pseudo-random order (by hash of the relative path)."""
    eligible = [
        f
        for f in files
        if not any(part in f.as_posix() for part in SKIP_FOR_DENSE)
        and not SKIP_DIRS_FOR_DENSE.intersection(f.parts[:-1])
    ]
    return sorted(eligible, key=lambda p: hashlib.sha256(p.as_posix().encode()).hexdigest())


def _base_ok(item: tuple[str, str]) -> bool:
    root, rel = item
    original = Path(root, rel).read_bytes()
    return not binds_conflicting_name(original) and is_parseable(original)


def _dense_ok(item: tuple[str, str, int]) -> bool:
    root, rel, index = item
    return is_parseable(make_dense_source(Path(root, rel).read_bytes(), index))


def choose_dense(
    files: Sequence[Path], root: Path, count: int = DENSE_COUNT, jobs: int = 2
) -> list[Path]:
    """The first ``count`` files in hash order that parse (interpreter and libcst).

    Returned in that order: the n-th file gets the n-th appended shape. Every generated file is
    parsed again, so a shape that broke a file would stop the build instead of skewing counts.
    """
    order = _candidate_order(files)
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        chosen: list[Path] = []
        start = 0
        while len(chosen) < count and start < len(order):
            batch = order[start : start + count - len(chosen) + 8]
            oks = pool.map(_base_ok, [(str(root), p.as_posix()) for p in batch], chunksize=8)
            chosen.extend(p for p, ok in zip(batch, oks) if ok)
            start += len(batch)
        chosen = chosen[:count]
        if len(chosen) < count:
            raise SystemExit(f"only {len(chosen)} parseable files for the dense corpus")
        items = [(str(root), p.as_posix(), i) for i, p in enumerate(chosen)]
        broken = [
            rel for (_, rel, _), ok in zip(items, pool.map(_dense_ok, items, chunksize=8)) if not ok
        ]
    if broken:
        raise SystemExit(f"appended code broke {len(broken)} files, e.g. {broken[:3]}")
    return chosen


def _tree_digest(paths: Iterator[tuple[str, bytes]]) -> str:
    digest = hashlib.sha256()
    for rel, data in paths:
        digest.update(rel.encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def _manifest_key(root: Path, files: Sequence[Path]) -> dict[str, object]:
    return {
        "generator": GENERATOR_VERSION,
        "python": sys.version.split()[0],
        "stdlib": str(root),
        "stdlib_files": len(files),
        "dense_count": DENSE_COUNT,
    }


def read_manifest(out: Path) -> dict[str, object] | None:
    try:
        return json.loads((out / MANIFEST).read_text())
    except (OSError, ValueError):
        return None


def build(out: Path = DEFAULT_OUT, *, force: bool = False, jobs: int = 2) -> dict[str, object]:
    """Build (or reuse) both corpora under ``out``; return the manifest."""
    root = stdlib_root()
    files = stdlib_files(root)
    key = _manifest_key(root, files)
    manifest = read_manifest(out)
    up_to_date = manifest and all(manifest.get(k) == v for k, v in key.items())
    if not force and up_to_date and (out / "clean").is_dir() and (out / "dense").is_dir():
        return manifest
    for sub in ("clean", "dense"):
        shutil.rmtree(out / sub, ignore_errors=True)
    clean_lines = clean_bytes = 0
    for rel in files:
        data = (root / rel).read_bytes()
        clean_lines += data.count(b"\n")
        clean_bytes += len(data)
        target = out / "clean" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    dense = choose_dense(files, root, jobs=jobs)
    dense_lines = dense_bytes = 0
    codes: dict[str, int] = {}
    for index, rel in enumerate(dense):
        data = make_dense_source((root / rel).read_bytes(), index)
        dense_lines += data.count(b"\n")
        dense_bytes += len(data)
        codes[choose_shape(index).code] = codes.get(choose_shape(index).code, 0) + 1
        target = out / "dense" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    # Tools look for configuration upward from the files they check: this file makes the
    # corpora a project of their own, so the repository's settings (its [tool.dockfix] excludes
    # bench/corpus/**, its ruff target is py39) do not apply.
    (out / "pyproject.toml").write_text(
        "# Written by bench/corpus.py: the benchmark corpora are a project of their own.\n"
        "[tool.dockfix]\n\n"
        "[tool.ruff]\n"
        f'target-version = "py{sys.version_info[0]}{sys.version_info[1]}"\n'
    )
    # semgrep skips test/ and tests/ directories by default unless a .semgrepignore exists.
    (out / ".semgrepignore").write_text("# Written by bench/corpus.py: check every file.\n")
    manifest = {
        **key,
        "clean": {"files": len(files), "lines": clean_lines, "bytes": clean_bytes},
        "dense": {
            "files": len(dense),
            "lines": dense_lines,
            "bytes": dense_bytes,
            "expected_findings": len(dense),
            "expected_codes": dict(sorted(codes.items())),
            "digest": _tree_digest((p.as_posix(), (out / "dense" / p).read_bytes()) for p in dense),
        },
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="corpus directory")
    parser.add_argument("--force", action="store_true", help="rebuild even if up to date")
    parser.add_argument("--jobs", type=int, default=2, help="processes for the parse check")
    args = parser.parse_args(argv)
    manifest = build(args.out, force=args.force, jobs=args.jobs)
    print(json.dumps({k: manifest[k] for k in ("python", "clean", "dense")}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
