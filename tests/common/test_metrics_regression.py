"""CCC (Khorram §3), RMSE and Pearson against hand-computed cases and scikit-learn / numpy."""

import math

import numpy as np
from sklearn.metrics import mean_squared_error

from common.metrics import ccc, ccc_per_sequence_mean, ccc_pooled, pearson, rmse

RNG = np.random.default_rng(0)


def test_ccc_hand_cases():
    y = RNG.standard_normal(200)
    y -= y.mean()
    assert math.isclose(ccc(y, y), 1.0)
    assert math.isclose(ccc(y, -y), -1.0)
    assert math.isclose(ccc([1, 2, 3], [2, 3, 4]), 4 / 7)  # var 2/3 each, cov 2/3, offset 1
    assert abs(ccc(y, np.full_like(y, 0.3))) < 1e-12
    assert math.isnan(ccc([1, 1], [1, 1]))


def test_offset_and_scale_lower_ccc_but_not_pearson():
    y = RNG.standard_normal(500)
    assert ccc(y, y + 0.5) < 1.0 and math.isclose(pearson(y, y + 0.5), 1.0)
    assert ccc(y, 2 * y) < 1.0 and math.isclose(pearson(y, 2 * y), 1.0)


def test_ccc_uses_population_statistics():
    y, p = RNG.standard_normal(30), RNG.standard_normal(30)
    cov = np.cov(y, p, bias=True)
    expected = 2 * cov[0, 1] / (cov[0, 0] + cov[1, 1] + (y.mean() - p.mean()) ** 2)
    assert math.isclose(ccc(y, p), expected)


def test_pooled_and_per_sequence_mean_differ():
    y_true = [np.array([0.0, 1.0]), np.array([10.0, 11.0])]
    y_pred = [np.array([1.0, 0.0]), np.array([11.0, 10.0])]
    assert math.isclose(ccc_per_sequence_mean(y_true, y_pred), -1.0)
    assert math.isclose(ccc_pooled(y_true, y_pred), 49.5 / 50.5)


def test_rmse_and_pearson_against_libraries():
    y, p = RNG.standard_normal(100), RNG.standard_normal(100)
    assert math.isclose(rmse(y, p), math.sqrt(mean_squared_error(y, p)))
    assert math.isclose(rmse([0.0, 0.0], [3.0, 4.0]), math.sqrt(12.5))
    assert math.isclose(pearson(y, p), np.corrcoef(y, p)[0, 1])
