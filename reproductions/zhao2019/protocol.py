"""Experimental protocol of Zhao et al. (2019), §4.1–§4.2: folds x runs, training with early stopping, predictions.

Speaker-dependent (§4.1): a random 80/20 split, drawn anew for every run. Speaker-independent (§4.2): 8 speakers
train, 2 test, over all 5 disjoint test pairs. Model selection (§4.1, Figs. 9–10) in two modes:

* ``faithful``: the paper's. The model is kept where "validation accuracy reaches its maximum" (early stopping,
  patience 8), and the validation set is the test set (Table 9 calls Table 7(b)'s validation accuracy the
  "test accuracy"). Evaluation is on every utterance of the corpus: the class totals behind Tables 3–6 are the
  whole corpus (e.g. 127 anger utterances of EmoDB), so training utterances are counted too.
* ``clean``: the validation set is carved out of the training data (a held-out training speaker for the
  speaker-independent protocol, 20 % of the training utterances for the speaker-dependent one), and only the
  test utterances are evaluated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from common.splits import Fold, carve_validation, leave_one_session_out, random_split, speaker_pairs_holdout
from common.training import get_strategy, set_seed, standard_callbacks
from reproductions.zhao2019.models import TrainConfig, build_network

PROTOCOLS = ("speaker-dependent", "speaker-independent")  # §4.1, §4.2
SELECTIONS = ("faithful", "clean")
TEST_FRACTION = 0.2  # §4.1: "the training set took 80% of the data, and the testing set took the remaining 20%"
TEST_SPEAKERS = 2  # §4.2: "the data of other two subjects are chosen as the testing set"
PATIENCE = 8  # §4.1: early stopping on validation accuracy, "patience is set to eight"
MONITOR = "val_accuracy"  # §4.1: "validation accuracy is monitored"
CLEAN_VAL_FRACTION = 0.2  # ours (clean mode, speaker-dependent): 20 % of the training utterances validate
CLEAN_VAL_SPEAKER_FRACTION = 1 / 8  # ours (clean mode, speaker-independent): 1 of the 8 training speakers


@dataclass(frozen=True)
class Unit:
    """One trained model: protocol, fold, run, and the utterance indices of its train / val / test parts."""

    protocol: str
    selection: str
    fold: Fold
    run: int
    train: np.ndarray
    val: np.ndarray
    test: np.ndarray

    @property
    def evaluated(self) -> np.ndarray:
        """Utterances the reported accuracy and confusion matrix are computed on (see module docstring)."""
        if self.selection == "faithful":
            return np.sort(np.concatenate([self.train, self.test]))
        return self.test


def protocol_folds(table: pd.DataFrame, corpus: str, protocol: str, seed: int, runs: int) -> list[Fold]:
    """The test folds of ``protocol``: one random 80/20 split per run, or the 5 disjoint speaker pairs.

    IEMOCAP's disjoint pairs are its five sessions (each a male-female pair of dialogue partners, so no test
    speaker's voice is heard as the partner in a training dialogue); EmoDB's pairs are drawn with ``seed``.
    """
    if protocol == "speaker-dependent":
        return [random_split(table, test_frac=TEST_FRACTION, seed=seed + r, stratify="label") for r in range(runs)]
    if corpus == "iemocap":
        return leave_one_session_out(table)
    return speaker_pairs_holdout(table, n_test=TEST_SPEAKERS, seed=seed)


def _indices(ids: list[str], position: Mapping[str, int]) -> np.ndarray:
    return np.sort(np.array([position[i] for i in ids], dtype=np.int64))


def protocol_units(table: pd.DataFrame, folds: list[Fold], protocol: str, selection: str, seed: int,
                   runs: int, max_folds: int | None = None) -> list[Unit]:
    """Every (fold, run) unit of one protocol and selection mode, with the clean validation carved out."""
    position = {uid: i for i, uid in enumerate(table["id"])}
    if protocol == "speaker-dependent":
        pairs = [(folds[r], r) for r in range(runs)]
    else:
        pairs = [(fold, r) for r in range(runs) for fold in folds[:max_folds]]
    units = []
    for fold, run in pairs:
        if selection == "clean":
            by_speaker = protocol == "speaker-independent"
            frac = CLEAN_VAL_SPEAKER_FRACTION if by_speaker else CLEAN_VAL_FRACTION
            fold = carve_validation(fold, table, frac=frac, seed=seed + run, by_speaker=by_speaker)
            val = _indices(fold.val, position)
        else:
            val = _indices(fold.test, position)
        units.append(Unit(protocol, selection, fold, run, _indices(fold.train, position), val,
                          _indices(fold.test, position)))
    return units


def standardise(x: np.ndarray, train: np.ndarray) -> np.ndarray:
    """Scale inputs by the mean and standard deviation of the training utterances (ours; §3.5 is silent)."""
    mean, std = float(x[train].mean()), float(x[train].std())
    return (x - mean) / max(std, 1e-8)


def train_unit(unit: Unit, network: str, x: np.ndarray, y: np.ndarray, n_classes: int, config: TrainConfig,
               epochs: int, seed: int, strategy: str = "default", patience: int = PATIENCE,
               verbose: int = 0) -> dict:
    """Train one model with early stopping on validation accuracy (§4.1) and predict every utterance.

    Returns the ledger payload: ``y_pred`` for all utterances, the best validation accuracy (Table 7(b)),
    the epoch it was reached at (Figs. 9–10) and the validation-accuracy curve.
    """
    set_seed(seed)
    x = standardise(x, unit.train)[..., None]
    with get_strategy(strategy).scope():
        model = build_network(network, n_classes, x.shape[1:-1], config)
    history = model.fit(x[unit.train], y[unit.train], validation_data=(x[unit.val], y[unit.val]),
                        batch_size=config.batch_size, epochs=epochs, verbose=verbose,
                        callbacks=standard_callbacks(MONITOR, "max", patience, restore_best=True))
    curve = np.asarray(history.history[MONITOR], dtype=float)
    y_pred = model.predict(x, batch_size=config.batch_size, verbose=0).argmax(axis=1)
    return {"y_pred": y_pred.astype(np.int64), "val_curve": curve, "val_accuracy": float(curve.max()),
            "best_epoch": int(curve.argmax()) + 1, "epochs_run": int(curve.size)}
