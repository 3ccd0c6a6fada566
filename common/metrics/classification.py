"""Classification metrics (sklearn.metrics underneath). Accuracies and F1 are fractions in [0, 1].

WA (weighted accuracy, = WAR) is plain accuracy; UA (unweighted accuracy, = UAR) is the mean of the
per-class recalls over the classes present in ``y_true`` (Latif §5.1 Table 1; Huang §7; Zhao §4).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
from sklearn.metrics import accuracy_score, balanced_accuracy_score, confusion_matrix, f1_score

Labels = Sequence[Hashable] | np.ndarray


def weighted_accuracy(y_true: Labels, y_pred: Labels) -> float:
    """WA: fraction of correctly classified samples."""
    return float(accuracy_score(y_true, y_pred))


def unweighted_accuracy(y_true: Labels, y_pred: Labels) -> float:
    """UA: mean per-class recall, each class of ``y_true`` weighted equally."""
    return float(balanced_accuracy_score(y_true, y_pred))


war = weighted_accuracy
uar = unweighted_accuracy


def f1_per_class(y_true: Labels, y_pred: Labels, labels: Labels | None = None) -> dict[Hashable, float]:
    """F1 of every class in ``labels`` (default: sorted classes seen in either input); 0 where undefined."""
    if labels is None:
        labels = np.unique(np.concatenate([np.asarray(y_true), np.asarray(y_pred)]))
    labels = list(labels)
    scores = f1_score(y_true, y_pred, labels=labels, average=None, zero_division=0.0)
    return {label: float(s) for label, s in zip(labels, scores, strict=True)}


def f1_macro(y_true: Labels, y_pred: Labels, labels: Labels | None = None) -> float:
    """Unweighted mean of the per-class F1 scores (over ``labels`` if given)."""
    return float(f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0.0))


def confusion_percent(y_true: Labels, y_pred: Labels, labels: Labels) -> np.ndarray:
    """Confusion matrix in percent, rows = true class normalised to sum to 100 (Zhao Tables 3-6).

    Row i, column j: percentage of class ``labels[i]`` predicted as ``labels[j]``; a class absent from
    ``y_true`` gives a row of zeros.
    """
    return confusion_matrix(y_true, y_pred, labels=list(labels), normalize="true") * 100.0
