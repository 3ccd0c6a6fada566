"""The models ``benchmarks/`` times for huang2017: the LDNN and the four X-CLDNNs at the paper's input shape."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from common.benchmarking import Batch, ModelSpec

ENTERFACE_CLEAN = 1257  # §5.1: "the total number of emotional utterances in this corpus is 1,257"
ENTERFACE_NOISY_UNION = ENTERFACE_CLEAN * 61  # §5.2: 75,420 noisy + 1,257 clean (noisy condition trains on both)
ENTERFACE_FRAMES = 278  # §5.1: "average length of utterances is around 2.78 seconds" at 10 ms frames
N_CLASSES = 6  # §5.1: six archetypal emotions
BATCH_SIZE = 10  # §6.2: "The size of mini-batch is fixed to 10"
# Filters: S and ST use §7.4's h1 = 22, h2 = 3; the widths are mid-range values of Table 2 (the paper does not
# print the T/FST filters it selected).
FILTERS = {"S": {"h1": 22, "h2": 3}, "T": {"w1": 5, "w2": 3}, "ST": {"h1": 22, "w1": 5, "h2": 3, "w2": 3},
           "FST": {"w1": 5, "w2": 3}}


def _build(conv_type: str | None) -> Callable[[tuple[int, ...]], Any]:
    def build(shape: tuple[int, ...]) -> Any:
        from reproductions.huang2017.models import build_cldnn, build_ldnn

        if conv_type is None:
            return build_ldnn(shape[1], N_CLASSES)
        return build_cldnn(conv_type, shape[1], N_CLASSES, **FILTERS[conv_type])
    return build


def spliced_batch(shape: tuple[int, ...], n: int, rng: np.random.Generator) -> Batch:
    """(spliced frames (n, T, M, 16, 1), frame mask (n, T)) with six-class labels: the models' two inputs."""
    x = rng.standard_normal((n, *shape), dtype=np.float32)
    return (x, np.ones((n, shape[0]), dtype=bool)), rng.integers(0, N_CLASSES, n)


def benchmark() -> list[ModelSpec]:
    return [ModelSpec(f"huang2017/{'ldnn' if t is None else t.lower() + '-cldnn'}", "huang2017", _build(t),
                      spliced_batch, (ENTERFACE_FRAMES, 40, 16, 1), (20, 40, 16, 1), BATCH_SIZE, "§6.2 mini-batch 10",
                      "eNTERFACE noisy+clean", ENTERFACE_NOISY_UNION, "§5.1-5.2: 1,257 x 61")
            for t in (None, "S", "T", "ST", "FST")]
