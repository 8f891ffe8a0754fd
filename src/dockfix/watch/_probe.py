"""One look at the Docker daemon: which process it is, and whether it answers.

A restart cannot be read from the API (``docker info``'s ID survives it). On Linux the
pid file and the process start time in ``/proc/<pid>/stat`` tell; elsewhere the best
we have is the API's own description of the server and whether it answers at all.
Standard library only.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from dockfix.watch._events import EventsStream

DEFAULT_PIDFILE = "/var/run/docker.pid"
DEFAULT_UNIX_SOCKET = "unix:///var/run/docker.sock"


@dataclass(frozen=True)
class DaemonState:
    """What one look saw. ``identity`` is None when no daemon process could be identified."""

    at: float
    identity: Optional[str]
    answering: bool
    detail: str = ""
    interrupted: bool = False  # the daemon's event stream ended since the previous look


@dataclass(frozen=True)
class ProcessIdentity:
    pid: int
    start_ticks: int  # clock ticks after boot: with the pid, unique for the machine's uptime

    def describe(self) -> str:
        started = _boot_time() + self.start_ticks / _clock_ticks()
        return (
            f"dockerd pid {self.pid} (started {time.strftime('%H:%M:%S', time.localtime(started))})"
        )


def read_process(pidfile: Path) -> Optional[ProcessIdentity]:
    """The live process named by ``pidfile``, or None (no file, no process, a zombie)."""
    try:
        pid = int(pidfile.read_text().strip())
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (OSError, ValueError):
        return None
    # The command name is in parentheses and may contain spaces: split after the last one.
    fields = stat[stat.rfind(")") + 2 :].split()
    if len(fields) < 20 or fields[0] in ("Z", "X"):
        return None
    return ProcessIdentity(pid=pid, start_ticks=int(fields[19]))


def _clock_ticks() -> int:
    try:
        return int(os.sysconf("SC_CLK_TCK"))
    except (ValueError, OSError, AttributeError):
        return 100


def _boot_time() -> float:
    try:
        for line in Path("/proc/stat").read_text().splitlines():
            if line.startswith("btime "):
                return float(line.split()[1])
    except OSError:
        pass
    return 0.0


def docker_host() -> Optional[str]:
    """The daemon address the docker CLI would use, when it can be reached without the CLI.

    None means "ask the CLI": a context, TLS or an ssh:// host is in play.
    """
    host = os.environ.get("DOCKER_HOST", "")
    if host:
        tls = os.environ.get("DOCKER_TLS_VERIFY") or os.environ.get("DOCKER_TLS")
        if host.startswith("unix://") or (host.startswith("tcp://") and not tls):
            return host
        return None
    if os.environ.get("DOCKER_CONTEXT") or _current_context() not in (None, "default"):
        return _context_host()
    return DEFAULT_UNIX_SOCKET if sys.platform != "win32" else None


def _context_host() -> Optional[str]:
    """The unix socket of the current docker context (Docker Desktop's), asked once."""
    try:
        proc = subprocess.run(  # dockfix: ignore  (monitoring, not a workload)
            ["docker", "context", "inspect", "--format", "{{.Endpoints.docker.Host}}"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    host = proc.stdout.strip()
    return host if proc.returncode == 0 and host.startswith("unix://") else None


def _current_context() -> Optional[str]:
    config = Path(os.environ.get("DOCKER_CONFIG", Path.home() / ".docker")) / "config.json"
    try:
        value = json.loads(config.read_text()).get("currentContext")
    except (OSError, ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None


def ping(host: str, timeout: float) -> tuple[bool, str]:
    """``GET /_ping`` on a unix:// or plain tcp:// daemon address: (answered OK, detail)."""
    try:
        if host.startswith("unix://"):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(timeout)
            sock.connect(host[len("unix://") :])
        else:
            address, _, port = host[len("tcp://") :].rstrip("/").rpartition(":")
            sock = socket.create_connection((address, int(port)), timeout=timeout)
        with sock:
            sock.sendall(b"GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n")
            head = sock.recv(1024)
    except (OSError, ValueError) as exc:
        return False, f"{host}: {exc}"
    status = head.split(b"\r\n", 1)[0].decode("latin-1", "replace")
    if b" 200 " in head.split(b"\r\n", 1)[0] + b" ":
        return True, ""
    return False, f"{host}: {status or 'no answer'}"


def cli_answers(timeout: float) -> tuple[bool, str]:
    """Ask the docker CLI for the server version (the path for contexts, TLS and ssh)."""
    try:
        proc = subprocess.run(  # dockfix: ignore  (monitoring, not a workload)
            ["docker", "version", "--format", "{{.Server.Version}}"],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, f"docker version: {exc}"
    if proc.returncode == 0 and proc.stdout.strip():
        return True, ""
    lines = proc.stderr.strip().splitlines()
    return False, lines[-1] if lines else f"docker version exited {proc.returncode}"


def cli_identity(timeout: float) -> Optional[str]:
    """What the API can say about the server (it survives restarts: a fallback only)."""
    try:
        proc = subprocess.run(  # dockfix: ignore  (monitoring, not a workload)
            ["docker", "info", "--format", "{{.Name}} {{.ServerVersion}} {{.ID}}"],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = proc.stdout.strip()
    return f"daemon {text}" if proc.returncode == 0 and text else None


def pidfile_for(host: Optional[str], explicit: Optional[str]) -> Optional[Path]:
    """The pid file that names the daemon at ``host``, when one can be trusted to.

    An explicit path always wins. Otherwise the default pid file goes with the default
    socket only, and a ``docker.pid`` beside a ``docker.sock`` (rootless Docker, a private
    daemon) goes with that socket; a remote daemon has no local pid file.
    """
    if explicit:
        return Path(explicit)
    if host == DEFAULT_UNIX_SOCKET or (host is None and not os.environ.get("DOCKER_HOST")):
        return Path(DEFAULT_PIDFILE)
    if host is not None and host.startswith("unix://"):
        beside = Path(host[len("unix://") :]).with_name("docker.pid")
        if beside.exists():
            return beside
    return None


class DaemonProbe:
    """Looks at the daemon. On Linux with a readable pid file the process identity is exact."""

    def __init__(
        self,
        pidfile: Optional[str] = None,
        host: Optional[str] = None,
        timeout: float = 5.0,
        events: bool = True,
    ) -> None:
        self.host = host if host is not None else docker_host()
        self.pidfile = pidfile_for(self.host, pidfile)
        self.timeout = timeout
        self.uses_process = (
            sys.platform.startswith("linux") and self.pidfile is not None and self.pidfile.exists()
        )
        # Without a pid file, a held-open event stream catches restarts between looks.
        self.events = EventsStream() if events and not self.uses_process else None
        self._api_identity: Optional[str] = None
        self._answered = False

    def look(self) -> DaemonState:
        at = time.time()
        if self.host is not None:
            answering, detail = ping(self.host, self.timeout)
        else:
            answering, detail = cli_answers(self.timeout)
        identity: Optional[str]
        if self.uses_process:
            assert self.pidfile is not None
            process = read_process(self.pidfile)
            identity = process.describe() if process else None
            if process is None and not detail:
                detail = f"no live dockerd process named in {self.pidfile}"
        else:
            # What `docker info` says survives restarts: asked once, and again after an outage.
            if answering and (self._api_identity is None or not self._answered):
                self._api_identity = cli_identity(self.timeout)
            identity = self._api_identity if answering else None
        self._answered = answering
        interrupted = False
        if self.events is not None:
            interrupted = self.events.take_break() is not None
            if answering:
                self.events.ensure()
        return DaemonState(at, identity, answering, detail, interrupted)

    def close(self) -> None:
        if self.events is not None:
            self.events.close()

    def describe_method(self) -> str:
        if self.uses_process:
            how = f"pid file {self.pidfile}"
        else:
            how = "docker info"
            if self.events is not None and self.events.available:
                how += " and its event stream"
        where = self.host or "the docker CLI"
        return f"{how}; answers checked at {where}"
