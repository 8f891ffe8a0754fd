"""DF006 docker-popen: ``subprocess.Popen`` running docker (report only)."""

from __future__ import annotations

from typing import Optional

from dockfix.engine._types import Settings
from dockfix.rules._base import DockerCall, Invalid, Rule, Valid, Verdict
from dockfix.rules._common import dangerous_code

_HEAD = "import subprocess\n\n\n"


class DockerPopen(Rule):
    """A long-lived docker process the limiter cannot follow.

    ## What it does
    Finds `subprocess.Popen` running docker (`docker logs -f`, `docker events`, `docker run`
    in the foreground...).

    ## Why is this bad?
    A `Popen` object lives as long as the caller wants: the executor cannot hold a slot for
    its lifetime, so these processes escape the concurrency limit.

    ## Example
    ```python
    proc = subprocess.Popen(["docker", "logs", "-f", name], stdout=subprocess.PIPE)
    ```

    ## Use instead
    A bounded call through the executor (`docker_executor.run([...], timeout=...)`), or in
    asyncio code `await docker_executor.aio.create_subprocess_exec(...)`, which holds a slot
    until the process exits.

    ## Fix safety
    Report only: replacing a process object changes how the caller uses it.
    """

    CODE = "DF006"
    NAME = "docker-popen"

    def check(self, call: DockerCall, settings: Settings) -> Optional[Verdict]:
        if call.api != "subprocess.Popen" or dangerous_code(call.command) is not None:
            return None
        return Verdict(
            "docker started with subprocess.Popen escapes the executor's limits",
            reason="a Popen object cannot be rate-limited for its lifetime; rewrite by hand",
        )

    VALID = (
        Valid("popen-rm-f-is-df001", _HEAD + 'subprocess.Popen(["docker", "rm", "-f", c])\n'),
        Valid("run-not-popen", _HEAD + 'subprocess.run(["docker", "ps"])\n'),
        Valid("popen-git", _HEAD + 'subprocess.Popen(["git", "log"])\n'),
    )

    INVALID = (
        Invalid(
            "logs-follow",
            """
            import subprocess


            p = subprocess.Popen(["docker", "logs", "-f", c])
            """,
            None,
            # a Popen object cannot be rate-limited for its lifetime; rewrite by hand
        ),
        Invalid(
            "events",
            """
            import subprocess


            with subprocess.Popen(["docker", "events"], stdout=subprocess.PIPE) as p:
                pass
            """,
            None,
            # a Popen object cannot be rate-limited for its lifetime; rewrite by hand
        ),
        Invalid(
            "from-import",
            """
            from subprocess import Popen

            Popen(["docker", "run", image])
            """,
            None,
            # a Popen object cannot be rate-limited for its lifetime; rewrite by hand
        ),
    )
