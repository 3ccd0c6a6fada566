"""Prediction passes too large to run whole in every unit of a cost measurement (tens of thousands of items per
pass, hundreds of passes): :func:`sample_batches` picks the costliest batch (the pass's memory peak) and ones spread
evenly over the pass, :class:`PredictTimer` times the batches run, and :func:`unrun_seconds` projects the seconds of
the batches left out from the measured seconds per unit of cost. A paper samples a pass when its unit's
``Fit.pass_sample`` is set and reports the projection through ``Fit.left_out``.
"""

from __future__ import annotations

import time

import keras
import numpy as np

#: batches a sampled prediction pass runs at most (:func:`sample_batches`)
PREDICT_SAMPLE = 5


class PredictTimer(keras.callbacks.Callback):
    """Seconds of every batch of a ``predict`` (``callbacks=[timer]``), for :func:`unrun_seconds`."""

    def __init__(self) -> None:
        super().__init__()
        self.seconds: list[float] = []
        self._start = 0.0

    def on_predict_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        self._start = time.perf_counter()

    def on_predict_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self.seconds.append(time.perf_counter() - self._start)


def sample_batches(costs: np.ndarray, k: int = PREDICT_SAMPLE) -> np.ndarray:
    """Ascending indices of ``k`` batches of a prediction pass whose batches cost ``costs`` (any unit proportional to
    the work, e.g. items x padded length): ``k`` spread evenly over the pass, the costliest in place of the nearest
    of them; every batch when there are no more than ``k``."""
    costs = np.asarray(costs, dtype=float)
    if len(costs) <= k:
        return np.arange(len(costs))
    spread = np.linspace(0, len(costs) - 1, k).round().astype(int)
    top = int(np.argmax(costs))
    if top not in spread:
        spread[np.argmin(np.abs(spread - top))] = top
    return np.sort(spread)


def unrun_seconds(batch_seconds: list[float], batch_costs: np.ndarray, unrun_cost: float) -> float:
    """Seconds the batches a sampled pass left out (``unrun_cost`` in all) would take: the median seconds per unit
    of cost of the batches run, the first (tracing) left out when there are more."""
    if unrun_cost <= 0:
        return 0.0
    rates = np.asarray(batch_seconds, dtype=float) / np.asarray(batch_costs, dtype=float)
    return float(np.median(rates[1:] if len(rates) > 1 else rates)) * float(unrun_cost)
