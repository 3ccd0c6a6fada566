"""Validation part by window (faithful, §3.3) or by utterance (corrected); FTR beats the majority on the twin."""

from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest

from common.corpora import open_corpus
from common.engine.unit import Fit
from common.metrics import uar
from reproductions.wieser2018.data import build_samples, ftr_feature_set
from reproductions.wieser2018.paper import PROFILES
from reproductions.wieser2018.protocol import fit_network, fold_indices, predict_classes, speaker_folds


@pytest.fixture(scope="module")
def samples():
    return build_samples(open_corpus("iemocap", None, size="smoke", seed=0), 16000, 8000, ftr_feature_set())


def _utterances(ids):
    return {i.rsplit("#", 1)[0] for i in ids}


def test_validation_by_window_straddles_utterances_and_by_utterance_does_not(samples):
    window = speaker_folds(samples, 0, 2, "window")
    utterance = speaker_folds(samples, 0, 2, "utterance")
    assert [f.name for f in window][0] == "Ses03F"
    for folds in (window, utterance):
        for f in folds:
            assert not set(f.train) & set(f.val) and not set(f.train) & set(f.test)
            n = len(f.train) + len(f.val)
            assert 0.15 < len(f.val) / n < 0.25
    assert any(_utterances(f.train) & _utterances(f.val) for f in window)          # flagged leak
    assert all(not _utterances(f.train) & _utterances(f.val) for f in utterance)  # corrected
    assert [set(f.test) for f in window] == [set(f.test) for f in utterance]


def test_short_training_beats_most_frequent_label_in_uar(samples):
    """FTR (§2.2.2) on the twin's Ses03-F fold, 30 epochs at lr 0.01: UAR above the majority's on both dimensions."""
    fold = fold_indices(samples, speaker_folds(samples, 0, 1))[0]
    assert fold.name == "Ses03F"
    session = SimpleNamespace(settings=replace(PROFILES["paper"].settings, hidden_units=(32, 16)), epochs=30,
                              verbose=0)
    net, stats, history = fit_network(session, samples, "FTR", "faithful", {"learning_rate": 0.01, "epochs": 30},
                                      fold.train, 0, Fit(("test",)))
    assert len(history.history["loss"]) == 30
    predictions = predict_classes(net, "FTR", samples, fold.test, stats)
    margins = []
    for dimension in ("arousal", "valence"):
        y = samples.labels(dimension)[fold.test]
        majority = uar(y, [int(np.bincount(y).argmax())] * len(y))
        margins.append(uar(y, predictions[dimension]) - majority)
    assert min(margins) > 0 and np.mean(margins) > 0.02, margins
