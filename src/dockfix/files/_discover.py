"""Which files a run looks at: ``*.py`` under the given paths, minus what is ignored.

Walking a folder honours ``.gitignore`` files (from the top of the git work tree down,
with the repository's ``.git/info/exclude``),
the ``exclude`` globs of ``[tool.dockfix]`` (relative to the project root) and a short
list of folders nobody wants checked (``.git``, virtual environments, caches).

A path named on the command line is always processed, even when it is excluded,
unless ``force_exclude`` is set (what pre-commit hooks want, since pre-commit names
every file). A symlink found while walking that points outside the tree is reported,
not followed, unless ``follow_symlinks`` is set; symlinked folders are not walked.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import pathspec

from dockfix.textscan import is_candidate

if TYPE_CHECKING:
    Spec = pathspec.PathSpec[Any]

ALWAYS_SKIPPED = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".tox",
        ".nox",
        ".venv",
        "venv",
        "__pycache__",
        "node_modules",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        "site-packages",
        ".eggs",
    }
)


@dataclass(frozen=True)
class Problem:
    """A path that could not be used, and why."""

    path: str
    message: str
    fatal: bool = True  # an error (exit 2); otherwise a warning that does not fail the run


@dataclass
class Discovery:
    """The files to process, in a stable order, and the paths that could not be used."""

    files: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@functools.lru_cache(maxsize=4096)
def _real_folder(folder: str) -> str:
    return os.path.realpath(folder)


def _lines(path: str) -> list[str]:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read().splitlines()
    except (OSError, UnicodeDecodeError):
        return []


def _spec(lines: Sequence[str]) -> Spec:
    return pathspec.GitIgnoreSpec.from_lines(lines)


class _GitIgnores:
    """``.gitignore`` specs per folder, read once each."""

    def __init__(self) -> None:
        self._specs: dict[str, Optional[Spec]] = {}
        self._tops: dict[str, str] = {}

    def _spec_of(self, folder: str) -> Optional[Spec]:
        if folder not in self._specs:
            lines = _lines(os.path.join(folder, ".gitignore"))
            if os.path.isdir(os.path.join(folder, ".git")):
                lines += _lines(os.path.join(folder, ".git", "info", "exclude"))
            self._specs[folder] = _spec(lines) if lines else None
        return self._specs[folder]

    def top(self, folder: str) -> str:
        """The top of the git work tree holding ``folder``, or ``folder`` outside git."""
        if folder not in self._tops:
            top = folder
            for candidate in (folder, *(str(p) for p in Path(folder).parents)):
                if os.path.exists(os.path.join(candidate, ".git")):
                    top = candidate
                    break
            self._tops[folder] = top
        return self._tops[folder]

    def ignored(self, path: str, is_dir: bool, top: str) -> bool:
        """Whether any ``.gitignore`` from ``top`` down to ``path``'s folder ignores it."""
        if path == top or os.path.commonpath([path, top]) != top:
            return False
        folder = os.path.dirname(path)
        chain = []
        while True:
            chain.append(folder)
            if folder == top or os.path.dirname(folder) == folder:
                break
            folder = os.path.dirname(folder)
        for base in reversed(chain):
            spec = self._spec_of(base)
            if spec is None:
                continue
            rel = os.path.relpath(path, base).replace(os.sep, "/")
            if spec.match_file(rel + "/" if is_dir else rel):
                return True
        return False


