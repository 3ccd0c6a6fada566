"""Inertia ratio (Huang Eqs. 15-17) on hand-computed toy cases, and the LDA projection's shape."""

import numpy as np
import pytest

from reproductions.huang2017.analysis import inertia_ratio, lda_projection


def test_inertia_ratio_toy_case():
    # class a: (0,0),(2,0) centre (1,0), mean sq. dist 1; class b: (10,0),(10,2) centre (10,1), mean sq. dist 1
    x = np.array([[0, 0], [2, 0], [10, 0], [10, 2]], dtype=float)
    r = inertia_ratio(x, ["a", "a", "b", "b"])
    assert r.omega_i == pytest.approx(1.0)
    assert r.omega_o == pytest.approx(81 + 1)  # |(10,1)-(1,0)|^2, both ordered pairs, divided by 2
    assert r.rho == pytest.approx(1 / 82)


def test_inertia_ratio_three_classes_and_unequal_sizes():
    x = np.array([[0.0], [2.0], [4.0], [10.0], [20.0]])
    r = inertia_ratio(x, [0, 0, 0, 1, 2])
    # omega_i = mean(8/3, 0, 0); centres 2, 10, 20 -> pairwise sq. distances 64, 324, 100 (each twice) / 6
    assert r.omega_i == pytest.approx(8 / 9)
    assert r.omega_o == pytest.approx((64 + 324 + 100) * 2 / 6)
    assert r.rho == pytest.approx((8 / 9) / ((64 + 324 + 100) / 3))


def test_inertia_ratio_orders_separability():
    rng = np.random.default_rng(0)
    y = np.repeat([0, 1, 2], 50)
    tight = rng.normal(size=(150, 4)) * 0.1 + y[:, None]
    loose = rng.normal(size=(150, 4)) * 2.0 + y[:, None]
    assert inertia_ratio(tight, y).rho < inertia_ratio(loose, y).rho


def test_inertia_ratio_needs_two_classes():
    with pytest.raises(ValueError):
        inertia_ratio(np.zeros((3, 2)), [1, 1, 1])


def test_lda_projection_components():
    rng = np.random.default_rng(1)
    y = np.repeat(["f", "m"], 20)
    z, centres, classes = lda_projection(rng.normal(size=(40, 5)), y)
    assert z.shape == (40, 1) and centres.shape == (2, 1) and classes == ["f", "m"]
    y6 = np.repeat(np.arange(6), 10)
    z6, c6, _ = lda_projection(rng.normal(size=(60, 8)) + y6[:, None], y6)
    assert z6.shape == (60, 2) and c6.shape == (6, 2)
