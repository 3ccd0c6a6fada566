"""The one training of every Huang model (§6.2): the protocol's grids, the h1 sweep and ``--tune`` all use it.

Every trial trains on the noisy training partition (§5.2, §6.2), stops early on the noisy validation UA
with patience 3, and reports validation UA under both conditions plus the test predictions under both
(from which the selected model's Table 4 cells and their intervals come).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import keras
import numpy as np

from common.engine import Fit, Session
from common.engine.passes import PredictTimer, unrun_seconds
from common.metrics import unweighted_accuracy
from common.paths import slug
from common.training import set_seed, standard_callbacks
from common.training.batches import varying_length
from common.training.curves import curves
from reproductions.huang2017.data import ConditionData
from reproductions.huang2017.models import build_cldnn, build_ldnn
from reproductions.huang2017.noisy_set import MixedBatches, SampledBatches
from reproductions.huang2017.search_space import MODELS, PATIENCE, kernel_args, point_tag

CONDITIONS = ("noisy", "clean")
MONITOR = "val_ua_noisy"
METRICS = ("val_ua_noisy", "val_ua_clean", "test_ua_noisy", "test_ua_clean")


def predictions(model: keras.Model, batches: MixedBatches) -> np.ndarray:
    """Predicted class of every item of ``batches``, in plan order (a sample reports its left-out batches' time)."""
    sampled, timer = isinstance(batches, SampledBatches), PredictTimer()
    scores = model.predict(varying_length(batches), verbose=0, callbacks=[timer] if sampled else None)
    if sampled:
        batches.report(unrun_seconds(timer.seconds, batches.costs, batches.unrun_cost))
    return np.argmax(scores, axis=1).astype(np.int64)


def evaluated(fit: Fit, sets: dict[str, MixedBatches]) -> dict[str, MixedBatches]:
    """The batches a training predicts: every one, or where the engine samples large passes (``Fit.pass_sample``)
    a sample of the noisy (x61) ones, whose passes of tens of thousands of mixtures every epoch and unit are the bulk
    of the protocol's evaluation."""
    if fit.pass_sample is None:
        return sets
    return {c: b.sample(fit.pass_sample, fit.left_out) if c == "noisy" else b for c, b in sets.items()}


def predict_ua(model: keras.Model, batches: MixedBatches) -> float:
    """UA (§7) of ``model`` on every item of ``batches``."""
    return unweighted_accuracy(batches.y, predictions(model, batches))


class ValidationUA(keras.callbacks.Callback):
    """Puts val_ua_noisy / val_ua_clean into the epoch logs (for early stopping, the curves and the tuner)."""

    def __init__(self, val: dict[str, MixedBatches]) -> None:
        super().__init__()
        self.val = val
        self.history: list[dict[str, float]] = []

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        scores = {f"val_ua_{c}": predict_ua(self.model, b) for c, b in self.val.items()}
        self.history.append(scores)
        if logs is not None:
            logs.update(scores)

    def best(self) -> dict[str, float]:
        """Scores of the epoch early stopping restores (first maximum of the noisy validation UA)."""
        return max(self.history, key=lambda s: s[MONITOR])


def build(model_name: str, cond: ConditionData, values: dict[str, Any]) -> keras.Model:
    """The compiled LDNN or X-CLDNN of ``model_name`` at grid point ``values``."""
    conv_type, _ = MODELS[model_name]
    if conv_type is None:
        return build_ldnn(cond.n_bands, cond.n_classes)
    return build_cldnn(conv_type, cond.n_bands, cond.n_classes, **kernel_args(conv_type, values, cond.n_bands))


def train(session: Session, fit: Fit, model_name: str, cond: ConditionData, values: dict[str, Any], seed: int,
          weights: Path | None = None) -> dict[str, Any]:
    """Train ``model_name`` at ``values`` on the noisy training set -> a ledger payload.

    The payload holds the grid point, the validation UA of the kept epoch under both conditions, the test UA
    under both, the per-item test predictions (``y_true:<c>``, ``y_pred:<c>``, ``group:<c>`` = subject) and
    the training curves. ``weights`` (when given) receives the kept model's weights (Table 5 probes them).
    """
    set_seed(seed)
    with session.scope():
        model = build(model_name, cond, values)
    val_ua = ValidationUA(evaluated(fit, cond.val))
    fit_kw, scheduled = fit.schedule(session.epochs, len(cond.train))
    # The batches redraw their own order after every epoch (seeded); Keras is not asked to shuffle them again.
    history = model.fit(varying_length(cond.train), **fit_kw, shuffle=False, verbose=session.verbose,
                        callbacks=[val_ua, *standard_callbacks(MONITOR, "max", PATIENCE), *scheduled])
    payload: dict[str, Any] = {"values": dict(values), **val_ua.best(), **curves(history)}
    for c, batches in evaluated(fit, cond.test).items():
        y_pred = predictions(model, batches)
        payload[f"test_ua_{c}"] = unweighted_accuracy(batches.y, y_pred)
        payload[f"y_true:{c}"] = batches.y
        payload[f"y_pred:{c}"] = y_pred
        payload[f"group:{c}"] = batches.speakers
    if weights is not None:
        weights.parent.mkdir(parents=True, exist_ok=True)
        model.save_weights(weights)
        payload["weights"] = str(weights)
    return payload


def train_and_score(session: Session, data: Any, target: str, config: dict[str, Any],
                    split: ConditionData) -> dict[str, float]:
    """What a ``--tune`` trial reports: the same training as the protocol's grids, on ``split``."""
    payload = session.unit(("search", slug(target), point_tag(config)),
                           lambda fit: train(session, fit, target, split, config, session.seed), MONITOR,
                           store=False)
    return {m: float(payload[m]) for m in METRICS}
