"""The dense benchmark corpus (``bench/corpus.py``), for tests that compare engine paths on it."""

from __future__ import annotations

from pathlib import Path

DENSE = Path(__file__).resolve().parents[1] / "bench" / "corpus" / "dense"
NOT_BUILT = "the dense benchmark corpus is not built"


def dense_sample(count: int) -> list[Path]:
    """``count`` dense files spread evenly over the sorted corpus (none when it is not built)."""
    if not DENSE.is_dir():
        return []
    files = sorted(DENSE.rglob("*.py"))
    step = max(1, len(files) // count)
    return files[::step][:count]
