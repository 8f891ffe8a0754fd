"""DF002 kill-container: ``docker kill`` with the default signal (KILL)."""

from __future__ import annotations

from typing import Optional

from dockfix.engine._argv import Flags, Token, read_flags
from dockfix.engine._types import Settings
from dockfix.rules._base import DockerCall, Invalid, Rule, Valid, Verdict
from dockfix.rules._common import (
    KILL_VALUE_FLAGS,
    STOP_VALUE_FLAGS,
    flags_for,
    kill_signal,
    safe_method_fix,
    stop_signal,
    why_not_fixable,
)
from dockfix.rules._shape_cases import shape_invalid, shape_valid

_HEAD = "import subprocess\n\n\n"


class KillContainer(Rule):
    """Killing a container skips its graceful shutdown.

    ## What it does
    Finds `docker kill` and `docker container kill` with the default signal or an explicit
    `KILL`/`SIGKILL`/`9`, run through `subprocess`; also `docker stop --signal KILL` and
    `docker restart --signal KILL`, which are kills too.

    ## Why is this bad?
    The default signal of `docker kill` is SIGKILL: the main process cannot trap it, so
    nothing is flushed or cleaned up. Killing a stopped container also fails with
    `is not running`, which makes teardown order-dependent.

    ## Example
    ```python
    subprocess.run(["docker", "kill", name])
    ```

    ## Use instead
    ```python
    from dockfix.runtime import docker_executor

    docker_executor.stop(name)
    ```
    A kill with another signal (`-s HUP`, `--signal=USR1`) is a notification, not a
    termination: DF005 only routes it through the executor.

    ## Fix safety
    Unsafe in timing: `stop` waits up to the stop grace period before it escalates to
    SIGKILL. Stopping an already stopped container succeeds where `kill` failed. A signal
    given by a variable is reported, not fixed.
    """

    CODE = "DF002"
    NAME = "kill-container"

    def check(self, call: DockerCall, settings: Settings) -> Optional[Verdict]:
        cmd = call.command
        if cmd is not None and cmd.subcommand in (("stop",), ("restart",)):
            return self._stop_with_kill(call, settings)
        flags = flags_for(cmd, ("kill",), {}, KILL_VALUE_FLAGS)
        if flags is None:
            return None
        signal = kill_signal(flags)
        message = "`docker kill` sends SIGKILL; stop the container gracefully instead"
        if isinstance(signal, Token):
            return Verdict(message, reason=f"the signal comes from `{signal.text}`")
        if signal != "KILL":
            return None
        return self._to_stop(call, settings, message, flags, ())

    def _stop_with_kill(self, call: DockerCall, settings: Settings) -> Optional[Verdict]:
        """``docker stop --signal KILL`` is a kill too (the runtime refuses it)."""
        assert call.command is not None
        flags = read_flags(call.command.args, {}, STOP_VALUE_FLAGS)
        signal = stop_signal(flags)
        verb = " ".join(call.command.subcommand)
        message = f"`docker {verb} --signal KILL` sends SIGKILL; stop with the stop signal"
        if isinstance(signal, Token):
            return Verdict(message, reason=f"the signal comes from `{signal.text}`")
        if signal != "KILL":
            return None
        if verb == "restart":
            return Verdict(message, reason="no executor method restarts; drop the signal by hand")
        time = flags.values.get("time")
        extra: tuple[tuple[str, str], ...] = ()
        if isinstance(time, Token):
            extra = (("timeout", time.text),)
        elif isinstance(time, str):
            if not time.isdigit():
                return Verdict(message, reason=f"the stop time {time!r} is not a number")
            extra = (("timeout", time),)
        return self._to_stop(call, settings, message, flags, extra)

    def _to_stop(
        self,
        call: DockerCall,
        settings: Settings,
        message: str,
        flags: Flags,
        extra: tuple[tuple[str, str], ...],
    ) -> Verdict:
        early = why_not_fixable(call)
        if early is not None:
            return Verdict(message, reason=early)
        if flags.problem is not None:
            return Verdict(message, reason=f"the flags cannot be read: {flags.problem}")
        if not flags.operands:
            return Verdict(message, reason="no container names in the argv")
        seconds = extra[0][1] if extra else str(settings.stop_timeout)
        runner = (("stop", "-t", seconds, "<names>"),)
        fix, reason = safe_method_fix(call, settings, "stop", flags.operands, extra, runner)
        return Verdict(message, fix=fix, reason=reason)

    VALID = (
        Valid(
            "signal-usr1-long", _HEAD + 'subprocess.run(["docker", "kill", "--signal=USR1", c])\n'
        ),
        Valid(
            "signal-term",
            _HEAD + 'subprocess.run(["docker", "container", "kill", "-s", "TERM", c])\n',
        ),
        Valid("os-kill", "import os\nimport signal\n\nos.kill(pid, signal.SIGKILL)\n"),
        Valid("pkill-docker", _HEAD + 'subprocess.run(["pkill", "-9", "dockerd"])\n'),
        Valid("exec-kill-inside", _HEAD + 'subprocess.run(["docker", "exec", c, "kill", "1"])\n'),
        Valid(
            "suppressed",
            _HEAD + 'subprocess.run(["docker", "kill", c])  # dockfix: ignore[DF002]\n',
        ),
        Valid("signal-hup", _HEAD + 'subprocess.run(["docker", "kill", "-s", "HUP", c])\n'),
        Valid("process-kill", "proc.kill()\nthread.kill()\n"),
        Valid("stop", _HEAD + 'subprocess.run(["docker", "stop", c])\n'),
        Valid("stop-signal-term", _HEAD + 'subprocess.run(["docker", "stop", "-s", "TERM", c])\n'),
        Valid("restart", _HEAD + 'subprocess.run(["docker", "restart", "-t", "3", c])\n'),
        *shape_valid(CODE),
    )

    INVALID = (
        Invalid(
            "default-signal",
            """
            import subprocess


            subprocess.run(["docker", "kill", c])
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.stop(c)
            """,
        ),
        Invalid(
            "container-kill",
            """
            import subprocess


            subprocess.run(["docker", "container", "kill", a, b])
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.stop(a, b)
            """,
        ),
        Invalid(
            "signal-kill",
            """
            import subprocess


            subprocess.run(["docker", "kill", "-s", "KILL", c])
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.stop(c)
            """,
        ),
        Invalid(
            "signal-sigkill-long",
            """
            import subprocess


            subprocess.run(["docker", "kill", "--signal=SIGKILL", c])
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.stop(c)
            """,
        ),
        Invalid(
            "signal-9-attached",
            """
            import subprocess


            subprocess.run(["docker", "kill", "-s9", c])
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.stop(c)
            """,
        ),
        Invalid(
            "signal-lowercase",
            """
            import subprocess


            subprocess.run(["docker", "kill", "--signal", "kill", c])
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.stop(c)
            """,
        ),
        Invalid(
            "call-int",
            """
            import subprocess


            rc = subprocess.call(["docker", "kill", c])
            """,
            """
            from dockfix.runtime import docker_executor


            rc = docker_executor.stop(c).returncode
            """,
        ),
        Invalid(
            "check-call",
            """
            import subprocess


            subprocess.check_call(["docker", "kill", *names])
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.stop(*names, check=True)
            """,
        ),
        Invalid(
            "global-context",
            """
            import subprocess


            subprocess.run(["docker", "--context", ctx, "kill", c], check=True)
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.stop(c, global_args=("--context", ctx), check=True)
            """,
        ),
        Invalid(
            "module-constant",
            """
            import subprocess

            DOCKER = "docker"
            subprocess.run([DOCKER, "kill", c])
            """,
            """
            from dockfix.runtime import docker_executor

            DOCKER = "docker"
            docker_executor.stop(c)
            """,
        ),
        Invalid(
            "stop-timeout",
            """
            import subprocess


            subprocess.run(["docker", "kill", c])
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.stop(c, timeout=3)
            """,
            settings={"stop_timeout": 3},
        ),
        Invalid(
            "runner",
            """
            import subprocess


            subprocess.run(["docker", "kill", c])
            """,
            """
            run_docker(["docker", "stop", "-t", "10", c])
            """,
            settings={"runner": "run_docker"},
        ),
        Invalid(
            "os-system",
            """
            import os

            os.system("docker kill web")
            """,
            """
            from dockfix.runtime import docker_executor

            docker_executor.stop("web")
            """,
        ),
        Invalid(
            "stop-signal-kill",
            """
            import subprocess


            subprocess.run(["docker", "stop", "--signal", "KILL", c])
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.stop(c)
            """,
        ),
        Invalid(
            "stop-s9-with-time",
            """
            import subprocess


            subprocess.run(["docker", "container", "stop", "-s", "9", "-t", "3", c])
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.stop(c, timeout=3)
            """,
        ),
        Invalid(
            "restart-signal-kill",
            """
            import subprocess


            subprocess.run(["docker", "restart", "-s", "SIGKILL", c])
            """,
            None,
            # no executor method restarts; drop the signal by hand
        ),
        Invalid(
            "signal-variable",
            """
            import subprocess


            subprocess.run(["docker", "kill", "-s", sig, c])
            """,
            None,
            # the signal comes from `sig`
        ),
        Invalid(
            "shell-string",
            """
            import subprocess


            subprocess.run(f"docker kill {c} || true", shell=True)
            """,
            None,
            # a shell command string cannot be rewritten mechanically
        ),
        Invalid(
            "timeout",
            """
            import subprocess


            subprocess.run(["docker", "kill", c], timeout=5)
            """,
            None,
            # `timeout=` is a process timeout here; in the executor's safe methods `timeout` is
            # the stop grace period, so the bound cannot be kept
        ),
        Invalid(
            "popen",
            """
            import subprocess


            subprocess.Popen(["docker", "kill", c])
            """,
            None,
            # subprocess.Popen returns a process object; no executor method can replace it
        ),
        *shape_invalid(CODE),
    )
