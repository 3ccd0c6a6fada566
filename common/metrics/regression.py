"""Regression metrics for continuous emotion (Khorram §3: RMSE and CCC)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.stats
from sklearn.metrics import root_mean_squared_error


def ccc(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Concordance correlation coefficient of one pair of sequences (Khorram §3 formula).

    CCC = 2 cov(y, yhat) / (var(y) + var(yhat) + (mean(y) - mean(yhat))^2), population (1/N) statistics.
    NaN when both sequences are the same constant (0/0).
    """
    y = np.asarray(y_true, dtype=np.float64).ravel()
    p = np.asarray(y_pred, dtype=np.float64).ravel()
    if y.shape != p.shape:
        raise ValueError(f"y_true has {y.size} values but y_pred has {p.size}")
    my, mp = y.mean(), p.mean()
    cov = np.mean((y - my) * (p - mp))
    denom = y.var() + p.var() + (my - mp) ** 2
    return float(2 * cov / denom) if denom > 0 else float("nan")


def ccc_pooled(y_true: Sequence[np.ndarray], y_pred: Sequence[np.ndarray]) -> float:
    """CCC over all frames of all sequences concatenated (one number per partition, as AVEC scores it)."""
    return ccc(np.concatenate([np.ravel(y) for y in y_true]), np.concatenate([np.ravel(p) for p in y_pred]))


def ccc_per_sequence_mean(y_true: Sequence[np.ndarray], y_pred: Sequence[np.ndarray]) -> float:
    """Mean over sequences of each sequence's own CCC (differs from ``ccc_pooled`` when means differ)."""
    if len(y_true) != len(y_pred):
        raise ValueError(f"{len(y_true)} true sequences but {len(y_pred)} predicted")
    return float(np.mean([ccc(y, p) for y, p in zip(y_true, y_pred, strict=True)]))


def rmse(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Root mean squared error over all values (Khorram §3, Tables 1-2)."""
    return float(root_mean_squared_error(np.ravel(y_true), np.ravel(y_pred)))


def pearson(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Pearson correlation coefficient over all values (NaN if either input is constant)."""
    return float(scipy.stats.pearsonr(np.ravel(y_true), np.ravel(y_pred)).statistic)
