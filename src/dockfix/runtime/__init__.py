"""dockfix.runtime: the rate-limited, graceful Docker executor that rewritten code calls.

Standard library only. ``docker_executor`` is the process-wide default instance (configured by
``DOCKFIX_*`` environment variables at first use); ``DockerExecutor(...)`` makes custom ones.
"""

from __future__ import annotations

from ._errors import DockerCommandError, DockerUnavailableError, ForceRefusedError, SlotTimeoutError
from ._executor import DockerExecutor

TYPE_CHECKING = False  # typing is not imported at run time (import cost)
if TYPE_CHECKING:
    from ._aio import AsyncDockerExecutor

docker_executor = DockerExecutor()

__all__ = [
    "AsyncDockerExecutor",
    "DockerCommandError",
    "DockerExecutor",
    "DockerUnavailableError",
    "ForceRefusedError",
    "SlotTimeoutError",
    "docker_executor",
]


def __getattr__(name: str) -> object:
    if name == "AsyncDockerExecutor":  # imports asyncio: only on demand
        from ._aio import AsyncDockerExecutor

        return AsyncDockerExecutor
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
