"""The models ``benchmarks/`` times for Khorram et al. 2017: each Table 1-2 network at the paper's input shape."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from common.benchmarking import ModelSpec, regression_sequences

RECOLA_TRAIN = 9  # §3: "27 five-minute utterances ... (9 train; 9 validation; 9 test)"
RECOLA_STEPS = 7500  # §3: 300 s at one 160-dim step per 40 ms
BATCH = 1  # §6.1: "we train on full length utterances and use a batch size of one"
# §6.2: "one epoch ... about 13 seconds on the convolutional network ... about 10 minutes on the BLSTM".
PAPER_EPOCH_S = {"conv": 13.0, "blstm": 600.0}
CONV = ("khorram2017/dilated", "khorram2017/downup")
BLSTM = "khorram2017/blstm"  # a sized proxy of [24] (README)


def _build(kind: str) -> Callable[[tuple[int, ...]], Any]:
    def build(shape: tuple[int, ...]) -> Any:
        from reproductions.khorram2017 import models

        return {"dilated": models.build_dilated, "downup": models.build_downup,
                "blstm": models.build_blstm}[kind](input_dim=shape[-1])
    return build


def benchmark() -> list[ModelSpec]:
    """Dilated, down/up (arousal width 32) and the BLSTM proxy on one full 300 s RECOLA recording per batch."""
    return [ModelSpec(f"khorram2017/{k}", "khorram2017", _build(k), regression_sequences, (RECOLA_STEPS, 160),
                      (64, 160), BATCH, "§6.1 batch size one", "RECOLA train", RECOLA_TRAIN,
                      "§3: 9 train utterances")
            for k in ("dilated", "downup", "blstm")]
