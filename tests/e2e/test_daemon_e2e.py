"""End to end against the real daemon: fix a force-removing suite, run it, read the audit.

The suite in ``fixtures/e2e_suite`` starts containers whose main process traps SIGTERM
and force-removes them (``rm -f``, ``container rm --force -v``, ``kill``, ``rm -fv``).
After ``analyze`` fixes it, the suite runs with the real ``dockfix.runtime``: no container
may be left, every container must have been stopped gracefully (its trap ran), and the
executor's audit must show a stop before every removal and no force and no kill.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import dockfix.runtime  # noqa: F401 - the fixed suite needs it: fail here, not in the suite
from dockfix.engine import Settings, analyze

SUITE = Path(__file__).resolve().parents[2] / "fixtures" / "e2e_suite"


def _docker(*args: str) -> subprocess.CompletedProcess[str]:
    # Test plumbing only (finding and sweeping this test's own containers).
    return subprocess.run(  # dockfix: ignore
        ["docker", *args], capture_output=True, text=True, timeout=60, check=False
    )


def _fix_suite(dest: Path) -> None:
    for path in sorted(SUITE.glob("*.py")):
        result = analyze(path.read_bytes(), Settings(), path=str(path))
        assert result.error is None, result.error
        pending = [f for f in result.findings if f.key not in result.applied]
        assert pending == [], pending
        (dest / path.name).write_bytes(result.fixed)


def _audit(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_fixed_suite_stops_before_removing(docker_daemon: str, tmp_path: Path) -> None:
    suite = tmp_path / "suite"
    suite.mkdir()
    _fix_suite(suite)
    (suite / "pytest.ini").write_text("[pytest]\n")
    markers = tmp_path / "markers"
    markers.mkdir()
    markers.chmod(0o777)
    audit = tmp_path / "audit.jsonl"
    run_id = uuid.uuid4().hex[:10]
    label = f"dockfix.e2e={run_id}"
    prefix = f"dockfix-e2e-{run_id}"
    env = {
        **os.environ,
        "E2E_IMAGE": docker_daemon,
        "E2E_LABEL": label,
        "E2E_MARKERS": str(markers),
        "E2E_PREFIX": prefix,
        "DOCKFIX_AUDIT_LOG": str(audit),
        "DOCKFIX_STOP_TIMEOUT": "5",
        "DOCKFIX_LOCK_DIR": str(tmp_path / "locks"),
    }
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(suite)],
            cwd=suite,
            env=env,
            capture_output=True,
            text=True,
            timeout=150,
            check=False,
        )
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
        left = _docker("ps", "-aq", "--filter", f"label={label}").stdout.split()
        assert left == [], f"containers left behind: {left}"
    finally:
        ids = _docker("ps", "-aq", "--filter", f"label={label}").stdout.split()
        if ids:
            _docker("stop", "-t", "2", *ids)
            _docker("rm", *ids)
        shutil.rmtree(suite, ignore_errors=True)

    names = [f"{prefix}-{s}" for s in ("web", "a", "b", "killed", "many-0", "many-1", "many-2")]
    not_graceful = [n for n in names if not (markers / n).exists()]
    assert not_graceful == [], f"stopped without SIGTERM: {not_graceful}"

    records = _audit(audit)
    assert records, "the executor wrote no audit"
    for record in records:
        argv = [str(a) for a in record["argv"]]  # type: ignore[attr-defined]
        assert record.get("refused") is False, record
        assert record["op"] != "kill", record
        if record["op"] in ("rm", "volume rm"):
            forced = [a for a in argv if a in ("-f", "--force") or a.startswith("--force=")]
            assert forced == [], record
    for name in names:
        ops = [r["op"] for r in records if name in r["argv"]]  # type: ignore[operator]
        assert "stop" in ops, (name, ops)
        assert "rm" in ops, (name, ops)
        assert ops.index("stop") < ops.index("rm"), (name, ops)


def test_unfixed_suite_kills_without_sigterm(docker_daemon: str, tmp_path: Path) -> None:
    """The control: the same suite before the fix gives no container its SIGTERM."""
    suite = tmp_path / "suite"
    shutil.copytree(SUITE, suite, ignore=shutil.ignore_patterns("__pycache__"))
    (suite / "pytest.ini").write_text("[pytest]\n")
    markers = tmp_path / "markers"
    markers.mkdir()
    markers.chmod(0o777)
    run_id = uuid.uuid4().hex[:10]
    label = f"dockfix.e2e={run_id}"
    env = {
        **os.environ,
        "E2E_IMAGE": docker_daemon,
        "E2E_LABEL": label,
        "E2E_MARKERS": str(markers),
        "E2E_PREFIX": f"dockfix-e2e-{run_id}",
    }
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(suite)],
            cwd=suite,
            env=env,
            capture_output=True,
            text=True,
            timeout=150,
            check=False,
        )
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    finally:
        ids = _docker("ps", "-aq", "--filter", f"label={label}").stdout.split()
        if ids:
            _docker("stop", "-t", "2", *ids)
            _docker("rm", *ids)
    assert sorted(p.name for p in markers.iterdir()) == []
