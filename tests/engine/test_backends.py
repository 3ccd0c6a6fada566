"""Every paper on Keras 3's JAX backend too (TensorFlow stays the default): a tiny smoke run per paper."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import reproductions
from common.results import read_results

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", reproductions.names())
def test_tiny_smoke_run_on_jax_writes_rows_marked_jax(name: str, tmp_path: Path) -> None:
    paper = reproductions.get(name)
    env = {**os.environ, "KERAS_BACKEND": "jax", "TF_CPP_MIN_LOG_LEVEL": "2"}
    proc = subprocess.run([sys.executable, str(ROOT / "reproductions" / name / "run.py"), *paper.test_argv,
                           "--out", str(tmp_path)], capture_output=True, text=True, env=env, timeout=1500)
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = read_results(tmp_path / "results.csv")
    assert len(rows) and set(rows["backend"]) == {"jax"}
