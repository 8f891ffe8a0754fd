"""DF002 kill-container: ``docker kill`` with the default signal (KILL)."""

from __future__ import annotations

from typing import Optional

from dockfix.engine._argv import Token
from dockfix.engine._types import Settings
from dockfix.rules._base import DockerCall, Invalid, Rule, Valid, Verdict
from dockfix.rules._common import KILL_VALUE_FLAGS, flags_for, kill_signal, safe_method_fix

_HEAD = "import subprocess\n\n\n"


class KillContainer(Rule):
    """Killing a container skips its graceful shutdown.

    ## What it does
    Finds `docker kill` and `docker container kill` with the default signal or an explicit
    `KILL`/`SIGKILL`/`9`, run through `subprocess`.

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
        flags = flags_for(call.command, ("kill",), {}, KILL_VALUE_FLAGS)
        if flags is None:
            return None
        signal = kill_signal(flags)
        message = "`docker kill` sends SIGKILL; stop the container gracefully instead"
        if isinstance(signal, Token):
            return Verdict(message, reason=f"the signal comes from `{signal.text}`")
        if signal != "KILL":
            return None
        if flags.problem is not None:
            return Verdict(message, reason=f"the kill flags cannot be read: {flags.problem}")
        if not flags.operands:
            return Verdict(message, reason="no container names in the argv")
        runner = (("stop", "-t", str(settings.stop_timeout), "<names>"),)
        fix, reason = safe_method_fix(call, settings, "stop", flags.operands, (), runner)
        return Verdict(message, fix=fix, reason=reason)

    VALID = (
        Valid("signal-hup", _HEAD + 'subprocess.run(["docker", "kill", "-s", "HUP", c])\n'),
        Valid("process-kill", "proc.kill()\nthread.kill()\n"),
        Valid("stop", _HEAD + 'subprocess.run(["docker", "stop", c])\n'),
    )

    INVALID = (
        Invalid(
            "default-signal",
            _HEAD + 'subprocess.run(["docker", "kill", c])\n',
            "from dockfix.runtime import docker_executor\n\n\ndocker_executor.stop(c)\n",
        ),
    )
