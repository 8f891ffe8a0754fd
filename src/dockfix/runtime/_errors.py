"""The exceptions of ``dockfix.runtime``: all are subclasses of what plain code already catches."""

from __future__ import annotations

import subprocess

TYPE_CHECKING = False  # typing is not imported at run time (import cost)
if TYPE_CHECKING:
    from typing import Any


class ForceRefusedError(ValueError):
    """A command would still force-remove or SIGKILL a container; names the safe method to use."""

    def __init__(self, message: str, argv: list[str], safe_method: str) -> None:
        super().__init__(message)
        self.argv = argv
        self.safe_method = safe_method


class DockerCommandError(subprocess.CalledProcessError):
    """A docker command failed (after retries for transient errors) and ``check=True``."""

    def __init__(
        self,
        returncode: int,
        cmd: Any,
        output: Any = None,
        stderr: Any = None,
        *,
        error: str = "",
        attempts: int = 1,
    ) -> None:
        super().__init__(returncode, cmd, output, stderr)
        self.error = error
        self.attempts = attempts

    def __str__(self) -> str:
        text = super().__str__()
        if self.attempts > 1:
            text += f" (after {self.attempts} attempts)"
        if self.error:
            text += f": {self.error}"
        return text


class DockerUnavailableError(DockerCommandError):
    """The Docker daemon could not be reached, even after the bounded retries."""


class SlotTimeoutError(TimeoutError):
    """No execution slot became free within the executor's ``slot_timeout``."""
