"""Gold-standard analysis of §5.2 / Fig. 4: how much of the label power is below 1 Hz, and how little CCC is lost
when the labels are downsampled uniformly and rebuilt by spline interpolation."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.interpolate import make_interp_spline

from common.metrics import ccc
from reproductions.khorram2017.smoothness import power_share_below

LABEL_RATE_HZ = 25.0  # §5.2: "The emotion targets ... are sampled at a frequency of 25 Hz"
LOW_BAND_HZ = 1.0  # §5.2: "lower than 1 Hz"
DOWNSAMPLE_FACTORS = (2, 4, 8, 16, 32, 64, 128)  # §5.2: "exponentially from 2 to 128"
SPLINE_DEGREE = 3  # "spline interpolation" (§5.2); cubic is scipy's default and the usual meaning


def downsample_and_rebuild(y: np.ndarray, factor: int) -> np.ndarray:
    """Keep every ``factor``-th sample (uniform downsampling, no anti-alias filter) and rebuild the full-rate
    series with a cubic spline through the kept samples (§5.2).

    The samples after the last kept one are extrapolated by the spline's end polynomial; a series with fewer than
    ``SPLINE_DEGREE + 1`` kept samples uses the highest degree its knots allow.
    """
    y = np.asarray(y, dtype=np.float64)
    t = np.arange(y.size)
    kept = t[::factor]
    degree = min(SPLINE_DEGREE, kept.size - 1)
    if degree < 1:
        return np.full_like(y, y[0])
    return make_interp_spline(kept, y[kept], k=degree)(t)


def rebuild_ccc(labels: Sequence[np.ndarray], factor: int) -> float:
    """CCC between the original labels and their rebuilt versions, pooled over all recordings."""
    rebuilt = [downsample_and_rebuild(y, factor) for y in labels]
    return float(ccc(np.concatenate(labels), np.concatenate(rebuilt)))


def label_report(labels: Sequence[np.ndarray], factors: Sequence[int] = DOWNSAMPLE_FACTORS) -> dict:
    """Fig. 4 curve and the §5.2 power share for one emotion dimension.

    Returns ``power_below_1hz`` (mean removed, in percent), ``power_below_1hz_with_mean`` (percent),
    ``factors``, ``ccc`` per factor and ``relative_loss`` per factor in percent (100 * (1 - CCC), since the
    original labels have CCC 1 with themselves).
    """
    cccs = np.array([rebuild_ccc(labels, f) for f in factors])
    return {
        "power_below_1hz": 100 * power_share_below(list(labels), LABEL_RATE_HZ, LOW_BAND_HZ),
        "power_below_1hz_with_mean": 100 * power_share_below(list(labels), LABEL_RATE_HZ, LOW_BAND_HZ,
                                                             remove_mean=False),
        "factors": np.asarray(factors),
        "ccc": cccs,
        "relative_loss": 100 * (1 - cccs),
    }
