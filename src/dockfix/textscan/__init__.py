"""Reports (never fixes) dangerous docker commands in shell scripts, Makefiles, YAML, Dockerfiles.

Codes and the ``Finding`` type are the Python rules' own: DF001 ``docker rm -f``,
DF002 ``docker kill`` (KILL or the default signal), DF003 ``docker volume rm -f``.
Standard library only (plus ``dockfix.engine``'s value types).

    from dockfix.textscan import is_candidate, scan
    if is_candidate(path):
        findings = scan(path, Path(path).read_bytes())
"""

from __future__ import annotations

from dockfix.textscan._files import file_kind, is_candidate
from dockfix.textscan._scan import FIX_REASON, scan

__all__ = ["FIX_REASON", "file_kind", "is_candidate", "scan"]
