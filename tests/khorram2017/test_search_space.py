"""The §6.1 search space contains the paper's published choices."""

import keras_tuner as kt

from common.tuning import assert_point_in_space
from reproductions.khorram2017.models import DILATED_LAYERS, DOWNUP_FACTOR, DOWNUP_STAGES
from reproductions.khorram2017.search_space import (
    OBJECTIVE,
    PUBLISHED_DILATED_POINT,
    PUBLISHED_POINT,
    KhorramHyperModel,
    build_from_values,
)


def test_published_points_lie_in_the_space() -> None:
    hypermodel = KhorramHyperModel(train=[], dev=[])
    assert_point_in_space(hypermodel, PUBLISHED_POINT)
    assert_point_in_space(hypermodel, PUBLISHED_DILATED_POINT)
    assert OBJECTIVE.name == "val_ccc" and OBJECTIVE.direction == "max"


def test_published_points_build_the_paper_models() -> None:
    assert PUBLISHED_POINT["stages"] == DOWNUP_STAGES and PUBLISHED_POINT["factor"] == DOWNUP_FACTOR
    assert PUBLISHED_DILATED_POINT["n_layers"] == DILATED_LAYERS
    dilated = build_from_values(PUBLISHED_DILATED_POINT)
    assert len([la for la in dilated.layers if la.name.startswith("dilated_")]) == DILATED_LAYERS
    assert build_from_values(PUBLISHED_POINT).name == "downup"


def test_space_lists_each_tuned_quantity() -> None:
    hp = kt.HyperParameters()
    KhorramHyperModel(train=[], dev=[]).build(hp)
    names = {h.name for h in hp.space}
    assert {"learning_rate", "l2", "width", "kernel_size", "n_layers", "base"} <= names
