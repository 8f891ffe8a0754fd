"""The rich report and the `dockfix audit` command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dockfix.audit import parse_lines, render_text, summarize
from dockfix.cli import app
from tests.audit.helpers import audit_lines, audit_record

LOG = audit_lines(
    *(audit_record("rm", ts=0.1 * i, duration=1.0, wait=0.05, pid=i) for i in range(5)),
    audit_record("stop", ts=3.0, duration=1.2),
    audit_record("rm", ts=4.0, returncode=1, error="Error response from daemon: boom"),
    audit_record("rm", ts=5.0, refused=True, argv=["docker", "rm", "-f", "web"]),
)


@pytest.fixture
def logfile(tmp_path: Path) -> Path:
    path = tmp_path / "audit.jsonl"
    path.write_text(LOG)
    return path


def test_text_report_names_everything() -> None:
    records = parse_lines(LOG.splitlines()).records
    text = render_text(summarize(records), records, width=100)
    assert "\x1b[" not in text  # no colour unless asked
    assert "7 Docker operations" in text
    assert "1 failed" in text
    assert "1 refused" in text
    assert "peak 5 at once" in text
    for expected in (
        "rm",
        "stop",
        "p50",
        "p95",
        "max",
        "slot wait",
        "Error response from daemon: boom",
    ):
        assert expected in text
    assert "docker rm -f web" in text
    assert "docker processes running at once (peak 5)" in text
    assert "█" in text
    assert all(len(line) <= 100 for line in text.splitlines())


def test_colour_when_asked() -> None:
    records = parse_lines(LOG.splitlines()).records
    assert "\x1b[" in render_text(summarize(records), records, width=80, color=True)


def test_empty_report() -> None:
    assert render_text(summarize(()), (), width=80).startswith("0 Docker operations")


def test_cli_text(logfile: Path) -> None:
    result = CliRunner().invoke(app, ["audit", str(logfile), "--width", "90"])
    assert result.exit_code == 0, result.output
    assert "7 Docker operations" in result.output
    assert "docker processes running at once" in result.output


def test_cli_json(logfile: Path) -> None:
    result = CliRunner().invoke(app, ["audit", str(logfile), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["operations"] == 7
    assert data["by_command"] == {"rm": 6, "stop": 1}
    assert data["failed"] == 1
    assert data["failures"][0]["error"] == "Error response from daemon: boom"
    assert data["refused"] == [["docker", "rm", "-f", "web"]]
    assert data["peak_concurrency"] == 5
    assert set(data["duration"]) == {"p50", "p95", "max"}
    assert data["slot_wait"]["total"] == pytest.approx(0.25)
    assert max(data["timeline"]["peaks"]) == 5
    assert data["bad_lines"] == []


def test_cli_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["audit", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 2
    assert "cannot read" in result.output


def test_cli_reads_stdin_and_warns_about_bad_lines() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "dockfix", "audit", "-", "--format", "json"],
        input=LOG + "garbage\n",
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["bad_lines"] == [9]
    assert "1 line(s) are not audit records" in proc.stderr


def test_marks_under_the_timeline() -> None:
    records = parse_lines(LOG.splitlines()).records
    start = min(r.ts for r in records)
    text = render_text(
        summarize(records),
        records,
        width=80,
        marks=[(start + 2.0, "daemon restarted"), (start + 999, "outside: not shown")],
    )
    assert "▲ +2.0s daemon restarted" in text
    assert "outside" not in text
    marker_line = next(line for line in text.splitlines() if line.strip() == "▲")
    axis = next(line for line in text.splitlines() if "└" in line)
    column = marker_line.index("▲") - axis.index("└") - 1
    assert column == int(2.0 / 4.2 * (len(axis) - axis.index("└") - 1))  # the last ends at +4.2s
