"""Value checks for reproductions.khorram2017.smoothness (§5.2 power below 1 Hz, first-difference power)."""

import numpy as np
import pytest

from reproductions.khorram2017.smoothness import (
    first_difference_power,
    power_share_below,
    relative_first_difference_power,
    varies,
)

FS = 25.0


def _sine(freq: float, n: int = 2500) -> np.ndarray:
    return np.sin(2 * np.pi * freq * np.arange(n) / FS)


def test_pure_tones_fall_on_the_right_side_of_the_cutoff() -> None:
    assert power_share_below(_sine(0.2), FS, 1.0) == pytest.approx(1.0, abs=1e-6)
    assert power_share_below(_sine(5.0), FS, 1.0) == pytest.approx(0.0, abs=1e-6)


def test_share_of_a_two_tone_mixture_is_the_power_ratio() -> None:
    x = 2.0 * _sine(0.4) + 1.0 * _sine(6.0)  # powers 4:1 -> 0.8 below 1 Hz
    assert power_share_below(x, FS, 1.0) == pytest.approx(0.8, abs=1e-3)


def test_mean_counts_only_when_kept() -> None:
    x = 3.0 + _sine(6.0)
    assert power_share_below(x, FS, 1.0) == pytest.approx(0.0, abs=1e-6)
    assert power_share_below(x, FS, 1.0, remove_mean=False) == pytest.approx(9.0 / 9.5, abs=1e-3)


def test_list_pools_power_over_recordings() -> None:
    share = power_share_below([_sine(0.2), 1.0 * _sine(6.0)], FS, 1.0)
    assert share == pytest.approx(0.5, abs=1e-3)


def test_first_difference_power_by_hand() -> None:
    assert first_difference_power(np.array([0.0, 1.0, 3.0, 3.0])) == pytest.approx((1 + 4 + 0) / 3)
    smooth, rough = _sine(0.2), _sine(0.2) + 0.1 * np.random.default_rng(0).standard_normal(2500)
    assert relative_first_difference_power(rough, smooth) > 10


def test_bad_input_is_named() -> None:
    with pytest.raises(ValueError, match="1-D"):
        first_difference_power(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="no power"):
        power_share_below(np.ones(100), FS)


def test_varies_tells_a_constant_series_from_a_moving_one() -> None:
    assert varies(_sine(0.2)) and varies([np.ones(100), _sine(0.2)])
    assert not varies(np.ones(100)) and not varies([np.ones(100), np.zeros(100)])
