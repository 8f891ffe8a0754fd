"""Meaning kept, by running it: a command string and its rewrite call docker with the same argv.

A fake ``docker`` on ``PATH`` records its arguments; each snippet runs once as written (through
``/bin/sh`` for shell strings) and once as rewritten by ``analyze`` (through the executor), in a
fresh interpreter. Values hold single words, the documented assumption of the rewrite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dockfix.engine import Settings, analyze

pytestmark = pytest.mark.skipif(os.name != "posix", reason="runs /bin/sh and a script docker")

PRELUDE = """\
import asyncio, os, shlex, subprocess
name, image, idx = "c1", "busybox:1.36", 3
"""

ROUTED = [
    pytest.param('subprocess.run(f"docker run -d --name {name} {image}", shell=True)', id="fstr"),
    pytest.param(
        "out = subprocess.check_output(f\"docker logs --tail 50 '{name}'\", shell=True, text=True)",
        id="single-quoted-field",
    ),
    pytest.param(
        "subprocess.run(\"docker ps --format '{{.Names}}' -f name=%s\" % name, shell=True)",
        id="percent-quoted-braces",
    ),
    pytest.param(
        'subprocess.call("docker inspect " + name + " web-" + str(idx), shell=True)', id="plus"
    ),
    pytest.param('os.system(f"docker pull {image}")', id="os-system"),
    pytest.param(
        'if os.system(f"docker pull {image}") != 0:\n    raise SystemExit(3)', id="os-system-zero"
    ),
    pytest.param(
        "subprocess.run(f'docker run -e \"A=b c\" --rm {image} true', shell=True)",
        id="double-quoted-blank",
    ),
    pytest.param(
        "subprocess.run(shlex.split(f\"docker exec {name} echo 'a b'\"))", id="shlex-split"
    ),
    pytest.param(
        'cmd = ["docker", "ps"]\ncmd += ["-a"]\ncmd.append(name)\nsubprocess.run(cmd)', id="flow"
    ),
    pytest.param(
        "async def main():\n"
        '    p = await asyncio.create_subprocess_shell(f"docker logs {name}")\n'
        "    await p.wait()\n"
        "asyncio.run(main())",
        id="asyncio-shell",
    ),
]


@pytest.fixture
def fake_docker(tmp_path: Path) -> dict[str, str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "argv.jsonl"
    script = bin_dir / "docker"
    script.write_text(
        f"#!{sys.executable}\n"
        "import json, os, sys\n"
        "with open(os.environ['FAKE_DOCKER_LOG'], 'a') as f:\n"
        "    f.write(json.dumps(sys.argv[1:]) + '\\n')\n"
    )
    script.chmod(0o755)
    env = dict(os.environ)
    env.update(
        PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
        FAKE_DOCKER_LOG=str(log),
        DOCKFIX_LOCK_DIR=str(tmp_path / "locks"),
        DOCKFIX_MIN_INTERVAL="0",
        DOCKFIX_DOCKER="docker",
    )
    return env


def _run(code: str, env: dict[str, str]) -> list[list[str]]:
    log = Path(env["FAKE_DOCKER_LOG"])
    log.write_text("")
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=60)
    return [json.loads(line) for line in log.read_text().splitlines()]


def _rewrite(code: str) -> str:
    result = analyze(code.encode(), Settings())
    assert result.error is None
    assert result.findings
    assert all(f.key in result.applied for f in result.findings), result.findings
    return result.fixed.decode()


@pytest.mark.parametrize("snippet", ROUTED)
def test_routed_command_runs_the_same_argv(snippet: str, fake_docker: dict[str, str]) -> None:
    code = PRELUDE + textwrap.dedent(snippet) + "\n"
    before = _run(code, fake_docker)
    after = _run(_rewrite(code), fake_docker)
    assert before
    assert after == before


def test_force_removal_keeps_the_names(fake_docker: dict[str, str]) -> None:
    code = PRELUDE + 'subprocess.run(f"docker rm -f {name} web-{idx}", shell=True)\n'
    assert _run(code, fake_docker) == [["rm", "-f", "c1", "web-3"]]
    calls = _run(_rewrite(code), fake_docker)
    assert [c[0] for c in calls] == ["stop", "rm"]
    assert all(c[c.index("--") + 1 :] == ["c1", "web-3"] for c in calls)
