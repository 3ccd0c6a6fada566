"""§3.2 slicing rule at 2.9 s, 3.1 s, 6 s and 12.5 s, and the 1-5 -> 0-4 class mapping (§3.1)."""

import numpy as np
import pandas as pd
import pytest

from common.features import slice_windows
from reproductions.wieser2018.data import e2_targets, rating_to_class
from reproductions.wieser2018.hyperparameters import MIN_LAST_SAMPLES, SAMPLE_RATE, WINDOW_SAMPLES


def _cut(seconds: float) -> list[np.ndarray]:
    wave = np.ones(int(round(seconds * SAMPLE_RATE)), dtype=np.float32)
    return slice_windows(wave, WINDOW_SAMPLES, MIN_LAST_SAMPLES)


@pytest.mark.parametrize(("seconds", "n_windows", "nonzero_last"), [
    (2.9, 1, 46400), (3.1, 1, 49600), (6.0, 1, 96000), (12.5, 2, 96000),   # 12.5 s: 0.5 s rest dropped
    (6 + 2.9, 1, 96000), (6 + 3.1, 2, 49600),                              # last slice kept only if > 3 s
])
def test_slicing_rule(seconds, n_windows, nonzero_last):
    pieces = _cut(seconds)
    assert len(pieces) == n_windows
    assert all(p.shape == (WINDOW_SAMPLES,) for p in pieces)
    assert int(np.count_nonzero(pieces[-1])) == nonzero_last   # zero padding at the end


def test_class_mapping_and_e2_only():
    assert [rating_to_class(r) for r in (1, 2, 3, 4, 5)] == [0, 1, 2, 3, 4]
    assert rating_to_class(2.5) is None and rating_to_class(0) is None and rating_to_class(6) is None
    table = pd.DataFrame({"id": ["a", "b", "c"], "path": ["a", "b", "c"], "speaker": ["S"] * 3, "session": [1] * 3,
                          "dim_votes": [{"E2": (1.0, 5.0, 3.0), "E1": (3.0, 3.0, 3.0)}, {"E1": (2.0, 2.0, 2.0)},
                                        {"E2": (2.5, 3.0, 3.0)}]})
    rated, dropped = e2_targets(table)
    assert rated[["id", "valence", "arousal"]].values.tolist() == [["a", 0, 4]]   # (val, act, dom) order
    assert dropped == {"not rated by E-2": 1, "E-2 rating off the 1-5 scale": 1}
