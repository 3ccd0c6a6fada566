"""A run killed (SIGKILL) at random writes of every store, resumed each time, ends as an uninterrupted run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
KILLS = 20


def test_a_run_killed_at_random_writes_resumes_to_the_uninterrupted_table(tmp_path: Path, twins) -> None:
    env = {**os.environ, "KERAS_BACKEND": "numpy", "PYTHONPATH": str(HERE.parents[1])}
    proc = subprocess.run([sys.executable, str(HERE / "crash_driver.py"), str(tmp_path), str(twins.root("emodb")),
                           "7", str(KILLS)], env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert not report["failures"], report["failures"]
    assert sum(report["kills"].values()) >= KILLS and set(report["kills"]) == {"ledger", "cache", "results", "tuner"}
    assert report["differing"] == 0, f"{report['differing']} of {report['rounds']} resumed tables differ"
    assert report["left"] == []
