"""Validation part by window (faithful, §3.3) or by utterance (corrected); FTR beats the majority on the twin;
the faithful trainer reads its windows batch by batch; §4.1's majority classes are cells."""

from dataclasses import replace
from types import SimpleNamespace

import keras
import numpy as np
import pytest

from common.corpora import open_corpus
from common.engine.unit import Fit
from common.metrics import uar
from reproductions.wieser2018 import protocol
from reproductions.wieser2018.data import WieserData, build_samples, ftr_feature_set
from reproductions.wieser2018.models import RowInputs
from reproductions.wieser2018.paper import PAPER as wieser2018
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


def _session(**extra):
    settings = replace(PROFILES["paper"].settings, hidden_units=(32, 16), elor_filters=8,
                       elor_kernel_sizes=(20, 10, 10), joint_variant=())
    return SimpleNamespace(settings=settings, epochs=1, verbose=0, runs=1, **extra)


def test_faithful_trainer_gets_a_lazy_view_not_a_copy_of_the_training_waveforms(samples, monkeypatch):
    """Before, the alternating-heads trainer got ``waveforms[train]``: every training window copied at once."""
    fold = fold_indices(samples, speaker_folds(samples, 0, 1))[0]
    seen = {}

    def fit(self, x, y, **kwargs):
        seen["x"] = x
        return keras.callbacks.History()
    monkeypatch.setattr(protocol.AlternatingHeadsTrainer, "fit", fit)
    fit_network(_session(), samples, "ELoR", "faithful", {}, fold.train, 0, Fit(("test",)))
    x = seen["x"]
    assert isinstance(x, RowInputs) and not isinstance(x, np.ndarray) and len(x) == len(fold.train)
    np.testing.assert_array_equal(x[np.array([0, 3])], samples.waveforms[fold.train[[0, 3]], :, None])


def test_section_4_1_majority_classes_are_argmax_cells(samples):
    """§4.1: "always predicting arousal = 3 ... only predicting valence = 1": emitted, keyed as published.csv."""
    folds = fold_indices(samples, speaker_folds(samples, 0, 2))

    def unit(key, compute, *checks):
        fold = next(f for f in folds if f.name == key[2])
        truth = {f"true_{d}": samples.labels(d)[fold.test] for d in ("arousal", "valence")}
        return {"speaker": samples.table["speaker"].to_numpy(dtype=str)[fold.test], "loss": [1.0],
                **truth, **{k.replace("true", "pred"): v for k, v in truth.items()}}
    session = _session(unit=unit, paper=wieser2018, hp_source=lambda target: "paper")
    rows = [r for r in protocol.table5(session, WieserData(samples=samples, folds=folds, split="s"))
            if r.table == "§4.1"]
    test = np.concatenate([f.test for f in folds])
    assert {(r.row, r.column, r.metric): list(r.values) for r in rows} == {
        ("Most frequent label", c, "class"): [int(np.bincount(samples.labels(d)[test]).argmax())]
        for d, c in (("arousal", "Arousal"), ("valence", "Valence"))}
