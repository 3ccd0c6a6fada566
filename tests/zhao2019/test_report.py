"""Aggregation of Tables 3–7: faithful mode counts every utterance, clean mode only the test utterances."""

import numpy as np
import pandas as pd

from common.splits import Fold
from reproductions.zhao2019.protocol import Unit
from reproductions.zhao2019.report import summarise


def _unit(selection: str, run: int = 0) -> Unit:
    train, test = np.array([0, 1, 2, 3, 4, 5]), np.array([6, 7])
    val = test if selection == "faithful" else np.array([5])
    if selection == "clean":
        train = train[:-1]
    return Unit("speaker-dependent", selection, Fold("f", [], [], []), run, train, val, test)


def test_faithful_counts_training_utterances_clean_does_not():
    y = np.array([0, 0, 0, 1, 1, 1, 0, 1])
    y_pred = np.array([0, 0, 0, 1, 1, 1, 1, 0])  # training utterances right, both test utterances wrong
    payload = {"y_pred": y_pred, "val_accuracy": 0.5, "best_epoch": 3}
    faithful = summarise("2d", "speaker-dependent", "faithful", [_unit("faithful")], [payload], y, 2)
    clean = summarise("2d", "speaker-dependent", "clean", [_unit("clean")], [payload], y, 2)
    assert faithful.accuracy == [75.0] and clean.accuracy == [0.0]
    assert np.allclose(faithful.confusion[0], [[75, 25], [25, 75]])
    assert np.allclose(clean.confusion[0], [[0, 100], [100, 0]])
    assert faithful.validation_accuracy == [50.0] and faithful.variant == "faithful"


def test_runs_are_kept_apart_for_mean_and_std():
    y = np.array([0, 1, 0, 1, 0, 1, 0, 1])
    right = {"y_pred": y.copy(), "val_accuracy": 1.0, "best_epoch": 1}
    wrong = {"y_pred": 1 - y, "val_accuracy": 0.0, "best_epoch": 1}
    exp = summarise("2d-timeseq", "speaker-dependent", "clean", [_unit("clean", 0), _unit("clean", 1)],
                    [right, wrong], y, 2)
    assert exp.accuracy == [100.0, 0.0] and exp.variant == "timeseq-clean"
    assert pd.Series(exp.accuracy).std() > 0
