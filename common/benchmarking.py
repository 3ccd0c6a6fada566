"""What a paper tells ``benchmarks/`` about its models: ``ModelSpec`` and synthetic batches of their inputs.

Each reproduction's ``benchmark()`` (``Paper.benchmark``) returns its specs: the paper's own builder at the
paper's input shape, batch size and corpus size, each number cited where it comes from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

Batch = tuple[Any, Any]


@dataclass(frozen=True)
class ModelSpec:
    """One benchmarked model: ``build(shape)`` returns the paper builder's compiled model for per-sample
    ``shape``; ``batch(shape, batch_size, rng)`` draws a synthetic (x, y) batch of it."""

    name: str
    paper: str
    build: Callable[[tuple[int, ...]], Any]
    batch: Callable[[tuple[int, ...], int, np.random.Generator], Batch]
    shape: tuple[int, ...]
    smoke_shape: tuple[int, ...]
    batch_size: int
    batch_source: str
    corpus: str
    corpus_size: int
    size_source: str


def regression_sequences(shape: tuple[int, ...], n: int, rng: np.random.Generator) -> Batch:
    """(n, T, D) inputs with (n, T, 1) targets in [-1, 1] (continuous emotion)."""
    x = rng.standard_normal((n, *shape), dtype=np.float32)
    return x, rng.uniform(-1, 1, (n, shape[0], 1)).astype(np.float32)


def classes(k: int) -> Callable[[tuple[int, ...], int, np.random.Generator], Batch]:
    """Inputs of ``shape`` with integer labels in [0, k)."""
    def make(shape: tuple[int, ...], n: int, rng: np.random.Generator) -> Batch:
        return rng.standard_normal((n, *shape), dtype=np.float32), rng.integers(0, k, n)
    return make


def autoencode(shape: tuple[int, ...], n: int, rng: np.random.Generator) -> Batch:
    """Inputs that are their own targets (autoencoders)."""
    x = rng.standard_normal((n, *shape), dtype=np.float32)
    return x, x
