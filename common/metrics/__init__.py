"""Evaluation metrics and the CCC loss (API.md, common.metrics).

The Keras pieces (``ConcordanceCorrelation``, ``ccc_loss``) load on first use, so that read-only commands
(``python -m common.compare_predictions``) can score predictions without starting TensorFlow.
"""

from importlib import import_module
from typing import Any

from common.metrics.classification import (
    confusion_percent,
    f1_macro,
    f1_per_class,
    uar,
    unweighted_accuracy,
    war,
    weighted_accuracy,
)
from common.metrics.regression import ccc, ccc_per_sequence_mean, ccc_pooled, pearson, rmse

_KERAS = {"ConcordanceCorrelation": "common.metrics.keras_metrics", "ccc_loss": "common.metrics.losses"}

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


def __getattr__(name: str) -> Any:
    """Load a Keras-backed name on first use (PEP 562)."""
    if name in _KERAS:
        return getattr(import_module(_KERAS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
