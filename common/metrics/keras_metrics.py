"""Stateful Keras CCC metric: pooled over every frame seen since the last reset (one epoch)."""

from __future__ import annotations

from typing import Any

import keras
from keras import ops

from common.metrics.losses import CCC_EPS

_STATS = ("n", "mean_t", "mean_p", "m2_t", "m2_p", "c_tp")


def _accumulator_dtype() -> str:
    """float64 where the backend keeps it; JAX without x64 would truncate it to float32 (with a warning), and the
    centred merge below keeps float32 accurate over an epoch of tens of thousands of frames."""
    return "float32" if keras.backend.backend() == "jax" else "float64"


@keras.saving.register_keras_serializable(package="sereprod")
class ConcordanceCorrelation(keras.metrics.Metric):
    """Pooled CCC (Khorram §3 formula) over every frame seen since the last reset (one epoch).

    Keeps the count, the means, the centred sums of squares and the co-moment, merged batch by batch with Chan
    et al.'s pairwise update (numerically stable, also in float32), so the result equals
    ``common.metrics.ccc_pooled`` over all frames of the epoch, not a mean of per-batch CCCs.
    ``sample_weight`` (e.g. a (B, T) mask of padded frames) weights every frame; weight 0 drops it.
    """

    def __init__(self, name: str = "ccc", dtype: str | None = None) -> None:
        super().__init__(name=name, dtype=dtype)
        self._acc = _accumulator_dtype()
        self._stats = [self.add_variable(shape=(), initializer="zeros", dtype=self._acc, name=s) for s in _STATS]

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        y_pred = ops.cast(y_pred, self._acc)
        y_true = ops.reshape(ops.cast(y_true, self._acc), ops.shape(y_pred))
        if sample_weight is None:
            w = ops.ones_like(y_pred)
        else:
            w = ops.cast(sample_weight, self._acc)
            while len(w.shape) < len(y_pred.shape):
                w = ops.expand_dims(w, -1)
            w = ops.broadcast_to(w, ops.shape(y_pred))
        nb = ops.sum(w)
        safe_nb = ops.maximum(nb, 1e-12)
        mb_t, mb_p = ops.sum(w * y_true) / safe_nb, ops.sum(w * y_pred) / safe_nb
        m2b_t = ops.sum(w * (y_true - mb_t) ** 2)
        m2b_p = ops.sum(w * (y_pred - mb_p) ** 2)
        cb = ops.sum(w * (y_true - mb_t) * (y_pred - mb_p))
        n, mean_t, mean_p, m2_t, m2_p, c_tp = self._stats
        total = n + nb
        share = nb / ops.maximum(total, 1e-12)
        cross = n * share
        d_t, d_p = mb_t - mean_t, mb_p - mean_p
        updates = (total, mean_t + d_t * share, mean_p + d_p * share, m2_t + m2b_t + d_t * d_t * cross,
                   m2_p + m2b_p + d_p * d_p * cross, c_tp + cb + d_t * d_p * cross)
        for var, value in zip(self._stats, updates, strict=True):
            var.assign(value)

    def result(self) -> Any:
        n, mean_t, mean_p, m2_t, m2_p, c_tp = self._stats
        n = ops.maximum(n, 1.0)
        denom = m2_t / n + m2_p / n + (mean_t - mean_p) ** 2
        return ops.cast(2.0 * (c_tp / n) / (denom + CCC_EPS), self.dtype)
