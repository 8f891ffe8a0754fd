"""pytest plugin: watch the Docker daemon during a test run, and audit its Docker operations.

Registered through the ``pytest11`` entry point, so pytest loads this module in every run
of every project where dockfix is installed. It therefore stays inert unless enabled
(``--docker-watch`` or ``docker_watch = true`` in the ini file): at import it only pulls
in the standard library, it registers its options and the ``docker_executor`` fixture,
and does nothing else. The work lives in ``dockfix.watch``, imported only when enabled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from dockfix.watch._plugin import WatchPlugin

PLUGIN_NAME = "dockfix-watch"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("dockfix", "dockfix: watch the Docker daemon")
    group.addoption(
        "--docker-watch",
        action="store_true",
        default=None,
        help="Watch the Docker daemon during the run (restarts, outages) and print a summary "
        "of the run's Docker operations at the end.",
    )
    group.addoption(
        "--docker-watch-interval",
        type=float,
        default=None,
        metavar="SECONDS",
        help="How often to look at the daemon during the run (default 1.0; 0: start/end only).",
    )
    group.addoption(
        "--docker-pidfile",
        default=None,
        metavar="PATH",
        help="dockerd's pid file, read on Linux to tell a restart (default: /var/run/docker.pid "
        "for the default socket, docker.pid beside DOCKER_HOST's socket, none for a remote host).",
    )
    group.addoption(
        "--docker-audit-log",
        default=None,
        metavar="PATH",
        help="JSON-lines audit log of the run's Docker operations "
        "(default: a file in the pytest cache directory).",
    )
    group.addoption(
        "--docker-watch-strict",
        action="store_true",
        default=None,
        help="Fail the run when the daemon restarted or stopped answering.",
    )
    parser.addini("docker_watch", "Enable --docker-watch.", type="bool", default=False)
    parser.addini("docker_watch_interval", "Default for --docker-watch-interval.", default="1.0")
    parser.addini("docker_pidfile", "Default for --docker-pidfile.", default="")
    parser.addini(
        "docker_watch_strict", "Enable --docker-watch-strict.", type="bool", default=False
    )


def _enabled(config: pytest.Config) -> bool:
    flag = config.getoption("docker_watch")
    return bool(flag) if flag is not None else bool(config.getini("docker_watch"))


def pytest_configure(config: pytest.Config) -> None:
    if not _enabled(config):
        return
    from dockfix.watch._plugin import WatchPlugin

    config.pluginmanager.register(WatchPlugin(config), PLUGIN_NAME)


@pytest.fixture(scope="session")
def docker_executor(request: pytest.FixtureRequest) -> Any:
    """The Docker executor of this run (``dockfix.runtime``'s default executor).

    With ``--docker-watch`` it writes the run's audit log, summarised at the end.
    """
    plugin: WatchPlugin | None = request.config.pluginmanager.get_plugin(PLUGIN_NAME)
    if plugin is not None:
        return plugin.executor()
    from dockfix.runtime import docker_executor as executor

    return executor
