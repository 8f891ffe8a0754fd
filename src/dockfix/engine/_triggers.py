"""Every registered rule's ``TRIGGERS``, by code, in ``ALL_RULES`` order.

The byte prefilter needs only these, and it runs in the main process on every file; the
rule modules (with their case tables) cost ~40 ms to import, more than the prefilter
itself on a 1,800-file tree. ``tests/rules/test_trigger_table.py`` checks that this table
is the registry's; a new rule adds its line here.
"""

from __future__ import annotations

_DOCKER = (b"docker", b"Docker", b"DOCKER")
_SDK = (b"docker", b"python_on_whales")

TRIGGERS: dict[str, tuple[bytes, ...]] = {
    "DF001": _DOCKER,
    "DF002": _DOCKER,
    "DF003": _DOCKER,
    "DF004": _DOCKER,
    "DF005": _DOCKER,
    "DF006": _DOCKER,
    "DF101": _SDK,
    "DF102": _SDK,
    "DF103": _SDK,
}
