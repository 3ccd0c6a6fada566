"""CCC loss for ``model.compile`` (Khorram §6.1: "We optimize CCC directly")."""

from __future__ import annotations

from typing import Any

import keras
from keras import ops

CCC_EPS = 1e-8


def _as_sequences(y_true: Any, y_pred: Any) -> tuple[Any, Any]:
    """Both as (B, T, C) float tensors of y_pred's dtype; (B, T) counts as C = 1, extra axes fold into T."""
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, y_pred.dtype)
    if len(y_pred.shape) < 2:
        raise ValueError(f"CCC needs a sequence axis: y_pred has shape {y_pred.shape}, expected (B, T[, C])")
    if len(y_true.shape) == len(y_pred.shape) - 1:
        y_true = ops.expand_dims(y_true, -1)
    if len(y_pred.shape) == 2:
        y_true, y_pred = ops.expand_dims(y_true, -1), ops.expand_dims(y_pred, -1)
    channels = y_pred.shape[-1]
    batch = ops.shape(y_pred)[0]
    return ops.reshape(y_true, (batch, -1, channels)), ops.reshape(y_pred, (batch, -1, channels))


@keras.saving.register_keras_serializable(package="sereprod")
def ccc_loss(y_true: Any, y_pred: Any) -> Any:
    """1 - CCC of each batch element's whole sequence -> (B,); Keras then averages over the batch.

    Per-sequence, not pooled: each element's CCC uses its own means and population variances over time
    (per output channel, then averaged over channels). With Khorram's batch size 1 on full-length utterances
    this is exactly 1 - CCC of the utterance. ``CCC_EPS`` in the denominator keeps constant predictions
    finite (loss 1, finite gradients). Padded frames are not masked: use batch size 1 or equal lengths.
    """
    y_true, y_pred = _as_sequences(y_true, y_pred)
    mean_t = ops.mean(y_true, axis=1, keepdims=True)
    mean_p = ops.mean(y_pred, axis=1, keepdims=True)
    dt, dp = y_true - mean_t, y_pred - mean_p
    cov = ops.mean(dt * dp, axis=1)
    denom = ops.mean(dt * dt, axis=1) + ops.mean(dp * dp, axis=1) + ops.squeeze(ops.square(mean_t - mean_p), 1)
    return 1.0 - ops.mean(2.0 * cov / (denom + CCC_EPS), axis=-1)
