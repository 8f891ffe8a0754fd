"""A private dockerd for tests that restart the daemon (the shared one must never restart).

Its own socket, data root, exec root and pid file under a short /tmp folder, and its own
network namespace (never the host's docker0); no bridge, no iptables. Stopped gracefully
at the end (dockerd then stops its own containerd); any containerd left over from it is
ended by pid, mounts under the folder are undone and the folder is removed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Optional

from dockfix.watch._probe import ping


class PrivateDockerd:
    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="dfx-plugin-", dir="/tmp"))
        self.socket = self.root / "docker.sock"
        self.pidfile = self.root / "docker.pid"
        self.exec_root = self.root / "exec"
        self.log = self.root / "dockerd.log"
        self.process: Optional[subprocess.Popen[bytes]] = None
        self.pids: list[int] = []  # every dockerd pid this object started

    @property
    def host(self) -> str:
        return f"unix://{self.socket}"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["DOCKER_HOST"] = self.host
        env.pop("DOCKER_CONTEXT", None)
        return env

    def start(self, timeout: float = 30.0) -> int:
        # Its own network namespace: dockerd deletes (`--bridge=none`) or reconfigures the host's
        # docker0 at start, which would cut the shared daemon's containers off their bridge.
        argv = [
            "unshare",
            "--net",
            "--",
            "dockerd",
            f"--host={self.host}",
            f"--data-root={self.root / 'data'}",
            f"--exec-root={self.exec_root}",
            f"--pidfile={self.pidfile}",
            "--bridge=none",
            "--iptables=false",
            "--ip-masq=false",
            "--ip6tables=false",
        ]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                argv,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self.pids.append(self.process.pid)
        deadline = time.monotonic() + timeout
        while not (ping(self.host, 1.0)[0] and self.pidfile.exists()):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"private dockerd did not start:\n{self.tail()}")
            time.sleep(0.05)
        return self.process.pid

    def stop(self, timeout: float = 30.0) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

    def restart(self) -> tuple[int, int]:
        assert self.process is not None
        old = self.process.pid
        self.stop()
        return old, self.start()

    def tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def close(self) -> None:
        self.stop()
        for pid in self._leftover_containerd():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        for mount in self._mounts():
            subprocess.run(["umount", "-l", mount], check=False, capture_output=True)
        shutil.rmtree(self.root, ignore_errors=True)

    def _leftover_containerd(self) -> list[int]:
        marker = str(self.exec_root).encode()
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if b"containerd" in cmdline.split(b"\0", 1)[0] and marker in cmdline:
                found.append(int(entry.name))
        return found

    def _mounts(self) -> list[str]:
        try:
            lines = Path("/proc/mounts").read_text().splitlines()
        except OSError:
            return []
        prefix = str(self.root) + "/"
        points = [line.split()[1] for line in lines if len(line.split()) > 1]
        return sorted((p for p in points if p.startswith(prefix)), key=len, reverse=True)


def private_dockerd_problem() -> Optional[str]:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "a private dockerd needs root"
    if shutil.which("dockerd") is None:
        return "no dockerd on PATH (run scripts/docker-up as root)"
    if shutil.which("unshare") is None:
        return "no unshare on PATH (util-linux): a private dockerd needs its own network namespace"
    return None
