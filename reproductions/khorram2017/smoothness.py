"""Smoothness statistics of continuous emotion trajectories (label or prediction time series).

Khorram et al. 2017 §5.2: "more than 95 percent of the power of these trajectories lies in frequency bands that
are lower than 1 Hz"; §6.2 / Fig. 5: down/up outputs are smooth, dilated outputs erratic. These functions quantify
both claims for any 1-D series sampled at ``fs`` Hz (RECOLA gold standard: 25 Hz).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.signal import periodogram


def _series(x: np.ndarray, what: str = "series") -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 1 or x.size < 2:
        raise ValueError(f"{what}: expected a 1-D series of at least 2 samples, got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{what}: contains NaN or inf")
    return x


def power_spectrum(x: np.ndarray, fs: float, remove_mean: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """One-sided power spectrum (frequencies in Hz, power per bin) of ``x`` via ``scipy.signal.periodogram``.

    ``remove_mean`` drops the DC component first, so the shares below measure how the *variation* is spread over
    frequency; with ``remove_mean=False`` the mean's power counts as the lowest band.
    """
    return periodogram(_series(x), fs=fs, detrend="constant" if remove_mean else False, scaling="spectrum")


def _items(series: np.ndarray | Sequence[np.ndarray]) -> list[np.ndarray]:
    return [series] if isinstance(series, np.ndarray) and np.ndim(series) == 1 else list(series)


def varies(series: np.ndarray | Sequence[np.ndarray]) -> bool:
    """Whether a series (or any of a list) changes over time: a constant one, such as the output of a model that
    collapsed to one value, has no power to share out over frequencies."""
    return any(np.ptp(_series(x)) > 0 for x in _items(series))


def power_share_below(series: np.ndarray | Sequence[np.ndarray], fs: float, cutoff_hz: float = 1.0,
                      remove_mean: bool = True) -> float:
    """Fraction in [0, 1] of the total power that lies strictly below ``cutoff_hz``.

    A list of series (one per recording) pools the power of all of them, each spectrum computed on its own
    recording so that no jump between recordings leaks into high frequencies.
    """
    low = total = 0.0
    for x in _items(series):
        freqs, power = power_spectrum(x, fs, remove_mean)
        low += float(power[freqs < cutoff_hz].sum())
        total += float(power.sum())
    if total <= 0:
        raise ValueError("power_share_below: the series carry no power (constant after mean removal)")
    return low / total


def first_difference_power(x: np.ndarray) -> float:
    """Mean squared first difference ``mean((x[t] - x[t-1])**2)``: the power of the step-to-step changes."""
    return float(np.mean(np.diff(_series(x)) ** 2))


def relative_first_difference_power(x: np.ndarray, reference: np.ndarray) -> float:
    """``first_difference_power(x) / first_difference_power(reference)``: > 1 means rougher than the reference."""
    ref = first_difference_power(reference)
    if ref <= 0:
        raise ValueError("relative_first_difference_power: the reference series is constant")
    return first_difference_power(x) / ref
