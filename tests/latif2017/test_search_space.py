"""The keras-tuner space (§4.3 LSTM sizes, §5.3 latent size) contains the paper's choice."""

import numpy as np

from common.tuning import assert_point_in_space
from reproductions.latif2017.search_space import OBJECTIVE, PUBLISHED_POINT, LatentLSTMHyperModel
from reproductions.latif2017.segments import SegmentSet
from reproductions.latif2017.training import FoldIndex, TrainConfig


def test_published_point_in_space():
    seg = SegmentSet(np.zeros((4, 800), "float32"), np.arange(5))
    hypermodel = LatentLSTMHyperModel(seg, FoldIndex(np.array([0]), np.array([1]), np.array([2])),
                                      np.zeros(4, int), 4, TrainConfig())
    assert_point_in_space(hypermodel, PUBLISHED_POINT)
    assert PUBLISHED_POINT["latent_dim"] == 128  # §4.3
    assert OBJECTIVE.direction == "max"
