"""dockfix.textscan: dangerous docker commands in shell, Makefile, YAML and Dockerfile text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dockfix.engine import Finding
from dockfix.textscan import FIX_REASON, file_kind, is_candidate, scan


def codes(path: str, text: str) -> list[tuple[str, int, int]]:
    return [(f.code, f.line, f.column) for f in scan(path, text.encode())]


@pytest.mark.parametrize(
    ("path", "text", "expected"),
    [
        pytest.param("x.sh", "docker rm -f c1\n", [("DF001", 1, 1)], id="rm -f"),
        pytest.param("x.sh", "docker rm --force c1\n", [("DF001", 1, 1)], id="rm --force"),
        pytest.param("x.sh", "docker rm --force=true c1\n", [("DF001", 1, 1)], id="--force=true"),
        pytest.param("x.sh", "docker rm -vf c1\n", [("DF001", 1, 1)], id="combined -vf"),
        pytest.param("x.sh", "docker rm -fv c1\n", [("DF001", 1, 1)], id="combined -fv"),
        pytest.param("x.sh", "docker rm c1 c2 -f\n", [("DF001", 1, 1)], id="flag after names"),
        pytest.param("x.sh", "docker container rm -f c\n", [("DF001", 1, 1)], id="container rm"),
        pytest.param("x.sh", "docker container remove -f c\n", [("DF001", 1, 1)], id="remove"),
        pytest.param("x.sh", "  sudo docker rm -f c\n", [("DF001", 1, 8)], id="sudo"),
        pytest.param("x.sh", "/usr/bin/docker rm -f c\n", [("DF001", 1, 1)], id="path"),
        pytest.param(
            "x.sh", "docker -H tcp://h:2375 rm -f c\n", [("DF001", 1, 1)], id="global option"
        ),
        pytest.param(
            "x.sh", "docker --context ci rm -f c\n", [("DF001", 1, 1)], id="--context value"
        ),
        pytest.param(
            "x.sh",
            "docker ps -aq | xargs -r -n 1 docker rm -f\n",
            [("DF001", 1, 31)],
            id="xargs with options",
        ),
        pytest.param(
            "x.sh",
            "docker rm -f $(docker ps -aq -f status=exited)\n",
            [("DF001", 1, 1)],
            id="substitution: outer only",
        ),
        pytest.param("x.sh", "true && docker rm -f c || true\n", [("DF001", 1, 9)], id="&&"),
        pytest.param("x.sh", "x=1; docker rm -f c\n", [("DF001", 1, 6)], id="after ;"),
        pytest.param("x.sh", "FOO=bar docker rm -f c\n", [("DF001", 1, 9)], id="env prefix"),
        pytest.param("x.sh", "if docker kill c; then :; fi\n", [("DF002", 1, 4)], id="if kill"),
        pytest.param(
            "x.sh", 'sh -c "cd /x && docker rm -f c"\n', [("DF001", 1, 17)], id="sh -c string"
        ),
        pytest.param("x.sh", "eval 'docker kill c'\n", [("DF002", 1, 7)], id="eval string"),
        pytest.param(
            "x.sh", 'echo "gone: $(docker kill c)"\n', [("DF002", 1, 15)], id="substitution in text"
        ),
        pytest.param("x.sh", "$DOCKER rm -f c\n", [("DF001", 1, 1)], id="$DOCKER"),
        pytest.param("x.sh", "${DOCKER_BIN} kill c\n", [("DF002", 1, 1)], id="${DOCKER_BIN}"),
        pytest.param("x.sh", "docker kill c\n", [("DF002", 1, 1)], id="kill default signal"),
        pytest.param("x.sh", "docker kill -s KILL c\n", [("DF002", 1, 1)], id="kill -s KILL"),
        pytest.param("x.sh", "docker kill --signal=9 c\n", [("DF002", 1, 1)], id="--signal=9"),
        pytest.param("x.sh", "docker kill -s SIGKILL c\n", [("DF002", 1, 1)], id="SIGKILL"),
        pytest.param("x.sh", 'docker kill -s "$SIG" c\n', [("DF002", 1, 1)], id="signal var"),
        pytest.param("x.sh", "docker container kill c\n", [("DF002", 1, 1)], id="container kill"),
        pytest.param("x.sh", "docker volume rm -f v\n", [("DF003", 1, 1)], id="volume rm -f"),
        pytest.param(
            "x.sh", "docker volume remove --force v\n", [("DF003", 1, 1)], id="volume remove"
        ),
        pytest.param(
            "x.sh",
            "docker rm -f a\ndocker kill b\ndocker volume rm -f c\n",
            [("DF001", 1, 1), ("DF002", 2, 1), ("DF003", 3, 1)],
            id="one per line",
        ),
        pytest.param("x.sh", "docker rm \\\n  -f c\n", [("DF001", 1, 1)], id="continued line"),
    ],
)
def test_reports(path: str, text: str, expected: list[tuple[str, int, int]]) -> None:
    assert codes(path, text) == expected


@pytest.mark.parametrize(
    ("path", "text"),
    [
        pytest.param("x.sh", "docker rm c1\n", id="rm without force"),
        pytest.param("x.sh", "docker rm --force=false c1\n", id="--force=false"),
        pytest.param("x.sh", "docker stop -t 10 c1\n", id="stop"),
        pytest.param("x.sh", "docker kill -s HUP c1\n", id="kill with HUP: a reload"),
        pytest.param("x.sh", "docker kill --signal=USR1 c1\n", id="kill USR1"),
        pytest.param("x.sh", "docker kill -s=HUP c1\n", id="kill -s=HUP"),
        pytest.param("x.sh", "docker build -f Dockerfile .\n", id="build -f"),
        pytest.param("x.sh", "docker compose -f c.yml rm -f\n", id="compose"),
        pytest.param("x.sh", "docker-compose rm -f\n", id="docker-compose"),
        pytest.param("x.sh", "docker ps -f status=exited\n", id="ps -f"),
        pytest.param("x.sh", "docker logs -f c\n", id="logs -f"),
        pytest.param("x.sh", "docker container prune -f\n", id="prune -f"),
        pytest.param("x.sh", "docker volume prune -f\n", id="volume prune -f"),
        pytest.param("x.sh", "docker exec c rm -f /data/x\n", id="rm -f inside a container"),
        pytest.param("x.sh", "docker run --rm img rm -f /x\n", id="run --rm"),
        pytest.param("x.sh", 'echo "docker rm -f is dangerous"\n', id="text in echo"),
        pytest.param("x.sh", "echo '$(docker kill c)'\n", id="single quotes: literal"),
        pytest.param("x.sh", "echo docker rm -f c\n", id="echo argument"),
        pytest.param("x.sh", "# docker rm -f c\n", id="comment line"),
        pytest.param("x.sh", "true  # docker kill c\n", id="trailing comment"),
        pytest.param("x.sh", "rm -f /tmp/docker\n", id="rm -f of a path"),
        pytest.param("x.sh", "pkill docker; kill -9 $pid\n", id="process kill"),
        pytest.param("x.sh", "mydocker rm -f c\n", id="another program"),
        pytest.param("x.sh", "docker rm -f c  # dockfix: ignore\n", id="suppressed"),
        pytest.param("x.sh", "# dockfix: ignore[DF002]\ndocker kill c\n", id="suppressed above"),
        pytest.param("x.sh", "", id="empty"),
    ],
)
def test_quiet(path: str, text: str) -> None:
    assert codes(path, text) == []


def test_suppression_of_another_code_still_reports() -> None:
    assert codes("x.sh", "docker kill c  # dockfix: ignore[DF001]\n") == [("DF002", 1, 1)]


def test_finding_fields() -> None:
    (finding,) = scan("ci/clean.sh", b"set -e\n  docker rm -f \\\n    web db\n")
    assert isinstance(finding, Finding)
    assert finding.code == "DF001"
    assert finding.name == "force-remove-container"
    assert (finding.line, finding.column) == (2, 3)
    assert (finding.end_line, finding.end_column) == (3, 11)  # exclusive, after "db"
    assert finding.fixable is False
    assert finding.fix_reason == FIX_REASON
    assert "SIGKILL" in finding.message


MAKEFILE = """\
DOCKER ?= docker
NUKE := docker volume rm -f data
clean:
\t@docker rm -f $(NAME) || true
\t-$(DOCKER) kill $(NAME)
\techo docker rm -f
\t$(DOCKER) stop -t 10 $(NAME)
"""


def test_makefile() -> None:
    assert codes("Makefile", MAKEFILE) == [("DF003", 2, 9), ("DF001", 4, 3), ("DF002", 5, 3)]


CI_YAML = """\
name: ci
jobs:
  test:
    steps:
      - name: docker rm -f stale containers
        run: docker rm -f db
      - name: cleanup
        run: |
          docker kill web || true
          echo "docker rm -f in text"
      - run: "docker volume rm -f data"
    script:
      - docker rm -f x
      # - docker rm -f commented
    command: ["sh", "-c", "docker rm -f y"]
    cmd: ["docker", "kill", "z"]
    description: docker rm -f in a description
    after: done
