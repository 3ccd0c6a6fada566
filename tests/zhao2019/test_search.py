"""§3.4's search space and its hand-off to the training configuration."""

import keras_tuner as kt
import pytest

from common.tuning import config_of
from reproductions.zhao2019.models import TrainConfig
from reproductions.zhao2019.search_space import OPTIMIZERS, PUBLISHED_POINT, declare


def test_space_offers_the_papers_optimisers_and_the_default_point():
    assert OPTIMIZERS == ["adagrad", "adam", "sgd", "rmsprop"]  # §3.4
    config = config_of(declare, PUBLISHED_POINT)
    assert TrainConfig(**config) == TrainConfig()


def test_a_sampled_point_builds_a_training_configuration():
    hp = kt.HyperParameters()
    hp.values.update({"optimizer": "sgd", "learning_rate": 0.01, "batch_size": 16})
    config = TrainConfig(**{**TrainConfig().as_dict(), **declare(hp)})
    assert config.optimizer == "sgd" and config.learning_rate == pytest.approx(0.01) and config.batch_size == 16
