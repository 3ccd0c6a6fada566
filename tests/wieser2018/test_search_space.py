"""The paper's published choices (Tables 1-3 + the Fig. 2/3 assumptions) lie inside the keras-tuner spaces."""

import numpy as np
import pandas as pd
import pytest

from common.tuning import assert_point_in_space
from reproductions.wieser2018.data import Samples
from reproductions.wieser2018.protocol import FoldRows
from reproductions.wieser2018.search_space import PUBLISHED_POINT, PUBLISHED_POINTS, WieserHyperModel


def _tiny_samples(n=12):
    rng = np.random.default_rng(0)
    table = pd.DataFrame({"id": [f"u{i}" for i in range(n)], "speaker": ["S1"] * n,
                          "arousal": rng.integers(0, 5, n), "valence": rng.integers(0, 5, n)})
    return Samples(table, rng.normal(0, .1, (n, 800)).astype("float32"),
                   rng.normal(size=(n, 40, 26)).astype("float32"), rng.normal(size=(n, 20)).astype("float32"),
                   "IS10", {})


@pytest.mark.parametrize("network", ["ELoR", "LoM", "FTR"])
def test_published_point_in_space(network):
    samples = _tiny_samples()
    fold = FoldRows("S1", np.arange(8), np.arange(8, 12), np.arange(8, 12))
    assert_point_in_space(WieserHyperModel(network, samples, fold, {}), PUBLISHED_POINTS[network])
    assert PUBLISHED_POINT == PUBLISHED_POINTS["ELoR"]
    assert PUBLISHED_POINTS["ELoR"]["learning_rate"] == 0.006 and PUBLISHED_POINTS["LoM"]["batch_size"] == 5
    assert PUBLISHED_POINTS["FTR"]["alpha_w"] == 3.4e-8
