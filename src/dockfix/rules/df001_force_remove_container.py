"""DF001 force-remove-container: ``docker rm -f`` and its spellings."""

from __future__ import annotations

from typing import Optional

from dockfix.engine._types import Settings
from dockfix.rules._base import DockerCall, Invalid, Rule, Valid, Verdict
from dockfix.rules._common import RM_FLAGS, flags_for, forced, safe_method_fix

_HEAD = "import subprocess\n\n\n"


class ForceRemoveContainer(Rule):
    """Force-removing a container kills it with SIGKILL.

    ## What it does
    Finds `docker rm -f` (`--force`, `--force=true`, `-fv`, `-vf`, `docker container rm -f`,
    `docker container remove -f`) run through `subprocess`, `os` or `asyncio`, with the
    flag before or after the container names.

    ## Why is this bad?
    `docker rm -f` sends SIGKILL: the container's main process gets no SIGTERM, runs no
    cleanup, flushes nothing. In a test suite it also bursts straight to the daemon,
    outside any rate limit.

    ## Example
    ```python
    subprocess.run(["docker", "rm", "-f", name], check=True)
    ```

    ## Use instead
    ```python
    from dockfix.runtime import docker_executor

    docker_executor.stop_and_remove(name, check=True)
    ```
    `docker stop -t N` first (SIGTERM, then SIGKILL after N seconds), then `docker rm`
    without force. `-v`/`--volumes` is kept as `volumes=True`; global options (`-H`,
    `--context`) as `global_args=(...)`. `call` keeps its int result
    (`.returncode`), `check_call` raises on failure (`check=True`), `check_output` keeps
    its output (`.stdout`). The stop timeout is the runtime's (10 s, `DOCKFIX_STOP_TIMEOUT`)
    unless `stop-timeout` is configured, then it is written as `timeout=N`.

    ## Fix safety
    Unsafe in timing: the container now gets its stop grace period, so teardown can take
    up to N seconds longer per container; a missing container still counts as removed.
    Not fixed (reported with the reason): a shell string, an argv built in a variable,
    a program name dockfix cannot resolve, `Popen`, a `timeout=` (a process timeout,
    which is not the stop grace period), `-l`/`--link`, comments inside the call.
    """

    CODE = "DF001"
    NAME = "force-remove-container"

    def check(self, call: DockerCall, settings: Settings) -> Optional[Verdict]:
        cmd = call.command
        flags = flags_for(cmd, ("rm",), RM_FLAGS)
        if cmd is None or flags is None or not forced(flags, cmd):
            return None
        message = "`docker rm -f` kills the container with SIGKILL; stop it, then remove it"
        if flags.problem is not None:
            return Verdict(message, reason=f"the rm flags cannot be read: {flags.problem}")
        if flags.on("link"):
            return Verdict(message, reason="`--link` has no equivalent in stop_and_remove")
        if not flags.operands:
            return Verdict(message, reason="no container names in the argv")
        extra = (("volumes", "True"),) if flags.on("volumes") else ()
        rm_words = ("rm", "-v", "<names>") if flags.on("volumes") else ("rm", "<names>")
        runner = (("stop", "-t", str(settings.stop_timeout), "<names>"), rm_words)
        fix, reason = safe_method_fix(
            call, settings, "stop_and_remove", flags.operands, extra, runner
        )
        return Verdict(message, fix=fix, reason=reason)

    VALID = (
        Valid("rm-without-force", _HEAD + 'subprocess.run(["docker", "rm", name])\n'),
        Valid("force-false", _HEAD + 'subprocess.run(["docker", "rm", "--force=false", c])\n'),
        Valid(
            "exec-rm-f-inside", _HEAD + 'subprocess.run(["docker", "exec", c, "rm", "-f", "/x"])\n'
        ),
        Valid("podman", _HEAD + 'subprocess.run(["podman", "rm", "-f", c])\n'),
        Valid("text-only", 'HELP = "run docker rm -f NAME to clean up"\n'),
        Valid("assert-text", 'assert cmd == ["docker", "rm", "-f", "c"]\n'),
        Valid(
            "shadowed-subprocess",
            """
            def f(subprocess):
                subprocess.run(["docker", "rm", "-f", c])
            """,
        ),
        Valid(
            "suppressed-same-line",
            _HEAD + 'subprocess.run(["docker", "rm", "-f", c])  # dockfix: ignore\n',
        ),
        Valid(
            "suppressed-line-above",
            _HEAD + '# dockfix: ignore[DF001]\nsubprocess.run(["docker", "rm", "-f", c])\n',
        ),
        Valid(
            "constant-podman",
            'import subprocess\nDOCKER = "podman"\nsubprocess.run([DOCKER, "rm", "-f", c])\n',
        ),
    )

    INVALID = (
        Invalid(
            "run-list",
            """
            import subprocess


            def teardown(name):
                subprocess.run(["docker", "rm", "-f", name], check=True)
            """,
            """
            from dockfix.runtime import docker_executor


            def teardown(name):
                docker_executor.stop_and_remove(name, check=True)
            """,
        ),
    )
