"""openSMILE after TensorFlow: extraction moves to a child interpreter instead of crashing this one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import numpy as np, tensorflow  # TensorFlow first: opensmile would crash this interpreter
from common.features import functionals as f
assert f.TENSORFLOW_LOADED_FIRST
rng = np.random.default_rng(0)
waves = [rng.normal(scale=0.1, size=n).astype("float32") for n in (8000, 16000)]
x = f.opensmile_functionals_batch(waves, 16000, "IS09")
np.save(OUT, x)
"""


def test_functionals_survive_tensorflow_loaded_first(tmp_path: Path) -> None:
    out = tmp_path / "x.npy"
    done = subprocess.run([sys.executable, "-c", f"OUT = {str(out)!r}\n" + SCRIPT], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    from_child = np.load(out)
    assert from_child.shape == (2, 384)  # IS09 (Huang's EC set) has 384 functionals
    rng = np.random.default_rng(0)
    waves = [rng.normal(scale=0.1, size=n).astype("float32") for n in (8000, 16000)]
    # The reference comes straight from the worker module, one signal set, no TensorFlow in its interpreter.
    reference = subprocess.run([sys.executable, "-m", "common.features.smile_worker", "IS09", "16000",
                                str(_save(tmp_path, waves)), str(tmp_path / "ref.npy")], cwd=ROOT,
                               capture_output=True, text=True, timeout=300)
    assert reference.returncode == 0, reference.stderr[-2000:]
    np.testing.assert_allclose(from_child, np.load(tmp_path / "ref.npy"), rtol=1e-5)
    assert np.isfinite(from_child).all() and not np.allclose(from_child[0], from_child[1])


def _save(tmp_path: Path, waves: list[np.ndarray]) -> Path:
    path = tmp_path / "waves.npz"
    np.savez(path, **{f"w{i}": w for i, w in enumerate(waves)})
    return path


def test_a_long_list_is_shared_over_worker_processes_in_order(monkeypatch) -> None:
    from common.features import functionals as f

    monkeypatch.setattr(f, "MIN_PER_CHILD", 2)
    monkeypatch.setattr(f.os, "cpu_count", lambda: 3)
    rng = np.random.default_rng(1)
    waves = [rng.normal(scale=0.05 * (i + 1), size=4000 + 800 * i).astype("float32") for i in range(7)]
    shared = f.opensmile_functionals_batch(waves, 16000, "IS09")  # 3 children of 2, 2 and 3 signals
    one = f._functionals_in_children(waves, 16000, "IS09", 1)
    assert shared.shape == (7, 384)
    np.testing.assert_allclose(shared, one, rtol=1e-5)
