"""The models and the training loop run on JAX as well as on TensorFlow (no TensorFlow-only code in the paper)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = r"""
import keras, numpy as np
assert keras.backend.backend() == "jax"
from reproductions.khorram2017.data import Utterance
from reproductions.khorram2017.models import build_blstm, build_dilated, build_downup, build_preliminary
from reproductions.khorram2017.training import fit_model, predict
rng = np.random.default_rng(0)
def utt(i, t):
    y = np.tanh(np.cumsum(rng.standard_normal(t)) / 10).astype("float32")
    return Utterance(f"u{i}", "train", rng.standard_normal((t, 5)).astype("float32"), np.arange(t) * 0.04, y, y)
train, dev = [utt(0, 90), utt(1, 97)], [utt(2, 85)]
for build in (lambda: build_preliminary(64, input_dim=5), lambda: build_dilated(n_layers=3, width=4, input_dim=5),
              lambda: build_downup(width=4, stages=2, input_dim=5), lambda: build_blstm(units=3, input_dim=5)):
    model, info = fit_model(build, train, dev, "arousal", epochs=2, seed=0, patience=2)
    assert [p.shape for p in predict(model, dev)] == [(85,)], model.name
    assert info["curve:val_ccc"].shape == (info["epochs_run"],)
print("ok")
"""


@pytest.mark.skipif(__import__("importlib").util.find_spec("jax") is None, reason="jax not installed")
def test_models_train_and_predict_on_jax() -> None:
    env = {**os.environ, "KERAS_BACKEND": "jax", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, cwd=ROOT, env=env,
                          timeout=600)
    assert proc.returncode == 0 and proc.stdout.strip().endswith("ok"), proc.stderr[-3000:]
