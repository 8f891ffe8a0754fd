"""The process-starting functions the command rules look at, by qualified name.

No libcst here: the engine's dispatcher and check mode's ``ast`` reading (``_fast``)
import it without the libcst pass.
"""

from __future__ import annotations

import os

ARGV_APIS = frozenset(
    {"subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output"}
    | {"subprocess.Popen"}
)
SHELL_APIS = frozenset({"os.system", "os.popen", "asyncio.create_subprocess_shell"}) | frozenset(
    {"subprocess.getoutput", "subprocess.getstatusoutput"}  # shapes: report only
)
EXEC_APIS = frozenset({"asyncio.create_subprocess_exec"})
ALL_APIS = ARGV_APIS | SHELL_APIS | EXEC_APIS
API_NAMES = frozenset(api.rsplit(".", 1)[1] for api in ALL_APIS)  # the called names


def is_docker_path(value: str) -> bool:
    """Whether an argv's program is docker (``docker``, ``/usr/bin/docker``, ``docker.exe``)."""
    return os.path.basename(value) in ("docker", "docker.exe")
