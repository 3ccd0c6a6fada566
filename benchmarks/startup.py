"""Section 10: start-up time of the read-only commands (``python -m reproductions list``), each in a fresh process.

Wall time depends on the machine's load; the child's user + system CPU time less so, and both are reported.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time

from benchmarks.rows import Row
from benchmarks.stats import Summary
from common.paths import REPO_ROOT

#: the command measured, as a user types it
COMMAND = ("-m", "reproductions", "list")
#: the target: well under the seconds a TensorFlow import costs
TARGET_S = 2.0


def run_once() -> tuple[float, float]:
    """(wall seconds, user + system CPU seconds) of one ``python -m reproductions list``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, *COMMAND], cwd=REPO_ROOT, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def startup_rows(reps: int) -> list[Row]:
    """Wall and CPU time of ``reps`` fresh runs of the listing."""
    runs = [run_once() for _ in range(reps)]
    name = "python " + " ".join(COMMAND)
    return [Row("startup", name, "wall time", "s", Summary.of([w for w, _ in runs]), backend="none",
                target=f"<= {TARGET_S:g}", note="fresh process each; imports no TensorFlow, JAX or Keras"),
            Row("startup", name, "CPU time (user + system)", "s", Summary.of([c for _, c in runs]), backend="none",
                note="of the child process; less sensitive to the machine's load than wall time")]
