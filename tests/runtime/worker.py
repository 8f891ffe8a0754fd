"""A worker process for the cross-process tests: runs jobs from argv (JSON) on threads.

The executor is configured from the DOCKFIX_* environment the test passes.
"""

from __future__ import annotations

import json
import sys
import threading

from dockfix.runtime import DockerExecutor


def main() -> None:
    spec = json.loads(sys.argv[1])
    executor = DockerExecutor()
    errors: list[str] = []

    def work(jobs: list[list[str]]) -> None:
        for job in jobs:
            try:
                if spec["mode"] == "stop_and_remove":
                    executor.stop_and_remove(*job, check=True, capture_output=True)
                else:
                    executor.run(job, check=True, capture_output=True)
            except Exception as exc:  # reported to the test through stdout
                errors.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=work, args=(jobs,)) for jobs in spec["threads"]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(json.dumps({"errors": errors}))


if __name__ == "__main__":
    main()
