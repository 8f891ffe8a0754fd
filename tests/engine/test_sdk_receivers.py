"""The SDK matcher: receiver tracing by scope, partial acceptance, targets, line endings."""

from __future__ import annotations

import textwrap

import libcst as cst

from dockfix.engine import Settings, analyze


def _src(text: str) -> bytes:
    return textwrap.dedent(text).lstrip("\n").encode()


DEFAULT = Settings()


def _codes(source: bytes, settings: Settings = DEFAULT) -> list[tuple[str, int]]:
    return [(f.code, f.line) for f in analyze(source, settings).findings]


def test_same_name_in_another_scope_is_not_a_container() -> None:
    source = _src(
        """
        import subprocess

        import docker


        def docker_side(client: docker.DockerClient):
            c = client.containers.get("x")
            c.kill()


        def process_side():
            c = subprocess.Popen(["sleep", "9"])
            c.kill()
        """
    )
    assert _codes(source) == [("DF102", 8)]


def test_attribute_bound_to_two_kinds_stays_quiet() -> None:
    source = _src(
        """
        import docker


        class A:
            def __init__(self):
                self.engine = docker.from_env()


        class B:
            def __init__(self):
                self.engine = Engine()

            def close(self):
                self.engine.api.kill("x")
        """
    )
    assert _codes(source) == []


def test_pytest_fixture_parameter_is_traced() -> None:
    source = _src(
        """
        import docker
        import pytest


        @pytest.fixture
        def dclient():
            return docker.from_env()


        def test_it(dclient):
            dclient.containers.get("x").kill()


        def helper(dclient):
            dclient.containers.get("x").kill()
        """
    )
    assert _codes(source) == [("DF102", 11)]


def test_accepting_one_finding_applies_only_that_fix() -> None:
    source = _src(
        """
        import docker

        client = docker.from_env()
        c = client.containers.get("x")
        c.kill()
        c.remove(force=True)
        """
    )
    result = analyze(source, Settings(), accept=lambda f: f.code == "DF102")
    assert [f.code for f in result.findings] == ["DF102", "DF101"]
    assert result.applied == (("DF102", 5, 1),)
    fixed = result.fixed.decode()
    assert "docker_executor.run_limited(c.stop, timeout=10)\n" in fixed
    assert "c.remove(force=True)\n" in fixed
    assert fixed.count("from dockfix.runtime import docker_executor") == 1
    cst.parse_module(result.fixed)


def test_select_prefix_df1_keeps_only_sdk_rules() -> None:
    source = _src(
        """
        import subprocess

        import docker

        subprocess.run(["docker", "rm", "-f", "x"])
        docker.from_env().api.kill("x")
        """
    )
    assert _codes(source, Settings(select=frozenset({"DF1"}))) == [("DF102", 6)]
    assert _codes(source, Settings(ignore=frozenset({"DF102"}))) == [("DF001", 5)]


def test_custom_executor_target_is_imported() -> None:
    source = _src(
        """
        import docker

        v = docker.from_env().volumes.get("data")
        v.remove(force=True)
        """
    )
    result = analyze(source, Settings(executor="myproj.limits:executor"))
    assert result.fixed.decode().splitlines()[1:2] == ["from myproj.limits import executor"]
    assert b"executor.run_limited(v.remove)\n" in result.fixed


def test_runner_gets_plain_sdk_calls_and_no_import() -> None:
    source = _src(
        """
        import docker

        c = docker.from_env().containers.get("x")
        c.remove(force=True, v=True)
        """
    )
    result = analyze(source, Settings(runner="myproj.docker:run", stop_timeout=7))
    assert result.fixed.endswith(b"c.stop(timeout=7)\nc.remove(v=True)\n")
    assert b"import run" not in result.fixed


def test_crlf_is_kept_in_new_lines() -> None:
    source = _src(
        """
        import docker

        c = docker.from_env().containers.get("x")
        c.remove(force=True)
        """
    ).replace(b"\n", b"\r\n")
    result = analyze(source, Settings())
    assert result.changed
    assert b"\n" not in result.fixed.replace(b"\r\n", b"")


def test_suppression_on_the_line_above() -> None:
    source = _src(
        """
        import docker

        c = docker.from_env().containers.get("x")
        # dockfix: ignore[DF101]
        c.remove(force=True)
        c.kill()  # dockfix: ignore
        """
    )
    assert _codes(source) == []


def test_finding_points_at_the_call() -> None:
    source = _src(
        """
        import docker

        c = docker.from_env().containers.get("x")
        if c:
            c.remove(force=True)
        """
    )
    (finding,) = analyze(source, Settings()).findings
    assert (finding.line, finding.column, finding.end_column) == (5, 5, 25)
