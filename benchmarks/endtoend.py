"""Section 6: wall time of each paper's ``run.py`` smoke profile, each in a fresh process and a fresh out dir."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time

from benchmarks.rows import Row
from benchmarks.stats import Summary
from common.paths import REPO_ROOT

TIMEOUT_S = 1800


def run_smoke(paper: str, timeout_s: int = TIMEOUT_S) -> tuple[float, int, str]:
    """(wall seconds, exit code, last stderr line) of ``python reproductions/<paper>/run.py --out <tmp>``."""
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        try:
            proc = subprocess.run([sys.executable, str(REPO_ROOT / "reproductions" / paper / "run.py"), "--out", out],
                                  cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout_s)
        except subprocess.TimeoutExpired:
            return time.perf_counter() - start, 124, f"timed out after {timeout_s} s"
        tail = (proc.stderr.strip().splitlines() or [""])[-1][:200]
        return time.perf_counter() - start, proc.returncode, tail


def smoke_times(papers: list[str] | None = None, timeout_s: int = TIMEOUT_S) -> list[Row]:
    """One run per present paper (a smoke run takes minutes, so one repetition), plus the total."""
    import reproductions

    rows, total, timed_out = [], 0.0, 0
    wanted = papers or reproductions.names()
    present = [p for p in wanted if (REPO_ROOT / "reproductions" / p / "run.py").exists()]
    for paper in present:
        seconds, code, tail = run_smoke(paper, timeout_s)
        total += seconds
        timed_out += code == 124
        note = "exit 0" if code == 0 else f"FAILED exit {code}: {tail}"
        if code == 124:
            note = f"lower bound: stopped at the {timeout_s} s limit"
        rows.append(Row("end-to-end", f"{paper} run.py --profile smoke", "wall time", "s",
                        Summary.of([seconds]), note=note))
    missing = sorted(set(wanted) - set(present))
    rows.append(Row("end-to-end", "all papers together", "wall time", "s", Summary.of([total]), target="<= 900",
                    note=f"{len(present)} papers" + (f"; no run.py yet: {', '.join(missing)}" if missing else "")
                    + (f"; lower bound ({timed_out} stopped at the limit)" if timed_out else "")))
    return rows