"""


def test_ci_yaml_reports_command_values_only() -> None:
    assert codes(".github/workflows/ci.yml", CI_YAML) == [
        ("DF001", 6, 14),
        ("DF002", 9, 11),
        ("DF003", 11, 15),
        ("DF001", 13, 9),
        ("DF001", 15, 28),
        ("DF002", 16, 10),
    ]


DOCKERFILE = """\
FROM busybox
RUN docker rm -f x && \\
    # a comment inside the instruction
    docker kill y
LABEL note="docker rm -f"
CMD ["docker", "rm", "-f", "z"]
RUN --mount=type=cache,target=/x docker volume rm --force q
ENTRYPOINT ["sh", "-c", "docker kill w"]
"""


def test_dockerfile() -> None:
    assert codes("Dockerfile", DOCKERFILE) == [
        ("DF001", 2, 5),
        ("DF002", 4, 5),
        ("DF001", 6, 5),
        ("DF003", 7, 34),
        ("DF002", 8, 26),
    ]


def test_crlf_and_non_utf8_bytes() -> None:
    data = b"echo \xff\xfe\r\ndocker rm -f c\r\n"
    assert [(f.code, f.line, f.column) for f in scan("x.sh", data)] == [("DF001", 2, 1)]


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("scripts/clean.sh", "shell"),
        ("a/b.bash", "shell"),
        ("Makefile", "make"),
        ("sub/GNUmakefile", "make"),
        ("rules.mk", "make"),
        (".gitlab-ci.yml", "yaml"),
        (".github/workflows/ci.yaml", "yaml"),
        ("Dockerfile", "dockerfile"),
        ("docker/Dockerfile.test", "dockerfile"),
        ("app.dockerfile", "dockerfile"),
        ("Containerfile", "dockerfile"),
        ("src/app.py", None),
        ("README.md", None),
        ("bin/tool", None),
    ],
)
def test_file_kind(path: str, kind: str | None) -> None:
    assert file_kind(path) == kind
    assert is_candidate(path) is (kind is not None)


def test_shebang_makes_an_extensionless_script_a_candidate() -> None:
    assert is_candidate("bin/cleanup", b"#!/usr/bin/env bash\nset -e\n")
    assert is_candidate("bin/cleanup", b"#!/bin/sh\n")
    assert not is_candidate("bin/tool", b"#!/usr/bin/env python3\n")
    assert not is_candidate("bin/tool.txt", b"#!/bin/sh\n")


def test_unknown_file_is_read_as_shell() -> None:
    assert codes("whatever", "docker rm -f c\n") == [("DF001", 1, 1)]


def test_import_is_light() -> None:
    import subprocess
    import sys

    code = (
        "import sys, dockfix.textscan; "
        "print([m for m in ('libcst', 'typer', 'rich', 'dockfix.rules') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


_PIECES = [
    "docker",
    " rm",
    " kill",
    " volume",
    " -f",
    " --force",
    " -s",
    " KILL",
    "'",
    '"',
    "\\\n",
    "\n",
    "#",
    ";",
    " && ",
    "$(",
    ")",
    "`",
    " - ",
    "run: ",
    "RUN ",
    "[",
    "]",
    ",",
    "\t",
    "é",
]


@pytest.mark.parametrize("path", ["x.sh", "Makefile", "ci.yml", "Dockerfile"])
@settings(max_examples=150, deadline=None)
@given(data=st.lists(st.sampled_from(_PIECES), max_size=40).map("".join) | st.text(max_size=200))
def test_never_raises_and_positions_are_in_the_file(path: str, data: str) -> None:
    raw = data.encode("utf-8", "surrogatepass")
    lines = raw.decode("utf-8", "replace").splitlines()
    for finding in scan(path, raw):
        assert 1 <= finding.line <= finding.end_line <= len(lines)
        assert finding.column >= 1
        assert finding.end_column >= 1
        program = lines[finding.line - 1][finding.column - 1 :]
        assert program.lower().lstrip("${(").startswith("docker") or program[:1] in "/["


def test_settings_select_and_ignore() -> None:
    from dockfix.engine import Settings

    data = b"docker rm -f a\ndocker kill b\ndocker volume rm -f c\n"
    assert [f.code for f in scan("x.sh", data, Settings(ignore=frozenset({"DF002"})))] == [
        "DF001",
        "DF003",
    ]
    assert [f.code for f in scan("x.sh", data, Settings(select=frozenset({"DF003"})))] == ["DF003"]
    assert len(scan("x.sh", data, Settings())) == 3
