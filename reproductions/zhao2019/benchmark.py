"""The models ``benchmarks/`` times for Zhao et al. (2019): both networks at the paper's input shapes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from common.benchmarking import ModelSpec, classes

EMODB_UTTERANCES = 535  # Zhao §3.5: "There are 535 sentences"
BATCH_SOURCE = "TrainConfig default batch 32 (the paper tuned it with hyperopt, §3.4, without printing it)"


def _build(network: str) -> Callable[[tuple[int, ...]], Any]:
    def build(shape: tuple[int, ...]):
        from reproductions.zhao2019.models import build_network

        return build_network(network, 7, shape[:-1])  # EmoDB's 7 classes (§3.5)
    return build


def benchmark() -> list[ModelSpec]:
    """1D on 8 s clips (Table 1, §3.5: 128,000 samples) and 2D on 128 x 251 log-mels (Table 2, §3.5).

    The 2D smoke shape keeps 128 frames: the faithful pools divide time by 128, so fewer leave an empty map.
    """
    return [ModelSpec("zhao2019/1d", "zhao2019", _build("1d"), classes(7), (128_000, 1), (2048, 1), 32,
                      BATCH_SOURCE, "EmoDB", EMODB_UTTERANCES, "§3.5: 535"),
            ModelSpec("zhao2019/2d", "zhao2019", _build("2d"), classes(7), (128, 251, 1), (128, 128, 1), 32,
                      BATCH_SOURCE, "EmoDB", EMODB_UTTERANCES, "§3.5: 535")]
