"""Repeated timings and their summary (median, interquartile range, min/max)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Summary:
    """Median and spread of ``n`` repeated measurements of one quantity."""

    median: float
    q1: float
    q3: float
    low: float
    high: float
    n: int

    @classmethod
    def of(cls, values: list[float]) -> Summary:
        v = np.asarray(values, dtype=float)
        if v.size == 0:
            raise ValueError("no measurements to summarise")
        q1, med, q3 = np.percentile(v, [25, 50, 75])
        return cls(float(med), float(q1), float(q3), float(v.min()), float(v.max()), int(v.size))

    def map(self, f: Callable[[float], float]) -> Summary:
        """The summary of ``f`` applied to every value (``f`` monotone; a decreasing one swaps the bounds)."""
        a, b, lo, hi = f(self.q1), f(self.q3), f(self.low), f(self.high)
        return Summary(f(self.median), min(a, b), max(a, b), min(lo, hi), max(lo, hi), self.n)


def time_call(fn: Callable[[], object]) -> float:
    """Wall seconds of one call."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def repeat(fn: Callable[[], object], reps: int, warmup: int = 1) -> list[float]:
    """Wall seconds of ``reps`` calls after ``warmup`` untimed calls."""
    for _ in range(warmup):
        fn()
    return [time_call(fn) for _ in range(reps)]
