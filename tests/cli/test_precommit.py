"""The pre-commit hooks exist and run the real commands."""

from __future__ import annotations

import shlex
from typing import Any

from tests.cli.conftest import REPO, THREE_RMS, run_proc, write


def load_hooks() -> list[dict[str, Any]]:
    """The hooks file: with PyYAML when installed, else a reader for its flat shape."""
    text = (REPO / ".pre-commit-hooks.yaml").read_text()
    try:
        import yaml
    except ImportError:
        hooks: list[dict[str, Any]] = []
        for line in text.splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if line.startswith("- "):
                hooks.append({})
                line = line[2:]
            key, _, value = line.strip().partition(":")
            value = value.strip()
            if value.startswith("["):
                hooks[-1][key] = [v.strip() for v in value.strip("[]").split(",")]
            else:
                hooks[-1][key] = {"false": False, "true": True}.get(value, value)
        return hooks
    return list(yaml.safe_load(text))


def test_hooks_check_and_fix() -> None:
    hooks = load_hooks()
    by_id = {hook["id"]: hook for hook in hooks}
    assert set(by_id) == {"dockfix-check", "dockfix-fix"}
    for hook in hooks:
        assert {"id", "name", "entry", "language"} <= set(hook)
        assert hook["language"] == "python"
        assert hook["types"] == ["python"]
    assert shlex.split(by_id["dockfix-check"]["entry"])[:2] == ["dockfix", "check"]
    assert shlex.split(by_id["dockfix-fix"]["entry"])[:2] == ["dockfix", "fix"]


def test_hook_entry_with_named_files_honours_exclude(tmp_path) -> None:
    """pre-commit names each file; --force-exclude keeps excluded ones out."""
    write(tmp_path, "pyproject.toml", '[tool.dockfix]\nexclude = ["vendor/**"]\n')
    vendored = write(tmp_path, "vendor/lib.py", THREE_RMS)
    own = write(tmp_path, "own.py", THREE_RMS)
    hooks = load_hooks()
    entry = next(h["entry"] for h in hooks if h["id"] == "dockfix-check")
    args = shlex.split(entry)[1:]
    result = run_proc(*args, str(vendored.relative_to(tmp_path)), cwd=tmp_path)
    assert result.code == 0
    result = run_proc(*args, str(own.relative_to(tmp_path)), cwd=tmp_path)
    assert result.code == 1
