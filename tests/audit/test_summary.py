"""Reading the audit log and summarising it."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockfix.audit import (
    build_timeline,
    parse_lines,
    percentile,
    read_audit_log,
    summarize,
)
from tests.audit.helpers import T0, audit_lines, audit_record

CONTRACT_EXAMPLE = (
    '{"v": 1, "ts": 1733338800.123, "pid": 4242, "host": "ci-7", "op": "rm", '
    '"argv": ["docker", "rm", "c1"], "wait": 0.013, "duration": 0.204, "returncode": 0, '
    '"attempt": 1, "slot": 2, "error": null, "refused": false}'
)


def test_contract_example_parses() -> None:
    log = parse_lines([CONTRACT_EXAMPLE])
    assert log.bad_lines == ()
    (record,) = log.records
    assert record.op == "rm"
    assert record.argv == ("docker", "rm", "c1")
    assert record.ts == pytest.approx(1733338800.123)
    assert record.wait == pytest.approx(0.013)
    assert record.duration == pytest.approx(0.204)
    assert record.returncode == 0
    assert (record.slot, record.pid, record.host) == (2, 4242, "ci-7")
    assert not record.failed
    assert not record.refused


def test_bad_lines_are_counted_not_fatal() -> None:
    log = parse_lines(["not json", "", CONTRACT_EXAMPLE, "[1, 2]", '{"op": "rm"}'])
    assert len(log.records) == 1
    assert log.bad_lines == (1, 4, 5)


def test_read_from_offset_and_skip_a_half_written_last_line(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    first = audit_lines(audit_record("ps"))
    path.write_text(first + audit_lines(audit_record("rm")) + '{"v": 1, "ts": 17')
    assert [r.op for r in read_audit_log(path).records] == ["ps", "rm"]
    assert [r.op for r in read_audit_log(path, offset=len(first)).records] == ["rm"]


def test_counts_failures_refusals() -> None:
    records = parse_lines(
        audit_lines(
            audit_record("rm", ts=0),
            audit_record("rm", ts=1),
            audit_record("stop", ts=2),
            audit_record(
                "rm",
                ts=3,
                returncode=1,
                error="Error response from daemon: No such container: c9",
            ),
            audit_record(
                "rm",
                ts=4,
                returncode=1,
                error="Error response from daemon: No such container: c9",
                attempt=2,
            ),
            audit_record("kill", ts=5, returncode=1, error="boom\nis not running"),
            audit_record("rm", ts=6, refused=True, argv=["docker", "rm", "-f", "x"]),
            audit_record("volume rm", ts=7),
        ).splitlines()
    ).records
    summary = summarize(records)
    assert summary.operations == 7  # the refusal ran nothing
    assert dict(summary.by_op) == {"rm": 4, "stop": 1, "kill": 1, "volume rm": 1}
    assert summary.by_op[0] == ("rm", 4)
    assert summary.failed == 3
    assert [(g.op, g.count, g.error) for g in summary.failures] == [
        ("rm", 2, "Error response from daemon: No such container: c9"),
        ("kill", 1, "boom"),
    ]
    assert summary.failures[0].returncodes == (1,)
    assert summary.retried == 1
    assert summary.refused == (("docker", "rm", "-f", "x"),)
    data = summary.as_dict()
    assert data["by_command"] == {"rm": 4, "kill": 1, "stop": 1, "volume rm": 1}
    assert data["refused"] == [["docker", "rm", "-f", "x"]]


def test_peak_concurrency_counts_overlaps_across_processes() -> None:
    records = parse_lines(
        audit_lines(
            audit_record(ts=0.0, duration=1.0, pid=1),
            audit_record(ts=0.5, duration=1.0, pid=2),
            audit_record(ts=0.6, duration=0.1, pid=3),
            audit_record(ts=2.0, duration=0.5, pid=1),
        ).splitlines()
    ).records
    summary = summarize(records)
    assert summary.peak_concurrency == 3
    assert summary.peak_at == pytest.approx(T0 + 0.6)
    assert summary.processes == 3
    assert summary.start == pytest.approx(T0)
    assert summary.end == pytest.approx(T0 + 2.5)


def test_back_to_back_processes_do_not_overlap() -> None:
    records = parse_lines(
        audit_lines(
            audit_record(ts=0.0, duration=1.0), audit_record(ts=1.0, duration=1.0)
        ).splitlines()
    ).records
    assert summarize(records).peak_concurrency == 1


def test_wait_and_duration_statistics() -> None:
    durations = [0.1 * n for n in range(1, 21)]  # 0.1 .. 2.0
    records = parse_lines(
        audit_lines(
            *(audit_record(ts=10 * i, duration=d, wait=0.5) for i, d in enumerate(durations))
        ).splitlines()
    ).records
    summary = summarize(records)
    assert summary.duration_p50 == pytest.approx(1.0)
    assert summary.duration_p95 == pytest.approx(1.9)
    assert summary.duration_max == pytest.approx(2.0)
    assert summary.wait_total == pytest.approx(10.0)
    assert summary.wait_max == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("values", "pct", "expected"),
    [([], 50, 0.0), ([3.0], 95, 3.0), ([1.0, 2.0], 50, 1.0), ([4.0, 1.0, 3.0, 2.0], 100, 4.0)],
)
def test_percentile_nearest_rank(values: list[float], pct: float, expected: float) -> None:
    assert percentile(values, pct) == expected


def test_empty_log() -> None:
    summary = summarize(())
    assert summary.operations == 0
    assert summary.peak_concurrency == 0
    assert summary.start is None
    assert build_timeline(()).peaks == ()


def test_timeline_shows_the_burst() -> None:
    burst = [audit_record(ts=5.0 + 0.01 * i, duration=0.5, pid=i) for i in range(6)]
    calm = [audit_record(ts=float(t), duration=0.2) for t in (0, 1, 2, 8, 9)]
    records = parse_lines(audit_lines(*calm, *burst).splitlines()).records
    timeline = build_timeline(records, buckets=10)
    assert len(timeline.peaks) == 10
    assert max(timeline.peaks) == 6 == summarize(records).peak_concurrency
    burst_bucket = int((T0 + 5.05 - timeline.start) / timeline.bucket_seconds)
    assert timeline.peaks[burst_bucket] == 6
    assert timeline.peaks[0] == 1
    assert all(p <= 1 for i, p in enumerate(timeline.peaks) if abs(i - burst_bucket) > 1)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            "docker: Error response from daemon: No such image: x.\nSee 'docker run --help'.",
            "docker: Error response from daemon: No such image: x.",
        ),
        ("warning: a\nError: No such container: c", "Error: No such container: c"),
        (
            "Cannot connect to the Docker daemon at unix:///x",
            "Cannot connect to the Docker daemon at unix:///x",
        ),
        ("just text\nmore", "just text"),
        (None, "exit status 1"),
    ],
)
def test_error_line(error: str | None, expected: str) -> None:
    from dockfix.audit._summary import error_line

    assert error_line(error, 1) == expected


def test_callables_and_timeouts_have_no_returncode() -> None:
    records = parse_lines(
        audit_lines(
            audit_record("callable", returncode=None, argv=["container.stop"]),
            audit_record("stop", returncode=None, error="timed out after 25 s"),
        ).splitlines()
    ).records
    summary = summarize(records)
    assert summary.operations == 2
    assert summary.failed == 1
    assert [(g.op, g.error, g.returncodes) for g in summary.failures] == [
        ("stop", "timed out after 25 s", ())
    ]
