"""Twin generation in independent jobs (a session, a speaker, a recording), each with its own seed, run in
parallel processes for the larger twins and streamed to disk as each file is rendered."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np


def seeds(rng: np.random.Generator, n: int) -> list[int]:
    """``n`` independent child seeds drawn from the corpus generator."""
    return [int(s) for s in rng.integers(0, 2**63 - 1, size=n)]


def run_jobs(fn: Callable[[Any], None], jobs: Sequence[Any], parallel: bool) -> None:
    """``fn(job)`` for every job: in a process pool over all cores when ``parallel``, else in order."""
    if not parallel or len(jobs) < 2 or (os.cpu_count() or 1) < 2:
        for job in jobs:
            fn(job)
        return
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        for _ in pool.map(fn, jobs):
            pass


def lognormal_seconds(rng: np.random.Generator, mean: float, sigma: float, low: float, high: float) -> float:
    """A duration with the given mean (before clipping to [low, high]): real corpora are right-skewed."""
    mu = np.log(mean) - sigma**2 / 2
    return float(np.clip(rng.lognormal(mu, sigma), low, high))
