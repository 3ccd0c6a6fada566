"""Per-epoch training curves kept with every unit, and the warning for a kept model that looks undertrained.

A unit's payload stores its curves as arrays ``curve:<name>`` (``curve:loss``, ``curve:val_accuracy``, ...),
so a resumed run can still plot them. :func:`undertraining` reads a curve set and says, in words, why the
kept model may not have learned: the best epoch among the first few, a training metric at the kept epoch far
below its final value, a validation curve that swings more than a set width from one epoch to the next, a
training loss that ends above where it started (diverging), or one that never falls much below its first epoch's
value (no learning: a learning rate far too high can leave the loss flat at a saturated value).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

PREFIX = "curve:"
#: the best epoch counts as "early" when it is among the first EARLY_EPOCHS of at least MIN_EPOCHS_RUN
EARLY_EPOCHS = 2
MIN_EPOCHS_RUN = 6
#: training metric at the kept epoch below this share of its final value (metrics in [0, 1], higher better)
TRAIN_GAP = 0.8
#: median epoch-to-epoch change of the validation metric above this width (fraction of the metric's range)
SWING_WIDTH = 0.10
#: "no learning" when, after at least MIN_EPOCHS_RUN epochs, the training loss never fell below this share of
#: its first epoch's value
NO_PROGRESS = 0.9


def curves(history: Any) -> dict[str, np.ndarray]:
    """``keras.callbacks.History`` (or its ``.history`` dict) -> ``{'curve:<name>': float32 array}``."""
    logs = getattr(history, "history", history)
    return {f"{PREFIX}{k}": np.asarray(v, dtype=np.float32) for k, v in logs.items()}


def read_curves(payload: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """The curves of a unit payload, keyed by metric name (prefix removed)."""
    return {k.removeprefix(PREFIX): np.asarray(v) for k, v in payload.items() if k.startswith(PREFIX)}


def undertraining(curve_set: Mapping[str, np.ndarray], monitor: str, mode: str = "max") -> list[str]:
    """Reasons to think the kept model (best ``monitor`` epoch) is undertrained; empty when none apply.

    ``curve_set`` maps metric names (``loss``, ``accuracy``, ``val_accuracy``) to per-epoch values; the kept
    epoch is the best of ``monitor``. The training counterpart of ``monitor`` is ``monitor`` without ``val_``.
    """
    val = np.asarray(curve_set.get(monitor, []), dtype=float)
    if val.size == 0 or not np.isfinite(val).any():
        return [f"no finite {monitor} values"]
    filled = np.where(np.isfinite(val), val, -np.inf if mode == "max" else np.inf)
    best = int(np.argmax(filled) if mode == "max" else np.argmin(filled))
    reasons = []
    if val.size >= MIN_EPOCHS_RUN and best < EARLY_EPOCHS:
        reasons.append(f"best {monitor} at epoch {best + 1} of {val.size}")
    train = np.asarray(curve_set.get(monitor.removeprefix("val_"), []), dtype=float)
    if mode == "max" and train.size == val.size and train.size > 1 and train[-1] > 0:
        if train[best] < TRAIN_GAP * train[-1]:
            reasons.append(f"training {monitor.removeprefix('val_')} at the kept epoch {train[best]:.3g} is far "
                           f"below its final {train[-1]:.3g}")
    loss = np.asarray(curve_set.get("loss", []), dtype=float)
    if loss.size >= 2 and (not np.isfinite(loss[-1]) or loss[-1] > loss[0]):
        reasons.append(f"training loss rose from {loss[0]:.3g} to {loss[-1]:.3g} (diverging)")
    elif loss.size >= MIN_EPOCHS_RUN and np.isfinite(loss).all() and loss[0] > 0 and loss.min() > NO_PROGRESS * loss[0]:
        reasons.append(f"training loss never fell below {NO_PROGRESS:.0%} of its first epoch's {loss[0]:.3g} "
                       "(no learning)")
    finite = val[np.isfinite(val)]
    if finite.size >= 3:
        span = max(float(np.ptp(np.concatenate([finite, train[np.isfinite(train)]]))) if train.size else
                   float(np.ptp(finite)), 1e-12)
        scale = 1.0 if mode == "max" and finite.min() >= 0 and finite.max() <= 1 else span
        swing = float(np.median(np.abs(np.diff(finite)))) / scale
        if swing > SWING_WIDTH:
            reasons.append(f"{monitor} swings by a median {swing:.0%} of its range from epoch to epoch")
    return reasons
