"""A stand-in daemon for the plugin's daemon-free tests, and a pytest run in the background.

The fake daemon is what the plugin looks at: a pid file naming a live process (a
``sleep``), and a unix socket answering ``GET /_ping`` with 200. A "restart" replaces the
process; an "outage" closes the socket.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Optional


class PingServer:
    """Answers every connection on a unix socket with ``HTTP/1.0 200 OK``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._sock: Optional[socket.socket] = None
        self._thread: Optional[threading.Thread] = None

    def start(self) -> None:
        if self.path.exists():
            self.path.unlink()
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.bind(str(self.path))
        sock.listen(16)
        sock.settimeout(0.05)
        self._sock = sock
        self._thread = threading.Thread(target=self._serve, args=(sock,), daemon=True)
        self._thread.start()

    def _serve(self, sock: socket.socket) -> None:
        while self._sock is sock:
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    conn.recv(1024)
                    conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nOK")
                except OSError:
                    pass

    def stop(self) -> None:
        sock, self._sock = self._sock, None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        if sock is not None:
            sock.close()
        if self.path.exists():
            self.path.unlink()


class FakeDaemon:
    """A pid file naming a live process, and a socket that answers pings."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.pidfile = folder / "docker.pid"
        self.socket = folder / "docker.sock"
        self.server = PingServer(self.socket)
        self.process: Optional[subprocess.Popen[bytes]] = None

    @property
    def host(self) -> str:
        return f"unix://{self.socket}"

    def start(self) -> None:
        self.process = subprocess.Popen(["sleep", "300"])
        self.pidfile.write_text(f"{self.process.pid}\n")
        self.server.start()

    def stop_process(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None
        if self.pidfile.exists():
            self.pidfile.unlink()

    def restart(self, down_for: float = 0.0) -> tuple[int, int]:
        """A new process in place of the old one: (old pid, new pid)."""
        assert self.process is not None
        old = self.process.pid
        self.server.stop()
        self.stop_process()
        time.sleep(down_for)
        self.start()
        assert self.process is not None
        return old, self.process.pid

    def close(self) -> None:
        self.server.stop()
        self.stop_process()


def wait_for(path: Path, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{path} did not appear within {timeout} s")
        time.sleep(0.02)


def start_pytest(
    folder: Path, *args: str, env: Optional[dict[str, str]] = None
) -> subprocess.Popen[str]:
    """A pytest run in ``folder`` (a separate process, so this test can act while it runs)."""
    full_env = dict(os.environ)
    full_env.pop("PYTEST_ADDOPTS", None)
    full_env.pop("DOCKFIX_AUDIT_LOG", None)
    full_env.update(env or {})
    return subprocess.Popen(
        [sys.executable, "-m", "pytest", "-p", "no:randomly", *args],
        cwd=folder,
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


# An inner test module: test_during blocks (after saying so) until the outer test lets it go.
GATED_TESTS = """
import os, pathlib, time

GATE = pathlib.Path(os.environ["GATE_DIR"])

def test_before():
    pass

def test_during():
    (GATE / "started").write_text("")
    deadline = time.monotonic() + 60
    while not (GATE / "go").exists():
        assert time.monotonic() < deadline, "never released"
        time.sleep(0.02)

def test_after():
    pass
"""
