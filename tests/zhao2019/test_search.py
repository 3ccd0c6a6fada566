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


def test_every_network_is_searched_by_the_paper_profile_on_training_speakers_only(emodb_twin, iemocap_twin):
    """§3.4 runs per network in --profile paper; its validation never holds a test speaker (nor, for IEMOCAP, a
    test or training session)."""
    from types import SimpleNamespace

    from reproductions.zhao2019.data import select_utterances
    from reproductions.zhao2019.models import NETWORKS
    from reproductions.zhao2019.paper import PAPER, search_split
    from reproductions.zhao2019.protocol import protocol_folds

    assert set(PAPER.searches) == set(NETWORKS)
    assert all(s.in_profile == ("paper",) and s.target == n for n, s in PAPER.searches.items())
    assert PAPER.default_hp_source == "suite-default"
    for corpus, column in ((emodb_twin, "speaker"), (iemocap_twin, "session")):
        table = select_utterances(corpus).table
        folds = {"speaker-independent": protocol_folds(table, corpus.name, "speaker-independent", 0, 1)}
        session = SimpleNamespace(corpus=corpus, seed=0)
        unit = search_split(session, SimpleNamespace(selection=SimpleNamespace(table=table), folds=folds))
        groups = table[column].astype(str).to_numpy()
        assert len(unit.val) and not set(groups[unit.val]) & (set(groups[unit.test]) | set(groups[unit.train]))
