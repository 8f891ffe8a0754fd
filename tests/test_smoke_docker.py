"""End-to-end proof that the daemon path works: create, stop gracefully, remove."""

from __future__ import annotations

import time

import pytest

from tests.conftest import ContainerFactory, _docker

pytestmark = pytest.mark.docker


def test_labelled_container_stops_gracefully_and_is_removed(
    docker_containers: ContainerFactory,
) -> None:
    name = docker_containers.run()
    assert docker_containers.exists(name)
    time.sleep(0.5)  # let the shell install its trap
    _docker("stop", "-t", "10", name)
    assert docker_containers.graceful(name), "SIGTERM trap did not run"
    _docker("rm", name)
    assert not docker_containers.exists(name)
    assert docker_containers.remaining() == []
