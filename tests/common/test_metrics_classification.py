"""WA/UA/F1/confusion against hand-computed cases and scikit-learn."""

import math

import numpy as np
from sklearn.metrics import accuracy_score, f1_score, recall_score

from common.metrics import (
    confusion_percent,
    f1_macro,
    f1_per_class,
    uar,
    unweighted_accuracy,
    war,
    weighted_accuracy,
)

Y_TRUE = ["ang", "ang", "ang", "sad"]
Y_PRED = ["ang", "ang", "sad", "sad"]


def test_hand_computed_case():
    assert weighted_accuracy(Y_TRUE, Y_PRED) == war(Y_TRUE, Y_PRED) == 0.75
    assert math.isclose(unweighted_accuracy(Y_TRUE, Y_PRED), (2 / 3 + 1) / 2)
    assert uar(Y_TRUE, Y_PRED) == unweighted_accuracy(Y_TRUE, Y_PRED)
    per_class = f1_per_class(Y_TRUE, Y_PRED)
    assert math.isclose(per_class["ang"], 0.8) and math.isclose(per_class["sad"], 2 / 3)
    assert math.isclose(f1_macro(Y_TRUE, Y_PRED), (0.8 + 2 / 3) / 2)


def test_against_sklearn_on_random_labels():
    rng = np.random.default_rng(0)
    y, p = rng.integers(0, 4, 300), rng.integers(0, 4, 300)
    assert weighted_accuracy(y, p) == accuracy_score(y, p)
    assert math.isclose(unweighted_accuracy(y, p), recall_score(y, p, average="macro"))
    assert math.isclose(f1_macro(y, p), f1_score(y, p, average="macro"))
    np.testing.assert_allclose(list(f1_per_class(y, p).values()), f1_score(y, p, average=None))


def test_confusion_percent_rows_sum_to_100():
    cm = confusion_percent(Y_TRUE, Y_PRED, labels=["ang", "sad", "hap"])
    np.testing.assert_allclose(cm, [[200 / 3, 100 / 3, 0], [0, 100, 0], [0, 0, 0]])
