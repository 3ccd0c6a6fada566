"""Every paper on Keras 3's JAX backend too (TensorFlow stays the default), rehearsed: one tiny run per paper
proves both that the paper runs on JAX and that ``--rehearse`` times every trained unit and projects the run.

khorram2017 is left out here only because ``tests/test_device_script.py`` runs the same check for it with
TensorFlow made unimportable, as on the GPU machine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import reproductions
from common.results import read_results

ROOT = Path(__file__).resolve().parents[2]
DEVICE_SCRIPT_PAPER = "khorram2017"


@pytest.mark.parametrize("name", [n for n in reproductions.names() if n != DEVICE_SCRIPT_PAPER])
def test_tiny_rehearsal_on_jax_times_every_unit_and_marks_its_rows(name: str, tmp_path: Path) -> None:
    paper = reproductions.get(name)
    env = {**os.environ, "KERAS_BACKEND": "jax", "TF_CPP_MIN_LOG_LEVEL": "2"}
    proc = subprocess.run([sys.executable, str(ROOT / "reproductions" / name / "run.py"), *paper.test_argv,
                           "--rehearse", "--out", str(tmp_path)], capture_output=True, text=True, env=env,
                          timeout=1500)
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = read_results(tmp_path / "rehearsal" / "results.csv")
    assert len(rows) and set(rows["backend"]) == {"jax"} and set(rows["profile"]) == {"smoke-rehearsal"}
    info = json.loads((tmp_path / paper.report_name("rehearsal", paper.corpora[0], ".json")).read_text())
    units = pd.read_csv(tmp_path / paper.report_name("rehearsal", paper.corpora[0], ".csv"))
    assert info["backend"] == "jax" and info["units"] == len(units) > 0
    assert info["projected_hours"] > 0 and info["peak_rss_gib"] > 0
    trained = units["planned_epochs"] > 0  # the others (an SVM, a feature pass) are timed whole
    assert trained.any() and units.loc[trained, "seconds_per_step"].gt(0).all()
    assert units.loc[~trained, "outside_training_s"].gt(0).all()
