"""The GPU script runs on JAX with TensorFlow unimportable (as on the CUDA machine), in its smoke form."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

from common.results import read_results

ROOT = Path(__file__).resolve().parents[1]


def test_device_script_needs_no_tensorflow(tmp_path: Path) -> None:
    blocker = tmp_path / "no-tf" / "tensorflow"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text('raise ImportError("TensorFlow is not installed on this machine")\n')
    env = {**os.environ, "KERAS_BACKEND": "jax",
           "PYTHONPATH": os.pathsep.join([str(blocker.parent), str(ROOT), os.environ.get("PYTHONPATH", "")])}
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "benchmarks.device", "--smoke", "--out", str(out), "--paper",
                           "khorram2017"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=1500)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    rows = pd.read_csv(out / "benchmarks-device.csv")
    assert set(rows["backend"]) == {"jax"} and (rows[rows["metric"] != "status"]["median"] > 0).all()
    info = json.loads((out / "khorram2017" / "rehearsal.json").read_text())
    assert info["backend"] == "jax" and info["units"] > 0 and info["projected_hours"] > 0
    tables = read_results(out / "khorram2017" / "rehearsal" / "results.csv")
    assert len(tables) and set(tables["backend"]) == {"jax"}
