"""Experimental protocol of Zhao et al. (2019), §4.1–§4.2: folds x runs, training with early stopping, predictions.

Speaker-dependent (§4.1): a random 80/20 split, drawn anew for every run. Speaker-independent (§4.2): 8 speakers
train, 2 test, over all 5 disjoint test pairs. Model selection (§4.1, Figs. 9–10) in two modes:

* ``faithful``: the paper's. The model is kept where "validation accuracy reaches its maximum" (early stopping,
  patience 8), and the validation set is the test set (Table 9 calls Table 7(b)'s validation accuracy the
  "test accuracy"). Evaluation is on every utterance of the corpus: the class totals behind Tables 3–6 are the
  whole corpus (e.g. 127 anger utterances of EmoDB), so training utterances are counted too.
* ``clean``: the validation set is carved out of the training data and only the test utterances are
  evaluated. Speaker-independent: a held-out training speaker (EmoDB) or a whole held-out training session
  (IEMOCAP, where dialogue partners share a session and each other's crosstalk); speaker-dependent: 20 % of
  the training utterances.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import keras
import numpy as np
import pandas as pd

from common.splits import (
    Fold,
    carve_validation,
    leave_one_session_out,
    random_split,
    speaker_pairs_holdout,
)
from common.training import set_seed, standard_callbacks
from common.training.batches import ArrayBatches, releasing
from common.training.curves import curves
from reproductions.zhao2019.models import TrainConfig, build_network

PROTOCOLS = ("speaker-dependent", "speaker-independent")  # §4.1, §4.2
SELECTIONS = ("faithful", "clean")
TEST_FRACTION = 0.2  # §4.1: "the training set took 80% of the data, and the testing set took the remaining 20%"
TEST_SPEAKERS = 2  # §4.2: "the data of other two subjects are chosen as the testing set"
PATIENCE = 8  # §4.1: early stopping on validation accuracy, "patience is set to eight"
MONITOR = "val_accuracy"  # §4.1: "validation accuracy is monitored"
CLEAN_VAL_FRACTION = 0.2  # ours (clean mode, speaker-dependent): 20 % of the training utterances validate
CLEAN_VAL_SPEAKER_FRACTION = 1 / 8  # ours (clean mode, speaker-independent EmoDB): 1 of the 8 training speakers


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


def clean_fold(fold: Fold, table: pd.DataFrame, corpus: str, protocol: str, seed: int) -> Fold:
    """The clean-mode fold: validation carved from the training side only (see the module docstring)."""
    if protocol == "speaker-dependent":
        return carve_validation(fold, table, frac=CLEAN_VAL_FRACTION, seed=seed)
    if corpus == "iemocap":  # a whole session: a carved speaker's partner would stay in training (crosstalk)
        return carve_validation(fold, table, frac=CLEAN_VAL_SPEAKER_FRACTION, seed=seed, by="session")
    return carve_validation(fold, table, frac=CLEAN_VAL_SPEAKER_FRACTION, seed=seed, by_speaker=True)


def protocol_units(table: pd.DataFrame, corpus: str, folds: list[Fold], protocol: str, selection: str, seed: int,
                   runs: int, max_folds: int | None = None) -> list[Unit]:
    """Every (fold, run) unit of one protocol and selection mode, with the clean validation carved out."""
    if protocol == "speaker-dependent":
        pairs = [(folds[r], r) for r in range(runs)]
    else:
        pairs = [(fold, r) for r in range(runs) for fold in folds[:max_folds]]
    units = []
    for fold, run in pairs:
        if selection == "clean":
            fold = clean_fold(fold, table, corpus, protocol, seed + run)
        idx = fold.indices(table)
        train, test = np.sort(idx.train), np.sort(idx.test)
        val = np.sort(idx.val) if selection == "clean" else test
        units.append(Unit(protocol, selection, fold, run, train, val, test))
    return units


def standardise(x: np.ndarray, train: np.ndarray) -> np.ndarray:
    """Scale inputs by the mean and standard deviation of the training utterances (ours; §3.5 is silent)."""
    mean, std = float(x[train].mean()), float(x[train].std())
    return ((x - mean) / max(std, 1e-8)).astype(np.float32)


#: training utterances (at most) whose statistics recalibrate batch normalisation before each validation
RECALIBRATION_SAMPLES = 256
#: utterances per probe batch, and activation rows summed at a time: at 8 s of 16 kHz audio, LFLB1's BN input is
#: 128,000 x 64 floats per utterance, so a training-size batch would hold several GB in the probe alone
RECALIBRATION_BATCH = 4
ROWS_PER_SUM = 1 << 20


class RecalibrateBatchNorm(keras.callbacks.Callback):
    """Before every evaluation, set each BatchNormalization layer's moving mean and variance to the statistics
    of its input over (up to ``RECALIBRATION_SAMPLES``) training utterances, layer by layer in network order.

    With ~4-14 steps per epoch (EmoDB, IEMOCAP's prototypical set) the moving averages lag far behind the
    weights, so inference mode (validation, early stopping, test) sees a different network from the one ``fit``
    trains (README "Defaults that learn"). Recalibrating before ``evaluate`` (``on_test_begin``, which ``fit``
    calls for validation) makes the kept weights carry the statistics they were validated with. Backend-neutral:
    sub-models' ``predict_on_batch`` and NumPy.
    """

    def __init__(self, x: np.ndarray, seed: int = 0, rows: np.ndarray | None = None) -> None:
        """``x[rows]`` are the training utterances (default: all of ``x``); only the drawn ones are copied."""
        super().__init__()
        rows = np.arange(len(x)) if rows is None else np.asarray(rows)
        if len(rows) > RECALIBRATION_SAMPLES:
            rows = rows[np.sort(np.random.default_rng(seed).choice(len(rows), RECALIBRATION_SAMPLES, replace=False))]
        self.x = x[rows]
        self._probes: list[tuple[keras.layers.BatchNormalization, keras.Model]] = []

    def on_train_begin(self, logs: dict | None = None) -> None:
        self._probes = [(layer, keras.Model(self.model.inputs, layer.input)) for layer in self.model.layers
                        if isinstance(layer, keras.layers.BatchNormalization)]

    def recalibrate(self) -> None:
        for layer, probe in self._probes:
            total, total_sq, count = 0.0, 0.0, 0
            for start in range(0, len(self.x), RECALIBRATION_BATCH):
                a = np.asarray(probe.predict_on_batch(self.x[start:start + RECALIBRATION_BATCH]))
                a = a.reshape(-1, a.shape[-1])
                for rows in range(0, len(a), ROWS_PER_SUM):  # float64 sums over bounded slices
                    chunk = a[rows:rows + ROWS_PER_SUM].astype(np.float64)
                    total, total_sq = total + chunk.sum(0), total_sq + np.einsum("ij,ij->j", chunk, chunk)
                count += a.shape[0]
            mean = total / count
            layer.moving_mean.assign(mean.astype("float32"))
            layer.moving_variance.assign(np.maximum(total_sq / count - mean * mean, 0.0).astype("float32"))

    def on_test_begin(self, logs: dict | None = None) -> None:
        if self._probes:
            self.recalibrate()


Schedule = Callable[[int, int], tuple[dict[str, Any], list]]


def fit_unit(unit: Unit, network: str, x: np.ndarray, y: np.ndarray, n_classes: int, config: TrainConfig,
             epochs: int, seed: int, schedule: Schedule | None = None, scope: Any = None, patience: int = PATIENCE,
             verbose: int = 0) -> dict[str, Any]:
    """Train one model with early stopping on validation accuracy (§4.1) and predict every utterance.

    ``schedule(epochs, steps_per_epoch) -> (fit kwargs, callbacks)`` is the unit's ``Fit.schedule`` (the engine
    may shorten the fit); ``scope`` the ``--strategy`` scope the model is built in.
    Returns the ledger payload: ``y_pred`` for all utterances, the best validation accuracy (Table 7(b)), the
    epoch it was reached at, the per-epoch curves (``curve:*``, Figs. 9–10) and the training accuracy of the
    kept model in inference mode (``train_accuracy_inference``: far below ``fit``'s training accuracy when the
    batch-normalisation moving statistics lag behind the weights).
    """
    import contextlib

    set_seed(seed)
    x = standardise(x, unit.train)[..., None]
    steps = math.ceil(len(unit.train) / config.batch_size)
    fit_kwargs, extra = schedule(epochs, steps) if schedule is not None else ({"epochs": int(epochs)}, [])
    with scope if scope is not None else contextlib.nullcontext():
        model = build_network(network, n_classes, x.shape[1:-1], config)
    recalibrate = [RecalibrateBatchNorm(x, seed, unit.train)] if config.recalibrate_bn else []
    batch = config.batch_size
    with releasing(ArrayBatches(x, unit.train, y, batch, shuffle=True, seed=seed), ArrayBatches(x, unit.val, y, batch),
                   ArrayBatches(x, np.arange(len(x)), batch_size=batch)) as (train, val, every):
        history = model.fit(train, validation_data=val, verbose=verbose, **fit_kwargs,
                            callbacks=[*extra, *recalibrate,
                                       *standard_callbacks(MONITOR, "max", patience, restore_best=True)])
        y_pred = model.predict(every, verbose=0).argmax(axis=1).astype(np.int64)
    curve = np.asarray(history.history[MONITOR], dtype=float)
    return {"y_pred": y_pred, "val_accuracy": float(curve.max()), "best_epoch": int(curve.argmax()) + 1,
            "epochs_run": int(curve.size), "train_accuracy_inference": float(np.mean(y_pred[unit.train] ==
                                                                                     y[unit.train])),
            **curves(history)}
