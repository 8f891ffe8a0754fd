"""A content cache of findings: an unchanged file costs a read and a hash on the next run.

An entry is keyed on the file's bytes and a *salt*: the dockfix version, a fingerprint of
the installed dockfix sources (size and mtime of each module, so an edited checkout never
reads stale entries), the rule codes, and the settings that affect findings. The path is
not part of the key (findings of a Python file depend on its bytes only); non-Python files
scanned with ``--include-non-python`` are never cached.

Where: ``.dockfix_cache/`` in the project root (the folder of the ``pyproject.toml`` in use),
else ``$XDG_CACHE_HOME/dockfix`` (``~/.cache/dockfix``); ``DOCKFIX_CACHE_DIR`` overrides both.
``--no-cache`` or ``DOCKFIX_NO_CACHE=1`` turns it off.

Entries are small JSON files written to a temporary name and renamed into place, so
concurrent runs never read a half-written entry; an entry that does not read back as
expected is ignored (and rewritten). Check mode reads and writes entries; fix mode uses them
only to skip files known to have no findings. A SARIF run also keeps each fixable finding's
replacements in the entry (computing them costs a fix per finding); an entry written
without them serves SARIF only for a file with no fixable finding.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Optional

from dockfix.engine._types import Finding, Settings
from dockfix.report._report import Fixes, Replacement

FORMAT = 1
_FIELDS = {f.name for f in dataclasses.fields(Finding)}


def disabled(no_cache: bool) -> bool:
    return no_cache or os.environ.get("DOCKFIX_NO_CACHE", "") not in ("", "0")


def directory(root: Optional[Path]) -> Path:
    """Where the entries of a project go."""
    explicit = os.environ.get("DOCKFIX_CACHE_DIR")
    if explicit:
        return Path(explicit)
    if root is not None:
        return root / ".dockfix_cache"
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "dockfix"


def salt(settings: Settings) -> str:
    """What besides the bytes decides the findings, as one string."""
    from dockfix import __version__
    from dockfix.engine._triggers import TRIGGERS  # the registry's codes, in its order

    parts: dict[str, Any] = {
        "format": FORMAT,
        "version": __version__,
        "code": _code_fingerprint(),
        "rules": list(TRIGGERS),  # importing the rules themselves costs ~40 ms
        "select": None if settings.select is None else sorted(settings.select),
        "ignore": sorted(settings.ignore),
        "stop_timeout": settings.stop_timeout,
        "executor": settings.executor,
        "runner": settings.runner,
    }
    return json.dumps(parts, sort_keys=True)


def _code_fingerprint() -> str:
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        try:
            stat = path.stat()
        except OSError:
            continue
        digest.update(f"{path.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def key(data: bytes, salt_text: str) -> str:
    digest = hashlib.sha256(salt_text.encode())
    digest.update(b"\0")
    digest.update(data)
    return digest.hexdigest()


def _entry_path(cache_dir: str, entry: str) -> Path:
    return Path(cache_dir) / f"v{FORMAT}" / entry[:2] / f"{entry}.json"


@dataclasses.dataclass(frozen=True)
class Entry:
    """What the cache knows about a file's bytes."""

    findings: tuple[Finding, ...]
    fixes: Optional[Fixes] = None  # each fixable finding's fix; None: not recorded


def load(cache_dir: str, entry: str) -> Optional[Entry]:
    """The cached entry, or None (missing, unreadable or corrupted entry)."""
    try:
        with open(_entry_path(cache_dir, entry), "rb") as handle:
            raw = json.loads(handle.read())
        if not isinstance(raw, dict) or raw.get("key") != entry:
            return None
        findings = tuple(_finding(item) for item in raw["findings"])
        fixes = None if raw.get("fixes") is None else _fixes(raw["fixes"], findings)
        return Entry(findings, fixes)
    except Exception:  # anything wrong with an entry means: no entry
        return None


def _fixes(items: Any, findings: tuple[Finding, ...]) -> Fixes:
    """The fixes of an entry, checked as strictly as they were written (anything else
    raises: the entry is then missing)."""
    keys = {f.key for f in findings}
    if not isinstance(items, list):
        raise ValueError("not a list of fixes")
    found: dict[tuple[str, int, int], tuple[Replacement, ...]] = {}
    for item in items:
        key_items, replacements = item
        code, line, column = key_items
        key = (_text(code), _number(line), _number(column))
        if key not in keys or key in found or not isinstance(replacements, list):
            raise ValueError("a fix for no finding, or twice")
        done = []
        for start, end, text in replacements:
            start, end = _number(start), _number(end)
            if not 1 <= start <= end:
                raise ValueError("not a line range")
            done.append(Replacement(start, end, _text(text)))
        found[key] = tuple(done)
    return tuple(found.items())


def _number(value: Any) -> int:
    if type(value) is not int:
        raise ValueError("not an int")
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("not a str")
    return value


def _finding(item: Any) -> Finding:
    if not isinstance(item, dict) or set(item) != _FIELDS:
        raise ValueError("not a finding")
    values = dict(item)
    values["related"] = tuple((int(a), int(b)) for a, b in values["related"])
    finding = Finding(**values)
    for name in ("line", "column", "end_line", "end_column"):
        if not isinstance(getattr(finding, name), int):
            raise ValueError("not a finding")
    return finding


def store(
    cache_dir: str, entry: str, findings: tuple[Finding, ...], fixes: Optional[Fixes] = None
) -> None:
    """Write an entry atomically; a cache that cannot be written is silently skipped.
    ``fixes`` (SARIF runs) are kept with the findings; None records none."""
    path = _entry_path(cache_dir, entry)
    content: dict[str, Any] = {"key": entry, "findings": [dataclasses.asdict(f) for f in findings]}
    if fixes is not None:
        content["fixes"] = [
            [list(key), [[r.start_line, r.end_line, r.inserted] for r in replacements]]
            for key, replacements in fixes
        ]
    payload = json.dumps(content, sort_keys=True).encode()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _mark(Path(cache_dir))
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
            os.replace(temp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
    except OSError:
        pass


def _mark(cache_dir: Path) -> None:
    """A ``.gitignore`` and a ``CACHEDIR.TAG`` so the cache is never committed or backed up."""
    ignore = cache_dir / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n")
        (cache_dir / "CACHEDIR.TAG").write_text(
            "Signature: 8a477f597d28d172789f06886806bc55\n# dockfix cache\n"
        )
