"""The models ``benchmarks/`` times for Wieser et al. (2018): ELoR at the paper's input, batch and corpus size."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from common.benchmarking import Batch, ModelSpec
from reproductions.wieser2018.hyperparameters import PUBLISHED_SAMPLE_COUNT, WINDOW_SAMPLES


def two_heads(shape: tuple[int, ...], n: int, rng: np.random.Generator) -> Batch:
    """Waveform windows with an arousal and a valence class (0-4) each (§2.1.1)."""
    x = rng.standard_normal((n, *shape), dtype=np.float32)
    return x, {"arousal": rng.integers(0, 5, n), "valence": rng.integers(0, 5, n)}


def build_elor_for(schedule: str) -> Callable[[tuple[int, ...]], Any]:
    """Table 1's ELoR at ``shape``, ready to ``fit``: faithful alternating heads or the joint-loss variant."""
    def build(shape: tuple[int, ...]) -> Any:
        from reproductions.wieser2018.hyperparameters import TABLE_1_ELOR
        from reproductions.wieser2018.models import build_elor
        from reproductions.wieser2018.schedule import compile_for

        net = build_elor(TABLE_1_ELOR.alpha_w, window=shape[0])
        steps = -(-PUBLISHED_SAMPLE_COUNT // TABLE_1_ELOR.batch_size)
        return compile_for(net, TABLE_1_ELOR, steps, schedule, seed=0)
    return build


def benchmark() -> list[ModelSpec]:
    # faithful = §2.1.1's alternating heads (two optimizers, per-backend gradients); joint = the summed-loss variant.
    return [ModelSpec(f"wieser2018/elor-{s}", "wieser2018", build_elor_for(s), two_heads, (WINDOW_SAMPLES, 1),
                      (4000, 1), 15, "Table 1 batch 15", "IEMOCAP E-2 6 s samples", PUBLISHED_SAMPLE_COUNT,
                      "§3.2: 8522")
            for s in ("faithful", "joint")]
