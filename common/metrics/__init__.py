"""Evaluation metrics and the CCC loss (API.md, common.metrics)."""

from common.metrics.classification import (
    confusion_percent,
    f1_macro,
    f1_per_class,
    uar,
    unweighted_accuracy,
    war,
    weighted_accuracy,
)
from common.metrics.keras_metrics import ConcordanceCorrelation
from common.metrics.losses import ccc_loss
from common.metrics.regression import ccc, ccc_per_sequence_mean, ccc_pooled, pearson, rmse

__all__ = [
    "ConcordanceCorrelation",
    "ccc",
    "ccc_loss",
    "ccc_per_sequence_mean",
    "ccc_pooled",
    "confusion_percent",
    "f1_macro",
    "f1_per_class",
    "pearson",
    "rmse",
    "uar",
    "unweighted_accuracy",
    "war",
    "weighted_accuracy",
]