@dataclass
class _Walker:
    exclude: Optional[Spec]
    root: Optional[str]
    force_exclude: bool
    follow_symlinks: bool
    include_non_python: bool = False
    gitignores: _GitIgnores = field(default_factory=_GitIgnores)
    unreadable: list[OSError] = field(default_factory=list)  # folders os.walk could not list

    def excluded(self, path: str, is_dir: bool) -> bool:
        if self.exclude is None or self.root is None:
            return False
        # The root is resolved; resolve the folder too (not the file: a symlinked file is
        # matched by its own name), so a symlink in the path does not hide a match.
        folder, name = os.path.split(path)
        rel = os.path.relpath(os.path.join(_real_folder(folder), name), self.root)
        if rel.startswith(".."):
            return False
        rel = rel.replace(os.sep, "/")
        return bool(self.exclude.match_file(rel + "/" if is_dir else rel))

    def walk(self, given: str, found: Discovery) -> None:
        absolute = os.path.abspath(given)
        if not os.path.lexists(given):
            found.problems.append(Problem(given, "no such file or folder"))
            return
        if not os.path.isdir(absolute):
            if self.force_exclude and self.excluded(absolute, False):
                return
            found.files.append(given)
            return
        # A folder named explicitly is walked even if it is excluded itself; the globs
        # then no longer apply inside it (the user asked for it by name).
        use_exclude = self.force_exclude or not self.excluded(absolute, True)
        top = self.gitignores.top(absolute)
        use_gitignore = self.force_exclude or not self.gitignores.ignored(absolute, True, top)
        tree = os.path.realpath(absolute)
        for display, path in self._files_under(given, absolute, use_exclude, use_gitignore, top):
            if os.path.islink(path):
                problem = self._symlink_problem(path, tree)
                if problem:
                    found.problems.append(Problem(display, problem, fatal=False))
                    continue
            found.files.append(display)
        for exc in self.unreadable:  # a folder silently skipped would pass a check it never saw
            shown = os.path.normpath(os.path.join(given, os.path.relpath(exc.filename, absolute)))
            found.problems.append(Problem(shown, f"cannot read folder: {exc.strerror}"))
        self.unreadable.clear()

    def _files_under(
        self, given: str, absolute: str, use_exclude: bool, use_gitignore: bool, top: str
    ) -> Iterator[tuple[str, str]]:
        for folder, dirnames, filenames in os.walk(absolute, onerror=self.unreadable.append):
            kept = []
            for name in sorted(dirnames):
                path = os.path.join(folder, name)
                if name in ALWAYS_SKIPPED or name.endswith(".egg-info"):
                    continue
                if use_exclude and self.excluded(path, True):
                    continue
                if use_gitignore and self.gitignores.ignored(path, True, top):
                    continue
                kept.append(name)
            dirnames[:] = kept
            for name in sorted(filenames):
                if not name.endswith(".py") and not (
                    self.include_non_python and is_candidate(name)
                ):
                    continue
                path = os.path.join(folder, name)
                if use_exclude and self.excluded(path, False):
                    continue
                if use_gitignore and self.gitignores.ignored(path, False, top):
                    continue
                rel = os.path.relpath(path, absolute)
                yield os.path.normpath(os.path.join(given, rel)), path

    def _symlink_problem(self, path: str, tree: str) -> Optional[str]:
        target = os.path.realpath(path)
        if not os.path.exists(target):
            return "broken symlink, skipped"
        if self.follow_symlinks:
            return None
        if os.path.commonpath([target, tree]) != tree:
            return f"symlink to {target}, outside the tree: skipped (--follow-symlinks to process)"
        return None


def discover(
    paths: Sequence[str],
    *,
    exclude: Sequence[str] = (),
    root: Optional[Path] = None,
    force_exclude: bool = False,
    follow_symlinks: bool = False,
    include_non_python: bool = False,
) -> Discovery:
    """The ``*.py`` files under ``paths`` (and shell, Makefile, YAML, Dockerfile files with
    ``include_non_python``); each real file appears once."""
    walker = _Walker(
        exclude=_spec(exclude) if exclude else None,
        root=str(root) if root is not None else None,
        force_exclude=force_exclude,
        follow_symlinks=follow_symlinks,
        include_non_python=include_non_python,
    )
    found = Discovery()
    for given in paths:
        walker.walk(given, found)
    seen: set[str] = set()
    unique = []
    for display in found.files:
        real = os.path.realpath(display)
        if real not in seen:
            seen.add(real)
            unique.append(display)
    found.files = unique
    return found
