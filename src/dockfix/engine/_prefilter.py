"""The byte prefilter: can this file produce a finding at all? No libcst here.

Built from the enabled rules' ``TRIGGERS``: a file that contains none of them cannot
produce a finding of that rule, so ``prefilter`` returning False means ``analyze``
would return no findings.
"""

from __future__ import annotations

from functools import lru_cache

from dockfix.engine._types import Settings


@lru_cache(maxsize=32)
def triggers_for(settings: Settings) -> tuple[bytes, ...]:
    """The union of the enabled rules' triggers (from the registry's static table: the rule
    modules themselves are not imported here)."""
    from dockfix.engine._triggers import TRIGGERS

    found: list[bytes] = []
    for code, triggers in TRIGGERS.items():
        if settings.enabled(code):
            found += [t for t in triggers if t not in found]
    return tuple(found)


@lru_cache(maxsize=32)
def _guarded(triggers: tuple[bytes, ...]) -> tuple[tuple[bytes, tuple[bytes, ...]], ...]:
    """``triggers`` grouped behind a shared tail (``docker`` and ``Docker`` behind ``ocker``):
    one scan of the file rules out the whole group."""
    groups: dict[bytes, list[bytes]] = {}
    for trigger in triggers:
        tail = trigger[1:] if len(trigger) > 4 else trigger
        groups.setdefault(tail, []).append(trigger)
    return tuple(
        (tail if len(members) > 1 else members[0], tuple(members))
        for tail, members in groups.items()
    )


def prefilter(source: bytes, settings: Settings) -> bool:
    """False when ``source`` cannot produce any finding under ``settings``."""
    for guard, members in _guarded(triggers_for(settings)):
        if guard in source and any(trigger in source for trigger in members):
            return True
    return False
