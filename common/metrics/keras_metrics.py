"""Stateful Keras CCC metric: pooled over every frame seen since the last reset (one epoch)."""

from __future__ import annotations

from typing import Any

import keras
from keras import ops

from common.metrics.losses import CCC_EPS

_STATS = ("n", "sum_t", "sum_p", "sum_tt", "sum_pp", "sum_tp")


@keras.saving.register_keras_serializable(package="sereprod")
class ConcordanceCorrelation(keras.metrics.Metric):
    """Pooled CCC (Khorram §3 formula) from sufficient statistics accumulated across batches.

    Keeps n, sum y, sum yhat, sum y^2, sum yhat^2, sum y*yhat (float64) so the result equals
    ``common.metrics.ccc_pooled`` over all frames of the epoch, not a mean of per-batch CCCs.
    ``sample_weight`` (e.g. a (B, T) mask of padded frames) weights every frame; weight 0 drops it.
    """

    def __init__(self, name: str = "ccc", dtype: str | None = None) -> None:
        super().__init__(name=name, dtype=dtype)
        self._stats = [self.add_variable(shape=(), initializer="zeros", dtype="float64", name=s) for s in _STATS]

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        y_pred = ops.cast(y_pred, "float64")
        y_true = ops.reshape(ops.cast(y_true, "float64"), ops.shape(y_pred))
        if sample_weight is None:
            w = ops.ones_like(y_pred)
        else:
            w = ops.cast(sample_weight, "float64")
            while len(w.shape) < len(y_pred.shape):
                w = ops.expand_dims(w, -1)
            w = ops.broadcast_to(w, ops.shape(y_pred))
        terms = (w, w * y_true, w * y_pred, w * y_true * y_true, w * y_pred * y_pred, w * y_true * y_pred)
        for var, term in zip(self._stats, terms, strict=True):
            var.assign_add(ops.sum(term))

    def result(self) -> Any:
        n, st, sp, stt, spp, stp = self._stats
        n = ops.maximum(n, 1.0)
        mt, mp = st / n, sp / n
        cov = stp / n - mt * mp
        denom = (stt / n - mt * mt) + (spp / n - mp * mp) + (mt - mp) ** 2
        return ops.cast(2.0 * cov / (denom + CCC_EPS), self.dtype)
