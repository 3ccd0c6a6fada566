"""§5.2 / Fig. 4 label analysis: uniform downsampling + spline rebuild, power below 1 Hz."""

import numpy as np
import pytest

from reproductions.khorram2017.label_analysis import downsample_and_rebuild, label_report, rebuild_ccc

RATE = 25.0


def test_cubic_spline_rebuilds_a_cubic_exactly() -> None:
    t = np.arange(301, dtype=float)
    y = 1e-6 * (t - 150) ** 3 - 1e-3 * t
    for factor in (2, 8, 64):
        np.testing.assert_allclose(downsample_and_rebuild(y, factor), y, atol=1e-9)


def test_factor_one_and_short_series() -> None:
    y = np.random.default_rng(0).standard_normal(40)
    np.testing.assert_allclose(downsample_and_rebuild(y, 1), y, atol=1e-12)
    assert downsample_and_rebuild(y, 64).shape == y.shape  # one knot: constant
    assert downsample_and_rebuild(y, 15).shape == y.shape  # three knots: quadratic


def test_slow_labels_lose_little_ccc_until_the_factor_passes_their_bandwidth() -> None:
    t = np.arange(7501) / RATE  # one 300 s RECOLA recording
    y = 0.3 * np.sin(2 * np.pi * 0.05 * t) + 0.1 * np.sin(2 * np.pi * 0.2 * t + 1)
    assert rebuild_ccc([y], 16) > 0.999
    assert rebuild_ccc([y], 128) < 0.95  # 128 frames = 5.12 s, coarser than the 0.2 Hz component


def test_label_report_values() -> None:
    t = np.arange(2000) / RATE
    y = [np.sin(2 * np.pi * 0.1 * t), 0.5 + np.sin(2 * np.pi * 0.3 * t)]
    rep = label_report(y, (2, 4, 64))
    assert rep["power_below_1hz"] == pytest.approx(100.0, abs=1e-3)
    np.testing.assert_allclose(rep["relative_loss"], 100 * (1 - rep["ccc"]))
    assert np.all(np.diff(rep["ccc"]) <= 1e-9)  # coarser sampling never helps here
